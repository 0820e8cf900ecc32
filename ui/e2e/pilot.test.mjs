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
  // The simulated people take twice the 10 minutes estimated, so the pilot has news.
  await api("PATCH", "/_practice/workspace", { time_factor_percent: 200 });
  const [workspace] = await api.all("/api/v1/workspaces/");
  const available = async () =>
    (await api("GET", `/api/v1/workspaces/${workspace.id}/balance/`)).available_balance;
  const before = await available();
  const pence = (text) => Number(text.replace(/[^0-9]/g, ""));

  // The pilot is on: the full study's Publish waits for it.
  assert.match(await app.waitForText('[data-testid="pilot-plan"]', "people"), /3 people take your task first, on the first 12 rows \(3 task groups\)/);
  await shot(app, "pilot-start", '[data-testid="pilot-panel"]');
  await app.waitForText('[data-testid="publish-blocked"]', "Publish the pilot first");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="publish"]').disabled;`), true);

  // Preparing can be stopped: Prolific is slow to copy the batch, the researcher cancels,
  // nothing is spent, and pricing again carries on.
  const faults = (method, body) =>
    fetch(`http://127.0.0.1:${port}/_practice/faults`, {
      method,
      headers: { Authorization: `Token ${token}`, "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    }).then((answer) => assert.ok(answer.ok, `faults: ${answer.status}`));
  await faults("POST", {
    fault: { kind: "slow", delay_ms: 15000 },
    scope: { route: "/api/v1/data-collection/batches/{batch_id}/duplicate", method: "POST" },
  });
  await app.click('[data-testid="pilot-start"]');
  await app.waitForText('[data-testid="pilot-progress"]', "Copying your task");
  await app.click('[data-testid="pilot-cancel"]');
  await app.waitForText('[data-testid="pilot-cancelled"]', "Nothing was spent");
  await faults("DELETE");
  assert.equal(await available(), before);

  await app.click('[data-testid="pilot-start"]');
  const summary = await app.waitForText('[data-testid="pilot-confirm-summary"]', "places");
  assert.match(summary, /for 3 places\. The full study is not published/);
  const pilotTotal = pence(summary.match(/£\s?[\d,.]+/)[0]);
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
  // The practice server's ledger: the pilot's confirmed total set aside, nothing more.
  assert.equal(before - (await available()), pilotTotal);

  // The pilot took about twice as long: it suggests a longer estimate and a higher reward.
  assert.match(await app.text('[data-testid="pilot-time"]'), /against your estimate of 10/);
  const adopt = await app.execute(`return document.querySelector('[data-testid="pilot-adopt"]').closest('.mantine-Checkbox-root').textContent;`);
  const suggested = adopt.match(/an estimate of (\d+) minutes and a reward of (£\s?[\d.]+) per person/);
  assert.ok(suggested, adopt);
  assert.ok(Number(suggested[1]) > 10, adopt);
  const suggestedReward = pence(suggested[2]);

  // The choices go to the full study: its audience now leaves the pilot's people out.
  await app.clickInPage('[data-testid="pilot-apply"]');
  await app.waitForText('[data-testid="pilot-applied"]', "now hold your choices");
  await shot(app, "pilot-applied", '[data-testid="pilot-continue"]');
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled; })()`, 60);
  await app.click('[data-testid="publish"]');
  const fullSummary = await app.waitForText('[data-testid="confirm-summary"]', "places");
  assert.match(fullSummary, /18 places/);
  const fullTotal = pence(fullSummary.match(/£\s?[\d,.]+/)[0]);
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Collecting", 60);

  const full = (await api.all("/api/v1/studies/")).find(
    (study) => study.status !== "UNPUBLISHED" && !/\(pilot\)/.test(study.internal_name),
  );
  assert.ok(full, "the full study is published");
  const details = await api("GET", `/api/v1/studies/${full.id}/`);
  assert.equal(details.reward, suggestedReward, "the full study pays the suggested reward");
  assert.equal(details.estimated_completion_time, Number(suggested[1]));
  // The ledger: the pilot's total and the full study's, each as confirmed, once.
  assert.equal(before - (await available()), pilotTotal + fullTotal);
  const block = (details.filters ?? []).find((filter) => filter.filter_id === "participant_group_blocklist");
  assert.ok(block, `the full study blocks the pilot's group: ${JSON.stringify(details.filters)}`);
  const members = await api("GET", `/api/v1/participant-groups/${block.selected_values[0]}/participants/`);
  const pilotPeople = (await api.all(`/api/v1/submissions/?study=${published[0].id}`)).map((s) => s.participant_id);
  assert.deepEqual(
    members.results.map((member) => member.participant_id).sort(),
    [...new Set(pilotPeople)].sort(),
  );

  // The full study's results offer the pilot's answers, kept apart until counted in.
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 120);
  const offered = await app.waitForText('[data-testid="pilot-answers-summary"]', "kept apart", 60);
  assert.match(offered, /The pilot gave 12 answers from 3 people on 12 rows of this study's data/);
  // Every answer of the full study is in (18 people × 4 rows), then the pilot's 12 join.
  await app.waitForText('[data-testid="responses-total"]', "72 rows", 60);
  await app.clickInPage('[data-testid="pilot-answers-switch"]');
  await app.waitForText('[data-testid="pilot-answers-summary"]', "counted in the table", 60);
  await app.waitForText('[data-testid="responses-total"]', "84 rows", 30);
  await shot(app, "pilot-answers", '[data-testid="pilot-answers"]');
});
