// When the data folder cannot be used, the real app shows a native dialog in plain words
// and exits with code 1 once it is dismissed: no window, no panic, no backtrace.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { pressKeys, waitForWindow } from "./desktop.mjs";

const application = process.env.BATCHDESK_APP_BINARY;
assert.ok(application, "Set BATCHDESK_APP_BINARY to the built app (.ci/test does).");

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
    await pressKeys(dialog, "Return");
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
