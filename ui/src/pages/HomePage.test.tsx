import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import { progress } from "../results/testData";
import { emptyDraft, held, mockBackend, ipcError } from "../test/fixtures";
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
    mockBackend({
      batches_overview: () => ({ studies: [], otherBatches: [] }),
      data_draft: () => emptyDraft,
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

    // Opened again later: no hints.
    first.unmount();
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
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
        throw ipcError("offline", "errors:prolific.network");
      },
    });
    renderApp();
    await settled();
    expect(screen.getByText("How a batch goes")).toBeInTheDocument();
    expect(screen.queryByTestId("first-run-hints")).not.toBeInTheDocument();
  });
});

describe("Home's batches now", () => {
  beforeEach(() => {
    window.location.hash = "#/";
    window.localStorage.setItem(HINTS_DISMISSED_KEY, "true");
  });

  it("shows the batch being prepared and the studies under way, each one click away", async () => {
    const finished = { ...progress, studyId: "done", title: "Finished study", phase: "completed" as const };
    mockBackend({
      batches_overview: () => ({ studies: [progress, finished], otherBatches: [] }),
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv") }),
    });
    const user = userEvent.setup();
    renderApp();
    const now = await screen.findByTestId("running-now");
    expect(within(now).getByTestId("running-now-draft")).toHaveTextContent("Being prepared in New batch: reviews.csv");
    const studies = within(now).getAllByTestId("running-now-study");
    expect(studies).toHaveLength(1);
    expect(studies[0]).toHaveTextContent(progress.title);
    expect(studies[0]).toHaveTextContent(`${progress.placesTaken} of ${progress.places} places filled`);
    expect(now).not.toHaveTextContent("Finished study");
    await user.click(within(now).getByRole("link", { name: `Open ${progress.title}` }));
    expect(window.location.hash).toBe(`#/batches/${progress.studyId}`);
  });

  it("is not there when nothing is under way", async () => {
    mockBackend();
    renderApp();
    await settled();
    expect(screen.queryByTestId("running-now")).not.toBeInTheDocument();
  });

  it("does not show a batch already published from New batch as being prepared", async () => {
    mockBackend({
      batches_overview: () => ({ studies: [progress], otherBatches: [] }),
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), ready: true }),
      task_draft: () => ({
        design: null,
        batch: { ready: { batchId: "b1", totalTasks: 24, totalGroups: 6 } },
        setUpOnOtherData: false,
      }),
      study_context: () => ({ launched: { studyId: progress.studyId, published: true } }),
    });
    renderApp();
    const now = await screen.findByTestId("running-now");
    expect(within(now).getAllByTestId("running-now-study")).toHaveLength(1);
    expect(within(now).queryByTestId("running-now-draft")).not.toBeInTheDocument();
  });
});
