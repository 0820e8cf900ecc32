import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "./App";
import type { Connected } from "./backend";
import { mockBackend, practising, workspaceDetails, ipcError } from "./test/fixtures";

function renderApp() {
  return render(<App queryClient={createQueryClient()} />);
}

describe("connecting", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("welcomes a first-time researcher with the two choices, and practice starts the app", async () => {
    let connected: Connected | null = null;
    const calls: string[] = [];
    mockBackend({
        connection_status: () => connected,
        start_practice: (command) => {
          calls.push(command);
          connected = practising;
          return practising;
        },
      });
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /Practice first/ }));
    expect(await screen.findByTestId("practice-banner")).toHaveTextContent("Nothing here is real or costs money");
    expect(calls).toEqual(["start_practice"]);
  });

  it("says plainly when Prolific refuses the token, and keeps the form", async () => {
    const tokens: unknown[] = [];
    mockBackend({
        connection_status: () => null,
        connect_prolific: (_, args) => {
          tokens.push((args as { token: string }).token);
          throw ipcError("invalidToken", "errors:prolific.invalidToken");
        },
      });
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /Connect my Prolific account/ }));
    await user.type(screen.getByLabelText(/Paste your API token/), "wrong-token");
    await user.click(screen.getByRole("button", { name: "Connect" }));
    expect(await screen.findByTestId("connect-error")).toHaveTextContent(
      "Prolific did not accept the API token. It may have been deleted or mistyped: create a new one on Prolific's API tokens page and connect again.",
    );
    expect(tokens).toEqual(["wrong-token"]);
    expect(screen.getByLabelText(/Paste your API token/)).toHaveValue("wrong-token");
  });

  it("shows the workspace, its balance in its currency, and the chosen project", async () => {
    mockBackend();
    window.location.hash = "#/account";
    renderApp();
    expect(await screen.findByTestId("account-balance")).toHaveTextContent("£1,250.50");
    expect(screen.getByTestId("account-name")).toHaveTextContent("Practice Researcher");
    const projects = screen.getByRole("radiogroup", { name: "Project for new studies" });
    expect(within(projects).getByRole("radio", { name: "Practice project" })).toBeChecked();
    expect(within(projects).getByRole("radio", { name: "Pilot" })).not.toBeChecked();
  });

  it("says so when the workspace has no project yet, and offers to create one", async () => {
    const created: unknown[] = [];
    let projects: { id: string; title: string }[] = [];
    mockBackend({
      workspace_details: () => ({ ...workspaceDetails, projects, chosenProject: null }),
      create_project: (_, args) => {
        created.push(args);
        projects = [{ id: "p9", title: "Sentiment pilot" }];
        return { id: "p9", title: "Sentiment pilot" };
      },
    });
    window.location.hash = "#/account";
    const user = userEvent.setup();
    renderApp();
    expect(await screen.findByTestId("projects-empty")).toHaveTextContent("This workspace has no projects yet.");
    await user.type(screen.getByRole("textbox", { name: "New project" }), "Sentiment pilot");
    await user.click(within(screen.getByRole("form", { name: "Create a project" })).getByRole("button"));
    expect(await screen.findByRole("radio", { name: "Sentiment pilot" })).toBeInTheDocument();
    expect(screen.queryByTestId("projects-empty")).not.toBeInTheDocument();
    expect(created).toEqual([{ workspaceId: "ws1", title: "Sentiment pilot" }]);
  });

  it("remembers a project choice through Rust", async () => {
    const chosen: unknown[] = [];
    mockBackend({
        choose_project: (_, args) => {
          chosen.push(args);
          return null;
        },
      });
    window.location.hash = "#/account";
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("radio", { name: "Pilot" }));
    expect(chosen).toEqual([{ workspaceId: "ws1", projectId: "p2" }]);
  });
});
