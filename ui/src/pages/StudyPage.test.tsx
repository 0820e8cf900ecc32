import { act, render, screen } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { StudyProgress } from "../backend";
import { pagesOf, progress, summary } from "../results/testData";
import { mockBackend } from "../test/fixtures";

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
        notice: { studyId, kind: "awaitingReview", title: "Study filled", body: "Every place is filled." },
      }),
    );
    expect(await screen.findByTestId("study-notice")).toHaveTextContent("Study filled");
    await userEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("study-notice")).not.toBeInTheDocument();
  });
});
