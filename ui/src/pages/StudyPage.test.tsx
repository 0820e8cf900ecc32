import { act, render, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { StudyProgress } from "../backend";
import { pagesOf, progress, summary } from "../results/testData";
import { mockBackend, text } from "../test/fixtures";

const studyId = progress.studyId;

describe("A study's page", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${studyId}`;
  });

  it("follows the study's events without reloading, shows notices and the results", async () => {
    let asked = 0;
    mockBackend({
      study_progress: (_, args) => {
        expect(args).toEqual({ studyId });
        asked += 1;
        return progress;
      },
      study_results: (_, args) => {
        expect(args).toMatchObject({ studyId, refresh: false });
        return summary;
      },
      results_rows: (_, args) => pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("progress-places")).toHaveAttribute("data-value", "25");
    expect(await screen.findByTestId("results-overview")).toBeInTheDocument();

    // The poller reports more places filled: the page follows, without asking again.
    const later: StudyProgress = { ...progress, placesTaken: 27 };
    await act(() => emit(`study://${studyId}/progress`, { progress: later }));
    expect(await screen.findByTestId("progress-places")).toHaveAttribute("data-value", "75");
    expect(asked).toBe(1);

    await act(() =>
      emit(`study://${studyId}/notice`, {
        notice: {
          studyId,
          kind: "awaitingReview",
          title: text("checks:notice.filledTitle"),
          body: text("checks:notice.filled", { name: "Reviews", awaiting: 36 }),
        },
      }),
    );
    expect(await screen.findByTestId("study-notice")).toHaveTextContent("Study filled");
    expect(screen.getByTestId("study-notice")).toHaveTextContent(
      "Every place in “Reviews” is filled: 36 submissions await your review.",
    );
    await userEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("study-notice")).not.toBeInTheDocument();
  });

  it("after Approve all shows the study as Rust read it then, and follows the poller to Completed", async () => {
    const filled: StudyProgress = {
      ...progress,
      phase: "awaitingReview",
      placesTaken: 36,
      canPause: false,
      canStop: false,
      submissions: { ...progress.submissions, active: 0, awaitingReview: 36, approved: 0 },
    };
    // Prolific approves in the background: just after, the study still awaits review.
    const approving: StudyProgress = {
      ...filled,
      canApprove: false,
      submissions: { ...filled.submissions, awaitingReview: 0, approved: 36 },
    };
    let asked = 0;
    mockBackend({
      study_progress: () => {
        asked += 1;
        return filled;
      },
      study_results: () => summary,
      results_rows: (_, args) => pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
      approve_all: (_, args) => {
        expect(args).toEqual({ studyId });
        return { approved: 36, progress: approving };
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("study-phase")).toHaveTextContent("Awaiting your review");
    await userEvent.click(screen.getByTestId("approve-all"));
    await userEvent.click(await screen.findByTestId("approve-and-pay"));
    expect(await screen.findByTestId("action-done")).toHaveTextContent("Approved 36 submissions.");
    expect(screen.getByTestId("submission-tallies")).toHaveTextContent("36 approved");
    expect(screen.queryByTestId("approve-all")).not.toBeInTheDocument();

    // The poller sees Prolific complete it.
    const completed: StudyProgress = { ...approving, phase: "completed", status: "COMPLETED" };
    await act(() => emit(`study://${studyId}/progress`, { progress: completed }));
    expect(await screen.findByTestId("study-phase")).toHaveTextContent("Completed");
    expect(asked).toBe(1);
  });

  it("a study that had a pilot keeps its answers apart until they are counted in, and the table reads them again", async () => {
    const pilot = { pilots: 1, downloaded: 1, merged: false, answers: 12, people: 3, items: 12, leftOut: 0 };
    const asked: boolean[] = [];
    const rowsAsked: number[] = [];
    mockBackend({
      study_progress: () => progress,
      study_results: () => ({ ...summary, pilotAnswers: pilot }),
      count_pilot_answers: (_, args) => {
        const { merged } = args as { studyId: string; merged: boolean };
        asked.push(merged);
        return { ...summary, rowCount: summary.rowCount + 12, pilotAnswers: { ...pilot, merged } };
      },
      results_rows: (_, args) => {
        const query = (args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query;
        rowsAsked.push(query.offset);
        return pagesOf(summary.rowCount)(query);
      },
    });
    render(<App queryClient={createQueryClient()} />);
    const choice = await screen.findByTestId("pilot-answers");
    expect(screen.getByTestId("pilot-answers-summary")).toHaveTextContent(
      "The pilot gave 12 answers from 3 people on 12 rows of this study's data. They are kept apart",
    );
    await waitFor(() => expect(rowsAsked.length).toBeGreaterThan(0));
    const readsBefore = rowsAsked.length;
    const toggle = screen.getByRole("switch", { name: "Count the pilot's answers in these results" });
    expect(toggle).not.toBeChecked();
    await userEvent.click(toggle);
    expect(await screen.findByText(/They are counted in the table, the agreement and the tidy CSV/)).toBeInTheDocument();
    expect(toggle).toBeChecked();
    expect(asked).toEqual([true]);
    // The table asks Rust for its rows again: they now hold the pilot's.
    await waitFor(() => expect(rowsAsked.length).toBeGreaterThan(readsBefore));
    expect(choice).not.toHaveTextContent("left out");
  });

  it("says plainly when no answers have arrived yet, then shows them as they come", async () => {
    const waiting: StudyProgress = {
      ...progress,
      placesTaken: 0,
      answersReceived: 0,
      submissions: { ...progress.submissions, active: 0, awaitingReview: 0, approved: 0, returned: 0, total: 0 },
    };
    let downloads = 0;
    mockBackend({
      study_progress: () => waiting,
      study_results: () => {
        downloads += 1;
        return summary;
      },
      results_rows: (_, args) => pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
    });
    render(<App queryClient={createQueryClient()} />);
    const empty = await screen.findByTestId("results-empty");
    expect(empty).toHaveTextContent("No answers yet");
    expect(empty).toHaveTextContent("Answers appear here as participants finish");
    // Nothing to download yet, so nothing is asked for.
    expect(screen.queryByTestId("refresh-results")).not.toBeInTheDocument();
    expect(downloads).toBe(0);

    await act(() => emit(`study://${studyId}/progress`, { progress }));
    expect(await screen.findByTestId("results-overview")).toBeInTheDocument();
    expect(screen.queryByTestId("results-empty")).not.toBeInTheDocument();
  });

  it.each([
    {
      kind: "returnsHigh" as const,
      heading: "Many people are giving up",
      title: text("checks:notice.returnsHighTitle"),
      body: text("checks:notice.returnsHigh", { name: "Reviews", gaveUp: 7, started: 18 }),
    },
    {
      kind: "checksFailing" as const,
      heading: "Many people fail the attention checks",
      title: text("checks:notice.checksFailingTitle"),
      body: text("checks:notice.checksFailing", { name: "Reviews", failing: 4, checked: 9 }),
    },
  ])("an alert ($kind) offers a one-click pause", async ({ kind, heading, title, body }) => {
    const commands: unknown[] = [];
    mockBackend({
      study_progress: () => ({ ...progress, canPause: true }),
      study_results: () => summary,
      results_rows: (_, args) => pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
      command_study: (_, args) => {
        commands.push(args);
        return { ...progress, phase: "paused", canPause: false, canResume: true };
      },
    });
    render(<App queryClient={createQueryClient()} />);
    await screen.findByTestId("progress-places");
    await act(() =>
      emit(`study://${studyId}/notice`, {
        notice: { studyId, kind, title, body },
      }),
    );
    const alert = await screen.findByTestId("study-notice");
    expect(alert).toHaveAttribute("data-kind", kind);
    expect(alert).toHaveTextContent(heading);
    await userEvent.click(within(alert).getByRole("button", { name: "Pause the study" }));
    await waitFor(() => expect(screen.queryByTestId("study-notice")).not.toBeInTheDocument());
    expect(commands).toEqual([{ studyId, command: "pause" }]);
  });
});
