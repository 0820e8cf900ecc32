import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { MethodsReport } from "../backend";
import { mockBackend } from "../test/fixtures";
import { pagesOf, progress, summary } from "./testData";

const report: MethodsReport = {
  paragraph:
    "Labels were collected on Prolific with its AI Task Builder: 40 items, each judged by 5 participants (median), from 30 participants in all.",
  items: 40,
  participants: 30,
  peoplePerItem: 5,
  reward: "£1.50",
  hourlyAtMedian: "£9.73",
  medianSeconds: 555,
  agreement: [
    {
      question: "What feeling does this text express?",
      alpha: 0.4312,
      interval: { low: 0.3, high: 0.57, resamples: 1000 },
      percentAgreement: 0.62,
      itemsRated: 40,
    },
  ],
  rejected: 0,
  returnedOrTimedOut: 2,
};

describe("the methods paragraph on a study's page", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${progress.studyId}`;
  });

  it("is written when asked for, with the agreement figures beside it", async () => {
    let asked = 0;
    mockBackend({
      study_progress: () => progress,
      study_results: () => summary,
      results_rows: (_, args) =>
        pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
      study_methods: () => {
        asked += 1;
        return report;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByTestId("methods-write"));
    expect(await screen.findByTestId("methods-paragraph")).toHaveTextContent("40 items, each judged by 5 participants");
    const row = within(screen.getByTestId("methods-agreement")).getAllByRole("row")[1];
    expect(row).toHaveTextContent("What feeling does this text express?");
    expect(row).toHaveTextContent("0.43");
    expect(row).toHaveTextContent("0.30 to 0.57");
    expect(row).toHaveTextContent("62%");
    expect(screen.getByTestId("methods-copy")).toHaveTextContent("Copy the paragraph");
    expect(asked).toBe(1);
  });
});
