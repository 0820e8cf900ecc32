// End-to-end: the built app in its real webview (WebKitWebDriver through tauri-driver),
// with its own empty data folder. Run by .ci/test under Xvfb and a D-Bus session.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";

import { startDriver, startSession } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const application = process.env.BATCHDESK_APP_BINARY;
assert.ok(application, "Set BATCHDESK_APP_BINARY to the built app (.ci/test does).");

const cargoToml = await readFile(join(root, "Cargo.toml"), "utf8");
const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargoToml)?.[1];
const testIdentifier = JSON.parse(await readFile(join(root, "src-tauri/flavours/test.json"), "utf8")).identifier;

let dataHome;
let driver;
let app;

before(async () => {
  dataHome = await mkdtemp(join(tmpdir(), "batchdesk-e2e-"));
  driver = await startDriver({ XDG_DATA_HOME: dataHome });
  app = await startSession(driver, application);
  // A fresh data folder starts on the welcome screen: practise to reach Home.
  await app.click('[data-testid="choose-practice"]');
});

after(async () => {
  await app?.end();
  await driver?.stop();
  await rm(dataHome, { recursive: true, force: true });
});

test("Home shows what the Rust app_info command returned", async () => {
  assert.equal(await app.text('[data-testid="app-version"]'), `Batchdesk ${version}`);
  // WebKitWebDriver's visible-text heuristic reads Mantine's badge (an inline grid) as
  // empty, so the badge is read from the DOM rather than as rendered text.
  assert.equal(await app.waitForText('[data-testid="app-flavour"]', "build"), "test build");
  assert.equal(await app.text('[data-testid="app-data-dir"]'), join(dataHome, testIdentifier));
});

test("the navigation reaches Batches", async () => {
  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  const heading = await app.waitForText("main h2", "Batches");
  assert.equal(heading, "Batches");
});
