// A tour of every screen of the real app, for the screenshots in .ci/screenshots/: each
// screen at 1280×800 and 900×650, light and dark, reached as a researcher reaches it in
// practice mode (welcome, first-run Home, the three wizard steps, the pilot, the publish
// confirmation, a study filling, its results and participants, Batches, Account, Home with a batch
// under way). Not part of the test suite: run it with `.ci/tour` after a build.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

import { e2eTest } from "./harness.mjs";
import { continueWhenEnabled, freePort, practice, withoutPilot } from "./practice.mjs";

const out = resolve(process.env.BATCHDESK_TOUR_OUT ?? resolve(import.meta.dirname, "../../.ci/screenshots"));
const sizes = [
  [1280, 800],
  [900, 650],
];
const themes = ["light", "dark"];
const token = "tour-token";

/** Sets the theme through Mantine's own storage-event path, as another window would. */
async function theme(app, scheme) {
  await app.execute(`
    localStorage.setItem("batchdesk-color-scheme", arguments[0]);
    window.dispatchEvent(new StorageEvent("storage", {
      key: "batchdesk-color-scheme", newValue: arguments[0], storageArea: localStorage }));`, [scheme]);
}

/**
 * Waits until the page has drawn three frames since now and every CSS transition and
 * animation running then has finished (a theme change fades colours in): what is shot
 * is what the researcher sees once the screen is still.
 */
async function settle(app) {
  await app.executeAsync(`
    const done = arguments[arguments.length - 1];
    const frames = (n, then) => requestAnimationFrame(() => (n > 1 ? frames(n - 1, then) : then()));
    frames(3, () => {
      const running = document.getAnimations().filter((animation) => animation.effect?.getTiming().iterations !== Infinity);
      Promise.allSettled(running.map((animation) => animation.finished)).then(() => frames(2, () => done(true)));
    });`);
}

/** Saves `name` in every size and theme, with `css` (if given) scrolled to the top. */
async function shoot(app, name, css) {
  for (const [width, height] of sizes) {
    await app.resize(width, height);
    for (const scheme of themes) {
      await theme(app, scheme);
      // Nothing hovered (a tooltip left from a click), and the screen's part in view
      // below the practice banner that stays at the top.
      await app.movePointer(2, height - 2);
      if (css) {
        await app.execute(
          `document.querySelector(arguments[0])?.scrollIntoView({ block: "start" });
           window.scrollBy(0, -(document.querySelector("header")?.offsetHeight ?? 0) - 12);`,
          [css],
        );
      } else await app.execute("window.scrollTo(0, 0);");
      await settle(app);
      await app.screenshot(`${out}/${name}-${scheme}-${width}x${height}.png`, { width, height });
    }
  }
  await app.resize(sizes[0][0], sizes[0][1]);
}

e2eTest("a tour of every screen, for the screenshots", { timeout: 900 }, async (scope) => {
  mkdirSync(out, { recursive: true });
  const home = await scope.scratch("batchdesk-tour-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    BATCHDESK_PRACTICE_PACE_MS: "150",
    // Money and dates as a researcher in the UK sees them (the bare test machine has no
    // locale, and WebKit then spaces "£ 37.80").
    LANG: "en_GB.UTF-8",
  });
  await app.resize(sizes[0][0], sizes[0][1]);
  await app.waitUntil(`document.querySelector('[data-testid="choose-practice"]')`);
  await shoot(app, "01-welcome");

  await app.click('[data-testid="choose-practice"]');
  // Some simulated people click through, so the participants' scorecard has news.
  await api("PATCH", "/_practice/workspace", {
    crowd_mix: { careful: 10, average: 70, fast_clicker: 10, straight_liner: 5, bot: 5 },
  });
  await app.waitUntil(`document.querySelector('[data-testid="first-run-hints"]')`);
  await shoot(app, "02-home-first-run");

  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.waitUntil(`document.querySelector('[data-testid="sample-reviews"]')`);
  await shoot(app, "03-data-empty");
  await app.click('[data-testid="sample-reviews"]');
  await app.waitForText('[data-testid="file-name"]', "reviews.csv");
  await shoot(app, "04-data-checked");

  await continueWhenEnabled(app, "continue-to-task");
  await app.waitUntil(`document.querySelector('[data-testid="template-sentiment"]')`);
  await shoot(app, "05-task-start");
  await app.click('[data-testid="template-sentiment"]');
  await app.waitUntil(`document.querySelector('[data-testid="column-choice-text"]')`);
  await shoot(app, "06-task-template");
  await app.clickInPage('[data-testid="column-choice-ok-text"]');
  await app.clickInPage('[data-testid="tab-preview"]');
  await app.waitForText('[data-testid="task-editor"]', "Great product");
  await shoot(app, "07-task-preview");
  await app.clickInPage('[data-testid="tab-edit"]');
  await app.type('[data-testid="tasks-per-group"]', "4");
  await app.waitForText('[data-testid="assignment-count"]', "make 6 assignments");
  await shoot(app, "08-task-questions", '[data-testid="tasks-per-group"]');

  await continueWhenEnabled(app, "continue-to-study");
  await app.waitForText('[data-testid="cost-total"]', "£");
  await shoot(app, "09-study-settings");
  await shoot(app, "10-study-pilot", '[data-testid="pilot-panel"]');
  await withoutPilot(app);
  await app.waitUntil(`(() => { const b = document.querySelector('[data-testid="publish"]'); return b && !b.disabled; })()`);
  await app.click('[data-testid="publish"]');
  await app.waitForText('[data-testid="confirm-summary"]', "places");
  await shoot(app, "11-publish-confirm");
  await app.clickInPage('[data-testid="publish-now"]');

  await app.waitForText('[data-testid="study-phase"]', "Collecting", 60);
  await shoot(app, "12-study-collecting");
  await app.waitForText('[data-testid="study-phase"]', "Awaiting your review", 180);
  await app.waitUntil(`document.querySelectorAll('[data-testid="response-row"]').length > 0`, 60);
  await shoot(app, "13-study-results", '[aria-label="Results"]');
  await shoot(app, "14-study-responses", '[data-testid="responses"]');
  await app.waitUntil(`document.querySelector('[data-testid="scorecard-table"]')`, 60);
  await shoot(app, "15-study-participants", '[data-testid="scorecard"]');

  await app.click('nav[aria-label="Sections"] a[href="#/batches"]');
  await app.waitUntil(`document.querySelector('[data-testid="study-card"]')`);
  await shoot(app, "16-batches");
  await app.click('nav[aria-label="Sections"] a[href="#/account"]');
  await app.waitForText('[data-testid="account-balance"]', "£");
  await shoot(app, "17-account");
  await app.click('nav[aria-label="Sections"] a[href="#/"]');
  await app.waitUntil(`document.querySelector('[data-testid="running-now"]')`);
  await shoot(app, "18-home");

  const [study] = await api.all("/api/v1/studies/");
  assert.ok(study, "the tour published a study");
});
