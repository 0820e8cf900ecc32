import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { formatClock, formatDateTime } from "../format";
import { ProgressPanel } from "./ProgressPanel";
import { progress } from "./testData";
import type { StudyProgress } from "../backend";

function show(value: StudyProgress) {
  render(
    <MantineProvider env="test">
      <ProgressPanel progress={value} />
    </MantineProvider>,
  );
}

const plain = (text: string) => text.replace(/\s/g, " ");

describe("ProgressPanel", () => {
  it("shows the phase, places and answers", () => {
    show(progress);
    expect(screen.getByTestId("study-phase")).toHaveTextContent("Collecting");
    expect(screen.getByTestId("progress-places")).toHaveAttribute("data-value", "25");
    expect(screen.getByRole("progressbar", { name: "Places filled" })).toHaveAttribute("aria-valuenow", "25");
    expect(screen.getByTestId("answers-received")).toHaveTextContent(`540 of ${(2160).toLocaleString()}`);
    expect(screen.getByRole("progressbar", { name: "Answers received" })).toHaveAttribute("aria-valuenow", "25");
  });

  it("lists only the submission statuses that have some, in plain words", () => {
    show(progress);
    const tallies = screen.getByTestId("submission-tallies");
    expect(tallies).toHaveTextContent("4 in progress");
    expect(tallies).toHaveTextContent("3 awaiting review");
    expect(tallies).toHaveTextContent("2 approved");
    expect(tallies).toHaveTextContent("1 returned");
    expect(tallies).not.toHaveTextContent("rejected");
    expect(tallies).not.toHaveTextContent("timed out");
  });

  it("shows money, dates in the locale and when it last changed", () => {
    show(progress);
    expect(screen.getByTestId("money-setAside")).toHaveTextContent("Set aside from your balance£76.68");
    expect(screen.getByTestId("money-paid")).toHaveTextContent("Paid to participants£4.26 (for 2 approved submissions)");
    expect(screen.getByTestId("reward-per-person")).toHaveTextContent("£1.50");
    expect(screen.getByTestId("created-at")).toHaveTextContent(plain(formatDateTime(progress.createdAt) ?? "?"));
    expect(screen.getByTestId("published-at")).toHaveTextContent(plain(formatDateTime(progress.publishedAt) ?? "?"));
    const clock = formatClock(progress.checkedAt) ?? "?";
    expect(clock).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(screen.getByTestId("checked-at")).toHaveTextContent(`updated ${clock}`);
  });

  it("says money awaiting review is set aside, not paid (issue 17)", () => {
    show({
      ...progress,
      phase: "awaitingReview",
      places: 9,
      placesTaken: 9,
      totalCost: 2520,
      submissions: { active: 0, awaitingReview: 9, approved: 0, rejected: 0, returned: 0, timedOut: 0, other: 0, total: 9 },
      money: {
        setAside: { minor: 2520 },
        paid: { minor: 0 },
        awaitingReview: { minor: 2520 },
        openPlaces: { minor: 0 },
        returned: { minor: 0 },
        rewardsOnly: false,
      },
    });
    const money = screen.getByTestId("study-money");
    expect(money).not.toHaveTextContent(/spent/i);
    expect(screen.getByTestId("money-setAside")).toHaveTextContent("£25.20");
    expect(screen.getByTestId("money-paid")).toHaveTextContent("Paid to participantsnothing yet");
    expect(screen.getByTestId("money-awaitingReview")).toHaveTextContent(
      "Awaiting your review£25.20 (still set aside; paid when you approve the 9 submissions)",
    );
    expect(screen.queryByTestId("money-openPlaces")).not.toBeInTheDocument();
    expect(screen.queryByTestId("money-returned")).not.toBeInTheDocument();
  });

  it("words every phase plainly", () => {
    const words: [StudyProgress["phase"], string][] = [
      ["draft", "Draft"],
      ["scheduled", "Scheduled"],
      ["paused", "Paused"],
      ["awaitingReview", "Awaiting your review"],
      ["completed", "Completed"],
      ["stopped", "Stopped"],
    ];
    for (const [phase, word] of words) {
      const { unmount } = render(
        <MantineProvider env="test">
          <ProgressPanel progress={{ ...progress, phase }} />
        </MantineProvider>,
      );
      expect(screen.getByTestId("study-phase")).toHaveTextContent(word);
      unmount();
    }
  });

  it("copes with a draft: no places taken, no expected answers, no dates", () => {
    show({
      ...progress,
      phase: "draft",
      places: 0,
      placesTaken: 0,
      answersReceived: 0,
      answersExpected: null,
      publishedAt: null,
      createdAt: null,
      submissions: { ...progress.submissions, active: 0, awaitingReview: 0, approved: 0, returned: 0, total: 0 },
    });
    expect(screen.getByTestId("progress-places")).toHaveAttribute("data-value", "0");
    expect(screen.queryByRole("progressbar", { name: "Answers received" })).not.toBeInTheDocument();
    expect(screen.getByTestId("answers-received")).toHaveTextContent("0");
    expect(screen.getByTestId("submission-tallies")).toHaveTextContent("Nobody has started yet.");
    expect(screen.getByTestId("published-at")).toHaveTextContent("Published: not yet");
  });
});
