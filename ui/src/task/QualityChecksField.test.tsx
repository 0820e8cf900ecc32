import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { text } from "../test/fixtures";
import type { Column, DesignIssue, QualityChecks, Question } from "../backend";
import { newQuestion, noChecks } from "./design";
import { QualityChecksField } from "./QualityChecksField";

const column = (name: string, emptyCells: number, hidden = name.startsWith("META_")): Column => ({
  name,
  position: 1,
  letter: "A",
  hidden,
  isTaskGroup: false,
  imageUrls: null,
  samples: [],
  emptyCells,
  maxLength: 40,
});

const sentiment: Question = {
  ...newQuestion("multipleChoice"),
  key: "q-sentiment",
  description: "How does the review feel?",
  kind: {
    type: "multipleChoice",
    options: [
      { label: "Positive", value: "positive", exclusive: false, heading: "" },
      { label: "Negative", value: "negative", exclusive: false, heading: "" },
    ],
    answerLimit: 1,
    allowDropdown: false,
    placeholder: "",
  },
};

function Field({
  columns = [column("review_text", 0), column("META_known", 32)],
  issues = [],
  hasTaskGroupColumn = false,
  seen,
}: {
  columns?: Column[];
  issues?: DesignIssue[];
  hasTaskGroupColumn?: boolean;
  seen?: (value: QualityChecks) => void;
}) {
  const [value, setValue] = useState<QualityChecks>(noChecks);
  return (
    <MantineProvider>
      <QualityChecksField
        value={value}
        onChange={(next) => {
          setValue(next);
          seen?.(next);
        }}
        columns={columns}
        rowCount={40}
        questions={[sentiment]}
        tasksPerGroup={6}
        hasTaskGroupColumn={hasTaskGroupColumn}
        issues={issues}
      />
    </MantineProvider>
  );
}

describe("QualityChecksField", () => {
  it("mixes known rows and checks in with sensible first choices, and says what they cost", async () => {
    const user = userEvent.setup();
    let last: QualityChecks = noChecks;
    render(<Field seen={(value) => (last = value)} />);
    expect(screen.queryByTestId("checks-cost")).toBeNull();

    await user.click(screen.getByRole("switch", { name: /Known answers in every assignment/ }));
    // The hidden column that has answers, for the one choice question, one per assignment.
    expect(last).toMatchObject({ knownColumn: "META_known", knownQuestion: "q-sentiment", knownPerGroup: 1 });
    expect(screen.getByTestId("known-column")).toHaveValue("META_known (8 rows)");

    await user.click(screen.getByRole("switch", { name: /Attention checks in every assignment/ }));
    expect(last.checksPerGroup).toBe(2);
    expect(screen.getByTestId("checks-example")).toHaveTextContent(
      "For the question “How does the review feel?”, please choose “Negative”.",
    );
    expect(screen.getByTestId("checks-rules")).toHaveTextContent("only after two failed checks");
    // 32 rows left to label in sixes: 6 assignments of 6 + 1 + 2 items.
    const cost = screen.getByTestId("checks-cost");
    expect(cost).toHaveTextContent("Each participant does 9 items instead of 6: about 50% more work");
    expect(cost).toHaveTextContent("There are still 6 assignments (the 8 rows with known answers are shown in turn");

    await user.click(screen.getByRole("radio", { name: "1" }));
    expect(last.checksPerGroup).toBe(1);
    await user.click(screen.getByRole("switch", { name: /Known answers in every assignment/ }));
    expect(last.knownPerGroup).toBe(0);
    expect(screen.getByTestId("checks-cost")).toHaveTextContent("7 items instead of 6");
  });

  it("says what to add when the data has no hidden column, and shows Rust's issues where they belong", async () => {
    const user = userEvent.setup();
    const issues: DesignIssue[] = [
      { section: "setup", question: null, field: "checks.knownPerGroup", message: text("checks:design.fewKnownAnswers", { filled: 8 }) },
    ];
    const { unmount } = render(<Field columns={[column("review_text", 0)]} />);
    await user.click(screen.getByRole("switch", { name: /Known answers/ }));
    expect(screen.getByTestId("known-no-column")).toHaveTextContent("starts with META_");
    unmount();

    render(<Field issues={issues} />);
    await user.click(screen.getByRole("switch", { name: /Known answers/ }));
    expect(screen.getByText("Only 8 rows have a known answer: add at most 8 to each group.")).toBeInTheDocument();
  });

  it("is not offered when the data names its own groups", () => {
    render(<Field hasTaskGroupColumn />);
    expect(screen.getByTestId("checks-unavailable")).toHaveTextContent("META_TASK_GROUP_ID");
    expect(screen.queryByRole("switch")).toBeNull();
  });
});
