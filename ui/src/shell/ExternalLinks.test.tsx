import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import { ParticipantPreview } from "../task/ParticipantPreview";
import { noChecks } from "../task/design";
import { columns } from "../task/testData";
import { mockBackend, ipcError } from "../test/fixtures";
import { ExternalLinkGuard, linkAwayFromApp } from "./ExternalLinks";

/** The participant preview with the researcher's own task text, under the link guard. */
function preview(introductionHtml: string) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={createQueryClient()}>
        <ExternalLinkGuard />
        <ParticipantPreview
          design={{ title: "Rate reviews", introduction: "", steps: "", dataRows: [], questions: [], tasksPerGroup: 1, checks: noChecks }}
          columns={columns}
          rows={[]}
          introductionHtml={introductionHtml}
          stepsHtml=""
        />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

/** Records what Rust was asked to open. */
function recordOpened() {
  const opened: string[] = [];
  mockBackend({
    open_in_browser: (_command, args) => {
      opened.push((args as { url: string }).url);
      return null;
    },
  });
  return opened;
}

describe("links that lead away from the app", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("asks before a link in the participant preview opens in the browser, and stays put", async () => {
    const opened = recordOpened();
    const user = userEvent.setup();
    preview('<p>See <a href="https://example.org/guidelines?v=2">the guidelines</a>.</p>');
    const before = window.location.href;

    await user.click(screen.getByRole("link", { name: "the guidelines" }));
    expect(await screen.findByRole("dialog", { name: "Open example.org in your browser?" })).toBeInTheDocument();
    expect(screen.getByTestId("external-link-address")).toHaveTextContent("https://example.org/guidelines?v=2");
    expect(window.location.href).toBe(before);

    await user.click(screen.getByRole("button", { name: "Open in browser" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(opened).toEqual(["https://example.org/guidelines?v=2"]);
    expect(window.location.href).toBe(before);
  });

  it("opens nothing when the researcher says no, nor for a new-window link", async () => {
    const opened = recordOpened();
    const user = userEvent.setup();
    preview('<p><a href="https://elsewhere.example.net/" target="_blank">Elsewhere</a></p>');

    await user.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(await screen.findByRole("dialog", { name: "Open elsewhere.example.net in your browser?" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(opened).toEqual([]);
  });

  it("names the address of an email link", async () => {
    recordOpened();
    const user = userEvent.setup();
    preview('<p><a href="mailto:lab@example.org">Write to us</a></p>');
    await user.click(screen.getByRole("link", { name: "Write to us" }));
    expect(await screen.findByRole("dialog", { name: "Write to lab@example.org?" })).toBeInTheDocument();
  });

  it("says so when the browser could not be opened", async () => {
    mockBackend({
      open_in_browser: () => {
        throw ipcError("browserUnavailable", "errors:links.noBrowser", {
          link: "https://example.org/",
          reason: "no xdg-open",
        });
      },
    });
    const user = userEvent.setup();
    preview('<p><a href="https://example.org/">Help</a></p>');
    await user.click(screen.getByRole("link", { name: "Help" }));
    await user.click(await screen.findByRole("button", { name: "Open in browser" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your web browser could not be opened (no xdg-open). You can copy the link and open it yourself: https://example.org/",
    );
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("lets the app's own links through", async () => {
    mockBackend();
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("link", { name: /Batches/ }));
    expect(await screen.findByRole("heading", { name: "Batches", level: 2 })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("tells the app's own pages from other places", () => {
    const here = new URL("tauri://localhost/index.html#/new") as unknown as Location;
    const link = (href: string) => {
      const anchor = document.createElement("a");
      anchor.setAttribute("href", href);
      anchor.append(document.createElement("span"));
      return anchor.firstElementChild;
    };
    expect(linkAwayFromApp(link("#/batches"), here)).toBeNull();
    expect(linkAwayFromApp(link("tauri://localhost/other"), here)).toBeNull();
    expect(linkAwayFromApp(link("https://example.org/"), here)?.host).toBe("example.org");
    expect(linkAwayFromApp(link("tauri://evil.example/"), here)?.host).toBe("evil.example");
    expect(linkAwayFromApp(link("file:///etc/passwd"), here)?.protocol).toBe("file:");
    expect(linkAwayFromApp(document.createElement("span"), here)).toBeNull();
  });
});
