// Issue 19 in the real window: "Who took part". A practice study runs to the end; the
// researcher fetches Prolific's demographic export from the results page (one request,
// without filters, checked in the practice server's usage history) and sees the answers
// by age band and by country, each group checked against the practice server's own
// export: no group of fewer than five people is ever shown on its own.
import assert from "node:assert/strict";

import { assertAccessible, assertReachable } from "./axe.mjs";
import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, shot, withoutPilot } from "./practice.mjs";

const token = "e2e-demographics-token";
const MIN_GROUP_PEOPLE = 5;
const MERGED = "Other / fewer than 5 people";

/** The practice server's demographic export (the same request the app made: free to repeat). */
async function exportRows(port, studyId) {
  const answer = await fetch(`http://127.0.0.1:${port}/api/v1/studies/${studyId}/demographic-export/`, {
    method: "POST",
    headers: { Authorization: `Token ${token}`, "Content-Type": "application/json" },
    body: "{}",
  });
  assert.equal(answer.status, 200);
  // The practice server quotes no commas or line breaks in these columns.
  const [header, ...lines] = (await answer.text()).trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, at) => [names[at], cell])));
}

/** Two animation frames later, so a screenshot shows what was just drawn (not a check). */
async function painted(app) {
  await app.execute(`window.__demographicsPainted = false;
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__demographicsPainted = true; }));`);
  await app.waitUntil(`window.__demographicsPainted === true`);
}

/** Expected groups: those of five or more, and the rest together when they make five. */
function expectedGroups(groupOf, people) {
  const sizes = new Map();
  for (const person of people) sizes.set(groupOf(person), (sizes.get(groupOf(person)) ?? 0) + 1);
  const shown = new Map([...sizes].filter(([, size]) => size >= MIN_GROUP_PEOPLE));
  const small = [...sizes.values()].filter((size) => size < MIN_GROUP_PEOPLE).reduce((sum, size) => sum + size, 0);
  if (small >= MIN_GROUP_PEOPLE) shown.set(MERGED, small);
  return { shown, small: [...sizes].filter(([, size]) => size < MIN_GROUP_PEOPLE).map(([name]) => name) };
}

function ageBand(age) {
  const years = Number(age);
  if (!Number.isFinite(years) || age === "") return "Not given";
  const bands = [
    [65, "65 and over"],
    [55, "55–64"],
    [45, "45–54"],
    [35, "35–44"],
    [25, "25–34"],
    [18, "18–24"],
  ];
  return bands.find(([lowest]) => years >= lowest)?.[1] ?? "Not given";
}

e2eTest("who took part: answers by group, no group under five people shown on its own", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-demographics-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "200",
  });
  await dataAndTask(app);
  // 6 assignments × 6 people: 36 people, enough for some groups of five.
  await app.type('[data-testid="people-per-item"]', "6");
  await withoutPilot(app);
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled && /£/.test(b.textContent); })()`);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);
  // Every answer is in (36 people × 4 rows) before the groups are read.
  await app.waitForText('[data-testid="responses-total"]', "144 rows", 60);

  // Nothing is fetched until the researcher asks, and the page says why.
  const [study] = await api.all("/api/v1/studies/");
  const explained = await app.waitForText('[data-testid="who-took-part-not-fetched"]', "only 2 different demographic exports", 60);
  assert.match(explained, /This study has used 0 of 2\./);
  assert.deepEqual(await api("GET", `/api/v1/studies/${study.id}/demographic-export-history/`), { count: 0, filters: [] });
  await app.execute(`document.querySelector('[data-testid="who-took-part"]').scrollIntoView({ block: "start" });`);
  await painted(app);
  await shot(app, "demographics-before");
  await app.clickInPage('[data-testid="fetch-demographics"]');
  await app.waitUntil(`document.querySelectorAll('[data-testid="demographics-bar"]').length > 0`, 60);
  // One export, without filters.
  assert.deepEqual(await api("GET", `/api/v1/studies/${study.id}/demographic-export-history/`), { count: 1, filters: [] });

  // Who answered, by the server's records, and their facts by the server's export.
  const { data_collection_id: batchId } = await api("GET", `/api/v1/studies/${study.id}/`);
  const records = await api.all(`/api/v1/data-collection/batches/${batchId}/responses`);
  const answered = [...new Set(records.filter((r) => r.response.type === "multiple_choice").map((r) => r.participant_id))];
  const facts = new Map((await exportRows(port, study.id)).map((row) => [row["Participant id"], row]));
  const people = answered.map((id) => facts.get(id));
  assert.ok(people.every(Boolean), "everyone who answered is in the export");
  assert.match(await app.execute(`return document.querySelector('[data-testid="demographics-fetched-at"]').textContent;`), new RegExp(`${answered.length} people who answered`));

  const shownGroups = () =>
    app.execute(
      `return [...document.querySelectorAll('[data-testid="demographics-bar"]')].map((bar) =>
         [bar.getAttribute("data-group"), Number(bar.textContent.match(/(\\d+) (?:person|people)$/)[1])]);`,
    );
  const tableGroups = () =>
    app.execute(`return [...document.querySelectorAll('[data-testid="demographics-row"]')].map((row) => row.getAttribute("data-group"));`);

  // By age band (the first grouping).
  const byAge = expectedGroups((person) => ageBand(person.Age), people);
  const ages = await shownGroups();
  assert.deepEqual(new Map(ages), byAge.shown, "age bands as the export has them");
  assert.deepEqual(await tableGroups(), ages.map(([name]) => name), "the table has the bars' groups");

  // The panel passes axe-core, and its controls are in the tab order.
  await assertAccessible(app, "who took part", '[data-testid="who-took-part"]');
  await assertReachable(app, "who took part");

  // By country: the small countries only together.
  await app.execute(`[...document.querySelectorAll('[data-testid="demographics-grouping"] label')].find((l) => l.textContent === "Country").click();`);
  await app.waitUntil(`document.querySelector('[data-testid="demographics-bar"][data-group="United Kingdom"], [data-testid="demographics-bar"][data-group="${MERGED}"]') !== null`, 10);
  // Prolific writes DATA_EXPIRED (and the like) where it no longer holds the answer.
  const country = (person) => (/^[A-Z_]+$/.test(person["Country of residence"]) ? "Not given" : person["Country of residence"]);
  const byCountry = expectedGroups(country, people);
  const countries = await shownGroups();
  assert.deepEqual(new Map(countries), byCountry.shown, "countries as the export has them");
  assert.ok(byCountry.small.length > 0, `some countries have fewer than five people: ${JSON.stringify([...byCountry.shown])}`);
  for (const [name, size] of countries) {
    assert.ok(size >= MIN_GROUP_PEOPLE, `${name} shows ${size} people`);
    assert.ok(!byCountry.small.includes(name), `${name} has fewer than five people and is shown on its own`);
  }
  const pageText = await app.execute(`return document.querySelector('[data-testid="who-took-part"]').textContent;`);
  for (const name of byCountry.small) assert.ok(!pageText.includes(name), `${name} appears on the page`);
  await app.execute(`document.querySelector('[data-testid="demographics-breakdown"]').scrollIntoView({ block: "center" });`);
  await painted(app);
  await shot(app, "demographics-by-country");
});
