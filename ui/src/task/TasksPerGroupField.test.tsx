import { MantineProvider } from "@mantine/core";
import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { TasksPerGroupField } from "./TasksPerGroupField";

function Field({ rowCount, hasTaskGroupColumn = false, onChange = () => undefined }: {
  rowCount: number;
  hasTaskGroupColumn?: boolean;
  onChange?: (value: number) => void;
}) {
  const [value, setValue] = useState(1);
  return (
    <MantineProvider>
      <TasksPerGroupField
        value={value}
        onChange={(next) => {
          setValue(next);
          onChange(next);
        }}
        rowCount={rowCount}
        hasTaskGroupColumn={hasTaskGroupColumn}
      />
    </MantineProvider>
  );
}

describe("TasksPerGroupField", () => {
  it("explains the setting and counts the assignments it makes", () => {
    const onChange = vi.fn();
    render(<Field rowCount={50} onChange={onChange} />);
    const field = screen.getByRole("textbox", { name: "Rows per assignment" });
    expect(field).toHaveAccessibleDescription("Each participant does 1 row in one sitting.");
    expect(screen.getByTestId("assignment-count")).toHaveTextContent("Your 50 rows make 50 assignments.");

    fireEvent.change(field, { target: { value: "8" } });
    expect(onChange).toHaveBeenLastCalledWith(8);
    expect(field).toHaveAccessibleDescription("Each participant does 8 rows in one sitting.");
    expect(screen.getByTestId("assignment-count")).toHaveTextContent(
      "Your 50 rows make 7 assignments (the last one has 2 rows).",
    );
  });

  it("never passes on an empty field or zero", () => {
    const onChange = vi.fn();
    render(<Field rowCount={50} onChange={onChange} />);
    const field = screen.getByRole("textbox", { name: "Rows per assignment" });
    fireEvent.change(field, { target: { value: "" } });
    fireEvent.change(field, { target: { value: "0" } });
    expect(onChange).not.toHaveBeenCalled();
  });

  it("says the task group column decides when the data has one", () => {
    render(<Field rowCount={50} hasTaskGroupColumn />);
    expect(screen.getByRole("textbox", { name: "Rows per assignment" })).toBeDisabled();
    expect(screen.getByTestId("task-group-note")).toHaveTextContent("META_TASK_GROUP_ID");
    expect(screen.queryByTestId("assignment-count")).not.toBeInTheDocument();
  });

  it("shows an issue from Rust on the field", () => {
    render(
      <MantineProvider>
        <TasksPerGroupField value={3} onChange={() => undefined} rowCount={2} hasTaskGroupColumn={false} error="Too many." />
      </MantineProvider>,
    );
    expect(screen.getByRole("textbox", { name: "Rows per assignment" })).toHaveAccessibleDescription(/Too many\./);
  });
});
