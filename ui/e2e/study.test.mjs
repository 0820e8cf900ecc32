// The third wizard step in the real app, against the in-app practice server, which the
// test reaches on a fixed port with a known token (it is the same server the app uses):
// the whole wizard is completed, the app is killed between "study created" and
// "published" (its publish held back by the practice server) and relaunched, and there is exactly one study, published once, with the
// right places and the price the cost calculator gives. A balance too small holds
// Publish back with the reason shown. A draft made by a test run is brought up to a
// reward changed afterwards before it is published, at the total the confirmation
// showed; a second start of the app only brings the first window forward.
import assert from "node:assert/strict";

import { application, e2eTest } from "./harness.mjs";
import { dataAndTask, freePort, practice, withoutPilot } from "./practice.mjs";

const token = "e2e-study-token";

/** The app on the data folder `home`, its practice server on `port`; stopped with `scope`. */
function launchApp(scope, home, port, extra = {}) {
  return scope.launch({
    XDG_DATA_HOME: home,
    BATCHDESK_PRACTICE_PORT: String(port),
    BATCHDESK_PRACTICE_TOKEN: token,
    ...extra,
  });
}

async function closeApp({ driver, app }) {
  await app.end().catch(() => undefined);
  await driver.stop();
}

e2eTest("killed between created and published, the relaunched app publishes the one study once", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-study-");
  const port = await freePort();
  const api = practice(port, token);
  let launched = await launchApp(scope, home, port);
  let { app } = launched;
  await dataAndTask(app);
  const before = await api("GET", "/_practice/workspace");

  // The price shown is the cost calculator's for 6 assignments × 3 people.
  const reward = Math.round(Number((await app.value('[data-testid="reward"]')).replace(/[^0-9.]/g, "")) * 100);
  const { total_cost: calculated } = await api("POST", "/api/v1/study-cost-calculator/", {
    reward,
    total_available_places: 18,
  });
  const pence = (text) => Number(text.replace(/[^0-9]/g, ""));
  const shown = await app.waitForText('[data-testid="cost-total"]', "£");
  assert.equal(pence(shown), calculated, `the total shown (${shown}) is the calculator's`);
  await withoutPilot(app);
  const button = await app.waitForText('[data-testid="publish"]', "Publish for");
  assert.equal(pence(button), calculated, `the Publish button (${button}) names the same total`);

  await app.click('[data-testid="publish"]');
  assert.match(await app.waitForText('[data-testid="confirm-summary"]', "places"), /18 places/);
  // The practice server holds the publish call back; once the study is created and the
  // publish is on its way, the app is killed. The click never gets an answer: it is not
  // awaited, the server is watched instead.
  await api("POST", "/_practice/faults", {
    fault: { kind: "slow", delay_ms: 600000 },
    scope: { method: "POST", route: "/api/v1/studies/{id}/transition/" },
    times: { next: 1 },
  });
  void app.clickInPage('[data-testid="publish-now"]').catch(() => undefined);
  await waitUntilPublishHeld(api);
  process.kill(-launched.driver.group, "SIGKILL");
  await waitUntilGone(port);
  await closeApp(launched);

  // Relaunched on the same data folder: the practice server comes back with its work
  // once the app has resumed practice mode (its banner shows).
  launched = await launchApp(scope, home, port);
  ({ app } = launched);
  await app.waitForText("body", "Practice mode");
  const [created, ...others] = await api.all("/api/v1/studies/");
  assert.equal(others.length, 0, "one study");
  assert.equal(created.status, "UNPUBLISHED", "created, not published");
  await app.click('nav[aria-label="Sections"] a[href="#/new"]');
  await app.click('[data-testid="continue-to-study"]');
  await app.waitForText('[data-testid="cost-total"]', "£");
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  await app.clickInPage('[data-testid="publish-now"]');
  // Published: the app moves to the study's page, where it is collecting.
  await app.waitForText('[data-testid="study-phase"]', "Collecting");

  const studies = await api.all("/api/v1/studies/");
  assert.equal(studies.length, 1, "exactly one study");
  assert.equal(studies[0].id, created.id);
  assert.equal(studies[0].status, "ACTIVE");
  assert.equal(studies[0].total_available_places, 18);
  const afterwards = await api("GET", "/_practice/workspace");
  assert.equal(before.available_balance - afterwards.available_balance, calculated, "paid for once");
});

e2eTest("with too small a balance, Publish is held back and says by how much", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-poor-");
  const port = await freePort();
  const { app } = await launchApp(scope, home, port, { BATCHDESK_PRACTICE_BALANCE: "500" });
  await dataAndTask(app);
  const reason = await app.waitForText('[data-testid="publish-blocked"]', "short");
  assert.match(reason, /Your balance is £\s?[\d.,]+ short of the total/);
  assert.equal(await app.execute(`return document.querySelector('[data-testid="publish"]').disabled;`), true);
  await app.waitForText('[data-testid="shortfall"]', "Add at least");
  const studies = await practice(port, token).all("/api/v1/studies/");
  assert.equal(studies.length, 0, "nothing was made");
});

e2eTest("a test run asks once for a test participant email, never the researcher's own, and is free", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-test-run-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await launchApp(scope, home, port);
  await dataAndTask(app);
  const before = await api("GET", "/_practice/workspace");

  // The researcher's own address is registered with Prolific: refused before anything is made.
  const { email: own } = await api("GET", "/api/v1/users/me/");
  await app.type('[data-testid="test-participant-email"]', own);
  await app.click('[data-testid="start-test-run"]');
  const refusal = await app.waitForText('[role="alert"]', "your own Prolific account");
  assert.match(refusal, /never seen/);
  assert.equal((await api.all("/api/v1/studies/")).length, 0, "nothing was made");

  await app.type('[data-testid="test-participant-email"]', "rehearsal+e2e@example.org");
  await app.click('[data-testid="start-test-run"]');
  await app.waitForText('[data-testid="test-run-ready"]', "Your test copy is ready");
  // Registered once: the next run reuses that participant and asks for nothing.
  await app.waitForText('[data-testid="test-participant"]', "rehearsal+e2e@example.org");
  const afterwards = await api("GET", "/_practice/workspace");
  assert.equal(afterwards.available_balance, before.available_balance, "a test run spends nothing");
});

e2eTest("a test run, then a new reward: Publish publishes the new reward at the total it showed", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-stale-draft-");
  const port = await freePort();
  const api = practice(port, token);
  const { app } = await launchApp(scope, home, port);
  await dataAndTask(app);
  const before = await api("GET", "/_practice/workspace");

  // The test run makes the draft study (and its free test copy) with today's reward.
  await app.type('[data-testid="test-participant-email"]', "rehearsal+stale@example.org");
  await app.click('[data-testid="start-test-run"]');
  await app.waitForText('[data-testid="test-run-ready"]', "Your test copy is ready");
  const [draft] = (await api.all("/api/v1/studies/")).filter((study) => study.status === "UNPUBLISHED");
  const oldReward = (await api("GET", `/api/v1/studies/${draft.id}/`)).reward;

  // Then the reward goes up by 25p: the price and the confirmation follow it.
  const newReward = oldReward + 25;
  await app.type('[data-testid="reward"]', (newReward / 100).toFixed(2));
  const { total_cost: calculated } = await api("POST", "/api/v1/study-cost-calculator/", {
    reward: newReward,
    total_available_places: 18,
  });
  const pence = (text) => Number(text.replace(/[^0-9]/g, ""));
  await app.waitUntil(
    `(document.querySelector('[data-testid="publish"]')?.textContent ?? "").replace(/[^0-9]/g, "") === "${calculated}"`,
  );
  await withoutPilot(app);
  await app.click('[data-testid="publish"]');
  const summary = await app.waitForText('[data-testid="confirm-summary"]', "places");
  assert.equal(pence(summary.split("from your workspace")[0]), calculated, `the confirmation (${summary}) shows the new total`);
  await app.clickInPage('[data-testid="publish-now"]');
  await app.waitForText('[data-testid="study-phase"]', "Collecting");

  // The draft was brought up to the new reward before it was published: one study, the new reward.
  const published = await api("GET", `/api/v1/studies/${draft.id}/`);
  assert.equal(published.status, "ACTIVE");
  assert.equal(published.reward, newReward, "the new reward, not the draft's old one");
  const afterwards = await api("GET", "/_practice/workspace");
  assert.equal(before.available_balance - afterwards.available_balance, calculated, "exactly the total confirmed");
});

e2eTest("a second start of the app only brings the first window forward", async (scope) => {
  const home = await scope.scratch("batchdesk-e2e-second-start-");
  const port = await freePort();
  const { driver, app } = await launchApp(scope, home, port);
  // The welcome screen, rendered (the page's first frame already says "Batchdesk").
  await app.waitUntil(`document.querySelector('[data-testid="choose-practice"]')`);
  const second = scope.spawn(
    application,
    [],
    {
      env: { ...process.env, XDG_DATA_HOME: home, BATCHDESK_PRACTICE_PORT: String(port), BATCHDESK_PRACTICE_TOKEN: token },
      stdio: "ignore",
    },
    "second Batchdesk",
  );
  const { code } = await Promise.race([
    second.exited,
    new Promise((_, fail) => setTimeout(() => fail(new Error("the second start did not end within 30 s")), 30_000)),
  ]);
  assert.equal(code, 0, "the second start ends on its own, without an error");
  for (const deadline = Date.now() + 30_000; !driver.output().includes("the window already open was brought forward"); ) {
    if (Date.now() > deadline) throw new Error("the first app was never asked to come forward");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The first window is still there and answers.
  await app.waitUntil(`document.querySelector('[data-testid="choose-practice"]')`);
});

/**
 * Waits until the app (and the practice server inside it) has died: asked every 200 ms,
 * at most 20 s. The app exits on its own; this only watches for it.
 */
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
  throw new Error("the app did not die after the study was created");
}

/** Waits until the app has created its one study and the server holds its publish call. */
async function waitUntilPublishHeld(api) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const studies = await api.all("/api/v1/studies/");
    const faults = await api("GET", "/_practice/faults");
    if (studies.length === 1 && faults.length === 0) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error("the app did not create the study and ask to publish it");
}
