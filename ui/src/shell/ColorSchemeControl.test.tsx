import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App, createQueryClient } from "../App";
import { mockBackend } from "../test/fixtures";
import { COLOR_SCHEME_KEY } from "../theme";

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** The operating system's light or dark setting, which the test can change. */
function fakeSystemSetting(dark: boolean) {
  let systemDark = dark;
  const listeners = new Map<string, Set<(event: MediaQueryListEvent) => void>>();
  vi.spyOn(window, "matchMedia").mockImplementation((query: string) => {
    const own = listeners.get(query) ?? new Set();
    listeners.set(query, own);
    return {
      get matches() {
        return query === DARK_QUERY && systemDark;
      },
      media: query,
      onchange: null,
      addListener: (listener: (event: MediaQueryListEvent) => void) => own.add(listener),
      removeListener: (listener: (event: MediaQueryListEvent) => void) => own.delete(listener),
      addEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => own.add(listener),
      removeEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => own.delete(listener),
      dispatchEvent: () => false,
    } as unknown as MediaQueryList;
  });
  return {
    change(dark: boolean) {
      systemDark = dark;
      act(() => {
        for (const listener of listeners.get(DARK_QUERY) ?? []) {
          listener({ matches: dark, media: DARK_QUERY } as MediaQueryListEvent);
        }
      });
    },
  };
}

const shown = () => document.documentElement.getAttribute("data-mantine-color-scheme");

function renderApp() {
  return render(<App queryClient={createQueryClient()} />);
}

describe("appearance", () => {
  beforeEach(() => {
    window.location.hash = "#/";
    document.documentElement.removeAttribute("data-mantine-color-scheme");
  });

  it("switches between light and dark, and remembers the choice on this computer", async () => {
    fakeSystemSetting(false);
    mockBackend();
    const user = userEvent.setup();
    const first = renderApp();
    await screen.findByRole("radiogroup", { name: "Appearance" });
    // Nothing chosen yet: the app matches the system.
    expect(screen.getByRole("radio", { name: "Match system" })).toBeChecked();
    expect(shown()).toBe("light");

    await user.click(screen.getByRole("radio", { name: "Dark" }));
    expect(shown()).toBe("dark");
    expect(window.localStorage.getItem(COLOR_SCHEME_KEY)).toBe("dark");

    // Opened again later, the app comes back dark.
    first.unmount();
    document.documentElement.removeAttribute("data-mantine-color-scheme");
    renderApp();
    expect(await screen.findByRole("radio", { name: "Dark" })).toBeChecked();
    expect(shown()).toBe("dark");

    await user.click(screen.getByRole("radio", { name: "Light" }));
    expect(shown()).toBe("light");
    expect(window.localStorage.getItem(COLOR_SCHEME_KEY)).toBe("light");
  });

  it("keeps following the system while “Match system” is chosen, and only then", async () => {
    const system = fakeSystemSetting(false);
    mockBackend();
    const user = userEvent.setup();
    renderApp();
    await screen.findByRole("radiogroup", { name: "Appearance" });
    expect(shown()).toBe("light");

    system.change(true);
    expect(shown()).toBe("dark");
    system.change(false);
    expect(shown()).toBe("light");

    // A fixed choice stays put when the system changes.
    await user.click(screen.getByRole("radio", { name: "Light" }));
    system.change(true);
    expect(shown()).toBe("light");

    // Back to matching: the system's current setting, and its next change.
    await user.click(screen.getByRole("radio", { name: "Match system" }));
    expect(shown()).toBe("dark");
    expect(window.localStorage.getItem(COLOR_SCHEME_KEY)).toBe("auto");
    system.change(false);
    expect(shown()).toBe("light");
  });

  it("is chosen from the keyboard", async () => {
    fakeSystemSetting(false);
    mockBackend();
    const user = userEvent.setup();
    renderApp();
    await screen.findByRole("radiogroup", { name: "Appearance" });
    act(() => screen.getByRole("radio", { name: "Match system" }).focus());
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("radio", { name: "Dark" })).toBeChecked();
    expect(shown()).toBe("dark");
    expect(window.localStorage.getItem(COLOR_SCHEME_KEY)).toBe("dark");
  });
});
