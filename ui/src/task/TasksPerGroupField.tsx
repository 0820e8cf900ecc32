import { Alert, NumberInput, Stack, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
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

/** How many rows one participant does in one sitting (`tasks_per_group`), and what that makes. */
export function TasksPerGroupField({
  value,
  onChange,
  rowCount,
  hasTaskGroupColumn,
  knownRows = 0,
  error,
}: TasksPerGroupFieldProps) {
  const { t } = useTranslation("task");
  const assignments = assignmentCount(rowCount, value);
  const lastSize = value >= 1 ? rowCount % value : 0;
  const counts = {
    rows: t("perGroup.rows", { count: rowCount }),
    assignments: t("perGroup.assignments", { count: assignments }),
    last: lastSize > 0 && assignments > 1 ? t("perGroup.last", { rows: t("perGroup.rows", { count: lastSize }) }) : "",
  };
  return (
    <Stack gap="xs">
      <NumberInput
        label={t("perGroup.label")}
        description={
          hasTaskGroupColumn
            ? t("perGroup.notUsed")
            : t("perGroup.eachDoes", { count: Math.max(value, 0) })
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
          {t("perGroup.groupColumn", { column: "META_TASK_GROUP_ID" })}
        </Alert>
      ) : (
        <Text size="sm" aria-live="polite" data-testid="assignment-count">
          {knownRows > 0 ? t("perGroup.countKnown", counts) : t("perGroup.countOwn", { ...counts, count: rowCount })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t("perGroup.prolificName", { field: "tasks_per_group" })}
      </Text>
    </Stack>
  );
}
