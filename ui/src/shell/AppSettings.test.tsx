import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { UpdateOffer, UpdateProgress, UpdateSettings } from "../backend";
import { mockBackend } from "../test/fixtures";

const offer: UpdateOffer = {
  version: "0.2.0",
  currentVersion: "0.1.0",
  notes: "Files open with Batchdesk.\nThe window remembers its size.",
  date: "2026-12-01T10:00:00Z",
};

function updatesOn(checkAtStart: boolean) {
  const calls: unknown[][] = [];
  let settings: UpdateSettings = { available: true, checkAtStart, currentVersion: "0.1.0" };
  let send: (progress: UpdateProgress) => void = () => undefined;
  mockBackend({
    update_settings: () => settings,
    set_check_updates_at_start: (command, args) => {
      const { check } = args as { check: boolean };
      calls.push([command, check]);
      settings = { ...settings, checkAtStart: check };
      return settings;
    },
    check_for_update: (command) => {
      calls.push([command]);
      return offer;
    },
    install_update: (command, args) => {
      calls.push([command]);
      send = (args as { progress: { onmessage: (p: UpdateProgress) => void } }).progress.onmessage;
      return new Promise(() => undefined);
    },
  });
  return { calls, progress: (step: UpdateProgress) => act(() => send(step)) };
}

describe("updates", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("a build without an update source says so and never checks", async () => {
    const calls: string[] = [];
    mockBackend({
      check_for_update: (command) => {
        calls.push(command);
        return null;
      },
    });
    window.location.hash = "#/account";
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("updates-off")).toHaveTextContent("does not update itself");
    expect(screen.queryByTestId("check-updates-at-start")).not.toBeInTheDocument();
    expect(calls).toEqual([]);
  });

  it("checks at start, shows what changed, and installs only on the click, with its progress", async () => {
    const { calls, progress } = updatesOn(true);
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const notice = await screen.findByTestId("update-offer");
    expect(notice).toHaveTextContent("Batchdesk 0.2.0 is available");
    expect(notice).toHaveTextContent("You have 0.1.0");
    expect(within(notice).getByTestId("update-notes")).toHaveTextContent("The window remembers its size.");
    expect(calls).toEqual([["check_for_update"]]);

    await user.click(within(notice).getByRole("button", { name: "Install and restart" }));
    expect(calls).toEqual([["check_for_update"], ["install_update"]]);
    const bar = await within(notice).findByTestId("update-progress");
    progress({ stage: "downloading", downloaded: 2 * 1024 * 1024, total: 8 * 1024 * 1024 });
    expect(bar).toHaveTextContent("Downloading… 25%");
    expect(within(bar).getByRole("progressbar", { name: "Installing the update" })).toHaveAttribute("aria-valuenow", "25");
    progress({ stage: "installing" });
    expect(bar).toHaveTextContent("Installing…");
    progress({ stage: "restarting" });
    expect(bar).toHaveTextContent("Batchdesk is starting again");
  });

  it("the check at start is kept as set; Check now works either way", async () => {
    const { calls } = updatesOn(false);
    const user = userEvent.setup();
    window.location.hash = "#/account";
    render(<App queryClient={createQueryClient()} />);
    // By test id: a role query with a name is slow on the whole app's page.
    const toggle = await screen.findByTestId("check-updates-at-start");
    expect(toggle).toHaveAccessibleName(/^Check for updates when Batchdesk starts/);
    expect(toggle).not.toBeChecked();
    expect(calls).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Check now" }));
    expect(await screen.findByTestId("update-offer")).toHaveTextContent("Batchdesk 0.2.0 is available");
    expect(calls).toEqual([["check_for_update"]]);

    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId("check-updates-at-start")).toBeChecked());
    await user.click(screen.getByTestId("check-updates-at-start"));
    await waitFor(() => expect(screen.getByTestId("check-updates-at-start")).not.toBeChecked());
    expect(calls).toEqual([
      ["check_for_update"],
      ["set_check_updates_at_start", true],
      ["set_check_updates_at_start", false],
    ]);
  });
});

describe("logs and diagnostics", () => {
  beforeEach(() => {
    window.location.hash = "#/account";
  });

  it("opens the logs folder and copies the diagnostics Rust wrote, showing what was copied", async () => {
    const calls: string[] = [];
    const text = "Batchdesk 0.1.0 (test build)\nMode: practice\nRecent errors: none";
    mockBackend({
      open_logs_folder: (command) => {
        calls.push(command);
        return null;
      },
      diagnostics: (command) => {
        calls.push(command);
        return text;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: "Open the logs folder" }));
    await user.click(screen.getByRole("button", { name: "Copy diagnostics" }));
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(text);
    expect(screen.getByTestId("diagnostics-text")).toHaveTextContent("Mode: practice");
    expect(calls).toEqual(["open_logs_folder", "diagnostics"]);
  });
});
