import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { text } from "../test/fixtures";
import { DataLayoutEditor } from "./DataLayoutEditor";
import { type DataColumn, type DataRow, defaultDataRows, type DesignIssue } from "./design";
import { columns } from "./testData";

function Editor({ initial, onChange = () => undefined, issues = [] }: {
  initial?: DataRow[];
  onChange?: (rows: DataRow[]) => void;
  issues?: DesignIssue[];
}) {
  const [rows, setRows] = useState(initial ?? defaultDataRows(columns));
  return (
    <MantineProvider>
      <DataLayoutEditor
        columns={columns}
        rows={rows}
        onChange={(next) => {
          setRows(next);
          onChange(next);
        }}
        issues={issues}
      />
    </MantineProvider>
  );
}

const shownRows = () =>
  within(screen.getByRole("list", { name: "Shown to participants, top to bottom" }))
    .getAllByTestId("layout-row")
    .map((row) => row.textContent);

describe("DataLayoutEditor", () => {
  it("lists hidden columns as never shown and explains the task group column", () => {
    render(<Editor />);
    const never = screen.getByTestId("never-shown");
    expect(within(never).getByText(/META_source/)).toBeInTheDocument();
    expect(within(never).getByText(/META_TASK_GROUP_ID/)).toHaveTextContent("decides the assignments");
    expect(screen.queryByRole("button", { name: /Show META_/ })).not.toBeInTheDocument();
    expect(shownRows()).toHaveLength(3);
  });

  it("marks image columns and warns about links that stay text", () => {
    render(<Editor />);
    const [, photo, chart] = screen.getAllByTestId("layout-row");
    expect(within(photo!).getByText("shown as an image")).toBeInTheDocument();
    expect(within(chart!).getByText("partly shown as images")).toBeInTheDocument();
    expect(within(chart!).getByTestId("image-warning")).toHaveTextContent(
      "2 links start with http:// instead of https://. 1 cell is not a web link. These show as text",
    );
  });

  it("hides and shows columns, reorders them and keeps focus on the moved row", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Editor onChange={onChange} />);

    await user.click(screen.getByRole("button", { name: "Move photo down" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["review"] }, { columns: ["chart"] }, { columns: ["photo"] }]);
    expect(screen.getByRole("button", { name: "Move photo up" })).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["review"] }, { columns: ["photo"] }, { columns: ["chart"] }]);
    expect(screen.getByRole("button", { name: "Move photo up" })).toHaveFocus();

    await user.click(screen.getByRole("button", { name: "Don’t show chart" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["review"] }, { columns: ["photo"] }]);
    await user.click(screen.getByRole("button", { name: "Show chart" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["review"] }, { columns: ["photo"] }, { columns: ["chart"] }]);
  });

  it("puts two columns side by side, swaps them, and stacks them again", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Editor onChange={onChange} />);

    await user.click(screen.getByRole("switch", { name: "Side by side with photo" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["review", "photo"] }, { columns: ["chart"] }]);
    await user.click(screen.getByRole("button", { name: "Swap review and photo left and right" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["photo", "review"] }, { columns: ["chart"] }]);
    // Only rows of one column can join the next.
    expect(screen.queryByRole("switch", { name: /Side by side with chart/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole("switch", { name: "photo and review side by side" }));
    expect(onChange).toHaveBeenLastCalledWith([{ columns: ["photo"] }, { columns: ["review"] }, { columns: ["chart"] }]);
  });

  it("says when nothing is shown, and shows the data issues from Rust", () => {
    const issues: DesignIssue[] = [
      { section: "data", question: null, field: "dataRows", message: text("checks:design.columnShownTwice", { column: "photo" }) },
      { section: "questions", question: 0, field: "description", message: text("checks:design.noQuestionText") },
    ];
    render(<Editor initial={[]} issues={issues} />);
    expect(screen.getByTestId("nothing-shown")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent('"photo" is shown twice. Show each column once.');
    expect(screen.queryByText("Write the question participants answer.")).not.toBeInTheDocument();
  });

  it("flags a shown column that is no longer in the data", () => {
    const gone: DataColumn[] = columns.filter((column) => column.name !== "chart");
    render(
      <MantineProvider>
        <DataLayoutEditor columns={gone} rows={[{ columns: ["chart"] }]} onChange={() => undefined} issues={[]} />
      </MantineProvider>,
    );
    expect(screen.getByText("not in your data")).toBeInTheDocument();
  });
});
