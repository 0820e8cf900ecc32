// Issue 18 in the real window: known answers and attention checks mixed into every
// assignment in the task step. The sample's hidden column of right answers is offered
// at once, three checks go into every assignment, and the task step says what that does
// to the work. The batch is set up on a copy carrying them; the results leave the checks
// out of the table, count the known answers without being asked, and someone who failed
// two or more checks gets a drafted rejection for failed attention checks, which is sent.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { continueWhenEnabled, freePort, practice, shot, withoutPilot } from "./practice.mjs";

const token = "e2e-checks-token";

e2eTest("known answers and checks go into every assignment; who failed two checks is rejected on them", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-checks-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "150",
  });
  await app.click('[data-testid="choose-practice"]');
  // Half the people click through without reading.
  await api("PATCH", "/_practice/workspace", { crowd_mix: { average: 50, fast_clicker: 25, bot: 25 } });

  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.click('[data-testid="sample-reviews-known"]');
  await app.waitForText('[data-testid="file-name"]', "reviews-known-answers.csv");
  await continueWhenEnabled(app, "continue-to-task");
  await app.click('[data-testid="template-sentiment"]');
  await app.type('[data-testid="tasks-per-group"]', "4");

  // Known answers: the hidden column that has them is offered first.
  await app.clickInPage('[data-testid="known-switch"]');
  await app.waitUntil(`document.querySelector('[data-testid="known-column"]')?.value === "META_known_sentiment (12 rows)"`);
  await app.type('[data-testid="known-per-group"]', "2");
  await app.clickInPage('[data-testid="checks-switch"]');
  await app.waitForText('[data-testid="checks-example"]', "please choose");
  // Three checks: someone clicking at random fails two or more of them three times in four.
  await app.execute(`[...document.querySelectorAll('[data-testid="checks-per-group"] label')].find((label) => label.textContent === "3").click();`);
  // 12 rows left to label, in fours: 3 assignments of 4 + 2 known + 3 checks.
  const cost = await app.waitForText('[data-testid="checks-cost"]', "9 items instead of 4");
  assert.match(cost, /There are still 3 assignments/);
  await app.waitForText('[data-testid="assignment-count"]', "The 12 rows to label make 3 assignments");
  await shot(app, "checks-task-step", '[data-testid="quality-checks"]');

  await continueWhenEnabled(app, "continue-to-study");
  await app.waitForText('[data-testid="cost-total"]', "£");
  await app.type('[data-testid="people-per-item"]', "6");
  await withoutPilot(app);
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled && /£/.test(b.textContent); })()`);
  await app.click('[data-testid="publish"]');
  assert.match(await app.waitForText('[data-testid="confirm-summary"]', "places"), /18 places/);
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);

  // The batch ran on the copy: 3 groups of 9 tasks (4 rows, 2 known, 3 checks).
  const [batch] = (await api("GET", `/api/v1/data-collection/batches?workspace_id=${(await api.all("/api/v1/workspaces/"))[0].id}`)).results;
  assert.equal(batch.total_task_count, 27);

  // The checks are not in the table: 18 people × (4 rows + 2 known) = 108 rows.
  await app.waitForText('[data-testid="responses-total"]', "108 rows", 60);
  const table = await app.execute(`return document.querySelector('[data-testid="responses-table"]')?.textContent ?? "";`);
  assert.doesNotMatch(table, /please choose/);

  // The scorecard counts the known answers without being asked, and the checks.
  await app.waitUntil(`document.querySelector('[data-testid="scorecard-table"]')`, 60);
  assert.equal(await app.execute(`return document.querySelector('[data-testid="known-answers-column"]').value;`), "META_known_sentiment");
  await app.waitUntil(`[...document.querySelectorAll('[data-testid="scorecard-table"] th')].some((th) => th.textContent === "Checks passed")`);

  // Someone who failed two or more checks: the evidence says what was asked and chosen.
  const failing = await app.waitUntil(
    `(() => { const row = [...document.querySelectorAll('[data-testid="scorecard-row"]')]
        .find((r) => r.querySelector('[data-testid="scorecard-checks"]')?.textContent.match(/^[01] of 3$/) && r.querySelector('[data-testid="review-reject"]'));
      return row && row.getAttribute("data-participant"); })()`,
    30,
  );
  const evidence = await app.execute(`return document.querySelector('[data-testid="scorecard-row"][data-participant="${failing}"]').textContent;`);
  assert.match(evidence, /Failed [23] of 3 attention checks on “What feeling does this text express\?” \(asked for “(Positive|Negative|Neutral)”, chose “/);
  await shot(app, "checks-scorecard", '[data-testid="scorecard"]');

  await app.clickInPage(`[data-testid="scorecard-row"][data-participant="${failing}"] [data-testid="review-reject"]`);
  const drafted = await app.waitUntil(
    `(() => { const m = document.querySelector('[data-testid="reject-message"]'); return m && m.value.length >= 100 && m.value; })()`,
  );
  assert.match(drafted, /[23] of the 3 check items/);
  assert.equal(await app.execute(`return document.querySelector('[data-testid="reject-reason"]').value;`), "Failed attention checks");
  await app.clickInPage('[data-testid="reject-one-now"]');
  await app.waitForText(`[data-testid="scorecard-row"][data-participant="${failing}"] [data-testid="review-state"]`, "Rejected", 30);

  const [study] = await api.all("/api/v1/studies/");
  const theirs = (await api.all(`/api/v1/submissions/?study=${study.id}`)).filter((submission) => submission.participant_id === failing);
  assert.deepEqual(theirs.map((submission) => submission.status), ["REJECTED"]);

  // The methods paragraph for a paper says what was done, the rejection included: 12
  // rows labelled and 6 of the known rows shown (2 in each of the 3 assignments).
  await app.clickInPage('[data-testid="methods-write"]');
  const methods = await app.waitForText('[data-testid="methods-paragraph"]', "Krippendorff", 60);
  assert.match(methods, /18 items, each judged by 6 participants \(median\), from 18 participants in all/);
  assert.match(methods, /95% bootstrap CI -?\d\.\d\d to -?\d\.\d\d/);
  assert.match(methods, /Each assignment included 3 instructed-response attention checks/);
  assert.match(methods, /1 submission was rejected/);
  await shot(app, "checks-methods", '[data-testid="methods"]');
});
