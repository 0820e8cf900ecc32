// Accessibility checked in the real webview: axe-core (the engine behind most
// accessibility checkers) is loaded into the page through WebDriver and run on what the
// window shows. A screen passes when axe finds no serious or critical violation.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

/** The impacts that fail a screen: axe's two highest. */
const failing = new Set(["serious", "critical"]);

/**
 * Runs axe-core over the whole document (or `css`, when given) and fails, naming each
 * rule, its impact and the elements, when anything serious or critical is found.
 * Returns the number of rules that passed, so a caller can tell the check ran.
 */
export async function assertAccessible(app, screen, css) {
  // A dialog fading in is measured once it has: colours mid-transition are not its own.
  // No transition running is not enough: one about to start leaves the dialog see-through
  // too (seen with WebKit painting without compositing), so every open dialog and what
  // holds it must also be fully opaque.
  await app.waitUntil(`(() => {
    if (document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === "running")) return false;
    return [...document.querySelectorAll('[role="dialog"]')].every((dialog) => {
      for (let node = dialog; node && node !== document.documentElement; node = node.parentElement) {
        if (getComputedStyle(node).opacity !== "1") return false;
      }
      return true;
    });
  })()`);
  // WebDriver scripts run as a function body; axe attaches itself to `window`.
  const loaded = await app.execute(`if (!window.axe) { ${axeSource}\n } return typeof window.axe?.run;`);
  assert.equal(loaded, "function", "axe-core did not load in the webview");
  const result = await app.executeAsync(
    `const done = arguments[arguments.length - 1];
     const context = arguments[0] ? document.querySelector(arguments[0]) : document;
     window.axe
       .run(context, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
       .then((r) => done({ passes: r.passes.length, violations: r.violations.map((v) => ({
         id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " ")),
       })) }))
       .catch((error) => done({ error: String(error) }));`,
    [css ?? null],
  );
  assert.equal(result.error, undefined, `axe-core failed on ${screen}: ${result.error}`);
  const serious = result.violations.filter((violation) => failing.has(violation.impact));
  assert.deepEqual(
    serious.map((v) => `${v.impact}: ${v.id} (${v.help})\n    ${v.nodes.join("\n    ")}`),
    [],
    `accessibility violations on ${screen}`,
  );
  return result.passes;
}

/**
 * Every control the window shows can be reached with Tab: each visible, enabled button,
 * link, field or custom control is in the tab order, or belongs to a group (radio
 * buttons, tabs, a menu) that is entered through one of its members, as the ARIA
 * practices have it. Named controls are axe's part; this is the keyboard's.
 */
export async function assertReachable(app, screen) {
  const unreachable = await app.execute(`
    const interactive = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="link"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="slider"], [role="combobox"], [role="option"], [role="menuitem"], [contenteditable="true"]';
    const roving = { radio: '[role="radiogroup"], fieldset, [role="group"]', tab: '[role="tablist"]', option: '[role="listbox"]', menuitem: '[role="menu"]' };
    const visible = (el) => {
      if (el.closest('[aria-hidden="true"], [inert]')) return false;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    };
    const role = (el) => el.getAttribute("role") ?? (el.type === "radio" ? "radio" : "");
    const describe = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[data-testid="' + el.dataset.testid + '"]' : "") +
      ' "' + (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40) + '"';
    return [...document.querySelectorAll(interactive)]
      .filter((el) => visible(el) && !el.disabled && el.getAttribute("aria-disabled") !== "true")
      // The step a stepper is on marks where one is, it does nothing when pressed.
      .filter((el) => el.getAttribute("aria-current") !== "step")
      // A control inside another one (a check box drawn inside its label's button) is reached with it.
      .filter((el) => !el.parentElement?.closest('button, a[href], [role="button"], [role="option"], [role="menuitem"]'))
      .filter((el) => {
        if (el.tabIndex >= 0) return false;
        const group = roving[role(el)] && el.closest(roving[role(el)]);
        if (group && [...group.querySelectorAll(interactive)].some((other) => other.tabIndex >= 0)) return false;
        return true;
      })
      .map(describe);`);
  assert.deepEqual(unreachable, [], `controls on ${screen} that Tab never reaches`);
}
