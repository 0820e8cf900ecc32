// Issue 22, in the real app against its practice server: with the pilot on (the
// default), step 3 publishes a pilot of 3 people on the first rows at its own confirmed
// total while the full study stays unpublished; the pilot's report shows times, pay and
// answers; the choices are applied to the full study (participants of the pilot blocked),
// and only then is the full study published, with its own confirmation.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, shot } from "./practice.mjs";

const token = "e2e-pilot-token";

e2eTest("a pilot first, its report, then the full study on the researcher's word", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-pilot-");
  const port = await freePort();
  const api = practice(port, token);
  const environment = {
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "300",
    NO_COLOR: "1",
  };
  const { app } = await scope.launch(environment);
  await dataAndTask(app);

  // The pilot is on: the full study's Publish waits for it.
  assert.match(await app.waitForText('[data-testid="pilot-plan"]', "people"), /3 people take your task first, on the first 12 rows \(3 task groups\)/);
  await shot(app, "pilot-start", '[data-testid="pilot-panel"]');
  await app.waitForText('[data-testid="publish-blocked"]', "Publish the pilot first");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="publish"]').disabled;`), true);

  await app.click('[data-testid="pilot-start"]');
  const summary = await app.waitForText('[data-testid="pilot-confirm-summary"]', "places");
  assert.match(summary, /for 3 places\. The full study is not published/);
  await app.clickInPage('[data-testid="pilot-publish-now"]');

  // The report fills in as the pilot's three people finish.
  await app.waitForText('[data-testid="pilot-status"]', "Pilot finished", 120);
  assert.match(await app.text('[data-testid="pilot-counts"]'), /3 of 3 people finished/);
  assert.match(await app.waitForText('[data-testid="pilot-time"]', "minutes"), /against your estimate of 10/);
  const findings = await app.execute(`return document.querySelector('[data-testid="pilot-findings"]').textContent;`);
  assert.match(findings, /answers to 12 items came back and all were read/);
  await shot(app, "pilot-report", '[data-testid="pilot-panel"]');

  // Only the pilot is published on the server.
  const studies = await api.all("/api/v1/studies/");
  const published = studies.filter((study) => study.status !== "UNPUBLISHED");
  assert.equal(published.length, 1, JSON.stringify(studies.map((study) => [study.internal_name, study.status])));
  assert.match(published[0].internal_name, /\(pilot\)/);
  await app.waitForText('[data-testid="publish-blocked"]', "apply your choices");

  // The choices go to the full study: its audience now leaves the pilot's people out.
  await app.clickInPage('[data-testid="pilot-apply"]');
  await app.waitForText('[data-testid="pilot-applied"]', "now hold your choices");
  await shot(app, "pilot-applied", '[data-testid="pilot-continue"]');
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled; })()`, 60);
  await app.click('[data-testid="publish"]');
  assert.match(await app.waitForText('[data-testid="confirm-summary"]', "places"), /18 places/);
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Collecting", 60);

  const full = (await api.all("/api/v1/studies/")).find(
    (study) => study.status !== "UNPUBLISHED" && !/\(pilot\)/.test(study.internal_name),
  );
  assert.ok(full, "the full study is published");
  const details = await api("GET", `/api/v1/studies/${full.id}/`);
  const block = (details.filters ?? []).find((filter) => filter.filter_id === "participant_group_blocklist");
  assert.ok(block, `the full study blocks the pilot's group: ${JSON.stringify(details.filters)}`);
  const members = await api("GET", `/api/v1/participant-groups/${block.selected_values[0]}/participants/`);
  const pilotPeople = (await api.all(`/api/v1/submissions/?study=${published[0].id}`)).map((s) => s.participant_id);
  assert.deepEqual(
    members.results.map((member) => member.participant_id).sort(),
    [...new Set(pilotPeople)].sort(),
  );
});
