// Issue 19 in the real window: a practice study runs to the end, and its results show
// agreement between people as plots: alpha at once, its bootstrap interval (a whisker
// around the dot) on the researcher's click, the participant × participant matrix (each square's words checked against the
// practice server's own records of who answered what), and which answers get confused
// with which, by their labels.
import assert from "node:assert/strict";

import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, shot, withoutPilot } from "./practice.mjs";

const token = "e2e-agreement-token";

e2eTest("a finished practice study shows who agreed with whom, and which labels get confused", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-agreement-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "300",
  });
  await dataAndTask(app);
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);

  // The plots appear with the results; the interval waits to be asked for.
  await app.waitUntil(`document.querySelectorAll('[data-testid="people-matrix"] [data-testid="pair-cell"]').length > 0`, 60);
  assert.match(await app.waitForText('[data-testid="alpha-value"]', ".", 60), /^-?\d\.\d\d$/, "alpha at once");
  assert.equal(await app.execute(`return document.querySelector('[data-testid="alpha-interval"]').textContent;`), "–");
  assert.ok(await app.execute(`return document.querySelector('[data-testid="alpha-whisker"]') === null;`), "no whisker yet");
  await app.click('[data-testid="work-out-interval"]');
  const interval = await app.waitForText('[data-testid="alpha-interval"]', " to ", 60);
  assert.ok(await app.execute(`return document.querySelector('[data-testid="alpha-whisker"]') !== null;`), "the whisker");
  assert.match(interval, /^-?\d\.\d\d to -?\d\.\d\d$/, "alpha's interval");
  assert.ok(await app.execute(`return document.querySelector('[data-testid="alpha-dot"]') !== null;`), "the dot");

  // Every square of the matrix says what the server's records say of that pair.
  const [study] = await api.all("/api/v1/studies/");
  const { data_collection_id: batchId } = await api("GET", `/api/v1/studies/${study.id}/`);
  const records = await api.all(`/api/v1/data-collection/batches/${batchId}/responses`);
  const choice = records.filter((record) => record.response.type === "multiple_choice");
  const byItem = new Map();
  for (const record of choice) {
    const answer = record.response.answer.map((chosen) => chosen.value).sort().join("; ");
    const answers = byItem.get(record.task_id) ?? new Map();
    if (!answers.has(record.participant_id)) answers.set(record.participant_id, answer);
    byItem.set(record.task_id, answers);
  }
  const pairs = new Map();
  for (const answers of byItem.values()) {
    const people = [...answers.keys()].sort();
    for (let one = 0; one < people.length; one += 1) {
      for (let other = one + 1; other < people.length; other += 1) {
        const key = `${people[one]} ${people[other]}`;
        const pair = pairs.get(key) ?? { shared: 0, agreed: 0 };
        pair.shared += 1;
        pair.agreed += answers.get(people[one]) === answers.get(people[other]) ? 1 : 0;
        pairs.set(key, pair);
      }
    }
  }
  const shown = await app.execute(
    `return [...document.querySelectorAll('[data-testid="people-matrix"] tbody th[scope="row"]')].map((th) => th.getAttribute("title"));`,
  );
  const squares = await app.execute(
    `return [...document.querySelectorAll('[data-testid="people-matrix"] tbody tr')].map((row) =>
       [...row.querySelectorAll("td")].map((cell) => cell.getAttribute("aria-label")));`,
  );
  assert.equal(squares.length, shown.length);
  let checked = 0;
  for (let row = 0; row < shown.length; row += 1) {
    for (let column = 0; column < shown.length; column += 1) {
      if (row === column) continue;
      const pair = pairs.get([shown[row], shown[column]].sort().join(" "));
      const words = squares[row][column];
      if (!pair) {
        assert.equal(words, `P${row + 1} and P${column + 1} shared no items`);
        continue;
      }
      const share = Math.round((pair.agreed / pair.shared) * 100);
      assert.ok(
        words.startsWith(`P${row + 1} and P${column + 1} shared ${pair.shared} item${pair.shared === 1 ? "" : "s"}, agreed on ${pair.agreed} (${share}%)`),
        `${words} vs ${JSON.stringify(pair)}`,
      );
      checked += 1;
    }
  }
  assert.ok(checked > 0, "some pairs shared items");
  assert.ok(
    await app.execute(`return document.querySelector('[data-testid="people-agreement"] [data-testid="alpha-intervals"]') !== null;`),
    "the plots are in the agreement section",
  );

  // Which answers get confused: the options by their labels, each row adding up to the
  // answers on items two or more people answered.
  const heads = await app.execute(
    `return [...document.querySelectorAll('[data-testid="confusion-matrix"] tbody th')].map((th) => th.textContent);`,
  );
  assert.ok(heads.length > 0 && heads.every((head) => /^[A-Z]/.test(head)), `labels, not values: ${heads}`);
  const totals = await app.execute(
    `return [...document.querySelectorAll('[data-testid="confusion-row"]')].map((row) => Number(row.lastElementChild.textContent.replace(/,/g, "")));`,
  );
  const pairable = [...byItem.values()].filter((answers) => answers.size >= 2).reduce((sum, answers) => sum + answers.size, 0);
  assert.equal(
    totals.reduce((sum, value) => sum + value, 0),
    pairable,
    "the rows add up to the answers on items answered by two or more",
  );
  await app.execute(`document.querySelector('[data-testid="people-agreement"]').scrollIntoView({ block: "start" });`);
  await shot(app, "agreement-alpha");
  await app.execute(`document.querySelector('[data-testid="people-matrix"]').scrollIntoView({ block: "center" });`);
  await shot(app, "agreement-people");
  await app.execute(`document.querySelector('[data-testid="confusion-matrix"]').scrollIntoView({ block: "center" });`);
  await shot(app, "agreement-confusion");
});
