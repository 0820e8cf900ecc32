import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../App";

import { ConsensusPanel } from "./ConsensusPanel";
import { confidenceSentence, consensusSummary, sortAnnotators } from "./consensusWords";
import { itemPages, summary } from "./testData";
import type { ItemResult, QuestionAnalysis, ResultsSummary } from "../backend";

function show(value: ResultsSummary) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={createQueryClient()}>
        <ConsensusPanel summary={value} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return userEvent.setup();
}

const sentiment = summary.analysis.questions[0] as QuestionAnalysis;
const consensus = sentiment.consensus ?? (() => {
  throw new Error("the test data has a consensus");
})();

const participants = () =>
  screen.getAllByTestId("reliability-row").map((row) => row.getAttribute("data-participant"));

describe("consensus words", () => {
  it("says what a confidence means in plain words", () => {
    expect(confidenceSentence(0.93)).toBe(
      "Confidence 0.93: given how often each person agreed with the others, the model thinks this answer is right 93 times in 100.",
    );
  });

  it("sums the question up: where it differs from the majority, ties settled, how sure", () => {
    const text = consensusSummary(consensus, 3);
    expect(text).toContain("agrees with the majority vote on 1 of 3 items and picks another answer on 1.");
    expect(text).toContain("It settles 1 tie the majority vote left open.");
    expect(text).toContain("1 item is below 80%");
  });

  it("sorts people worst first by default and by any column on request", () => {
    const shuffled = [...consensus.annotators].reverse();
    expect(sortAnnotators(shuffled, "reliability").map((p) => p.participantId)).toEqual([
      "p-careless",
      "p-average",
      "p-careful",
    ]);
    expect(sortAnnotators(shuffled, "competence", true)[0]?.participantId).toBe("p-careful");
    expect(sortAnnotators(shuffled, "participant").map((p) => p.participantId)).toEqual([
      "p-average",
      "p-careful",
      "p-careless",
    ]);
  });
});

describe("ConsensusPanel", { timeout: 30_000 }, () => {
  it("shows each item's consensus with its confidence beside the majority vote, in the options' labels", () => {
    show(summary);
    const rows = within(screen.getByTestId("consensus-items")).getAllByTestId("consensus-item");
    expect(rows.map((row) => row.getAttribute("data-task-id"))).toEqual(["t-002", "t-003"]);
    const [differs, tie] = rows;
    expect(differs).toHaveTextContent("Neutral");
    expect(differs).toHaveTextContent("Negative");
    expect(differs).toHaveTextContent("differs");
    expect(differs).toHaveTextContent("0.71");
    expect(tie).toHaveTextContent("tie: Positive / Negative");
    expect(tie).toHaveTextContent("0.93");
    expect(screen.getByTestId("consensus-summary")).toHaveTextContent("picks another answer on 1");
  });

  it("lists people least reliable first, sorts by a column, and opens a confusion matrix", async () => {
    const user = show(summary);
    expect(participants()).toEqual(["p-careless", "p-average", "p-careful"]);
    const careless = screen.getAllByTestId("reliability-row")[0];
    expect(careless).toHaveTextContent("Unreliable");
    expect(careless).toHaveTextContent("41%");
    expect(careless).toHaveTextContent("12%");

    await user.click(screen.getByTestId("sort-reliability"));
    expect(participants()).toEqual(["p-careful", "p-average", "p-careless"]);
    expect(screen.getByTestId("sort-reliability").closest("th")).toHaveAttribute("aria-sort", "descending");
    await user.click(screen.getByTestId("sort-participant"));
    expect(participants()).toEqual(["p-average", "p-careful", "p-careless"]);

    await user.click(within(careless as HTMLElement).getByRole("button", { name: /show confusion matrix/i }));
    const matrix = screen.getByTestId("confusion-matrix");
    expect(within(matrix).getByRole("rowheader", { name: "Neutral" })).toBeInTheDocument();
    expect(matrix).toHaveTextContent("they said Positive");
    expect(matrix).toHaveTextContent("80%");
  });

  it("lists the first items to look at, then more from Rust a page at a time, then fewer again", async () => {
    const unsure: ItemResult[] = Array.from({ length: 75 }, (_, i) => ({
      item: i,
      taskId: `u-${i}`,
      consolidated: { label: "pos", tiedLabels: [], leaderVotes: 2, votesCast: 3, support: 2 / 3 },
      agreement: { answers: 3, percentAgreement: 1 / 3, majorityShare: 2 / 3, lowAgreement: true },
      consensus: { label: "pos", confidence: 0.5 + i / 1000, maceLabel: "pos", maceConfidence: 0.5, known: false },
    }));
    const asked = itemPages(unsure);
    const question = { ...sentiment, toReview: { total: 75, first: unsure.slice(0, 20) } };
    const user = show({ ...summary, analysis: { ...summary.analysis, questions: [question] } });
    const shown = () => screen.getAllByTestId("consensus-item").map((row) => row.getAttribute("data-task-id"));
    expect(shown()).toHaveLength(20);
    expect(screen.getByRole("heading", { name: "Items to look at (75)" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Show 50 more" }));
    await screen.findByText("u-69");
    expect(shown()).toEqual(unsure.slice(0, 70).map((item) => item.taskId));
    await user.click(screen.getByRole("button", { name: "Show 5 more" }));
    await screen.findByText("u-74");
    expect(shown()).toHaveLength(75);
    expect(screen.queryByTestId("consensus-show-more")).not.toBeInTheDocument();
    expect(asked).toEqual([
      { questionId: "q1", list: "toReview", offset: 20, limit: 50 },
      { questionId: "q1", list: "toReview", offset: 70, limit: 50 },
    ]);

    await user.click(screen.getByRole("button", { name: "Show fewer" }));
    expect(shown()).toHaveLength(20);
  });

  it("shows nothing without a choice question's consensus", () => {
    const { container } = render(
      <MantineProvider env="test">
        <ConsensusPanel
          summary={{ ...summary, analysis: { ...summary.analysis, questions: [{ ...sentiment, consensus: null }] } }}
        />
      </MantineProvider>,
    );
    expect(container.querySelector("[data-testid='consensus-panel']")).toBeNull();
  });
});
