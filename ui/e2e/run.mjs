// Runs the e2e suite so that it always ends, and ends soon after a failure:
// - the test files run one at a time, each in its own process (node:test's `run`), and
//   the first file with a failure is the last one run;
// - the whole suite has a time limit (BATCHDESK_E2E_LIMIT_S, default 900 s): past it the
//   running file is stopped, and the test it was in is named;
// - every process group a test started is listed by `processes.mjs` in this run's folder:
//   anything still running at the end is killed and reported, and fails the run;
// - the tests' scratch folders are made inside this run's folder (TMPDIR), removed at the end.
// Usage: node ui/e2e/run.mjs [FILE.test.mjs ...]   (default: every *.test.mjs here)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { Transform } from "node:stream";

import { groupAlive } from "./processes.mjs";

const here = import.meta.dirname;
const files = (process.argv.length > 2 ? process.argv.slice(2) : readdirSync(here).filter((name) => name.endsWith(".test.mjs")).sort())
  .map((file) => resolve(here, basename(file) === file ? file : resolve(file)));
const limitSeconds = Number(process.env.BATCHDESK_E2E_LIMIT_S ?? 900);

const runDir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "batchdesk-e2e-run-"));
const scratch = join(runDir, "tmp");
mkdirSync(scratch);
process.env.BATCHDESK_E2E_RUN_DIR = runDir;
process.env.TMPDIR = scratch;

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const stopper = new AbortController();
let outOfTime = false;

function running() {
  try {
    return readFileSync(join(runDir, "running"), "utf8");
  } catch {
    return "(no test had started)";
  }
}

/** Kills every process group a test left listed; answers what was still running. */
function killLeftovers() {
  let listed;
  try {
    listed = readdirSync(join(runDir, "groups"));
  } catch {
    return []; // No test started a process.
  }
  const left = [];
  for (const pid of listed) {
    const label = readFileSync(join(runDir, "groups", pid), "utf8");
    if (groupAlive(Number(pid))) {
      left.push(`${label} (process group ${pid})`);
      try {
        process.kill(-Number(pid), "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return left;
}

function finish(code) {
  const left = killLeftovers();
  for (const line of left) console.log(`✖ left running after the tests, now killed: ${line}`);
  rmSync(runDir, { recursive: true, force: true });
  console.log(`\ne2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exit(left.length > 0 ? 1 : code);
}

// Stopped from outside (CI's own time limit, Ctrl-C): say where, clean up, end.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    console.log(`\n✖ e2e suite stopped by ${signal} while running: ${running()}`);
    stopper.abort();
    finish(1);
  });
}

const deadline = setTimeout(() => {
  outOfTime = true;
  console.log(`\n✖ e2e suite passed its limit of ${limitSeconds} s while running: ${running()}`);
  stopper.abort();
  // The running file is told to stop (its processes are killed on its way out); if it
  // has not ended after 15 s, everything it listed is killed from here.
  setTimeout(() => finish(1), 15_000).unref();
}, limitSeconds * 1000);

/** Counts one file's results and passes its events on to the spec reporter. */
function tallying(file) {
  return new Transform({
    objectMode: true,
    transform(event, _, done) {
      const { type, data } = event;
      if (type === "test:pass" && data.details?.type !== "suite") {
        if (data.skip) counts.skipped += 1;
        else counts.passed += 1;
      } else if (type === "test:fail" && data.details?.type !== "suite") {
        counts.failed += 1;
        failures.push(`${basename(file)} › ${data.name}`);
      }
      // spec would print each file's own totals after it: the suite's come at the end.
      if (type === "test:diagnostic" && data.nesting === 0) return done();
      done(null, event);
    },
  });
}

for (const file of files) {
  if (stopper.signal.aborted) break;
  const stream = run({ files: [file], concurrency: 1, forceExit: true, signal: stopper.signal });
  for await (const text of stream.pipe(tallying(file)).pipe(new spec())) process.stdout.write(text);
  if (failures.length > 0) {
    const rest = files.slice(files.indexOf(file) + 1).map((name) => basename(name));
    if (rest.length > 0) console.log(`\nNot run, after the first failure: ${rest.join(", ")}`);
    break;
  }
}
clearTimeout(deadline);
if (failures.length > 0) console.log(`\nFailed: ${failures.join("; ")}`);
finish(failures.length > 0 || outOfTime ? 1 : 0);
