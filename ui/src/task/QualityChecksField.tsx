import { Alert, Group, NumberInput, SegmentedControl, Select, Stack, Switch, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";

import type { DataColumn, DesignIssue, QualityChecks, Question } from "../backend";
import { assignmentCount } from "./design";

/** The most known rows or checks one assignment may carry (Rust's `MOST_PER_GROUP`). */
const MOST_PER_GROUP = 5;

export type QualityChecksFieldProps = {
  value: QualityChecks;
  onChange: (value: QualityChecks) => void;
  columns: DataColumn[];
  rowCount: number;
  questions: Question[];
  tasksPerGroup: number;
  hasTaskGroupColumn: boolean;
  /** The design's issues; those on `checks…` fields are shown here. */
  issues: DesignIssue[];
};

/**
 * The rows left to label when known answers are mixed in: the rows with a known answer
 * are shown in turn in every assignment instead of being labelled.
 */
export function rowsToLabel(checks: QualityChecks, columns: DataColumn[], rowCount: number): number {
  if (checks.knownPerGroup <= 0 || checks.knownColumn === null) return rowCount;
  const column = columns.find((found) => found.name === checks.knownColumn && found.hidden && !found.isTaskGroup);
  return column ? Math.min(rowCount, column.emptyCells) : rowCount;
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

const isChoice = (question: Question) =>
  question.kind.type === "multiple_choice" || question.kind.type === "multiple_choice_with_free_text";

/**
 * Known answers and attention checks mixed into every assignment: which hidden column
 * holds the right answers and how many such rows each person gets, how many checks, and
 * what that does to the work and the cost. Batchdesk writes the copy with them when the
 * batch is set up; the researcher's file is never changed.
 */
export function QualityChecksField({
  value,
  onChange,
  columns,
  rowCount,
  questions,
  tasksPerGroup,
  hasTaskGroupColumn,
  issues,
}: QualityChecksFieldProps) {
  const issue = (field: string) => issues.find((found) => found.section === "setup" && found.field === field)?.message;
  const hidden = columns.filter((column) => column.hidden && !column.isTaskGroup);
  const filled = (name: string | null) => {
    const column = hidden.find((found) => found.name === name);
    return column ? Math.max(rowCount - column.emptyCells, 0) : 0;
  };
  const choiceQuestions = questions.filter(isChoice);
  const questionData = choiceQuestions.map((question, index) => ({
    value: question.key,
    label: question.description.trim() || `Question ${index + 1}`,
  }));
  const knownOn = value.knownPerGroup > 0;
  const checksOn = value.checksPerGroup > 0;
  const change = (part: Partial<QualityChecks>) => onChange({ ...value, ...part });

  if (hasTaskGroupColumn) {
    return (
      <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} data-testid="checks-unavailable">
        Your data groups its rows itself (META_TASK_GROUP_ID), so Batchdesk cannot add known answers or checks to the
        assignments. Remove that column from your data to use them.
      </Alert>
    );
  }

  const knownRows = rowCount - rowsToLabel(value, columns, rowCount);
  const extra = (knownOn ? value.knownPerGroup : 0) + value.checksPerGroup;
  const perGroup = Math.max(tasksPerGroup, 1);
  const assignments = assignmentCount(Math.max(rowCount - knownRows, 0), perGroup);
  const longer = Math.round((extra / perGroup) * 100);
  const checkQuestion =
    choiceQuestions.find((question) => question.key === value.checkQuestion) ?? choiceQuestions[0] ?? null;
  const exampleOption =
    checkQuestion && (checkQuestion.kind.type === "multiple_choice" || checkQuestion.kind.type === "multiple_choice_with_free_text")
      ? checkQuestion.kind.options[1] ?? checkQuestion.kind.options[0]
      : undefined;

  return (
    <Stack gap="md" data-testid="quality-checks">
      <Text size="sm">
        Rows you can check, mixed into every assignment, show whom to trust. Participants cannot tell them from the
        other rows. The results leave them out of your labels and score each person on them.
      </Text>
      {issue("checks") && (
        <Alert color="red" variant="light" data-testid="checks-issue">
          {issue("checks")}
        </Alert>
      )}

      <Switch
        label="Known answers in every assignment"
        description="Rows whose right answer you know, from a hidden column of your data."
        checked={knownOn}
        onChange={(event) => {
          if (!event.currentTarget.checked) {
            change({ knownPerGroup: 0 });
            return;
          }
          const column = value.knownColumn ?? hidden.find((found) => filled(found.name) > 0)?.name ?? null;
          change({
            knownPerGroup: 1,
            knownColumn: column,
            knownQuestion: value.knownQuestion ?? choiceQuestions[0]?.key ?? null,
          });
        }}
        data-testid="known-switch"
      />
      {knownOn && hidden.length === 0 && (
        <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="known-no-column">
          Your data has no hidden column. Add one whose name starts with META_ (for example META_answer) holding the
          right option for a few rows and empty elsewhere, then upload the file again in step 1.
        </Alert>
      )}
      {knownOn && hidden.length > 0 && (
        <Group align="flex-start" gap="md" pl="xl">
          <Select
            label="Column with the right answers"
            data={hidden.map((column) => ({
              value: column.name,
              label: `${column.name} (${plural(filled(column.name), "row", "rows")})`,
            }))}
            value={value.knownColumn}
            onChange={(knownColumn) => change({ knownColumn })}
            allowDeselect={false}
            error={issue("checks.knownColumn")}
            w={300}
            data-testid="known-column"
          />
          <Select
            label="The right answers are for"
            data={questionData}
            value={value.knownQuestion}
            onChange={(knownQuestion) => change({ knownQuestion })}
            allowDeselect={false}
            placeholder={questionData.length === 0 ? "Add a question with options" : undefined}
            w={300}
            data-testid="known-question"
          />
          <NumberInput
            label="Known rows in each"
            value={value.knownPerGroup}
            onChange={(next) => {
              if (typeof next === "number" && Number.isInteger(next) && next >= 1) change({ knownPerGroup: next });
            }}
            min={1}
            max={MOST_PER_GROUP}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            error={issue("checks.knownPerGroup")}
            w={150}
            data-testid="known-per-group"
          />
        </Group>
      )}

      <Switch
        label="Attention checks in every assignment"
        description="Items that tell participants which option to choose."
        checked={checksOn}
        onChange={(event) => change({ checksPerGroup: event.currentTarget.checked ? 2 : 0 })}
        data-testid="checks-switch"
      />
      {checksOn && (
        <Stack gap="xs" pl="xl">
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="checks-per-group-label">
                Checks in each
              </Text>
              <SegmentedControl
                aria-labelledby="checks-per-group-label"
                data={["1", "2", "3"]}
                value={String(Math.min(value.checksPerGroup, 3))}
                onChange={(next) => change({ checksPerGroup: Number(next) })}
                data-testid="checks-per-group"
              />
            </Stack>
            <Select
              label="Asking about"
              data={questionData}
              value={checkQuestion?.key ?? null}
              onChange={(key) => change({ checkQuestion: key })}
              allowDeselect={false}
              placeholder={questionData.length === 0 ? "Add a question with options" : undefined}
              error={issue("checks.checksPerGroup")}
              w={300}
              data-testid="checks-question"
            />
          </Group>
          {checkQuestion && exampleOption && (
            <Text size="sm" c="dimmed" data-testid="checks-example">
              Each check takes the place of a row and says, for example: For the question “
              {checkQuestion.description.trim()}”, please choose “{exampleOption.label}”.
            </Text>
          )}
          <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} data-testid="checks-rules">
            These follow Prolific’s rules for attention checks: the instruction is in the item itself, in plain words,
            and needs no memory or outside knowledge. A failed check is grounds for rejection only after two failed
            checks (Prolific allows one in studies under 5 minutes; Batchdesk asks for two in every study), so choose 2
            if you may reject on them. With fewer, you can still ask people who fail to return their submission.
          </Alert>
        </Stack>
      )}

      {extra > 0 && (
        <Text size="sm" aria-live="polite" data-testid="checks-cost">
          Each participant does {plural(perGroup + extra, "item", "items")} instead of {perGroup}: about {longer}% more
          work. There are still {plural(assignments, "assignment", "assignments")}
          {knownRows > 0 && ` (the ${plural(knownRows, "row", "rows")} with known answers are shown in turn, not labelled)`}
          , so the places and fees stay as they are, but each person takes longer: raise the time estimate and the
          reward in the next step to match, or let a pilot measure it.
        </Text>
      )}
    </Stack>
  );
}
