// How every e2e test is written, so that none can hang the suite or leave anything
// running:
// - `e2eTest(name, fn)` gives the test a `Scope`: whatever it starts through it (the app,
//   a process, a scratch folder) is stopped or removed when the test ends, whether it
//   passed, failed or ran out of time;
// - each test has a time limit (`{ timeout }` in seconds); past it the test fails, naming
//   itself, and its scope is stopped, which also ends any WebDriver call still waiting;
// - `fileScope` holds what a file's `before` hooks start, stopped after the file's tests;
// - after a failure the file's remaining tests are not run (they build on each other's
//   app), and the suite runner (`run.mjs`) runs no further files.
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";

import { spawnTracked } from "./processes.mjs";
import { startDriver, startSession } from "./webdriver.mjs";

/** The built app under test. */
export const application = process.env.BATCHDESK_APP_BINARY;
if (!application) throw new Error("Set BATCHDESK_APP_BINARY to the built app (.ci/test does).");

const testFile = basename(process.argv[1] ?? "");
const runDir = process.env.BATCHDESK_E2E_RUN_DIR;

/** What a test (or a file's hooks) has started, stopped in reverse order by `stop()`. */
export class Scope {
  #stops = [];
  #drivers = [];

  /** The last lines the apps of this scope logged, to explain a failure. */
  logTails(lines = 40) {
    return this.#drivers.map((driver) => driver.output().split("\n").slice(-lines).join("\n"));
  }

  /** Registers `stop` to run when the scope ends. */
  defer(stop) {
    this.#stops.push(stop);
  }

  /** tauri-driver with `env` added to the app's environment. */
  async driver(env) {
    const driver = await startDriver(env);
    this.#drivers.push(driver);
    this.defer(() => driver.stop());
    return driver;
  }

  /** A new driver and the app started through it, with command-line `args` if any. */
  async launch(env, args = []) {
    const driver = await this.driver(env);
    const app = await startSession(driver, application, args);
    return { driver, app };
  }

  /** A process in a group of its own (see `spawnTracked`). */
  spawn(command, args, options, label) {
    const handle = spawnTracked(command, args, options, label);
    this.defer(handle.stop);
    return handle;
  }

  /** A new empty folder, removed with everything in it when the scope ends. */
  async scratch(prefix = "batchdesk-e2e-") {
    const folder = await mkdtemp(join(tmpdir(), prefix));
    this.defer(() => rm(folder, { recursive: true, force: true }));
    return folder;
  }

  async stop() {
    const problems = [];
    while (this.#stops.length > 0) {
      const stop = this.#stops.pop();
      try {
        await stop();
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw new AggregateError(problems, "stopping what the test started failed");
  }
}

/** What this file's `before` hooks start; stopped once its tests are done. */
export const fileScope = new Scope();
after(() => fileScope.stop());

let failedEarlier = null;

/** Tells the suite runner which test is running, so a time-out can name it. */
function markRunning(name) {
  if (runDir) writeFileSync(join(runDir, "running"), `${testFile} › ${name}`);
}

/**
 * A test with its own `Scope` (passed to `fn`) and a time limit in seconds (default 150:
 * a few times what the slowest test takes on a busy machine).
 */
export function e2eTest(name, options, fn) {
  if (typeof options === "function") [options, fn] = [{}, options];
  const { timeout = 150 } = options;
  test(name, async (t) => {
    if (failedEarlier) {
      t.skip(`not run: "${failedEarlier}" failed before it in this file`);
      return;
    }
    markRunning(name);
    const scope = new Scope();
    let timer;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`"${name}" did not finish within its limit of ${timeout} s`)),
        timeout * 1000,
      );
    });
    try {
      await Promise.race([fn(scope, t), expired]);
    } catch (error) {
      failedEarlier = name;
      // What the app said last, so a failure on a busy CI machine can be understood.
      for (const tail of [...scope.logTails(), ...fileScope.logTails()]) {
        if (tail.trim()) process.stderr.write(`\n--- the app's last log lines (${name}) ---\n${tail}\n`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      await scope.stop();
    }
  });
}
