import { ActionIcon, Alert, Badge, Card, Group, Stack, Text, Textarea, TextInput, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconCopy, IconTrash } from "@tabler/icons-react";
import type { KeyboardEvent } from "react";

import { say, useTranslation } from "../i18n";
import { ChoiceEditor } from "./ChoiceEditor";
import { type DesignIssue, fieldError, issueConcerns, type Question, type QuestionKind } from "./design";
import { FileUploadEditor } from "./FileUploadEditor";
import { FreeTextEditor } from "./FreeTextEditor";
import { commonFields, placedFields, questionTypeTitle } from "./labels";
import { UnitEditor } from "./UnitEditor";

export type QuestionCardProps = {
  question: Question;
  index: number;
  count: number;
  /** The issues of this question (those whose `question` is `index`). */
  issues: DesignIssue[];
  onChange: (question: Question) => void;
  onMove: (direction: "up" | "down") => void;
  onDuplicate: () => void;
  onDelete: () => void;
  /** Focus the question's text on mount (a question just added). */
  autoFocus?: boolean;
};

/** Alt+↑ and Alt+↓ move the question, except inside a text field, where they edit text. */
function moveKey(event: KeyboardEvent, onMove: (direction: "up" | "down") => void) {
  if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
  const target = event.target as HTMLElement;
  if (target.closest("input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable=true]")) return;
  event.preventDefault();
  onMove(event.key === "ArrowUp" ? "up" : "down");
}

function KindEditor({
  kind,
  onChange,
  errorFor,
}: {
  kind: QuestionKind;
  onChange: (kind: QuestionKind) => void;
  errorFor: (field: string) => string | undefined;
}) {
  switch (kind.type) {
    case "multipleChoice":
    case "multipleChoiceWithFreeText":
      return (
        <ChoiceEditor
          kind={kind}
          onChange={(next) => onChange({ ...next, type: kind.type })}
          withHeadings={kind.type === "multipleChoiceWithFreeText"}
          errorFor={errorFor}
        />
      );
    case "freeText":
      return <FreeTextEditor kind={kind} onChange={(next) => onChange({ ...next, type: kind.type })} errorFor={errorFor} />;
    case "freeTextWithUnit":
      return <UnitEditor kind={kind} onChange={(next) => onChange({ ...next, type: kind.type })} errorFor={errorFor} />;
    case "fileUpload":
      return <FileUploadEditor kind={kind} onChange={(next) => onChange({ ...next, type: kind.type })} errorFor={errorFor} />;
  }
}

/** One question: its text, its type's settings, its issues, and moving, copying, deleting it. */
export function QuestionCard({
  question,
  index,
  count,
  issues,
  onChange,
  onMove,
  onDuplicate,
  onDelete,
  autoFocus,
}: QuestionCardProps) {
  const { t } = useTranslation("task");
  const number = index + 1;
  const title = questionTypeTitle(question.kind.type);
  const errorFor = (field: string) => fieldError(issues, index, field);
  // Issues about a field no input here shows still appear, at the top of the card.
  const placed = [...commonFields, ...placedFields[question.kind.type]];
  const unplaced = issues.filter((issue) => !placed.some((field) => issueConcerns(issue, field)));

  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-label={t("question.cardLabel", { number, title })}
      data-testid="question-card"
      onKeyDown={(event: KeyboardEvent) => moveKey(event, onMove)}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={700}>{t("question.number", { number })}</Text>
            <Badge variant="light">{title}</Badge>
          </Group>
          <Group gap={2} wrap="nowrap">
            <Tooltip label={t("question.moveUpTip")}>
              <ActionIcon
                variant="subtle"
                aria-label={t("question.moveUp", { number })}
                aria-keyshortcuts="Alt+ArrowUp"
                disabled={index === 0}
                data-move-key={question.key}
                data-move="up"
                onClick={() => onMove("up")}
              >
                <IconArrowUp size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t("question.moveDownTip")}>
              <ActionIcon
                variant="subtle"
                aria-label={t("question.moveDown", { number })}
                aria-keyshortcuts="Alt+ArrowDown"
                disabled={index === count - 1}
                data-move-key={question.key}
                data-move="down"
                onClick={() => onMove("down")}
              >
                <IconArrowDown size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t("question.copyTip")}>
              <ActionIcon variant="subtle" aria-label={t("question.copy", { number })} onClick={onDuplicate}>
                <IconCopy size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t("question.deleteTip")}>
              <ActionIcon variant="subtle" color="red" aria-label={t("question.delete", { number })} onClick={onDelete}>
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        {unplaced.map((issue, at) => (
          <Alert key={at} color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="question-issue">
            {say(issue.message)}
          </Alert>
        ))}

        <TextInput
          label={t("question.question")}
          placeholder={t("question.example")}
          value={question.description}
          onChange={(event) => onChange({ ...question, description: event.currentTarget.value })}
          error={errorFor("description")}
          autoFocus={autoFocus}
          data-testid="question-description"
        />
        <Textarea
          label={t("question.help")}
          autosize
          minRows={1}
          value={question.helperText}
          onChange={(event) => onChange({ ...question, helperText: event.currentTarget.value })}
          error={errorFor("helperText")}
        />
        <KindEditor kind={question.kind} onChange={(kind) => onChange({ ...question, kind })} errorFor={errorFor} />
      </Stack>
    </Card>
  );
}
