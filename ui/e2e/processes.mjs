// Every process an e2e test starts, tracked so that none outlives its test, whatever
// happens: each runs in its own process group (so its children go with it), is listed in
// memory and, when the suite runner set BATCHDESK_E2E_RUN_DIR, in a file the runner reads
// to find and kill anything left behind. If this test process is told to stop or exits,
// every group still listed is killed on the spot.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const live = new Map();
const registry = process.env.BATCHDESK_E2E_RUN_DIR ? join(process.env.BATCHDESK_E2E_RUN_DIR, "groups") : null;
if (registry) mkdirSync(registry, { recursive: true });

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // Already gone.
  }
}

/**
 * Whether anything of the group still runs. Read from /proc, since the e2e suite runs on
 * Linux only: a zombie counts for kill(0) until something reaps it, and this sandbox's
 * init may never do so.
 */
export function groupAlive(pgid) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Gone between the listing and the read.
    }
    // "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses.
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z") return true;
  }
  return false;
}

function killEverythingNow() {
  for (const pid of live.keys()) killGroup(pid, "SIGKILL");
}

// Installed with the first tracked process (not on import: the suite runner imports
// `groupAlive` and has its own way of ending).
let safetyNet = false;
function installSafetyNet() {
  if (safetyNet) return;
  safetyNet = true;
  process.on("exit", killEverythingNow);
  for (const [signal, number] of [
    ["SIGTERM", 15],
    ["SIGINT", 2],
    ["SIGHUP", 1],
  ]) {
    process.on(signal, () => {
      killEverythingNow();
      process.exit(128 + number);
    });
  }
}

/**
 * Whether a process of group `pgid` (not a zombie) runs the program at `program`: how a
 * test knows that an app it closed has really gone before it starts the next one on the
 * same data folder.
 */
export function groupRuns(pgid, program) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) !== pgid || state === "Z") continue;
      if (readlinkSync(`/proc/${entry}/exe`) === program) return true;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return false;
}

/**
 * Starts `command` in a process group of its own and tracks it. Answers the child and
 * `stop()`, which ends the whole group (TERM, then KILL after 5 s if anything in it is
 * still there) and waits for it. `stop()` may be called any number of times.
 */
export function spawnTracked(command, args, options, label = command) {
  installSafetyNet();
  const child = spawn(command, args, { ...options, detached: true });
  // Taken at spawn time, so waiting later cannot miss the exit.
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }));
  // A spawn that failed (no such binary) is reported by the caller's own wait.
  exited.catch(() => undefined);
  child.on("error", () => undefined);
  const pid = child.pid;
  if (pid === undefined) return { child, exited, stop: async () => undefined };
  live.set(pid, label);
  const file = registry ? join(registry, String(pid)) : null;
  if (file) writeFileSync(file, label);
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (killGroup(pid, "SIGTERM")) {
        for (let waited = 0; groupAlive(pid) && waited < 5000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (groupAlive(pid)) killGroup(pid, "SIGKILL");
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      live.delete(pid);
      if (file) rmSync(file, { force: true });
      // A straggler holding the other end of a pipe must not keep this process alive.
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };
  return { child, exited, stop };
}
