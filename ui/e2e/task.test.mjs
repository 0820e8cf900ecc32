// The second wizard step in the real app: a template file from elsewhere and CSV cells
// full of markup render inert in the participant preview; then a task started from a
// built-in template gets one question of each of the five types, is previewed on two
// rows, and its batch is set up on the practice server (READY, one task per row); after a
// restart all of it is back. A link in the preview's task text never takes the window
// away from the app: the researcher is asked about opening it in the browser instead.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before } from "node:test";

import { answerFileDialog } from "./desktop.mjs";
import { application, e2eTest, fileScope } from "./harness.mjs";
import { continueWhenEnabled } from "./practice.mjs";
import { startSession } from "./webdriver.mjs";

// Each payload would set window.__pwned if anything in it ran.
const rows = [
  ["1", '<img src=x onerror="window.__pwned=1">', "first"],
  ["2", "<script>window.__pwned=2</script>", '<a href="javascript:window.__pwned=3">click me</a>'],
  ["3", "A calm third row", "third"],
];
const csv = ["id,text,note", ...rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(","))].join(
  "\n",
);
// A file saved by an earlier Batchdesk (version 1 spelt question types as Prolific does,
// `free_text`): it still opens.
const template = {
  format: "batchdesk-task-template",
  version: 1,
  name: "From a colleague",
  description: "",
  design: {
    title: "A task from a colleague",
    introduction:
      '<p>Welcome.</p><img src=x onerror="window.__pwned=4"><script>window.__pwned=5</script>' +
      '<p><a href="javascript:window.__pwned=6">a sneaky link</a></p>' +
      '<p>Read <a href="https://example.org/guidelines" target="_blank">the guidelines</a>.</p>',
    steps: '<p onclick="window.__pwned=7">Read, then answer.</p>',
    dataRows: [{ columns: ["text"] }, { columns: ["note"] }],
    questions: [
      {
        key: "q",
        description: "Is it kind?",
        helperText: "",
        kind: { type: "free_text", placeholder: "", minLength: null, maxLength: null },
      },
    ],
    tasksPerGroup: 1,
  },
};

let scratch;
let driver;
let app;

before(async () => {
  scratch = await fileScope.scratch("batchdesk-e2e-task-");
  ({ driver, app } = await fileScope.launch({ XDG_DATA_HOME: join(scratch, "data-home") }));
  await app.click('[data-testid="choose-practice"]');
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  const data = join(scratch, "markup.csv");
  await writeFile(data, csv);
  await app.click('[data-testid="choose-file"]');
  await answerFileDialog("Choose your data file", data);
  // Continue uploads the file and opens the task; step 1, one click back, shows it read.
  await continueWhenEnabled(app, "continue-to-task");
  await app.click('[data-testid="back-to-data"]');
  assert.match(await app.waitForText('[data-testid="upload-ready"]', "has read"), /has read 3 rows/);
  await app.click('[data-testid="continue-to-task"]');
});

/** What in the page could have run, and whether anything did. */
async function nothingRan() {
  return app.execute(`
    const preview = document.querySelector('article[aria-label="What a participant sees"]');
    return {
      pwned: window.__pwned ?? null,
      scripts: preview.querySelectorAll("script").length,
      images: [...preview.querySelectorAll("img")].map((img) => img.getAttribute("src")),
      handlers: [...preview.querySelectorAll("*")].filter((el) =>
        [...el.attributes].some((attribute) => attribute.name.startsWith("on"))).length,
      scriptLinks: [...preview.querySelectorAll("a")].filter((a) =>
        (a.getAttribute("href") ?? "").trim().toLowerCase().startsWith("javascript")).length,
    };`);
}

e2eTest("a template file and CSV cells full of markup stay inert in the participant preview", async () => {
  const file = join(scratch, "colleague.json");
  await writeFile(file, JSON.stringify(template));
  await app.click('[data-testid="open-template-file"]');
  await answerFileDialog("Open a task template", file);
  await app.waitForText('[data-testid="save-state"]', "All changes saved");

  await app.click('[data-testid="tab-preview"]');
  assert.match(await app.waitForText('[data-testid="introduction"]', "Welcome."), /a sneaky link/);
  assert.equal(await app.text('[data-testid="row-position"]'), "Row 1 of 3");
  // The cell's markup is shown as the text it is.
  await app.waitForText('[data-testid="data-cell"]', '<img src=x onerror="window.__pwned=1">');
  assert.deepEqual(await nothingRan(), { pwned: null, scripts: 0, images: [], handlers: 0, scriptLinks: 0 });

  await app.click('[data-testid="next-row"]');
  await app.waitForText('[data-testid="data-cell"]', "<script>window.__pwned=2</script>");
  await app.waitForText('[data-testid="data-cell"]', 'javascript:window.__pwned=3');
  assert.deepEqual(await nothingRan(), { pwned: null, scripts: 0, images: [], handlers: 0, scriptLinks: 0 });
});

/** Waits (30 s at most) until the app has logged a line containing `needle`. */
async function waitForLog(needle) {
  for (const deadline = Date.now() + 30_000; !driver.output().includes(needle); ) {
    if (Date.now() > deadline) throw new Error(`the app never logged "${needle}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

e2eTest("a link in the participant preview asks before opening the browser, and the window stays", async () => {
  const home = await app.execute("return window.location.href;");
  assert.match(home, /^tauri:\/\/localhost[/#]/);
  await app.click('[data-testid="introduction"] a[href="https://example.org/guidelines"]');
  await app.waitForText(".mantine-Modal-title", "Open example.org in your browser?");
  assert.equal(await app.execute("return window.location.href;"), home);
  await app.clickInPage('[data-testid="external-link-cancel"]');
  await app.waitUntil('!document.querySelector(".mantine-Modal-title")');

  // Past the UI, the window itself refuses to leave the app and to open another window.
  await app.execute('window.location.assign("https://example.org/elsewhere");');
  await waitForLog("https://example.org/elsewhere");
  // A page's own window.open, from a click (WebKit blocks one without a click earlier).
  await app.execute(`
    const button = document.createElement("button");
    button.id = "e2e-popup";
    button.textContent = "A popup";
    button.style.cssText = "position: fixed; top: 50%; left: 50%; z-index: 100000";
    button.addEventListener("click", () => { window.__popup = window.open("https://example.org/popup"); });
    document.body.append(button);`);
  await app.click("#e2e-popup");
  await waitForLog("https://example.org/popup");
  assert.equal(await app.execute("return window.__popup === null;"), true, "window.open gave no window");
  await app.execute('document.getElementById("e2e-popup").remove();');
  assert.equal(await app.execute("return window.location.href;"), home);
  assert.match(await app.waitForText('[data-testid="introduction"]', "Welcome."), /the guidelines/);
});

e2eTest("a task from a template with one question of each type is previewed and set up", async () => {
  await app.clickInPage('[data-testid="template-menu"]');
  await app.clickInPage('[data-testid="restart-sentiment"]');
  await app.clickInPage('[data-testid="confirm-replace"]');
  // The modal's overlay is still fading out over the tabs.
  await app.clickInPage('[data-testid="tab-edit"]');
  assert.equal(await app.value('[data-testid="task-title"]'), "Is this text positive, negative or neutral?");

  const added = {
    multipleChoice: "Which topics does it touch?",
    multipleChoiceWithFreeText: "Would you share it?",
    freeText: "Summarise it in a sentence.",
    freeTextWithUnit: "How long would it take to read?",
    fileUpload: "Upload a screenshot if it shows a problem.",
  };
  for (const [type, description] of Object.entries(added)) {
    await app.clickInPage('[data-testid="add-question"]');
    await app.clickInPage(`[data-testid="add-${type}"]`);
    await app.typeInto('[data-testid="question-description"]', -1, description);
  }
  await app.type('[data-testid="tasks-per-group"]', "1");
  // The count already holds a "3" (the rows) before the change: wait for the new count.
  await app.waitForText('[data-testid="assignment-count"]', "make 3 assignments");

  await app.click('[data-testid="tab-preview"]');
  await app.waitForText('[data-testid="row-position"]', "Row 1 of 3");
  await app.waitForText('article[aria-label="What a participant sees"]', "Upload a screenshot if it shows a problem.");
  await app.click('[data-testid="next-row"]');
  await app.waitForText('[data-testid="row-position"]', "Row 2 of 3");
  const shown = await app.execute(
    `return document.querySelector('article[aria-label="What a participant sees"]').textContent;`,
  );
  for (const description of ["What feeling does this text express?", ...Object.values(added)]) {
    assert.ok(shown.includes(description), `the preview shows "${description}"`);
  }

  assert.deepEqual(await nothingRan(), { pwned: null, scripts: 0, images: [], handlers: 0, scriptLinks: 0 });

  // Continue sets the batch up, then opens step 3; the totals are on step 2, one click back.
  await continueWhenEnabled(app, "continue-to-study");
  // Step 3's own Back, found once step 3 is open.
  await app.click('[data-testid="back-to-task"]');
  // Read from the DOM: WebKitWebDriver reads Mantine's alert text as empty.
  const totals = await app.waitForText('[data-testid="setup-totals"]', "tasks");
  assert.match(totals, /made 3 tasks in 3 assignments/);
  // The preview, shown again, has still run nothing.
  await app.click('[data-testid="tab-preview"]');
  await app.waitForText('[data-testid="row-position"]', "Row 1 of 3");
  assert.deepEqual(await nothingRan(), { pwned: null, scripts: 0, images: [], handlers: 0, scriptLinks: 0 });
});

e2eTest("after a restart the task is back as it was, its batch still set up", async () => {
  await app.end();
  app = await startSession(driver, application);
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  // The data is uploaded, so New batch opens on the task.
  assert.equal(await app.value('[data-testid="task-title"]'), "Is this text positive, negative or neutral?");
  const questions = await app.execute(`return document.querySelectorAll('[data-testid="question-card"]').length;`);
  assert.equal(questions, 6, "the template's question and the five added");
  assert.match(await app.waitForText('[data-testid="setup-totals"]', "tasks"), /3 tasks in 3 assignments/);
});
