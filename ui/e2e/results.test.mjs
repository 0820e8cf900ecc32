// After launch, in the real app against its practice server: a study published from the
// wizard fills with simulated participants while its page is open; the progress rises
// without a reload (Rust's poller sends events); when every place is filled the app
// says so and raises an OS notification (seen on the session bus); the distribution
// chart and agreement appear, and the number question's mean; the tidy CSV saved through
// the native dialog (then shown in the file manager) opens with a UTF-8 BOM, has columns
// for the choice, the free-text and the number question, and one row per data row whose
// majority answers are the practice server's own records; its column guide is beside it.
// After a restart during collection, the app resumes polling the live study and nothing else.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { answerFileDialog } from "./desktop.mjs";
import { e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, withoutPilot } from "./practice.mjs";

const token = "e2e-results-token";

/**
 * Watches the session bus for what the app asks of the desktop: notifications and the
 * file manager (neither runs in CI, but the request itself is what the app sends).
 * Resolves each wait once a call carrying `text` has been seen.
 */
function watchDesktop(scope) {
  let seen = "";
  const waiting = [];
  const { child: busMonitor } = scope.spawn(
    "dbus-monitor",
    [
      "--session",
      "interface='org.freedesktop.Notifications',member='Notify'",
      "interface='org.freedesktop.FileManager1',member='ShowItems'",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
    "dbus-monitor",
  );
  busMonitor.stdout.on("data", (chunk) => {
    seen += chunk;
    for (const wait of waiting.filter(({ text }) => seen.includes(text))) wait.done();
  });
  return (text) =>
    new Promise((done, fail) => {
      if (seen.includes(text)) return done();
      const timer = setTimeout(() => fail(new Error(`no desktop call with "${text}" in 60 s`)), 60_000);
      waiting.push({ text, done: () => (clearTimeout(timer), done()) });
    });
}

/** A small RFC 4180 reader: the tidy CSV quotes cells with commas, quotes and line breaks. */
function parseCsv(text) {
  const rows = [[]];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') (cell += '"'), (index += 1);
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") rows.at(-1).push(cell), (cell = "");
    else if (char === "\n") rows.at(-1).push(cell.replace(/\r$/, "")), rows.push([]), (cell = "");
    else cell += char;
  }
  if (cell !== "" || rows.at(-1).length > 0) rows.at(-1).push(cell);
  return rows.filter((row) => row.some((cell) => cell !== ""));
}

e2eTest("a practice study fills live, notifies, and its results are analysed and saved", { timeout: 300 }, async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-results-");
  const port = await freePort();
  const api = practice(port, token);
  const desktop = watchDesktop(scope);
  // Simulated participants take a place every 0.6 s (instead of 20 s).
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "600",
  });
  // A choice (the template's), a free-text and a number question.
  const text = "Why do you say so?";
  const number = "How many stars would you give it?";
  await dataAndTask(app, { freeText: text, freeTextWithUnit: number });
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Collecting");

  // From here on the page is never reloaded: a marker on the window survives only if so,
  // and every value the places bar shows is recorded as it changes.
  await app.execute(`
    window.__sameDocument = true;
    window.__placesSeen = [];
    const record = () => {
      const value = document.querySelector('[data-testid="progress-places"]')?.getAttribute("data-value");
      if (value !== null && value !== undefined && window.__placesSeen.at(-1) !== value) window.__placesSeen.push(value);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  `);
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review");
  await app.waitForText('[data-testid="study-notice"]', "Study filled");
  await desktop("Study filled");
  const seen = (await app.execute("return window.__placesSeen;")).map(Number);
  assert.ok(await app.execute("return window.__sameDocument === true;"), "no reload");
  assert.equal(seen.at(-1), 100, `filled: ${seen}`);
  assert.ok(seen.length >= 2 && seen.some((value) => value > 0 && value < 100), `progress rose in steps: ${seen}`);
  assert.ok(seen.every((value, index) => index === 0 || value >= seen[index - 1]), `never went down: ${seen}`);

  // The results: a chart of answers, agreement, the responses table joined with the data.
  const bars = await app.waitUntil(
    `document.querySelectorAll('[data-testid="distribution-chart"] [data-testid="distribution-bar"]').length`,
  );
  assert.ok(bars > 0, "the distribution chart has bars");
  // The agreement settles after the chart (a dash until then): waited for, then read.
  const alpha = await app.waitUntil(
    `(/^-?\\d/.test(document.querySelector('[data-testid="alpha"]')?.textContent ?? "") &&
      document.querySelector('[data-testid="alpha"]').textContent)`,
  );
  assert.match(alpha, /^-?\d/, "Krippendorff's alpha is shown");
  await app.waitUntil(`document.querySelectorAll('[data-testid="response-row"]').length > 0`);
  // The number question is summarised: its mean is a number.
  assert.match(await app.waitForText('[data-testid="number-mean"]', ""), /\d/, "the number question's mean");

  // The tidy CSV, saved through the native dialog.
  const destination = join(home, "tidy results.csv");
  await app.click('[data-testid="download-tidy"]');
  await answerFileDialog("Save the results", destination);
  await app.waitForText('[data-testid="saved-path"]', "tidy results.csv");
  // Where the column guide went is said, and it is there.
  const guide = join(home, "tidy results - column guide.csv");
  await app.waitForText('[data-testid="saved-guide"]', "“tidy results - column guide.csv”");
  const guideBytes = await readFile(guide);
  assert.deepEqual([...guideBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the guide opens in Excel as UTF-8");
  // "Show in folder" asks the desktop's file manager to show the file.
  await app.click('[data-testid="show-in-folder"]');
  await desktop("tidy%20results.csv");
  const bytes = await readFile(destination);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 BOM, so Excel reads accents and £ right");
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString("utf8"));
  assert.equal(header[0], "task_id");
  assert.equal(rows.length, 24, "one row per data row");
  const answerColumn = header.findIndex((name) => name.endsWith(" [majority answer]"));
  const tiedColumn = header.findIndex((name) => name.endsWith(" [tied answers]"));
  assert.ok(answerColumn > 0 && tiedColumn > answerColumn, `columns: ${header}`);
  // The free-text and the number question have their columns too, filled on every row.
  const textColumn = header.indexOf(`${text} [answers]`);
  const meanColumn = header.indexOf(`${number} [mean]`);
  for (const column of [`${text} [number of answers]`, `${number} [median]`, `${number} [answers]`]) {
    assert.ok(header.includes(column), `"${column}" in ${header}`);
  }
  assert.ok(textColumn > tiedColumn && meanColumn > textColumn, `columns: ${header}`);
  for (const row of rows) {
    assert.notEqual(row[textColumn], "", `the written answers of ${row[0]}`);
    assert.match(row[meanColumn], /^\d+(\.\d+)?$/, `the mean of ${row[0]}`);
  }

  // The reproducibility package, saved the same way: one ZIP holding the answers, the
  // settings, every model option and seed, the app's own figures and a README. (That the
  // figures recompute from it to the last digit is crates/engine/tests/reproducible.rs.)
  const packagePath = join(home, "study package.zip");
  await app.click('[data-testid="download-package"]');
  await answerFileDialog("Save the results", packagePath);
  await app.waitForText('[data-testid="saved-path"]', "study package.zip");
  const zipBytes = await readFile(packagePath);
  assert.deepEqual([...zipBytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], "a ZIP file");
  // A ZIP stores its members' names as they are, in the clear.
  for (const member of [
    "README.txt",
    "settings.json",
    "analysis.json",
    "answers.jsonl",
    "numbering.json",
    "results.csv",
    "app-results/consensus.csv",
    "app-results/alpha.csv",
  ]) {
    assert.ok(zipBytes.includes(Buffer.from(member)), `the package holds ${member}`);
  }

  // Against the practice server's own records: each row's majority answer.
  const [study] = await api.all("/api/v1/studies/");
  const { data_collection_id: batchId } = await api("GET", `/api/v1/studies/${study.id}/`);
  const records = await api.all(`/api/v1/data-collection/batches/${batchId}/responses`);
  const question = records.find((record) => record.response.type === "multiple_choice").response.instruction_id;
  const votes = new Map();
  for (const record of records.filter((record) => record.response.instruction_id === question)) {
    const answer = record.response.answer.map((chosen) => chosen.value).sort().join("; ");
    const tally = votes.get(record.task_id) ?? new Map();
    tally.set(answer, (tally.get(answer) ?? 0) + 1);
    votes.set(record.task_id, tally);
  }
  assert.equal(votes.size, 24, "the server has answers for every row");
  for (const row of rows) {
    const tally = [...votes.get(row[0]).entries()].sort((a, b) => b[1] - a[1]);
    const tie = tally.length > 1 && tally[0][1] === tally[1][1];
    assert.equal(row[answerColumn], tie ? "" : tally[0][0], `the majority answer of ${row[0]}`);
    assert.equal(row[tiedColumn] !== "", tie, `a tie is marked for ${row[0]}`);
  }
});

e2eTest("after a restart during collection, the live study is polled again and nothing else", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-restart-");
  const port = await freePort();
  const api = practice(port, token);
  // Participants take a place every 4 s: the study is still collecting at the restart.
  const environment = {
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "4000",
    // Plain log lines, to read which pollers were resumed.
    NO_COLOR: "1",
  };
  let { driver, app } = await scope.launch(environment);
  await dataAndTask(app);
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Collecting");
  await app.end();
  await driver.stop();

  // Relaunched on the same data folder, the app is left on its home page: nothing opens
  // the study, so only the resumed poller can be following it.
  ({ driver, app } = await scope.launch(environment));
  await app.waitForText("body", "Practice mode");
  const [study] = await api.all("/api/v1/studies/");
  const log = async () => {
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const line = driver
        .output()
        .split("\n").find((text) => text.includes("pollers resumed"));
      if (line) return line;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the app did not say which pollers it resumed:\n${driver.output()}`);
  };
  assert.match(await log(), new RegExp(`resumed=\\["${study.id}"\\]`), "exactly the live study");
});
