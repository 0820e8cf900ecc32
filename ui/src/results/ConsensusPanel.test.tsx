import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { ConsensusPanel } from "./ConsensusPanel";
import { confidenceSentence, consensusSummary, itemsToReview, sortAnnotators } from "./consensusWords";
import { summary } from "./testData";
import type { QuestionAnalysis, ResultsSummary } from "./types";

function show(value: ResultsSummary) {
  render(
    <MantineProvider env="test">
      <ConsensusPanel summary={value} />
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

  it("lists the items worth a look, least sure first, and leaves sure agreeing ones out", () => {
    expect(itemsToReview(sentiment.items).map((item) => item.taskId)).toEqual(["t-002", "t-003"]);
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
