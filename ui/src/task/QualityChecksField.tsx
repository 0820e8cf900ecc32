import { Alert, Group, NumberInput, SegmentedControl, Select, Stack, Switch, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";

import type { Column, DesignIssue, QualityChecks, Question } from "../backend";
import { formatPercent } from "../format";
import { say, useTranslation } from "../i18n";
import { assignmentCount } from "./design";

/** The most known rows or checks one assignment may carry (Rust's `MOST_PER_GROUP`). */
const MOST_PER_GROUP = 5;

export type QualityChecksFieldProps = {
  value: QualityChecks;
  onChange: (value: QualityChecks) => void;
  columns: Column[];
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
export function rowsToLabel(checks: QualityChecks, columns: Column[], rowCount: number): number {
  if (checks.knownPerGroup <= 0 || checks.knownColumn === null) return rowCount;
  const column = columns.find((found) => found.name === checks.knownColumn && found.hidden && !found.isTaskGroup);
  return column ? Math.min(rowCount, column.emptyCells) : rowCount;
}

const isChoice = (question: Question) =>
  question.kind.type === "multipleChoice" || question.kind.type === "multipleChoiceWithFreeText";

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
  const { t } = useTranslation("task");
  const issue = (field: string) => {
    const found = issues.find((each) => each.section === "setup" && each.field === field);
    return found ? say(found.message) : undefined;
  };
  const hidden = columns.filter((column) => column.hidden && !column.isTaskGroup);
  const filled = (name: string | null) => {
    const column = hidden.find((found) => found.name === name);
    return column ? Math.max(rowCount - column.emptyCells, 0) : 0;
  };
  const choiceQuestions = questions.filter(isChoice);
  const questionData = choiceQuestions.map((question, index) => ({
    value: question.key,
    label: question.description.trim() || t("checks.question", { number: index + 1 }),
  }));
  const knownOn = value.knownPerGroup > 0;
  const checksOn = value.checksPerGroup > 0;
  const change = (part: Partial<QualityChecks>) => onChange({ ...value, ...part });

  if (hasTaskGroupColumn) {
    return (
      <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} data-testid="checks-unavailable">
        {t("checks.unavailable", { column: "META_TASK_GROUP_ID" })}
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
    checkQuestion && (checkQuestion.kind.type === "multipleChoice" || checkQuestion.kind.type === "multipleChoiceWithFreeText")
      ? checkQuestion.kind.options[1] ?? checkQuestion.kind.options[0]
      : undefined;

  return (
    <Stack gap="md" data-testid="quality-checks">
      <Text size="sm">
        {t("checks.intro")}
      </Text>
      {issue("checks") && (
        <Alert color="red" variant="light" data-testid="checks-issue">
          {issue("checks")}
        </Alert>
      )}

      <Switch
        label={t("checks.known")}
        description={t("checks.knownDescription")}
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
          {t("checks.noHiddenColumn")}
        </Alert>
      )}
      {knownOn && hidden.length > 0 && (
        <Group align="flex-start" gap="md" pl="xl">
          <Select
            label={t("checks.knownColumn")}
            data={hidden.map((column) => ({
              value: column.name,
              label: t("checks.columnWithRows", { name: column.name, count: filled(column.name) }),
            }))}
            value={value.knownColumn}
            onChange={(knownColumn) => change({ knownColumn })}
            allowDeselect={false}
            error={issue("checks.knownColumn")}
            w={300}
            data-testid="known-column"
          />
          <Select
            label={t("checks.knownQuestion")}
            data={questionData}
            value={value.knownQuestion}
            onChange={(knownQuestion) => change({ knownQuestion })}
            allowDeselect={false}
            placeholder={questionData.length === 0 ? t("checks.addChoiceQuestion") : undefined}
            w={300}
            data-testid="known-question"
          />
          <NumberInput
            label={t("checks.knownPerGroup")}
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
        label={t("checks.attention")}
        description={t("checks.attentionDescription")}
        checked={checksOn}
        onChange={(event) => change({ checksPerGroup: event.currentTarget.checked ? 2 : 0 })}
        data-testid="checks-switch"
      />
      {checksOn && (
        <Stack gap="xs" pl="xl">
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="checks-per-group-label">
                {t("checks.checksPerGroup")}
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
              label={t("checks.askingAbout")}
              data={questionData}
              value={checkQuestion?.key ?? null}
              onChange={(key) => change({ checkQuestion: key })}
              allowDeselect={false}
              placeholder={questionData.length === 0 ? t("checks.addChoiceQuestion") : undefined}
              error={issue("checks.checksPerGroup")}
              w={300}
              data-testid="checks-question"
            />
          </Group>
          {checkQuestion && exampleOption && (
            <Text size="sm" c="dimmed" data-testid="checks-example">
              {t("checks.example", { question: checkQuestion.description.trim(), option: exampleOption.label })}
            </Text>
          )}
          <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} data-testid="checks-rules">
            {t("checks.rules")}
          </Alert>
        </Stack>
      )}

      {extra > 0 && (
        <Text size="sm" aria-live="polite" data-testid="checks-cost">
          {t(knownRows > 0 ? "checks.costKnown" : "checks.cost", {
            items: t("checks.items", { count: perGroup + extra }),
            perGroup,
            longer: formatPercent(longer / 100),
            assignments: t("checks.assignments", { count: assignments }),
            knownRows: t("checks.knownRows", { count: knownRows }),
          })}
        </Text>
      )}
    </Stack>
  );
}
