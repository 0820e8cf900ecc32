// The app's place on the desktop, in the real app: a data file given on the command line
// (what "Open with" does on Linux and Windows) opens New batch's data step with it; a
// second start given another file hands it to the first app, which shows it, and ends;
// the window comes back at the size and place it was left; the Account page has the
// update settings (off in the test build), the logs folder and the diagnostics.
//
// macOS's open-file event cannot be raised here: it goes through the same
// `opened::offer` as a second start (src-tauri/src/opened.rs), and the files' rules are
// tested in crates/engine/src/opened_files.rs.
import assert from "node:assert/strict";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { before } from "node:test";

import { application, e2eTest, fileScope } from "./harness.mjs";
import { shot } from "./practice.mjs";

const root = resolve(import.meta.dirname, "../..");
const identifier = JSON.parse(await readFile(join(root, "src-tauri/flavours/test.json"), "utf8")).identifier;

let scratch;
let dataHome;
let app;

before(async () => {
  scratch = await fileScope.scratch("batchdesk-e2e-os-");
  dataHome = join(scratch, "data-home");
  const first = join(scratch, "first reviews.csv");
  await copyFile(resolve(root, "crates/engine/samples/reviews.csv"), first);
  // Started as "Open with" starts it: the file's path is the only argument.
  ({ app } = await fileScope.launch({ XDG_DATA_HOME: dataHome }, [first]));
});

e2eTest("a file given at start opens New batch's data step with it, once connected", async () => {
  // A fresh data folder starts on the welcome screen; the file waits until then.
  await app.click('[data-testid="choose-practice"]');
  assert.equal(await app.waitForText('[data-testid="file-name"]', "first reviews.csv"), "first reviews.csv");
  assert.match(await app.execute("return location.hash;"), /^#\/new/);
  await app.waitForText('[data-testid="row-count"]', "rows");
  await shot(app, "os-opened-at-start");
});

e2eTest("a second start given another file hands it to the first app and ends", async (scope) => {
  const second = join(scratch, "second.tsv");
  await writeFile(second, "id\ttext\n1\tGood value\n2\tBroke after a week\n3\tFine\n");
  const started = scope.spawn(
    application,
    [second],
    { env: { ...process.env, XDG_DATA_HOME: dataHome }, stdio: ["ignore", "pipe", "pipe"] },
    "a second Batchdesk",
  );
  let output = "";
  for (const stream of [started.child.stdout, started.child.stderr]) stream.on("data", (chunk) => (output += chunk));
  const { code } = await started.exited;
  assert.equal(code, 0, `the second start ends at once, handing its file over:\n${output}`);
  assert.equal(await app.waitForText('[data-testid="file-name"]', "second.tsv"), "second.tsv");
  await app.waitForText('[data-testid="row-count"]', "3 rows");
  // Read by the CSV doctor like any file: tabs are named, with the fix offered.
  assert.match(await app.waitForText('[data-testid="findings"]', "tabs"), /separated by tabs/);
  await shot(app, "os-opened-by-second-start");
});

e2eTest("the Account page: updates off in a test build, the logs folder, diagnostics without secrets", async () => {
  await app.click('nav[aria-label="Sections"] a[href="#/account"]');
  assert.match(await app.waitForText('[data-testid="updates-off"]', "does not update itself"), /does not update itself/);
  await app.click('[data-testid="copy-diagnostics"]');
  const text = await app.waitForText('[data-testid="diagnostics-text"]', "Mode:");
  assert.match(text, /Batchdesk \d+\.\d+\.\d+ \(test build\)/);
  assert.match(text, /Mode: practice/);
  assert.doesNotMatch(text, /first reviews|second\.tsv|data-home/, "no file or folder names");
  await shot(app, "os-account-settings", '[aria-label="Batchdesk on this computer"]');
  // The log file is written in the data folder, and names what was opened.
  const logs = join(dataHome, identifier, "logs");
  const files = (await readdir(logs)).filter((name) => name.startsWith("batchdesk.") && name.endsWith(".log"));
  assert.equal(files.length, 1, `${files}`);
  const log = await readFile(join(logs, files[0]), "utf8");
  assert.match(log, /a data file was opened with Batchdesk/);
});

e2eTest("the window comes back at the size and place it was left", async (scope) => {
  await app.resize(1000, 700);
  const left = await app.rect();
  // Written once the window holds still (not only at a normal quit): wait for the
  // file to stop naming the width the window opened at (tauri.conf.json's 1180).
  const file = join(dataHome, identifier, "window-state.json");
  const resized = (saved) => saved?.main?.width > 0 && saved.main.width < 1100;
  let saved = null;
  for (let waited = 0; !resized(saved) && waited < 20_000; waited += 100) {
    saved = JSON.parse(await readFile(file, "utf8").catch(() => "null"));
    if (!resized(saved)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(resized(saved), `the window's new size is kept in the data folder: ${JSON.stringify(saved)}`);
  await app.end();
  const { app: again } = await scope.launch({ XDG_DATA_HOME: dataHome });
  await again.waitForText("main h2", "");
  const back = await again.rect();
  assert.deepEqual(
    { x: back.x, y: back.y, width: back.width, height: back.height },
    { x: left.x, y: left.y, width: left.width, height: left.height },
    `left at ${JSON.stringify(left)}, back at ${JSON.stringify(back)}`,
  );
});
