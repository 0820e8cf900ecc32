// Connecting, end to end in the real webview, with the real OS keychain (gnome-keyring in
// the test's own D-Bus session) and a standalone practice server standing in for Prolific
// through BATCHDESK_API_BASE_URL.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { before } from "node:test";
import { promisify } from "node:util";

import { application, e2eTest, fileScope } from "./harness.mjs";
import { startSession } from "./webdriver.mjs";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const practiceBinary = process.env.BATCHDESK_PRACTICE_BINARY;
assert.ok(practiceBinary, "Set BATCHDESK_PRACTICE_BINARY (.ci/test does).");
const identifier = JSON.parse(await readFile(join(root, "src-tauri/flavours/test.json"), "utf8")).identifier;

// Distinctive, so finding it anywhere it should not be is unambiguous.
const token = `e2e-secret-token-${process.pid}-${Date.now()}`;

let dataHome;
let baseUrl;
let driver;

async function keychainHasToken(account = `prolific-api-token for ${new URL(baseUrl).href}`) {
  const { stdout } = await run("secret-tool", ["search", "--all", "service", identifier, "username", account]).catch(
    (error) => ({ stdout: error.stdout ?? "" }),
  );
  return stdout.includes(identifier);
}

/** Whether the keychain holds a token for Prolific's own address. */
function keychainHasProlificToken() {
  return keychainHasToken("prolific-api-token");
}

/** Launches the app (a new process each time) with the same data folder and keychain. */
function launch() {
  return startSession(driver, application);
}

/** Every file under `folder`, each asserted not to contain the token; their paths. */
async function assertNoTokenIn(folder) {
  const searched = [];
  for (const file of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name);
    // WebKit may remove a file of its own storage between the listing and the read.
    const content = await readFile(path).catch((error) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (content === null) continue;
    assert.equal(content.includes(token), false, `the token was found in ${path}`);
    searched.push(path);
  }
  return searched;
}

/**
 * Connects with the token in a fresh app (its own data folder and driver in `scope`,
 * `env` added) and returns the refusal that mentions `expected`. `inspect(folder)` runs
 * on the data folder after the app has closed.
 */
async function refusedConnect(scope, env, expected, inspect = async () => {}) {
  const home = await scope.scratch("batchdesk-e2e-refused-");
  const { driver: isolated, app } = await scope.launch({ XDG_DATA_HOME: home, ...env });
  try {
    await app.click('[data-testid="choose-connect"]');
    await app.type('[data-testid="token-input"]', token);
    await app.click('[data-testid="connect-submit"]');
    return await app.waitForText('[data-testid="connect-error"]', expected);
  } finally {
    await app.end();
    await isolated.stop();
    await inspect(home);
  }
}

before(async () => {
  dataHome = await fileScope.scratch("batchdesk-e2e-connect-");
  const { child: prolific, exited } = fileScope.spawn(
    practiceBinary,
    [],
    { env: { ...process.env, BATCHDESK_PRACTICE_TOKEN: token }, stdio: ["ignore", "pipe", "inherit"] },
    "the standalone practice server",
  );
  // Keep reading its output for its whole life: closing the pipe would kill it (EPIPE).
  baseUrl = await new Promise((resolve, reject) => {
    createInterface({ input: prolific.stdout }).on("line", (line) => {
      if (line.startsWith("base_url=")) resolve(line.slice("base_url=".length));
    });
    exited.then(({ code }) => reject(new Error(`the practice server exited early (code ${code})`)));
  });
  assert.ok(baseUrl, "the standalone practice server printed its base URL");
  driver = await fileScope.driver({
    XDG_DATA_HOME: dataHome,
    BATCHDESK_API_BASE_URL: baseUrl,
    BATCHDESK_LOG: "trace",
    // German number formats under an English (or C) language, as a desktop's "Formats"
    // setting gives: the app formats numbers and money for the OS's formats, which Rust
    // reads (LC_ALL unset, so LC_NUMERIC decides), not for the webview's language.
    LC_ALL: "",
    LC_NUMERIC: "de_DE.UTF-8",
  });
});

e2eTest("Practice: the account page shows the practice workspace and its balance in the OS's number formats", async () => {
  const app = await launch();
  try {
    await app.click('[data-testid="choose-practice"]');
    assert.match(await app.text('[data-testid="practice-banner"]'), /Practice mode/);
    await app.click('nav[aria-label="Sections"] a[href="#/account"]');
    assert.equal(await app.value('[data-testid="account-workspace"]'), "Practice workspace");
    // The practice workspace's £1,000 in the OS's formats (LC_NUMERIC above).
    assert.match(await app.text('[data-testid="account-balance"]'), /^1\.000,00\s£$/);
    // A project created from the app becomes the project for new studies.
    await app.type('form[aria-label="Create a project"] input', "Pilot study");
    await app.click('form[aria-label="Create a project"] button[type="submit"]');
    const chosen = await app.waitForText(".mantine-Radio-body:has(input:checked) label", "Pilot study");
    assert.equal(chosen, "Pilot study");
    // Leave practice so the next test starts from the welcome screen.
    await app.click('[data-testid="sign-out"]');
    // In the page: a pointer click can land beside the button while the dialog still opens.
    await app.clickInPage('[data-testid="confirm-sign-out"]');
    await app.text('[data-testid="choose-connect"]');
  } finally {
    await app.end();
  }
});

e2eTest("Connect: a wrong token is refused plainly, the right one connects and survives a restart, sign out deletes it", async () => {
  let app = await launch();
  try {
    await app.click('[data-testid="choose-connect"]');
    // Before a token is pasted, the form names where it would go.
    assert.match(
      await app.waitForText('[data-testid="connect-unusual-address"]', new URL(baseUrl).href),
      /not Prolific's usual address/,
    );
    await app.type('[data-testid="token-input"]', "definitely-not-a-token");
    await app.click('[data-testid="connect-submit"]');
    // Read from the DOM: WebKitWebDriver's visible-text reads Mantine's alert as empty.
    const refused = await app.waitForText('[data-testid="connect-error"]', "Prolific did not accept the API token");
    assert.match(refused, /create a new one on Prolific's API tokens page/);
    assert.equal(await keychainHasToken(), false, "a refused token is never saved");

    await app.type('[data-testid="token-input"]', token);
    await app.click('[data-testid="connect-submit"]');
    await app.click('nav[aria-label="Sections"] a[href="#/account"]');
    assert.equal(await app.value('[data-testid="account-workspace"]'), "Practice workspace");
    assert.equal(await keychainHasToken(), true, "the token is in the OS keychain, under this server's address");
    assert.equal(await keychainHasProlificToken(), false, "a test server's token is never kept as Prolific's");
    // The address is not Prolific's, and the app says so.
    const named = `Connected to ${new URL(baseUrl).href} (not Prolific's usual address)`;
    assert.equal(await app.waitForText('[data-testid="unusual-address-banner"]', named), named);
    assert.equal(await app.waitForText('[data-testid="unusual-address"]', named), named);
  } finally {
    await app.end();
  }

  // A new app process: the token comes back from the keychain, not from the webview.
  app = await launch();
  try {
    await app.click('nav[aria-label="Sections"] a[href="#/account"]');
    assert.equal(await app.text('[data-testid="account-name"]'), "Practice Researcher");
    assert.equal(await app.value('[data-testid="account-workspace"]'), "Practice workspace");
    await app.click('[data-testid="sign-out"]');
    // In the page: a pointer click can land beside the button while the dialog still opens.
    await app.clickInPage('[data-testid="confirm-sign-out"]');
    await app.text('[data-testid="choose-connect"]');
    assert.equal(await keychainHasToken(), false, "sign out deleted the keychain entry");
  } finally {
    await app.end();
  }
});

e2eTest("the token is in no file of the app's data folder and in no log line", async () => {
  const searched = await assertNoTokenIn(dataHome);
  assert.ok(searched.some((path) => path.endsWith("batchdesk.sqlite3")), "the store was among the files searched");
  const output = driver.output();
  assert.ok(output.includes("TRACE") || output.includes("DEBUG"), "the app logged at trace level");
  assert.equal(output.includes(token), false, "the token appeared in the app's logs");
});

e2eTest("with no keychain to reach, connecting says so and nothing is saved anywhere else", async (scope) => {
  // The session bus points nowhere, as on a desktop without a Secret Service.
  const refused = await refusedConnect(
    scope,
    { BATCHDESK_API_BASE_URL: baseUrl, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
    "keychain",
    assertNoTokenIn,
  );
  assert.match(refused, /could not reach your system's keychain/);
  assert.match(refused, /never stores the token in a file/);
});

e2eTest("rate limiting, a failing Prolific and no network each get a plain message", async (scope) => {
  const faults = (method, body) =>
    fetch(`${baseUrl}/_practice/faults`, {
      method,
      headers: { authorization: `Token ${token}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    }).then((response) => assert.ok(response.ok, `fault route answered ${response.status}`));
  const usersMe = { route: "/api/v1/users/me/" };

  // The client retries a 429 (after Retry-After) within its budget, then says so.
  await faults("POST", { fault: { kind: "rate_limited", retry_after_seconds: 1 }, scope: usersMe });
  assert.match(await refusedConnect(scope, { BATCHDESK_API_BASE_URL: baseUrl }, "too many requests"), /try again shortly/);
  await faults("DELETE");

  await faults("POST", { fault: { kind: "server_error", status: 503 }, scope: usersMe });
  assert.match(await refusedConnect(scope, { BATCHDESK_API_BASE_URL: baseUrl }, "having trouble"), /Try again in a few minutes/);
  await faults("DELETE");

  // Nothing listens on a port we just freed.
  const closed = createServer();
  closed.listen(0, "127.0.0.1");
  await once(closed, "listening");
  const port = closed.address().port;
  closed.close();
  await once(closed, "close");
  assert.match(
    await refusedConnect(scope, { BATCHDESK_API_BASE_URL: `http://127.0.0.1:${port}` }, "could not reach Prolific"),
    /Check your internet connection/,
  );
});
