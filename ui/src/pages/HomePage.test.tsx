import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import { progress } from "../results/testData";
import { emptyDraft, held, mockBackend } from "../test/fixtures";
import { HINTS_DISMISSED_KEY } from "./HomePage";

function renderApp() {
  return render(<App queryClient={createQueryClient()} />);
}

/** Home has decided what to show once one of its two cards about batches is there. */
async function settled() {
  await screen.findByRole("link", { name: /Start (a new|your first) batch/ });
}

describe("Home's first-run hints", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("shows three steps on a first run, hides them for good once dismissed", async () => {
    const asked: string[] = [];
    const counting = (command: string, answer: unknown) => () => {
      asked.push(command);
      return answer;
    };
    mockBackend({
      batches_overview: counting("batches_overview", { studies: [], otherBatches: [] }),
      data_draft: counting("data_draft", emptyDraft),
    });
    const user = userEvent.setup();
    const first = renderApp();
    const hints = await screen.findByTestId("first-run-hints");
    expect(within(hints).getByRole("heading", { name: "Your first batch, in three steps" })).toBeInTheDocument();
    const steps = within(hints).getAllByRole("listitem");
    expect(steps.map((step) => step.textContent)).toEqual([
      expect.stringMatching(/^Your data\./),
      expect.stringMatching(/^Your task\./),
      expect.stringMatching(/^Who and how much\..*then publish\.$/),
    ]);
    expect(within(hints).getByRole("link", { name: "Start your first batch" })).toHaveAttribute("href", "#/new");
    // The hints stand in for the usual card.
    expect(screen.queryByText("How a batch goes")).not.toBeInTheDocument();

    await user.click(within(hints).getByRole("button", { name: "Hide these tips" }));
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    // Focus is not lost with the hints: it moves to the card's button.
    expect(screen.getByRole("link", { name: "Start a new batch" })).toHaveFocus();
    expect(window.localStorage.getItem(HINTS_DISMISSED_KEY)).toBe("true");

    // Opened again later: no hints, and no need to ask about batches for them.
    first.unmount();
    asked.length = 0;
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
    expect(asked).toEqual([]);
  });

  it("opens New batch from the hints", async () => {
    mockBackend();
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("link", { name: "Start your first batch" }));
    expect(await screen.findByRole("heading", { name: "New batch", level: 2 })).toBeInTheDocument();
  });

  it("does not show them to a researcher who already launched a study", async () => {
    mockBackend({ batches_overview: () => ({ studies: [progress], otherBatches: [] }) });
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
  });

  it("does not show them to a researcher with a spreadsheet in New batch", async () => {
    mockBackend({ data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv") }) });
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
  });

  it("does not show them when Batchdesk cannot tell whether there are batches", async () => {
    mockBackend({
      batches_overview: () => {
        throw { code: "network", message: "Prolific could not be reached" };
      },
    });
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
  });
});
