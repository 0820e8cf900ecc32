// Issue 21: every screen of the app, in the real webview, checked by axe-core (no serious
// or critical violation: names, roles, contrast, structure) and for the keyboard (every
// control the screen shows is in the tab order). One walk through a practice batch from
// the first start to its reviewed results, stopping at each screen and open dialog.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { assertAccessible, assertReachable } from "./axe.mjs";
import { dataAndTask, freePort, practice, withoutPilot } from "./practice.mjs";

const token = "e2e-accessibility-token";

/** What each screen got wrong, reported together at the end (one run shows them all). */
const problems = [];

async function check(app, screen, css) {
  for (const assertion of [() => assertAccessible(app, screen, css), () => assertReachable(app, screen)]) {
    try {
      await assertion();
    } catch (error) {
      if (!(error instanceof assert.AssertionError)) throw error;
      problems.push(error.message);
    }
  }
}

e2eTest("every screen passes axe-core and every control is reachable by keyboard", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-a11y-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "100",
  });

  await app.waitUntil(`document.querySelector('[data-testid="choose-practice"]')`);
  await check(app, "the welcome screen");
  await app.click('[data-testid="choose-connect"]');
  await app.waitUntil(`document.querySelector('[data-testid="token-input"]')`);
  await check(app, "connecting an account");
  await app.execute(`[...document.querySelectorAll("button")].find((b) => b.textContent === "Back").click();`);

  // Steps 1 and 2 (checked on the way back from step 3, when both have content).
  await dataAndTask(app);
  // Some careless people, so that the scorecard has doubts to show.
  await api("PATCH", "/_practice/workspace", { crowd_mix: { average: 60, fast_clicker: 20, bot: 20 } });
  await check(app, "step 3: audience and price");
  await app.click('[data-testid="back-to-task"]');
  await app.waitForText('[data-testid="setup-totals"]', "24 tasks");
  await check(app, "step 2: the task");
  await app.click('[data-testid="back-to-data"]');
  await app.waitUntil(`document.querySelector('[data-testid="file-name"]')`);
  await check(app, "step 1: the data");
  await app.execute(`document.querySelector('[data-testid="continue-to-task"]').click();`);
  await app.waitUntil(`document.querySelector('[data-testid="continue-to-study"]')`);
  await app.click('[data-testid="continue-to-study"]');
  await app.waitForText('[data-testid="cost-total"]', "£");

  await app.type('[data-testid="people-per-item"]', "2");
  await withoutPilot(app);
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled; })()`);
  await app.click('[data-testid="publish"]');
  await app.waitForText('[data-testid="confirm-summary"]', "places");
  await check(app, "the publish confirmation");
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitUntil(`document.querySelector('[data-testid="study-phase"]')`, 60);
  await check(app, "a study while it runs");

  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);
  await app.waitUntil(`document.querySelector('[data-testid="scorecard-table"]')`, 60);
  await check(app, "a study's results and scorecard");
  await app.clickInPage('[data-testid="methods-write"]');
  await app.waitForText('[data-testid="methods-paragraph"]', "Krippendorff", 60);
  await app.clickInPage('[data-testid="choose-everyone"]');
  await app.waitUntil(`document.querySelector('[data-testid="review-chosen"]')`);
  await check(app, "results with people chosen and the methods paragraph");
  await app.clickInPage('[data-testid="review-chosen-return"]');
  await app.waitUntil(`document.querySelector('[data-testid="review-chosen-send-return"]')`);
  await check(app, "asking the chosen to return");
  await app.execute(`[...document.querySelectorAll('[data-testid="review-chosen-dialog"] button')].find((b) => b.textContent === "Not yet").click();`);
  await app.waitUntil(`!document.querySelector('[data-testid="review-chosen-send-return"]')`);

  await app.clickInPage(`[data-testid="scorecard-row"] [data-testid="review-reject"]`);
  await app.waitUntil(`document.querySelector('[data-testid="reject-message"]')`);
  await check(app, "rejecting one participant");
  await app.execute(`[...document.querySelectorAll("button")].find((b) => b.textContent === "Not yet").click();`);
  await app.waitUntil(`!document.querySelector('[data-testid="reject-message"]')`);

  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  await app.waitUntil(`location.hash === "#/batches"`);
  await check(app, "the batches list");
  await app.click('nav[aria-label="Sections"] a[href="#/account"]');
  await app.waitUntil(`document.querySelector('[data-testid="sign-out"]')`);
  await check(app, "the account page");
  await app.click('nav[aria-label="Sections"] a[href="#/"]');
  await app.waitUntil(`location.hash === "#/"`);
  await check(app, "home, with a study");
  await app.execute(`location.hash = "#/nowhere";`);
  await app.waitUntil(`location.hash === "#/nowhere"`);
  await check(app, "a page that does not exist");
  assert.deepEqual(problems, []);
});
