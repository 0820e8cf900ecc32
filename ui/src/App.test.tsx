import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App, createQueryClient } from "./App";
import { appInfo, mockBackend, ipcError } from "./test/fixtures";

function renderApp() {
  return render(<App queryClient={createQueryClient()} />);
}

describe("app shell", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("shows what Rust says about this copy on the Account page", async () => {
    window.location.hash = "#/account";
    mockBackend();
    renderApp();
    expect(await screen.findByTestId("app-version")).toHaveTextContent("Batchdesk 0.1.0");
    expect(screen.getByTestId("app-flavour")).toHaveTextContent("test build");
    expect(screen.getByTestId("app-data-dir")).toHaveTextContent(appInfo.dataDir);
  });

  it("formats money for the locale Rust read from the OS, from the first render on", async () => {
    window.location.hash = "#/account";
    mockBackend({ app_info: () => ({ ...appInfo, formatLocale: "de-DE" }) });
    renderApp();
    // 125050 pence: German digits, whatever the webview's own language.
    expect(await screen.findByTestId("account-balance")).toHaveTextContent(/^1\.250,50\s£$/);
    expect(screen.getByTestId("account-name")).toBeInTheDocument();
  });

  it("renders from the facts Rust gave with the page, without asking for them", async () => {
    window.location.hash = "#/account";
    const asked: string[] = [];
    mockBackend({
      app_info: () => {
        asked.push("app_info");
        return appInfo;
      },
    });
    // What startup.rs's boot script defines before the page's scripts run.
    Object.defineProperty(window, "__BATCHDESK_BOOT__", {
      value: { appInfo: { ...appInfo, formatLocale: "de-DE" } },
      configurable: true,
    });
    vi.resetModules();
    try {
      const fresh = await import("./App");
      render(<fresh.App queryClient={fresh.createQueryClient()} />);
      expect(await screen.findByTestId("account-balance")).toHaveTextContent(/^1\.250,50\s£$/);
      expect(asked).toEqual([]);
    } finally {
      Reflect.deleteProperty(window, "__BATCHDESK_BOOT__");
      vi.resetModules();
    }
  });

  it("uses the webview's own formats when the OS names no locale", async () => {
    window.location.hash = "#/account";
    mockBackend({ app_info: () => ({ ...appInfo, formatLocale: null }) });
    renderApp();
    expect(await screen.findByTestId("account-balance")).toHaveTextContent(
      new Intl.NumberFormat(undefined, { style: "currency", currency: "GBP" }).format(1250.5),
    );
  });

  it("explains a failure in plain words", async () => {
    window.location.hash = "#/account";
    mockBackend({
        app_info: () => {
          throw ipcError("storeFailed", "errors:store.sqlite", { reason: "disk I/O error" });
        },
      });
    renderApp();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The local database failed: disk I/O error");
  });

  it("navigates between the four sections with links and marks the current one", async () => {
    mockBackend();
    const user = userEvent.setup();
    renderApp();
    const nav = await screen.findByRole("navigation", { name: "Sections" });
    const links = within(nav).getAllByRole("link");
    expect(links.map((link) => link.textContent)).toEqual([
      expect.stringContaining("Home"),
      expect.stringContaining("New batch"),
      expect.stringContaining("Batches"),
      expect.stringContaining("Account"),
    ]);
    await user.click(within(nav).getByRole("link", { name: /Batches/ }));
    expect(await screen.findByRole("heading", { name: "Batches", level: 2 })).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: /Batches/ })).toHaveAttribute("aria-current", "page");
  });

  it("reaches every section from the keyboard alone", async () => {
    mockBackend();
    const user = userEvent.setup();
    renderApp();
    await screen.findByRole("navigation", { name: "Sections" });
    // Tab order: the skip link, the practice banner's link, then the sections.
    await user.keyboard("{Tab}");
    expect(screen.getByRole("button", { name: "Skip to content" })).toHaveFocus();
    await user.keyboard("{Tab}");
    expect(screen.getByRole("link", { name: "Connect my account" })).toHaveFocus();
    await user.keyboard("{Tab}{Tab}");
    expect(screen.getByRole("link", { name: /New batch/ })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("heading", { name: "New batch", level: 2 })).toBeInTheDocument();
    // Ctrl+digit jumps straight to a section.
    await user.keyboard("{Control>}4{/Control}");
    expect(await screen.findByRole("heading", { name: "Account", level: 2 })).toBeInTheDocument();
  });
});
