// Issue 18 in the real window, against the practice server's mixed crowd (some people
// click through fast): the sample with known answers runs as a sentiment study; the
// results' scorecard takes its hidden column of right answers, flags a fast clicker with
// the evidence, and the researcher rejects them with the drafted message (at least 100
// characters), which the practice server then holds. Then a bonus for the three most
// reliable is set up, the app is killed before it is paid, and after a restart the
// set-up is still there: paid once, at the total shown.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { continueWhenEnabled, freePort, practice, shot, withoutPilot } from "./practice.mjs";

const token = "e2e-quality-token";

e2eTest("a fast clicker is flagged and rejected with the drafted message; a bonus survives a kill and is paid once", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-quality-");
  const port = await freePort();
  const api = practice(port, token);
  const environment = {
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "150",
  };
  const first = await scope.launch(environment);
  let { app } = first;
  await app.click('[data-testid="choose-practice"]');
  // A third of the people click through in a fraction of the usual time.
  await api("PATCH", "/_practice/workspace", { crowd_mix: { average: 70, fast_clicker: 30 } });

  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.click('[data-testid="sample-reviews-known"]');
  await app.waitForText('[data-testid="file-name"]', "reviews-known-answers.csv");
  await continueWhenEnabled(app, "continue-to-task");
  await app.click('[data-testid="template-sentiment"]');
  await app.type('[data-testid="tasks-per-group"]', "8");
  await app.waitForText('[data-testid="assignment-count"]', "make 3 assignments");
  await continueWhenEnabled(app, "continue-to-study");
  await app.waitForText('[data-testid="cost-total"]', "£");
  await app.type('[data-testid="people-per-item"]', "8");
  await withoutPilot(app);
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled && /£/.test(b.textContent); })()`);
  await app.click('[data-testid="publish"]');
  assert.match(await app.waitForText('[data-testid="confirm-summary"]', "places"), /24 places/);
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);

  // Every answer is in (24 people × 8 rows) before the scorecard is read: until then a
  // refresh can re-score and re-draw its rows under the test.
  await app.waitForText('[data-testid="responses-total"]', "192 rows", 60);

  // The scorecard: the hidden column holds the right answers.
  await app.waitUntil(`document.querySelector('[data-testid="scorecard-table"]')`, 60);
  await app.clickInPage('[data-testid="known-answers-column"]');
  await app.waitUntil(`[...document.querySelectorAll('[role="option"]')].some((o) => o.textContent === "META_known_sentiment")`);
  await app.execute(`[...document.querySelectorAll('[role="option"]')].find((o) => o.textContent === "META_known_sentiment").click();`);
  await app.waitForText('[data-testid="known-answers-typical"]', "known answers right");

  // A fast clicker is flagged, with the evidence in plain words.
  const fast = await app.waitUntil(
    `(() => { const row = [...document.querySelectorAll('[data-testid="scorecard-row"]')]
        .find((r) => /Too fast/.test(r.textContent) && r.querySelector('[data-testid="review-reject"]'));
      return row && row.getAttribute("data-participant"); })()`,
    30,
  );
  const kinds = await api("GET", `/_practice/studies/${(await api.all("/api/v1/studies/"))[0].id}/participants`);
  assert.equal(kinds.results.find((person) => person.participant_id === fast)?.kind, "fast_clicker", `${fast} is a fast clicker`);
  const evidence = await app.execute(
    `return document.querySelector('[data-testid="scorecard-row"][data-participant="${fast}"]').textContent;`,
  );
  assert.match(evidence, /Took .*; the median is .* \(\d+% of it\)/);
  await shot(app, "quality-scorecard", '[data-testid="scorecard"]');

  // Rejected with the drafted message, after the question.
  await app.clickInPage(`[data-testid="scorecard-row"][data-participant="${fast}"] [data-testid="review-reject"]`);
  const drafted = await app.waitUntil(
    `(() => { const m = document.querySelector('[data-testid="reject-message"]'); return m && m.value.length >= 100 && m.value; })()`,
  );
  assert.match(drafted, /we cannot approve this submission: .*you completed it in/);
  await shot(app, "quality-reject", '[data-testid="reject-one"]');
  await app.clickInPage('[data-testid="reject-one-now"]');
  await app.waitForText(`[data-testid="scorecard-row"][data-participant="${fast}"] [data-testid="review-state"]`, "Rejected", 30);

  const [study] = await api.all("/api/v1/studies/");
  const submissions = await api.all(`/api/v1/submissions/?study=${study.id}`);
  const theirs = submissions.filter((submission) => submission.participant_id === fast);
  assert.deepEqual(theirs.map((submission) => submission.status), ["REJECTED"]);

  // A bonus for the three most reliable: set up (nothing paid), then the app is killed.
  const [workspace] = await api.all("/api/v1/workspaces/");
  const available = async () =>
    (await api("GET", `/api/v1/workspaces/${workspace.id}/balance/`)).available_balance;
  const before = await available();
  await app.clickInPage('[data-testid="choose-top"]');
  await app.clickInPage('[data-testid="bonus-open"]');
  await app.clickInPage('[data-testid="bonus-set-up"]');
  const shown = await app.waitForText('[data-testid="bonus-total"]', "£");
  const total = Number(shown.replace(/[^0-9]/g, ""));
  await shot(app, "quality-bonus", '[data-testid="bonus-confirm"]');
  assert.equal(await available(), before, "setting up pays nothing");
  process.kill(-first.driver.group, "SIGKILL");
  await waitUntilGone(port);

  // After a restart the set-up is there to pay, and is paid once.
  ({ app } = await scope.launch(environment));
  await app.waitForText("body", "Practice mode");
  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  await app.click('[data-testid="study-card"] button');
  await app.waitForText('[data-testid="bonus-pending"]', "not paid yet", 60);
  await app.clickInPage('[data-testid="bonus-pending-pay"]');
  await app.waitForText('[data-testid="bonus-total"]', shown);
  await app.clickInPage('[data-testid="bonus-pay"]');
  await app.waitForText('[data-testid="bonus-paid"]', "for 3 people", 30);
  assert.equal(before - (await available()), total, "the total shown, taken once");
  const bonused = [];
  for (const submission of submissions) {
    const read = await api("GET", `/api/v1/submissions/${submission.id}/`);
    if ((read.bonus_payments ?? []).length > 0) bonused.push(read.bonus_payments);
  }
  assert.deepEqual(bonused, [[100], [100], [100]], "three people, £1.00 each, once");
});

/** Waits until the app's practice server no longer answers: the app is gone. */
async function waitUntilGone(port) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const alive = await fetch(`http://127.0.0.1:${port}/api/v1/users/me/`, {
      headers: { Authorization: `Token ${token}` },
    }).then(
      () => true,
      () => false,
    );
    if (!alive) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error("the app did not die");
}
