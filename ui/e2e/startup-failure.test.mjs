// When the data folder cannot be used, the real app shows a native dialog in plain words
// and exits with code 1 once it is dismissed: no window, no panic, no backtrace.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const application = process.env.BATCHDESK_APP_BINARY;
assert.ok(application, "Set BATCHDESK_APP_BINARY to the built app (.ci/test does).");

/** Asks the X server for a window with this exact title until it exists. */
async function waitForWindow(title) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { stdout } = await run("xdotool", ["search", "--name", `^${title}$`]).catch(() => ({ stdout: "" }));
    const id = stdout.trim().split("\n")[0];
    if (id) {
      return id;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no window titled "${title}" appeared within 30 s`);
}

test("an unusable data folder gets a plain native dialog, then a clean exit", async () => {
  const scratch = await mkdtemp(join(tmpdir(), "batchdesk-e2e-broken-"));
  const notAFolder = join(scratch, "data-home");
  await writeFile(notAFolder, "a file where the data folder should be");
  const app = spawn(application, [], {
    env: { ...process.env, XDG_DATA_HOME: notAFolder },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  app.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = once(app, "exit");
  try {
    const dialog = await waitForWindow("Batchdesk cannot start");
    // Xvfb runs no window manager, so focus is set directly rather than "activated".
    await run("xdotool", ["windowfocus", "--sync", dialog, "key", "--clearmodifiers", "Return"]);
    const [code] = await exited;
    assert.equal(code, 1);
    assert.match(stderr, /could not create its data folder/);
    assert.match(stderr, /Check that this folder exists and that you can write to it/);
    assert.doesNotMatch(stderr, /panicked/);
  } finally {
    app.kill();
    await rm(scratch, { recursive: true, force: true });
  }
});
