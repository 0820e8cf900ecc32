// The release benchmark (run it through `bench/release`, which builds what it needs and
// gives it a display and a keychain). Usage: node bench/release.mjs APP BARE_WINDOW [RESULTS.json]
//
// Side by side in one run, the release app and a bare Tauri window built from the same
// Cargo.lock in the same compilation (bench/bare-window):
// 1. First paint: the time from spawning the binary to the first frame painted with
//    content, both measured the same way, from outside: the X display is captured again and
//    again (`xwd -root`) until it shows more than a flat window (24 distinct colours: text
//    is anti-aliased; a window mapped but not drawn is one colour). The figure is the end of
//    the capture that first saw it: late by at most one capture (its length is reported).
//    The app's first content is its page's own first frame (its name, before any script
//    runs; Home follows), the bare window's its page.
// 2. Idle memory: 30 s after that first paint, the PSS of the process and everything under
//    it (WebKit's web and network processes) from /proc/<pid>/smaps_rollup.
//    Runs alternate between the windows (the order reversed each round); medians are
//    reported. The bare window runs twice a round: with WebKit's default painting, and
//    without GL compositing as the app paints on a machine without a GPU.
// 3. A 1 000 000-answer study: a real practice study is published in the app and its
//    results downloaded, then its download is rewritten at 1 000 000 answers
//    (bench/large-study.mjs); the app is started again, opens the study's page, and once
//    the page shows the answers' chart and table the PSS of its tree is read (and its peak
//    while opening, sampled every 0.5 s).
// The app runs in practice mode (chosen once through the UI, that data folder copied for
// every run), as a researcher without a Prolific token would; the bare window has nothing
// to remember. Every run has its own data, config and cache folders.
import { execFileSync, execSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { dataAndTask, freePort, withoutPilot } from "../ui/e2e/practice.mjs";
import { spawnTracked } from "../ui/e2e/processes.mjs";
import { startDriver, startSession } from "../ui/e2e/webdriver.mjs";
import { makeLargeStudy } from "./large-study.mjs";
import { displayIsEmpty, findInGroup, median, treePss, waitForContent } from "./measure.mjs";

const [appArg, bareArg, resultsArg] = process.argv.slice(2);
if (!appArg || !bareArg) throw new Error("usage: node bench/release.mjs APP BARE_WINDOW [RESULTS.json]");
const app = realpathSync(appArg);
const bare = realpathSync(bareArg);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const idleSeconds = Number(process.env.BENCH_IDLE_S ?? 30);
// The starts only (first paint, idle memory), without the large study: for trying a change.
const startsOnly = Boolean(process.env.BENCH_STARTS_ONLY);
const identifier = "io.batchdesk.desktop";
const token = "bench-practice-token";

const say = (text) => process.stdout.write(`${text}\n`);
const pause = (ms) => new Promise((done) => setTimeout(done, ms));
const root = mkdtempSync(join(tmpdir(), "batchdesk-bench-"));
const shots = join(root, "shots");
mkdirSync(shots);

/** Folders of its own for one start: data (a copy of `data` when given), config, cache. */
function folders(name, data) {
  const base = join(root, name);
  for (const sub of ["data", "config", "cache"]) mkdirSync(join(base, sub), { recursive: true });
  if (data) cpSync(data, join(base, "data"), { recursive: true });
  return {
    XDG_DATA_HOME: join(base, "data"),
    XDG_CONFIG_HOME: join(base, "config"),
    XDG_CACHE_HOME: join(base, "cache"),
  };
}

function screenshot(name) {
  try {
    execSync(`xwd -root -silent | convert xwd:- png:${JSON.stringify(join(shots, `${name}.png`))}`);
  } catch {
    // A missing picture does not change a figure.
  }
}

/** Waits until the previous window has gone from the display (10 s at most). */
async function emptyDisplay() {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (await displayIsEmpty()) return;
    await pause(100);
  }
  throw new Error("a window is still on the display from an earlier run");
}

/**
 * Publishes a practice study in the app (the e2e tests' steps) and lets it fill; answers
 * its id and the data folder (with a copy of it from before the study: practice chosen,
 * on Home), then makes its download 1 000 000 answers.
 */
async function prepare(practiceEnv) {
  say("Preparing: practice mode chosen in the app, a practice study published and downloaded");
  // First a data folder on Home in practice mode, nothing else: what the idle starts copy.
  const homeEnv = folders("practice-home");
  let driver = await startDriver(homeEnv);
  try {
    const session = await startSession(driver, app);
    await session.click('[data-testid="choose-practice"]');
    await session.waitUntil(`document.querySelector('nav[aria-label="Sections"] a[href="#/new"]')`);
    await session.end();
  } finally {
    await driver.stop();
  }
  if (startsOnly) return { home: homeEnv.XDG_DATA_HOME };
  // Then, on a folder of its own, a study published from the wizard (it chooses practice).
  const env = { ...folders("prepared"), ...practiceEnv };
  driver = await startDriver(env);
  try {
    const session = await startSession(driver, app);
    await dataAndTask(session);
    await withoutPilot(session);
    await session.click('[data-testid="publish"]');
    await session.clickInPage('[data-testid="publish-now"]');
    await session.waitForText('[data-testid="study-phase"]', "Awaiting your review", 300);
    await session.waitUntil(`document.querySelectorAll('[data-testid="response-row"]').length > 0`, 300);
    const hash = await session.execute("return location.hash;");
    const studyId = /#\/batches\/([^/?]+)/.exec(hash)?.[1];
    if (!studyId) throw new Error(`the study's page has no id in its address (${hash})`);
    await session.end();
    const folder = join(env.XDG_DATA_HOME, identifier, "results", studyId);
    if (!existsSync(join(folder, "export.zip"))) {
      throw new Error(`no download in ${folder}: ${readdirSync(join(env.XDG_DATA_HOME, identifier)).join(", ")}`);
    }
    say(`Writing the study's download again at 1 000 000 answers (${folder})`);
    const answers = makeLargeStudy(folder);
    return { home: homeEnv.XDG_DATA_HOME, studyEnv: env, studyId, answers };
  } finally {
    await driver.stop();
  }
}

/** One start of `binary`: its first paint (ms) and its PSS (MiB) after the idle time. */
async function oneStart(label, binary, env, round) {
  await emptyDisplay();
  // Other work on the machine slows a start: the load it started under is kept with it.
  const load = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  const spawned = performance.now();
  const { child, exited, stop } = spawnTracked(binary, [], { env: { ...process.env, ...env }, stdio: "ignore" }, label);
  let running = true;
  exited.then(() => (running = false));
  try {
    const { at, interval } = await waitForContent({ stillRunning: () => running });
    await pause(idleSeconds * 1000);
    if (!running) throw new Error(`${label} ended while idle`);
    const memory = treePss(child.pid);
    if (round === 0) screenshot(`${label}-idle`);
    return { firstPaintMs: at - spawned, captureMs: interval, idlePssMiB: memory.total, idlePrivateMiB: memory.private, idleDirtyMiB: memory.dirty, load, processes: memory.processes };
  } finally {
    await stop();
  }
}

/** The app opens the 1 000 000-answer study; its PSS once shown, and the peak on the way. */
async function openLargeStudy({ studyEnv, studyId }, practiceEnv) {
  const driver = await startDriver({ ...studyEnv, ...practiceEnv });
  try {
    const session = await startSession(driver, app);
    await session.waitUntil(`document.querySelector('nav[aria-label="Sections"] a[href="#/new"]')`);
    const pid = findInGroup(driver.group, app);
    if (!pid) throw new Error("the app's process was not found");
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treePss(pid).total)), 500);
    const started = performance.now();
    try {
      await session.execute(`location.hash = "#/batches/${studyId}";`);
      await session.waitUntil(`document.querySelectorAll('[data-testid="response-row"]').length > 0`, 600);
      await session.waitUntil(
        `document.querySelectorAll('[data-testid="distribution-chart"] [data-testid="distribution-bar"]').length > 0`,
        600,
      );
      const openedMs = performance.now() - started;
      const shown = treePss(pid);
      screenshot("app-large-study");
      // The page once settled (the agreement and consensus arrive after the chart).
      await pause(10_000);
      const settled = treePss(pid);
      peak = Math.max(peak, shown.total, settled.total);
      const rows = await session.execute(
        `return document.querySelector('[data-testid="responses-table"]')?.getAttribute("aria-rowcount");`,
      );
      await session.end();
      return {
        openedMs,
        shownPssMiB: shown.total,
        settledPssMiB: settled.total,
        settledPrivateMiB: settled.private,
        settledDirtyMiB: settled.dirty,
        peakPssMiB: peak,
        rows,
        processes: settled.processes,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await driver.stop();
  }
}

const fmt = (value, digits = 0) => value.toFixed(digits);

async function main() {
  const practiceEnv = {
    BATCHDESK_PRACTICE_PORT: String(await freePort()),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "600",
    NO_COLOR: "1",
  };
  const prepared = await prepare(practiceEnv);

  // Without a GPU the app asks WebKit to paint without GL compositing (src-tauri/src/
  // painting.rs); the bare window is measured both with WebKit's default and with that
  // same switch, so the app's own cost is seen apart from the way of painting.
  const windows = [
    { label: "bare-window", binary: bare, data: null, env: {} },
    { label: "bare-window-software", binary: bare, data: null, env: { WEBKIT_DISABLE_COMPOSITING_MODE: "1" } },
    { label: "app", binary: app, data: prepared.home, env: {} },
  ];
  const starts = Object.fromEntries(windows.map(({ label }) => [label, []]));
  for (let round = 0; round < runs; round += 1) {
    const order = round % 2 ? [...windows].reverse() : windows;
    for (const { label, binary, data, env } of order) {
      const result = await oneStart(label, binary, { ...folders(`${label}-${round}`, data), ...env }, round);
      starts[label].push(result);
      say(
        `round ${round + 1}/${runs} ${label}: first paint ${fmt(result.firstPaintMs)} ms ` +
          `(capture ${fmt(result.captureMs)} ms), PSS after ${idleSeconds} s ${fmt(result.idlePssMiB, 1)} MiB, load ${result.load}`,
      );
    }
  }

  let large = null;
  if (!startsOnly) {
    say("Opening the 1 000 000-answer study in the app");
    large = await openLargeStudy(prepared, practiceEnv);
  }

  const summary = Object.fromEntries(
    windows.map(({ label }) => [
      label,
      {
        firstPaintMs: median(starts[label].map((run) => run.firstPaintMs)),
        captureMs: median(starts[label].map((run) => run.captureMs)),
        idlePssMiB: median(starts[label].map((run) => run.idlePssMiB)),
        idlePrivateMiB: median(starts[label].map((run) => run.idlePrivateMiB)),
        idleDirtyMiB: median(starts[label].map((run) => run.idleDirtyMiB)),
        load: median(starts[label].map((run) => run.load)),
      },
    ]),
  );
  const ratio = summary.app.idlePssMiB / summary["bare-window"].idlePssMiB;
  // Each round's two starts met the same machine: their ratio is steadier than the medians'.
  const roundRatios = starts.app.map((run, round) => run.idlePssMiB / starts["bare-window"][round].idlePssMiB);
  const privateRatio = summary.app.idlePrivateMiB / summary["bare-window"].idlePrivateMiB;
  const dirtyRatio = summary.app.idleDirtyMiB / summary["bare-window"].idleDirtyMiB;
  const soft = summary["bare-window-software"];
  const softRatio = summary.app.idlePssMiB / soft.idlePssMiB;
  const webkit = execFileSync("dpkg-query", ["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"], { encoding: "utf8" });
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Xvfb 1280×800×24, WebKitGTK ${webkit}`;
  const report = {
    date: new Date().toISOString(),
    machine,
    runs,
    idleSeconds,
    summary,
    idleRatio: ratio,
    idleRoundRatios: roundRatios,
    idlePrivateRatio: privateRatio,
    idleDirtyRatio: dirtyRatio,
    idleRatioToSoftware: softRatio,
    largeStudy: large && { answers: prepared.answers, ...large },
    starts,
  };
  const resultsFile = resolve(resultsArg ?? join(root, "results.json"));
  writeFileSync(resultsFile, JSON.stringify(report, null, 2));
  const mark = (ok) => (ok ? "met" : "MISSED");
  say(`\nRelease benchmark, ${report.date}, ${machine}; medians of ${runs} starts each`);
  say(`| | Bare Tauri window | Bare window, painting without compositing | Batchdesk | Goal |`);
  say(`|---|---|---|---|---|`);
  say(
    `| First paint | ${fmt(summary["bare-window"].firstPaintMs)} ms | ${fmt(soft.firstPaintMs)} ms | ${fmt(summary.app.firstPaintMs)} ms | under 1 s: ${mark(summary.app.firstPaintMs < 1000)} |`,
  );
  say(
    `| PSS after ${idleSeconds} s idle (Home) | ${fmt(summary["bare-window"].idlePssMiB)} MiB | ${fmt(soft.idlePssMiB)} MiB | ${fmt(summary.app.idlePssMiB)} MiB (${fmt(ratio, 2)}×; ${fmt(softRatio, 2)}× the bare window painting as it does) | within 1.3×: ${mark(ratio <= 1.3)} |`,
  );
  if (large) say(
    `| PSS with a ${prepared.answers.toLocaleString("en")}-answer study open | | | ${fmt(large.settledPssMiB)} MiB (peak ${fmt(large.peakPssMiB)} MiB, opened in ${fmt(large.openedMs / 1000, 1)} s) | under 1.5 GB: ${mark(large.peakPssMiB * 1048576 < 1.5e9)} |`,
  );
  say(
    `Idle, each round's ratio: ${roundRatios.map((value) => fmt(value, 2)).join(", ")} (median ${fmt(median(roundRatios), 2)}); ` +
      `private memory ${fmt(summary["bare-window"].idlePrivateMiB)} vs ${fmt(summary.app.idlePrivateMiB)} MiB (${fmt(privateRatio, 2)}×); ` +
      `of it written (Private_Dirty, not shared whatever else runs) ${fmt(summary["bare-window"].idleDirtyMiB)} vs ${fmt(summary.app.idleDirtyMiB)} MiB (${fmt(dirtyRatio, 2)}×).`,
  );
  // Where each window's memory is, by process (WebKit's web and network processes apart).
  for (const { label } of windows) {
    const byName = {};
    for (const run of starts[label]) {
      for (const { name, mib, dirtyMib } of run.processes) (byName[name] ??= []).push([mib, dirtyMib]);
    }
    const parts = Object.entries(byName).map(
      ([name, values]) =>
        `${name} ${fmt(median(values.map(([mib]) => mib)))} MiB (written ${fmt(median(values.map(([, dirty]) => dirty)))})`,
    );
    say(`${label}, idle, by process (medians): ${parts.join("; ")}`);
  }
  say(`Screen captures took ${fmt(summary.app.captureMs)} ms (the first-paint figures are late by at most that).`);
  say(`Load average at the starts (median): ${summary.app.load} (on ${cpus().length} cores: above that, starts wait for a core).`);
  say(`Details: ${resultsFile}; screenshots: ${shots}`);
}

try {
  await main();
} finally {
  // The data folders go (the study's is over 100 MB); the screenshots and results stay.
  if (!process.env.BENCH_KEEP) {
    for (const entry of readdirSync(root)) {
      if (!["shots", "results.json"].includes(entry)) rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
}
