// End-to-end: the built app in its real webview (WebKitWebDriver through tauri-driver),
// with its own empty data folder. Run by .ci/test under Xvfb and a D-Bus session.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { before } from "node:test";

import { e2eTest, fileScope } from "./harness.mjs";

const root = resolve(import.meta.dirname, "../..");
const cargoToml = await readFile(join(root, "Cargo.toml"), "utf8");
const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargoToml)?.[1];
const testIdentifier = JSON.parse(await readFile(join(root, "src-tauri/flavours/test.json"), "utf8")).identifier;

let dataHome;
let driver;
let app;

before(async () => {
  dataHome = await fileScope.scratch();
  ({ driver, app } = await fileScope.launch({ XDG_DATA_HOME: dataHome }));
  // A fresh data folder starts on the welcome screen: practise to reach Home.
  await app.click('[data-testid="choose-practice"]');
});

e2eTest("the Account page shows what the Rust app_info command returned", async () => {
  await app.click('nav[aria-label="Sections"] a[href="#/account"]');
  assert.equal(await app.waitForText('[data-testid="app-version"]', "Batchdesk"), `Batchdesk ${version}`);
  // WebKitWebDriver's visible-text heuristic reads Mantine's badge (an inline grid) as
  // empty, so the badge is read from the DOM rather than as rendered text.
  assert.equal(await app.waitForText('[data-testid="app-flavour"]', "build"), "test build");
  assert.equal(await app.text('[data-testid="app-data-dir"]'), join(dataHome, testIdentifier));
});

e2eTest("the test build's practice server is strict: it checks every request against the spec", async () => {
  // Every wizard test then fails on a request the real API would refuse.
  await app.waitForText("body", "Practice mode");
  assert.match(driver.output(), /practice server in strict mode/);
});

e2eTest("the navigation reaches Batches", async () => {
  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  const heading = await app.waitForText("main h2", "Batches");
  assert.equal(heading, "Batches");
});
