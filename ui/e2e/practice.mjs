// What the tests that drive the whole wizard share: a free port and a known token for
// the in-app practice server (so the test talks to the same server as the app), a
// client for it, and steps 1 and 2 done in the app.
import assert from "node:assert/strict";
import { createServer } from "node:net";

/** A free loopback port for the in-app practice server. */
export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

/**
 * Calls the practice server the app runs, as the test's own client. `api.all(path)`
 * reads every page of a list (the server pages by number, a few to a page).
 */
export function practice(port, token) {
  const api = async (method, path, body) => {
    const answer = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { Authorization: `Token ${token}`, "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(answer.ok, `${method} ${path}: ${answer.status} ${await answer.clone().text()}`);
    return answer.json();
  };
  api.all = async (path) => {
    const results = [];
    for (let page = 1; page <= 1000; page += 1) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}${path.includes("?") ? "&" : "?"}page=${page}`, {
        headers: { Authorization: `Token ${token}` },
      });
      // Past the last page: "Invalid page."
      if (answer.status === 404) return results;
      assert.ok(answer.ok, `GET ${path} page ${page}: ${answer.status}`);
      const { results: items, meta } = await answer.json();
      results.push(...items);
      if (items.length === 0 || (meta?.count !== undefined && results.length >= meta.count)) return results;
    }
    throw new Error(`${path} did not end within 1000 pages`);
  };
  return api;
}

/**
 * Steps 1 and 2 in the app: practice mode chosen, the sample reviews (24 rows) uploaded, a
 * sentiment task set up in sittings of 4 (6 assignments); ends on step 3 with a price.
 * `questions` (`{ [type]: description }`, the design's question types: `freeText`…) are added after the
 * template's own, each with the wizard's defaults.
 */
export async function dataAndTask(app, questions = {}) {
  await app.click('[data-testid="choose-practice"]');
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  // The sample built into the app (the dialog itself is driven in data.test.mjs).
  await app.click('[data-testid="sample-reviews"]');
  await app.waitForText('[data-testid="file-name"]', "reviews.csv");
  // Continue uploads the file and, once the server has read it, opens the task.
  await continueWhenEnabled(app, "continue-to-task");
  await app.click('[data-testid="template-sentiment"]');
  for (const [type, description] of Object.entries(questions)) {
    await app.clickInPage('[data-testid="add-question"]');
    await app.clickInPage(`[data-testid="add-${type}"]`);
    await app.typeInto('[data-testid="question-description"]', -1, description);
  }
  await app.type('[data-testid="tasks-per-group"]', "4");
  await app.waitForText('[data-testid="assignment-count"]', "make 6 assignments");
  // Continue sets the batch up and, once it is ready, opens step 3.
  await continueWhenEnabled(app, "continue-to-study");
  await app.waitForText('[data-testid="cost-total"]', "£");
  await app.click('[data-testid="back-to-task"]');
  await app.waitForText('[data-testid="setup-totals"]', "24 tasks in 6 assignments");
  await app.click('[data-testid="continue-to-study"]');
  await app.waitForText('[data-testid="cost-total"]', "£");
}

/**
 * Clicks a step's Continue (by its test id) once it is enabled: it is off, with its
 * reason beside it, while what it needs is still settling (a check, a save).
 */
export async function continueWhenEnabled(app, testId) {
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="${testId}"]'); return b && !b.disabled; })()`);
  await app.click(`[data-testid="${testId}"]`);
}

/**
 * Publishing the whole study at once: step 3's pilot, on by default, is turned off (its
 * own tests are in pilot.test.mjs). Does nothing when it is off already.
 */
export async function withoutPilot(app) {
  await app.waitUntil(`document.querySelector('[data-testid="pilot-switch"]')`);
  const on = await app.execute(`return document.querySelector('[data-testid="pilot-switch"]').checked;`);
  if (on) await app.clickInPage('[data-testid="pilot-switch"]');
  await app.waitUntil(`document.querySelector('[data-testid="pilot-off"]')`);
}

/**
 * With BATCHDESK_E2E_SHOTS set to a folder, saves what the window shows there as
 * `name`.png, with `css` scrolled to the top (to look at a screen a test reaches).
 */
export async function shot(app, name, css) {
  const folder = process.env.BATCHDESK_E2E_SHOTS;
  if (!folder) return;
  if (css) await app.execute(`document.querySelector(${JSON.stringify(css)})?.scrollIntoView({ block: "start" });`);
  await app.screenshot(`${folder}/${name}.png`);
}
