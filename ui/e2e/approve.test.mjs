// Issue 17, in the real app against its practice server: a study fills (some simulated
// participants return or run out of time, as in the app's practice mode), its money is
// shown as set aside and not yet paid; "Approve all" pays everyone, and the study then
// shows Completed on its page, on the Batches page, and again after a restart, with its
// money paid and nothing left awaiting review.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, withoutPilot } from "./practice.mjs";

const token = "e2e-approve-token";

e2eTest("approve all: the study shows Completed everywhere, also after a restart", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-approve-");
  const port = await freePort();
  const api = practice(port, token);
  const environment = {
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    // Simulated participants take a place every 0.3 s (instead of 20 s).
    BATCHDESK_PRACTICE_PACE_MS: "300",
    NO_COLOR: "1",
  };
  let { driver, app } = await scope.launch(environment);
  await dataAndTask(app);
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 120);

  const [study] = await api.all("/api/v1/studies/");
  const total = await app.waitForText('[data-testid="money-setAside"]', "£");
  const setAside = total.match(/£\s?[\d,.]+/)[0];
  const counts = await api("GET", `/api/v1/studies/${study.id}/submissions/counts/`);
  // As in the issue: people who returned or ran out of time, whose submissions nobody
  // reviews, must not keep the study from completing.
  assert.ok(counts.RETURNED + counts["TIMED-OUT"] > 0, `some participants left: ${JSON.stringify(counts)}`);

  // Before review nothing is paid: the money is set aside, awaiting review.
  const money = await app.execute(`return document.querySelector('[data-testid="study-money"]').textContent;`);
  assert.doesNotMatch(money, /spent/i, money);
  await app.waitForText('[data-testid="money-paid"]', "nothing yet");
  await app.waitForText('[data-testid="money-awaitingReview"]', `${setAside} (still set aside; paid when you approve`);

  await app.click('[data-testid="approve-all"]');
  await app.waitForText('[data-testid="approve-question"]', "awaiting review?");
  await app.clickInPage('[data-testid="approve-and-pay"]');
  await app.waitForText('[data-testid="action-done"]', "Approved");
  // On its page, without a reload or a visit elsewhere.
  await app.waitForText('[data-testid="study-phase"]', "Completed", 30);
  const server = await api("GET", `/api/v1/studies/${study.id}/`);
  assert.equal(server.status, "COMPLETED");
  await app.waitForText('[data-testid="money-paid"]', setAside);
  await app.waitForText('[data-testid="money-returned"]', "nothing");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="approve-all"]') === null;`), true);

  const onBatchesPage = async () => {
    // In the page: the approval dialog may still be fading out over it.
    await app.clickInPage('nav[aria-label="Sections"] a[href="#/batches"]');
    const card = `[data-testid="study-card"][data-study-id="${study.id}"]`;
    await app.waitForText(`${card} [data-testid="study-phase"]`, "Completed");
    await app.waitForText(`${card} [data-testid="card-cost"]`, `Paid ${setAside}`);
    // Read again from Prolific, not only the list remembered from before.
    await app.waitUntil(`!document.querySelector('${card} [data-testid="study-phase"]').textContent.includes("Awaiting")`);
  };
  await onBatchesPage();

  // After a restart: nothing to resume, and Completed wherever it is shown.
  await app.end();
  await driver.stop();
  ({ driver, app } = await scope.launch(environment));
  await app.waitForText("body", "Practice mode");
  for (let attempt = 0; !driver.output().includes("pollers resumed"); attempt += 1) {
    assert.ok(attempt < 300, `the app did not say which pollers it resumed:\n${driver.output()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const resumed = driver.output().split("\n").find((line) => line.includes("pollers resumed"));
  assert.match(resumed, /resumed=\[\]/, "a completed study is not polled again");
  await onBatchesPage();
  await app.clickInPage(`[data-testid="study-card"][data-study-id="${study.id}"] button[aria-label^="Open"]`);
  await app.waitForText('[data-testid="progress-panel"] [data-testid="study-phase"]', "Completed");
  await app.waitForText('[data-testid="money-paid"]', setAside);
  assert.equal(await app.execute(`return document.querySelector('[data-testid="approve-all"]') === null;`), true);
});
