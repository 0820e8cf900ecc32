import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../App";
import { formatDateTime, formatDecimal, formatPercent } from "../format";
import { text } from "../test/fixtures";
import { alphaReading, ResultsOverview } from "./ResultsOverview";
import { itemPages, stars, summary } from "./testData";
import type { ItemResult, QuestionAnalysis, ResultsSummary } from "../backend";

function show(value: ResultsSummary) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={createQueryClient()}>
        <ResultsOverview summary={value} />
      </QueryClientProvider>
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
  it("shows the totals (when they were downloaded is the page's heading's to say)", () => {
    show(summary);
    expect(screen.getByTestId("total-items")).toHaveTextContent("10");
    expect(screen.getByTestId("total-participants")).toHaveTextContent("3");
    expect(screen.getByTestId("total-answers")).toHaveTextContent("55");
    expect(screen.queryByText(/^Downloaded /)).not.toBeInTheDocument();
    expect(screen.queryByTestId("offline-copy")).not.toBeInTheDocument();
    expect(screen.queryByTestId("not-counted")).not.toBeInTheDocument();
  });

  it("says when the answers were fetched directly because the export could not be read", () => {
    show({ ...summary, notice: text("checks:results.fetched", { problem: "The file is not a ZIP archive." }) });
    expect(screen.getByTestId("results-notice")).toHaveTextContent(
      "Prolific's export file could not be read, so the answers shown were fetched from Prolific directly. The file is not a ZIP archive. Nothing is lost: the export file is kept as it came and can still be saved.",
    );
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
    // Each answer as participants read it, with the value the downloads hold.
    expect(within(table).getAllByTestId("distribution-chart-row")[0]).toHaveTextContent(/^Positive \(pos\)/);
    expect(table).not.toHaveTextContent("Neutral (neutral)");
    // One bar per answer, the most chosen one full length.
    const bars = within(table).getAllByTestId("distribution-bar");
    expect(bars).toHaveLength(summary.analysis.questions[0]?.distribution.length ?? -1);
    const [fullest] = bars;
    expect(fullest && within(fullest).getByRole("progressbar", { hidden: true })).toHaveAttribute("aria-valuenow", "100");
    // 46.7 %, 30 % and 23.3 % of the answers: shown as 47 %, 30 % and 23 %, which add up to 100 %.
    const shares = within(table)
      .getAllByTestId("share")
      .map((cell) => Number.parseInt(cell.textContent ?? "", 10));
    expect(shares).toEqual([47, 30, 23]);
    expect(within(q1).queryByTestId("shares-overlap")).not.toBeInTheDocument();
    expect(within(q1).getByTestId("alpha")).toHaveTextContent(formatDecimal(0.7123));
    expect(within(q1).getByTestId("alpha-reading")).toHaveTextContent("Tentative");
    expect(within(q1).getByTestId("percent-agreement")).toHaveTextContent(plain(formatPercent(0.8)));
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

  it("shows the first items to check, then more from Rust a page at a time", async () => {
    const [q1, q2] = summary.analysis.questions as [QuestionAnalysis, QuestionAnalysis];
    const many: ItemResult[] = Array.from({ length: 120 }, (_, i) => ({
      item: i,
      taskId: `t-${i}`,
      consolidated: { label: "Neutral", tiedLabels: [], leaderVotes: 2, votesCast: 4, support: 0.5 },
      agreement: { answers: 4, percentAgreement: 0.2, majorityShare: 0.5, lowAgreement: true },
      consensus: null,
    }));
    const asked = itemPages(many);
    const flagged = { total: 120, first: many.slice(0, 20) };
    const user = show({ ...summary, analysis: { ...summary.analysis, questions: [{ ...q1, flagged }, q2] } });
    await user.click(screen.getByRole("button", { name: "Show the 120 items to check" }));
    expect(screen.getAllByTestId("flagged-item")).toHaveLength(20);
    await user.click(screen.getByRole("button", { name: "Show 50 more" }));
    await screen.findByText("t-69");
    expect(screen.getAllByTestId("flagged-item")).toHaveLength(70);
    await user.click(screen.getByRole("button", { name: "Show 50 more" }));
    await screen.findByText("t-119");
    expect(screen.getAllByTestId("flagged-item").map((row) => row.firstChild?.textContent)).toEqual(
      many.map((item) => item.taskId),
    );
    expect(screen.queryByTestId("flagged-show-more")).not.toBeInTheDocument();
    expect(asked.map((call) => [call.list, call.offset])).toEqual([
      ["flagged", 20],
      ["flagged", 70],
    ]);
  });

  it("rounds shares so that they add up to 100 %, even when plain rounding would not", () => {
    const [q1, q2] = summary.analysis.questions as [QuestionAnalysis, QuestionAnalysis];
    // Three equal thirds: plain rounding gives 33 + 33 + 33 = 99.
    const thirds: QuestionAnalysis = {
      ...q1,
      answerCount: 3,
      distribution: ["A", "B", "C"].map((value) => ({ value, count: 1, shareOfAnswers: 1 / 3 })),
    };
    show({ ...summary, analysis: { ...summary.analysis, questions: [thirds, q2] } });
    const shares = within(screen.getByTestId("distribution-chart"))
      .getAllByTestId("share")
      .map((cell) => Number.parseInt(cell.textContent ?? "", 10));
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(100);
    expect(shares).toEqual([34, 33, 33]);
  });

  it("says the shares overlap when people could choose several options", () => {
    const [q1, q2] = summary.analysis.questions as [QuestionAnalysis, QuestionAnalysis];
    const several: QuestionAnalysis = {
      ...q1,
      answerCount: 4,
      distribution: [
        { value: "Typos", count: 3, shareOfAnswers: 0.75 },
        { value: "Off topic", count: 2, shareOfAnswers: 0.5 },
      ],
    };
    show({ ...summary, analysis: { ...summary.analysis, questions: [several, q2] } });
    const table = screen.getByTestId("distribution-chart");
    expect(within(table).getAllByTestId("share").map((cell) => cell.textContent)).toEqual([
      plain(formatPercent(0.75)),
      plain(formatPercent(0.5)),
    ]);
    expect(screen.getByTestId("shares-overlap")).toHaveTextContent("more than 100 %");
  });

  it("summarises a number question: mean, median, range and distribution, one star in the singular", () => {
    show({
      ...summary,
      questions: [...summary.questions, { id: "q3", title: "How many stars?", kind: "freeTextWithUnit", options: [] }],
      analysis: { ...summary.analysis, questions: [...summary.analysis.questions, stars] },
    });
    const q3 = question("q3");
    expect(within(q3).getByRole("heading", { name: "How many stars?" })).toBeInTheDocument();
    expect(within(q3).getByTestId("number-mean")).toHaveTextContent(`${(19 / 6).toLocaleString(undefined, { maximumFractionDigits: 2 })} stars`);
    expect(within(q3).getByTestId("number-median")).toHaveTextContent(`${(3.5).toLocaleString()} stars`);
    expect(within(q3).getByTestId("number-range")).toHaveTextContent("1 to 4 stars");
    const rows = within(within(q3).getByTestId("number-distribution")).getAllByTestId("number-distribution-row");
    const labels = rows.map((row) => row.querySelector("td")?.textContent);
    expect(labels).toEqual(["1 star", "3 stars", "4 stars"]);
    // 1, 2 and 3 of 6: 16.7 %, 33.3 % and 50 %, shown as 17 + 33 + 50 = 100.
    const shares = rows.map((row) => Number.parseInt(within(row).getByTestId("share").textContent ?? "", 10));
    expect(shares).toEqual([17, 33, 50]);
    expect(within(q3).getByTestId("number-left-out")).toHaveTextContent(
      "Not included: 1 answer in another unit (these figures are for answers in stars).",
    );
    // A number question has no options to chart, nor agreement.
    expect(within(q3).queryByTestId("distribution-chart")).not.toBeInTheDocument();
    expect(within(q3).queryByTestId("alpha")).not.toBeInTheDocument();
  });

  it("shows ranges of values for numbers that spread widely, a currency before them", () => {
    const numbers = stars.numbers ?? null;
    const pounds: QuestionAnalysis = {
      ...stars,
      numbers: numbers && {
        ...numbers,
        unit: "£",
        unitForOne: "£",
        unitBefore: true,
        otherUnits: 0,
        mean: 12.5,
        median: 10,
        min: 0,
        max: 30,
        distribution: [
          { from: 0, to: 10, count: 2 },
          { from: 10, to: 20, count: 3 },
          { from: 20, to: 30, count: 1 },
        ],
      },
    };
    show({ ...summary, analysis: { ...summary.analysis, questions: [pounds] } });
    expect(screen.getByTestId("number-mean")).toHaveTextContent(`£${(12.5).toLocaleString()}`);
    const rows = screen.getAllByTestId("number-distribution-row");
    expect(rows.map((row) => row.querySelector("td")?.textContent)).toEqual([
      "0 to under £10",
      "10 to under £20",
      "20 to £30",
    ]);
    expect(screen.queryByTestId("number-left-out")).not.toBeInTheDocument();
  });
});
