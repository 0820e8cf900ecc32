// When the data folder cannot be used, the real app shows a native dialog in plain words
// and exits with code 1 once it is dismissed: no window, no panic, no backtrace.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { pressKeys, waitForWindow } from "./desktop.mjs";
import { application, e2eTest } from "./harness.mjs";

e2eTest("an unusable data folder gets a plain native dialog, then a clean exit", async (scope) => {
  const notAFolder = join(await scope.scratch(), "data-home");
  await writeFile(notAFolder, "a file where the data folder should be");
  const { child: app, exited } = scope.spawn(
    application,
    [],
    { env: { ...process.env, XDG_DATA_HOME: notAFolder }, stdio: ["ignore", "ignore", "pipe"] },
    "the app on an unusable data folder",
  );
  let stderr = "";
  app.stderr.on("data", (chunk) => (stderr += chunk));
  const dialog = await waitForWindow("Batchdesk cannot start");
  await pressKeys(dialog, "Return");
  const { code } = await exited;
  assert.equal(code, 1);
  assert.match(stderr, /could not create its data folder/);
  assert.match(stderr, /Check that this folder exists and that you can write to it/);
  assert.doesNotMatch(stderr, /panicked/);
});
