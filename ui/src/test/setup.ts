import "@testing-library/jest-dom/vitest";
// Components render their words from the English catalogue, as in the app.
import "../i18n";

import { cleanup, configure } from "@testing-library/react";
import { clearMocks, mockWindows } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";

// The "find" queries wait for what settles asynchronously. Their 1 s default was seen to
// run out on a machine busy with a build (the whole app renders before a query finds
// its button); waiting longer costs nothing when the page is quick.
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks the layout APIs Mantine's components ask for.
Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = NoopResizeObserver;
window.HTMLElement.prototype.scrollIntoView = () => undefined;
// Textarea's autosize waits for web fonts to load, through a font set jsdom does not have.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", {
    value: { addEventListener: () => undefined, removeEventListener: () => undefined, ready: Promise.resolve() },
  });
}

// The app runs in the window labelled "main" (the webview's drag-and-drop needs it).
// Each test starts as a first run: no remembered appearance, no hints dismissed.
beforeEach(() => {
  mockWindows("main");
  window.localStorage.clear();
});

afterEach(async () => {
  cleanup();
  // Let listeners unregister before the IPC mocks go away.
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});
