// A small W3C WebDriver client for tauri-driver: enough to launch the real app, find
// elements, read text and click. Waiting is done by WebDriver's implicit wait (the
// driver retries a lookup until the element exists), never by sleeping.
import { once } from "node:events";
import { createServer } from "node:net";

import { groupRuns, spawnTracked } from "./processes.mjs";

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

async function call(base, method, path, body) {
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // Longer than any wait the driver does itself (lookups and page scripts give up
      // after 20 s): a driver that stops answering fails the call instead of hanging it.
      signal: AbortSignal.timeout(90_000),
    });
  } catch (error) {
    // A plain Error naming the call: node:test passes a failure from the test's process
    // to the runner's by serialising it, and an abort's DOMException arrives as "{}".
    const why = error?.name === "TimeoutError" ? "did not answer within 90 s" : `failed: ${error?.message ?? error}`;
    throw new Error(`WebDriver ${method} ${path} ${why}`, { cause: error });
  }
  const payload = await response.json();
  if (!response.ok) {
    const { error, message } = payload.value ?? {};
    throw new Error(`WebDriver ${method} ${path} failed (${response.status}): ${error}: ${message}`);
  }
  return payload.value;
}

/**
 * Starts tauri-driver with `env` (inherited by the app) and waits until it answers.
 * Everything the driver and the app print is kept in `driver.output()`, so tests can
 * search the app's logs.
 */
export async function startDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group, so stop() also ends WebKitWebDriver, the app and WebKit's
  // helper processes, even one whose session was deleted but did not quit.
  const { child: driver, exited: exit, stop } = spawnTracked(
    "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    "tauri-driver and the app",
  );
  let output = "";
  for (const stream of [driver.stdout, driver.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      output += chunk;
      if (process.env.BATCHDESK_E2E_VERBOSE) process.stderr.write(chunk);
    });
  }
  let stopping = false;
  const exited = exit.then(({ code, signal }) => {
    if (!stopping) {
      process.stderr.write(`tauri-driver exited unexpectedly (code ${code}, signal ${signal})\n${output}`);
    }
    throw new Error(`tauri-driver exited early (code ${code}, signal ${signal})`);
  });
  exited.catch(() => undefined);
  const base = `http://127.0.0.1:${port}`;
  // tauri-driver gives no readiness signal but its status endpoint: ask until it answers.
  const ready = (async () => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      try {
        await call(base, "GET", "/status");
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error("tauri-driver did not start listening within 10 s");
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    stopping = true;
    await stop();
    throw error;
  }
  return {
    base,
    output: () => output,
    /** The driver's process group, which the apps it starts belong to. */
    group: driver.pid,
    async stop() {
      stopping = true;
      await stop();
    },
  };
}

/**
 * Launches the app through WebKitWebDriver. A relaunch on the same driver was seen (about
 * one run in ten) to give a session whose app never started: nothing logged, nothing
 * drawn. So the launch waits for the app's first drawing (30 s at most) and, that once,
 * launches again, saying so; a second launch that draws nothing fails the test.
 */
async function launchApp(driver, application, args) {
  const drawn = `
    const done = arguments[arguments.length - 1];
    const check = () => (document.getElementById("root")?.childElementCount ?? 0) > 0;
    if (check()) return done(true);
    const timer = setInterval(() => { if (check()) { clearInterval(timer); done(true); } }, 100);
    setTimeout(() => { clearInterval(timer); done(false); }, 25000);`;
  for (let attempt = 1; ; attempt += 1) {
    const session = await call(driver.base, "POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application, args } } },
    });
    const path = `/session/${session.sessionId}`;
    const shown = await call(driver.base, "POST", `${path}/execute/async`, { script: drawn, args: [] }).catch(
      () => false,
    );
    if (shown || attempt >= 2) return path;
    process.stderr.write("the app drew nothing within 25 s of its launch: launching it again\n");
    await call(driver.base, "DELETE", path).catch(() => undefined);
  }
}

/** Starts `application` (with command-line `args`, if any) in a new session. */
export async function startSession(driver, application, args = []) {
  const path = await launchApp(driver, application, args);
  // Lookups wait for their element this long: a busy machine (a build beside the suite)
  // was seen to take over 20 s to show the app's next page.
  await call(driver.base, "POST", `${path}/timeouts`, { implicit: 45_000 });
  const find = async (css) => {
    try {
      const element = await call(driver.base, "POST", `${path}/element`, { using: "css selector", value: css });
      return element[ELEMENT_KEY];
    } catch (error) {
      throw new Error(`${css}: ${error.message}; the page showed: ${await pageText()}`, { cause: error });
    }
  };
  /** Where the window is and what it says, to explain a lookup that failed. */
  const pageText = () =>
    call(driver.base, "POST", `${path}/execute/sync`, {
      script: `return location.hash + " | " + (document.querySelector("main") ?? document.body).innerText
        .replace(/\\s+/g, " ").slice(0, 600);`,
      args: [],
    }).catch((error) => `(the page could not be read: ${error.message})`);
  return {
    async text(css) {
      // React may replace the element between finding it and reading it ("stale
      // element"): then it is found again, a few times at most.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const id = await find(css);
          return await call(driver.base, "GET", `${path}/element/${id}/text`);
        } catch (error) {
          if (attempt >= 3 || !String(error.message).includes("stale element")) throw error;
        }
      }
    },
    async click(css) {
      // A pointer click lands where the element was a moment before. Under load a step
      // still loading moved its buttons between WebDriver's aim and its click, which then
      // went to empty space (seen: "Back to your data" clicked, the wizard still on step 2).
      // So the element is brought to the middle of the window, left to hold still, and
      // watched: a click it did not receive is tried again, a few times at most. React
      // replacing the element ("stale element") is also tried again.
      const settle = `
        const [element, token, done] = arguments;
        element.scrollIntoView({ block: "center" });
        // Watched from the window, first of all: the app's own capturing listeners (the
        // external-link guard) may stop a click before it reaches the element itself.
        if (!window.__e2eClickListening) {
          window.__e2eClickListening = true;
          window.addEventListener("click", (event) => {
            const watch = window.__e2eClickWatch;
            if (watch && watch.element.contains(event.target)) watch.hit = watch.token;
          }, true);
        }
        window.__e2eClickWatch = { element, token, hit: null };
        let last = "", still = 0, frames = 0;
        const watch = () => {
          const r = element.getBoundingClientRect();
          const now = [r.x, r.y, r.width, r.height].join();
          still = now === last ? still + 1 : 0;
          last = now;
          frames += 1;
          if (still >= 3 || frames > 120) done(true); else requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);`;
      for (let attempt = 1; ; attempt += 1) {
        const token = `${Date.now()}-${attempt}`;
        try {
          const id = await find(css);
          const element = { [ELEMENT_KEY]: id };
          await call(driver.base, "POST", `${path}/execute/async`, { script: settle, args: [element, token] });
          await call(driver.base, "POST", `${path}/element/${id}/click`, {});
          // An element the click removed (a page it opened) has had it: only one still
          // shown without the mark missed it.
          const missed = await call(driver.base, "POST", `${path}/execute/sync`, {
            script: `const w = window.__e2eClickWatch;
              return Boolean(w && w.token === arguments[0] && w.hit !== w.token && w.element.isConnected);`,
            args: [token],
          }).catch(() => false);
          if (!missed) return;
          if (attempt >= 3) throw new Error(`${css}: three clicks did not reach it; the page showed: ${await pageText()}`);
        } catch (error) {
          if (attempt >= 3 || !String(error.message).includes("stale element")) throw error;
        }
      }
    },
    /**
     * Replaces what the field holds with `text`, as a person would: select all, then type.
     * (WebDriver's "clear" empties the field outside React, and a controlled input may
     * put its value back before the typing lands: "10", cleared, typed "4", became "104".)
     * The field is focused first: WebDriver moves the caret to the end, losing the
     * selection, only when it gives an element the focus itself.
     */
    async type(css, text) {
      const id = await find(css);
      await call(driver.base, "POST", `${path}/execute/sync`, {
        script: "arguments[0].focus(); arguments[0].select();",
        args: [{ [ELEMENT_KEY]: id }],
      });
      await call(driver.base, "POST", `${path}/element/${id}/value`, { text });
    },
    /**
     * Clicks in the page rather than through WebDriver's pointer: for Mantine menus and
     * modals, which fade in over the page. While they do, WebKitWebDriver reports the
     * click as "intercepted" (even when the hit test lands on the button's own label).
     * The element is still found the usual way, waiting for it to exist.
     */
    async clickInPage(css) {
      const id = await find(css);
      await call(driver.base, "POST", `${path}/execute/sync`, {
        script: "arguments[0].click();",
        args: [{ [ELEMENT_KEY]: id }],
      });
    },
    /** Types into the `index`th element matching `css` (negative counts from the end). */
    async typeInto(css, index, text) {
      const found = await call(driver.base, "POST", `${path}/elements`, { using: "css selector", value: css });
      const element = found.at(index);
      if (!element) throw new Error(`no element ${index} of ${css}`);
      await call(driver.base, "POST", `${path}/element/${element[ELEMENT_KEY]}/value`, { text });
    },
    /** An input's current value (found again if React replaced it meanwhile). */
    async value(css) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const id = await find(css);
          return await call(driver.base, "GET", `${path}/element/${id}/property/value`);
        } catch (error) {
          if (attempt >= 3 || !String(error.message).includes("stale element")) throw error;
        }
      }
    },
    /**
     * The text of the first element matching `css` whose text contains `needle`, checked
     * on every change to the page: at most `seconds`. On time-out the error says what the
     * matching elements held instead.
     */
    async waitForText(css, needle, seconds = 90) {
      const script = `
        const [css, needle, done] = arguments;
        const seek = () => {
          const hit = [...document.querySelectorAll(css)].find((el) => el.textContent.includes(needle));
          if (hit) { done(hit.textContent); return true; }
          return false;
        };
        if (!seek()) {
          const observer = new MutationObserver(() => { if (seek()) { observer.disconnect(); clearTimeout(timer); } });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          const timer = setTimeout(() => { observer.disconnect(); done(null); }, 20000);
        }`;
      for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
        const text = await call(driver.base, "POST", `${path}/execute/async`, { script, args: [css, needle] });
        if (text !== null) return text;
      }
      const seen = await call(driver.base, "POST", `${path}/execute/sync`, {
        script: "return [...document.querySelectorAll(arguments[0])].map((el) => el.textContent);",
        args: [css],
      });
      // What the window showed instead, to explain a failure seen only on a busy machine.
      const page = await pageText();
      throw new Error(
        `waited ${seconds} s for "${needle}" in ${css}; it held ${JSON.stringify(seen)}; the page showed: ${page}`,
      );
    },
    /**
     * Waits until the page expression `expression` (test code, put into the script as it
     * is) is truthy, checked on every change to the page (nodes, text and attributes),
     * and answers its value: at most `seconds`.
     */
    async waitUntil(expression, seconds = 120) {
      const script = `
        const done = arguments[arguments.length - 1];
        const check = () => { const value = (${expression}); if (value) { done(value); return true; } return false; };
        if (!check()) {
          const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); clearTimeout(timer); } });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
          const timer = setTimeout(() => { observer.disconnect(); done(null); }, 20000);
        }`;
      for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
        const value = await call(driver.base, "POST", `${path}/execute/async`, { script, args: [] });
        if (value) return value;
      }
      throw new Error(`waited ${seconds} s for: ${expression}`);
    },
    /** Runs `script` in the page (its `arguments` are `args`) and answers its return value. */
    async execute(script, args = []) {
      return call(driver.base, "POST", `${path}/execute/sync`, { script, args });
    },
    /** Runs `script` in the page and answers what it passes to its last argument, `done`. */
    async executeAsync(script, args = []) {
      return call(driver.base, "POST", `${path}/execute/async`, { script, args });
    },
    /**
     * Saves what the X display shows (WebKit's own screenshots can lag a frame); with
     * `size`, only the window's `width`×`height` at the top left, where it sits.
     */
    async screenshot(file, size) {
      const { execFile } = await import("node:child_process");
      const crop = size ? ["-crop", `${size.width}x${size.height}+0+0`, "+repage"] : [];
      await new Promise((resolve, reject) =>
        execFile("import", ["-window", "root", ...crop, file], (error) => (error ? reject(error) : resolve())),
      );
    },
    /** Moves the mouse pointer to (`x`, `y`) in the window, hovering whatever is there. */
    async movePointer(x, y) {
      await call(driver.base, "POST", `${path}/actions`, {
        actions: [{ type: "pointer", id: "mouse", actions: [{ type: "pointerMove", origin: "viewport", x, y }] }],
      });
    },
    /** Where the window is and its size: `{ x, y, width, height }`. */
    async rect() {
      return call(driver.base, "GET", `${path}/window/rect`);
    },
    /** Moves the window to the top left of the display and gives it this size. */
    async resize(width, height) {
      await call(driver.base, "POST", `${path}/window/rect`, { x: 0, y: 0, width, height });
    },
    /**
     * Closes the app, and waits (15 s at most) until its process has gone: the next app
     * started on the same data folder must not meet the one still closing (a relaunch
     * was seen to show nothing under load).
     */
    async end() {
      await call(driver.base, "DELETE", path);
      const { realpathSync } = await import("node:fs");
      const program = realpathSync(application);
      for (let waited = 0; groupRuns(driver.group, program) && waited < 15_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
