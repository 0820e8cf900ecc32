import { Alert, NumberInput, Stack, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";

import { assignmentCount } from "./design";

export type TasksPerGroupFieldProps = {
  value: number;
  onChange: (value: number) => void;
  rowCount: number;
  hasTaskGroupColumn: boolean;
  /** Rows with known answers, shown in every assignment rather than labelled (not in `rowCount`). */
  knownRows?: number;
  /** An issue from Rust about this setting (section "setup"), shown as is. */
  error?: string;
};

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** How many rows one participant does in one sitting (`tasks_per_group`), and what that makes. */
export function TasksPerGroupField({
  value,
  onChange,
  rowCount,
  hasTaskGroupColumn,
  knownRows = 0,
  error,
}: TasksPerGroupFieldProps) {
  const assignments = assignmentCount(rowCount, value);
  const lastSize = value >= 1 ? rowCount % value : 0;
  return (
    <Stack gap="xs">
      <NumberInput
        label="Rows per assignment"
        description={
          hasTaskGroupColumn
            ? "Not used: your data groups its rows itself."
            : `Each participant does ${plural(Math.max(value, 0), "row", "rows")} in one sitting.`
        }
        value={value}
        // Whole numbers from 1 up; an emptied field is not passed on, so the design never holds 0.
        onChange={(next) => {
          if (typeof next === "number" && Number.isInteger(next) && next >= 1) onChange(next);
        }}
        min={1}
        // More rows per assignment than there are rows would only make one assignment.
        max={rowCount > 0 ? rowCount : undefined}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="strict"
        disabled={hasTaskGroupColumn}
        error={error}
        w={220}
        data-testid="tasks-per-group"
      />
      {hasTaskGroupColumn ? (
        <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} data-testid="task-group-note">
          Your data has a META_TASK_GROUP_ID column: rows with the same value in it are done together by one
          participant, so that column decides the assignments instead of this number.
        </Alert>
      ) : (
        <Text size="sm" aria-live="polite" data-testid="assignment-count">
          {knownRows > 0 ? "The " : "Your "}
          {plural(rowCount, "row", "rows")}
          {knownRows > 0 ? " to label make " : rowCount === 1 ? " makes " : " make "}
          {plural(assignments, "assignment", "assignments")}
          {lastSize > 0 && assignments > 1 && ` (the last one has ${plural(lastSize, "row", "rows")})`}.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Prolific calls an assignment a “task group” (tasks_per_group).
      </Text>
    </Stack>
  );
}
