// After publishing, New batch no longer reopens the published batch: it offers a new
// one. "Start a new batch" reaches an empty data step, and the published batch is left
// as it was: its study still running on the practice server, still on the Batches page,
// and New batch does not go back to it.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, withoutPilot } from "./practice.mjs";

const token = "e2e-new-batch-token";

e2eTest("publish, then “Start a new batch” reaches an empty data step; the published batch is untouched", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-new-batch-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
  });
  await dataAndTask(app);
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  // Published: the app moves to the study's page, where it is collecting.
  await app.waitForText('[data-testid="study-phase"]', "Collecting");
  const [published, ...others] = await api.all("/api/v1/studies/");
  assert.equal(others.length, 0, "one study");
  assert.equal(published.status, "ACTIVE");

  // New batch says the batch is published, instead of reopening it.
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.waitForText('[data-testid="batch-published"]', "This batch is published");
  await app.click('[data-testid="start-new-batch"]');

  // An empty data step: no file, Continue saying what it needs.
  const reason = await app.waitForText('[data-testid="continue-to-task-reason"]', "spreadsheet");
  assert.equal(reason, "Choose or drop your spreadsheet first.");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="file-name"]');`), null);
  assert.equal(await app.execute(`return document.querySelector('[data-testid="continue-to-task"]').disabled;`), true);

  // The published study is untouched on the server...
  const after = await api.all("/api/v1/studies/");
  assert.equal(after.length, 1, "no study made, none deleted");
  assert.equal(after[0].id, published.id);
  assert.equal(after[0].status, "ACTIVE", "still running");
  assert.equal(after[0].total_available_places, published.total_available_places);
  // ...and on the Batches page, still collecting.
  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  const card = await app.waitForText(`[data-testid="study-card"][data-study-id="${published.id}"]`, "Collecting");
  assert.match(card, /Collecting/);
  assert.equal(
    await app.execute(`return document.querySelectorAll('[data-testid="study-card"]').length;`),
    1,
    "one study on the Batches page",
  );

  // Back to New batch: the new, empty batch, not the published one.
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.waitForText('[data-testid="continue-to-task-reason"]', "Choose or drop your spreadsheet first.");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="batch-published"]');`), null);
});
