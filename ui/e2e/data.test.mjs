// The first wizard step in the real app: choose a file through the native GTK file
// chooser (driven with xdotool, as a person would type a path), see what the CSV doctor
// found, fix a copy, check the original is untouched, upload to the practice server
// until it is READY; stop a long read; come back after a restart.
//
// Dropping a file is not driven here: Tauri's drop event comes from a native GTK drag,
// which needs a second X client as the drag source (xdotool can move the pointer but
// cannot offer data), and the page cannot fake the event (the capability grants no
// `emit`). Rust takes the drop from the window's native event and hands the page a
// handle (src-tauri/src/drops.rs, tested there); the page's side is tested in
// ui/src/wizard/DataStep.test.tsx: the handle goes to the same `inspect_data_file`
// command as the dialog's. The page names files by handle only: a path it sends is
// refused (tested below), and an edited file goes up again as a new dataset.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { copyFile, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { before } from "node:test";
import { promisify } from "node:util";

import { answerFileDialog } from "./desktop.mjs";
import { application, e2eTest, fileScope } from "./harness.mjs";
import { continueWhenEnabled } from "./practice.mjs";
import { startSession } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const identifier = JSON.parse(await readFile(join(root, "src-tauri/flavours/test.json"), "utf8")).identifier;

let scratch;
let driver;
let app;

/**
 * Continue on step 1 uploads the file and opens the task once the server has read it;
 * the upload's result is then read on step 1, one click back.
 */
async function uploadAndComeBack() {
  await continueWhenEnabled(app, "continue-to-task");
  await app.click('[data-testid="back-to-data"]');
}

before(async () => {
  scratch = await fileScope.scratch("batchdesk-e2e-data-");
  ({ driver, app } = await fileScope.launch({ XDG_DATA_HOME: join(scratch, "data-home") }));
  await app.click('[data-testid="choose-practice"]');
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
});

e2eTest("a semicolon file from Excel is chosen, explained, fixed into a copy, original untouched", async () => {
  // A copy of a real Excel export (semicolons, byte order mark) in a folder of our own.
  const original = join(scratch, "reviews-excel-semicolon-bom.csv");
  await copyFile(resolve(root, "crates/engine/samples/reviews-excel-semicolon-bom.csv"), original);
  const before = await readFile(original);

  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", original);

  assert.equal(await app.text('[data-testid="file-name"]'), "reviews-excel-semicolon-bom.csv");
  const findings = await app.waitForText('[data-testid="findings"]', "semicolon");
  assert.match(findings, /semicolon/i);

  await app.click('[data-testid="fix-file"]');
  const notice = await app.waitForText('[data-testid="fixed-notice"]', "original file was not changed");
  assert.match(notice, /new UTF-8, comma-separated file/);
  assert.equal(await app.text('[data-testid="file-name"]'), "reviews-excel-semicolon-bom (fixed).csv");

  assert.deepEqual(await readFile(original), before, "the researcher's file is byte for byte the same");
  const copy = join(scratch, "data-home", identifier, "fixed", "reviews-excel-semicolon-bom (fixed).csv");
  assert.ok((await stat(copy)).size > 0, "the fixed copy is in the app's own folder");
  const text = await readFile(copy, "utf8");
  assert.equal(text.charCodeAt(0) === 0xfeff, false, "no byte order mark");
  assert.match(text.split("\n")[0], /,/);

  // The fixed copy goes to the (practice) server and is followed until it has been read.
  await uploadAndComeBack();
  const ready = await app.waitForText('[data-testid="upload-ready"]', "has read");
  assert.match(ready, /has read 24 rows/);
});

e2eTest("Excel's Unicode text is chosen, its encoding explained, fixed, and uploaded until READY", async () => {
  const original = join(scratch, "reviews-excel-unicode-text.txt");
  await copyFile(resolve(root, "crates/engine/samples/reviews-excel-unicode-text.txt"), original);
  const before = await readFile(original);

  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", original);

  await app.waitForText('[data-testid="file-name"]', "reviews-excel-unicode-text.txt");
  const encoding = await app.waitForText('[data-code="notUtf8"]', "Unicode Text");
  assert.match(encoding, /UTF-16/);
  await app.waitForText('[data-code="notCommaSeparated"]', "tabs");

  await app.click('[data-testid="fix-file"]');
  await app.waitForText('[data-testid="fixed-notice"]', "original file was not changed");
  assert.equal(
    await app.waitForText('[data-testid="file-name"]', "(fixed)"),
    "reviews-excel-unicode-text (fixed).csv",
  );
  assert.match(await app.waitForText('[data-testid="no-findings"]', "No problems"), /Prolific will read this file as it is/);
  assert.deepEqual(await readFile(original), before, "the researcher's file is byte for byte the same");
  const copy = await readFile(join(scratch, "data-home", identifier, "fixed", "reviews-excel-unicode-text (fixed).csv"), "utf8");
  assert.match(copy.split("\n")[0], /^id,review_text,product_name,rating$/);
  assert.match(copy, /Café-quality frothing — worth every €/);

  await uploadAndComeBack();
  const ready = await app.waitForText('[data-testid="upload-ready"]', "has read");
  assert.match(ready, /has read 24 rows/);
});

e2eTest("a long read can be stopped, and the file already checked stays", async (scope) => {
  // A slow source (a named pipe fed a megabyte every 20 ms, like a file on a slow network
  // drive): the read lasts until it is stopped, however fast the doctor is, so Cancel is
  // pressed while the progress bar is up (the test waits for the bar, not for a time).
  const big = join(scratch, "big.csv");
  await promisify(execFile)("mkfifo", [big]);
  const block = Array.from({ length: 20_000 }, (_, row) => `${row},"A long review, number ${row}, of a product"\n`).join("");
  let feeding = true;
  // The feeding stops with the test, whatever happens.
  scope.defer(() => (feeding = false));
  const fed = (async () => {
    const out = createWriteStream(big);
    // The app closes its end when the read is stopped: writing then fails, as it should.
    out.on("error", () => undefined);
    out.write("id,text\n");
    while (feeding && !out.destroyed) {
      if (!out.write(block)) await new Promise((go) => out.once("drain", go).once("close", go));
      await new Promise((go) => setTimeout(go, 20));
    }
    out.destroy();
  })();

  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", big);
  await app.waitForText('[data-testid="reading-progress"]', "Reading big.csv");
  await app.click('[data-testid="cancel-reading"]');
  const stopped = await app.waitForText('[data-testid="reading-cancelled"]', "Stopped reading");
  assert.equal(
    stopped,
    "Stopped reading big.csv. Nothing was changed: reviews-excel-unicode-text (fixed).csv is still the file for this batch.",
  );
  assert.equal(await app.text('[data-testid="file-name"]'), "reviews-excel-unicode-text (fixed).csv");
  feeding = false;
  await fed;
});

e2eTest("after a restart the same file is back, checked again, and its dataset kept", async () => {
  await app.end();
  app = await startSession(driver, application);
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  // The data is uploaded, so New batch opens on the task; step 1 is one click back.
  await app.click('[data-testid="back-to-data"]');
  // The last file read to the end: the cancelled read above changed nothing.
  assert.equal(
    await app.waitForText('[data-testid="file-name"]', "(fixed)"),
    "reviews-excel-unicode-text (fixed).csv",
  );
  // The practice server kept its work, so the dataset is still there, read.
  // Read from the DOM: WebKitWebDriver's visible-text reads Mantine's alert text as empty.
  assert.match(await app.waitForText('[data-testid="upload-ready"]', "has read"), /has read 24 rows/);
});

e2eTest("the page cannot name a file by its path: Rust refuses anything but its own handles", async () => {
  const secret = join(scratch, "secret.csv");
  await writeFile(secret, "id,text\n1,private\n");
  // What an injected script could try: the command itself, with a path.
  const answer = await app.execute(
    `return window.__TAURI_INTERNALS__.invoke("choose_data", { source: arguments[0], working: arguments[0] })
       .then(() => "accepted", (error) => (error && error.code) || String(error));`,
    [secret],
  );
  assert.equal(answer, "unknownFile");
  // The step still has the file it had.
  assert.equal(await app.text('[data-testid="file-name"]'), "reviews-excel-unicode-text (fixed).csv");
});

e2eTest("a file edited in place after its upload is said to have changed and goes up again", async () => {
  const rows = (word, count) =>
    `id,review_text\n${Array.from({ length: count }, (_, row) => `${row + 1},"${word} review ${row + 1}"`).join("\n")}\n`;
  const file = join(scratch, "edited.csv");
  await writeFile(file, rows("first", 5));
  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", file);
  await app.waitForText('[data-testid="file-name"]', "edited.csv");
  await uploadAndComeBack();
  assert.match(await app.waitForText('[data-testid="upload-ready"]', "has read"), /has read 5 rows/);

  // Edited in Excel and saved over the same file, then brought again.
  await writeFile(file, rows("second", 7));
  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", file);
  const changed = await app.waitForText('[data-testid="file-changed"]', "changed since it was uploaded");
  assert.match(changed, /uploaded again as a new dataset/);
  await uploadAndComeBack();
  assert.match(await app.waitForText('[data-testid="upload-ready"]', "has read"), /has read 7 rows/);
});
