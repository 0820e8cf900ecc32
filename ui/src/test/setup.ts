import "@testing-library/jest-dom/vitest";

import { cleanup } from "@testing-library/react";
import { clearMocks, mockWindows } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";

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
beforeEach(() => {
  mockWindows("main");
});

afterEach(async () => {
  cleanup();
  // Let listeners unregister before the IPC mocks go away.
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});
