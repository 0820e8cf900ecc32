// How the release benchmark measures a window: the first frame painted with content, seen
// on the X display, and the memory of a process and everything it started.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * Distinct pixel values in an XWD image (`xwd -root`), counted up to `enough`. The root
 * window of Xvfb is one colour, a window that is mapped but not yet drawn adds one flat
 * colour; text and pictures (anti-aliased) bring dozens.
 */
export function distinctColours(xwd, enough) {
  const field = (index) => xwd.readUInt32BE(index * 4);
  const [headerSize, width, height, bitsPerPixel, bytesPerLine, colours] = [
    field(0),
    field(4),
    field(5),
    field(11),
    field(12),
    field(19),
  ];
  // 24 or 32 bits a pixel (xwd answers either, depending on what is on the screen).
  if (bitsPerPixel !== 24 && bitsPerPixel !== 32) throw new Error(`unexpected ${bitsPerPixel} bits per pixel`);
  const step = bitsPerPixel / 8;
  const start = headerSize + colours * 12;
  const seen = new Set();
  let last = -1;
  for (let y = 0; y < height; y += 1) {
    for (let at = start + y * bytesPerLine, end = at + width * step; at < end; at += step) {
      const pixel = xwd[at] | (xwd[at + 1] << 8) | (xwd[at + 2] << 16);
      if (pixel === last) continue;
      last = pixel;
      seen.add(pixel);
      if (seen.size >= enough) return seen.size;
    }
  }
  return seen.size;
}

function captureScreen() {
  return new Promise((done, fail) => {
    execFile("xwd", ["-root", "-silent"], { encoding: "buffer", maxBuffer: 64 << 20 }, (error, stdout) =>
      error ? fail(error) : done(stdout),
    );
  });
}

/**
 * Captures the whole display again and again until it shows content (at least `colours`
 * distinct colours), and answers the time (ms, on `performance.now()`) at which the
 * capture that first saw it had finished: an upper bound on when the frame was painted,
 * late by at most one capture (`interval`, the median time one capture took). Gives up
 * after `limitMs`.
 */
export async function waitForContent({ colours = 24, limitMs = 30_000, stillRunning = () => true } = {}) {
  const started = performance.now();
  const intervals = [];
  for (;;) {
    const before = performance.now();
    const image = await captureScreen();
    const after = performance.now();
    intervals.push(after - before);
    if (distinctColours(image, colours) >= colours) {
      intervals.sort((a, b) => a - b);
      return { at: after, interval: intervals[Math.floor(intervals.length / 2)] };
    }
    if (!stillRunning()) throw new Error("the window's process ended before it painted anything");
    if (after - started > limitMs) throw new Error(`nothing painted within ${limitMs / 1000} s`);
  }
}

/** Whether the display shows nothing but the bare root window (between runs). */
export async function displayIsEmpty() {
  return distinctColours(await captureScreen(), 2) < 2;
}

function parentOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** `root` and every process under it (WebKit's web and network processes, helpers). */
export function processTree(root) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = parentOf(entry);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const tree = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * The proportional set size (MiB) of `root`'s process tree, from each process's
 * `/proc/<pid>/smaps_rollup`: shared pages (libraries, WebKit's) counted once in total,
 * split between the processes that map them (other WebKit apps running on the machine
 * lower it), and their private pages. Answers the totals and each process's share.
 */
export function treePss(root) {
  const processes = [];
  for (const pid of processTree(root)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      // Written pages of its own (heaps, JIT code): unlike PSS and clean pages, which
      // other WebKit processes on the machine share (libwebkit's code), steady whatever
      // else runs.
      processes.push({
        pid,
        name,
        mib: kib("Pss") / 1024,
        privateMib: (kib("Private_Clean") + kib("Private_Dirty")) / 1024,
        dirtyMib: kib("Private_Dirty") / 1024,
      });
    } catch {
      // Gone, or a kernel thread without mappings.
    }
  }
  return {
    total: processes.reduce((sum, { mib }) => sum + mib, 0),
    private: processes.reduce((sum, { privateMib }) => sum + privateMib, 0),
    dirty: processes.reduce((sum, { dirtyMib }) => sum + dirtyMib, 0),
    processes,
  };
}

/** The pid of the process in group `pgid` that runs `program` (a path resolved already). */
export function findInGroup(pgid, program) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) !== pgid || state === "Z") continue;
      if (readlinkSync(`/proc/${entry}/exe`) === program) return Number(entry);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return null;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
