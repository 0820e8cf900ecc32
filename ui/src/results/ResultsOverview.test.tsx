import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { decimal, formatDateTime, percent } from "./format";
import { alphaReading, FLAGGED_PREVIEW, ResultsOverview } from "./ResultsOverview";
import { summary } from "./testData";
import type { ItemResult, QuestionAnalysis, ResultsSummary } from "./types";

function show(value: ResultsSummary) {
  render(
    <MantineProvider env="test">
      <ResultsOverview summary={value} />
    </MantineProvider>,
  );
  return userEvent.setup();
}

const plain = (text: string) => text.replace(/\s/g, " ");
const question = (id: string) =>
  screen.getAllByTestId("question-results").find((el) => el.getAttribute("data-question-id") === id) ??
  (() => {
    throw new Error(`no question ${id}`);
  })();

describe("ResultsOverview", { timeout: 30_000 }, () => {
  it("shows the totals and when the results were downloaded", () => {
    show(summary);
    expect(screen.getByTestId("total-items")).toHaveTextContent("10");
    expect(screen.getByTestId("total-participants")).toHaveTextContent("3");
    expect(screen.getByTestId("total-answers")).toHaveTextContent("55");
    expect(screen.getByTestId("downloaded-at")).toHaveTextContent(plain(formatDateTime(summary.downloadedAt) ?? "?"));
    expect(screen.queryByTestId("offline-copy")).not.toBeInTheDocument();
    expect(screen.queryByTestId("not-counted")).not.toBeInTheDocument();
  });

  it("says when the answers were fetched directly because the export could not be read", () => {
    const notice =
      "Prolific's export file could not be read, so the answers shown were fetched from Prolific directly.";
    show({ ...summary, notice });
    expect(screen.getByTestId("results-notice")).toHaveTextContent(notice);
  });

  it("shows no such notice for an export read as usual", () => {
    show(summary);
    expect(screen.queryByTestId("results-notice")).not.toBeInTheDocument();
  });

  it("says when it shows the offline copy, and what was not counted", () => {
    show({
      ...summary,
      fromCache: true,
      analysis: { ...summary.analysis, skippedRecords: 2, duplicateAnswers: 1, emptyAnswers: 4 },
    });
    expect(screen.getByTestId("offline-copy")).toHaveTextContent(
      `offline copy from ${plain(formatDateTime(summary.downloadedAt) ?? "?")}`,
    );
    const notCounted = screen.getByTestId("not-counted");
    expect(notCounted).toHaveTextContent("2 records could not be used");
    expect(notCounted).toHaveTextContent("1 answer was a repeat");
    expect(notCounted).toHaveTextContent("4 answers were empty.");
  });

  it("charts a choice question and explains its agreement in plain words", () => {
    show(summary);
    const q1 = question("q1");
    expect(within(q1).getByRole("heading", { name: "How does the post feel?" })).toBeInTheDocument();
    expect(within(q1).getByTestId("distribution-chart")).toHaveAttribute("data-question-id", "q1");
    const table = within(q1).getByTestId("distribution-chart");
    expect(table).toHaveTextContent("Positive");
    // One bar per answer, the most chosen one full length.
    const bars = within(table).getAllByTestId("distribution-bar");
    expect(bars).toHaveLength(summary.analysis.questions[0]?.distribution.length ?? -1);
    const [fullest] = bars;
    expect(fullest && within(fullest).getByRole("progressbar", { hidden: true })).toHaveAttribute("aria-valuenow", "100");
    expect(table).toHaveTextContent(plain(percent(14 / 30)));
    expect(within(q1).getByTestId("alpha")).toHaveTextContent(decimal(0.7123));
    expect(within(q1).getByTestId("alpha-reading")).toHaveTextContent("Tentative");
    expect(within(q1).getByTestId("percent-agreement")).toHaveTextContent(plain(percent(0.8)));
    expect(within(q1).getByTestId("items-rated")).toHaveTextContent("10 items were answered by two or more people");
    expect(within(q1).getByTestId("low-agreement-items")).toHaveTextContent("2 items with low agreement");
    expect(within(q1).getByTestId("tied-items")).toHaveTextContent("1 tie");
    expect(within(q1).queryByTestId("sets-compared-whole")).not.toBeInTheDocument();
  });

  it("shows only counts for a question without options", () => {
    show(summary);
    const q2 = question("q2");
    expect(within(q2).getByRole("heading", { name: "Anything else?" })).toBeInTheDocument();
    expect(within(q2).getByTestId("question-counts")).toHaveTextContent("25 answers on 9 items");
    expect(within(q2).queryByTestId("distribution-chart")).not.toBeInTheDocument();
    expect(within(q2).queryByTestId("alpha")).not.toBeInTheDocument();
  });

  it("reads alpha against the usual thresholds", () => {
    expect(alphaReading(0.85).word).toBe("Good");
    expect(alphaReading(0.8).word).toBe("Good");
    expect(alphaReading(0.7).word).toBe("Tentative");
    expect(alphaReading(0.667).word).toBe("Tentative");
    expect(alphaReading(0.5).word).toBe("Low");
    expect(alphaReading(null).word).toBe("Not measurable yet");
  });

  it("notes when answers with several options are compared whole", () => {
    const [q1, q2] = summary.analysis.questions as [QuestionAnalysis, QuestionAnalysis];
    const agreement = q1.agreement ?? null;
    show({
      ...summary,
      analysis: {
        ...summary.analysis,
        questions: [{ ...q1, agreement: agreement && { ...agreement, answerSetsComparedWhole: true, krippendorffAlpha: null } }, q2],
      },
    });
    expect(screen.getByTestId("sets-compared-whole")).toHaveTextContent("compared as a whole");
    expect(screen.getByTestId("alpha")).toHaveTextContent("–");
  });

  it("lists the items to check on request: low agreement and ties, with their answers", async () => {
    const user = show(summary);
    const q1 = question("q1");
    expect(within(q1).queryByTestId("flagged-items")).not.toBeInTheDocument();
    const toggle = within(q1).getByRole("button", { name: "Show the 2 items to check" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const rows = within(q1).getAllByTestId("flagged-item");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("t-002");
    expect(rows[0]).toHaveTextContent("Neutral");
    expect(rows[0]).toHaveTextContent("low agreement");
    expect(rows[1]).toHaveTextContent("t-003");
    expect(rows[1]).toHaveTextContent("Tie: Positive / Negative");
  });

  it("shows the first items to check, then all of them", async () => {
    const [q1, q2] = summary.analysis.questions as [QuestionAnalysis, QuestionAnalysis];
    const many: ItemResult[] = Array.from({ length: 120 }, (_, i) => ({
      item: i,
      taskId: `t-${i}`,
      consolidated: { label: "Neutral", tiedLabels: [], leaderVotes: 2, votesCast: 4, support: 0.5 },
      agreement: { answers: 4, percentAgreement: 0.2, majorityShare: 0.5, lowAgreement: true },
    }));
    const user = show({ ...summary, analysis: { ...summary.analysis, questions: [{ ...q1, items: many }, q2] } });
    await user.click(screen.getByRole("button", { name: "Show the 120 items to check" }));
    expect(screen.getAllByTestId("flagged-item")).toHaveLength(FLAGGED_PREVIEW);
    await user.click(screen.getByRole("button", { name: "Show all 120" }));
    expect(screen.getAllByTestId("flagged-item")).toHaveLength(120);
  });
});
