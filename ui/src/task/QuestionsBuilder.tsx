import { Alert, Button, Group, Menu, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowBackUp, IconPlus } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";

import { say, useTranslation } from "../i18n";
import { type DesignIssue, duplicateQuestion, moveQuestion, newQuestion, type Question } from "./design";
import { questionTypeDescription, questionTypeOrder, questionTypeTitle } from "./labels";
import { QuestionCard } from "./QuestionCard";
import { useFocusAfterMove } from "./useFocusAfterMove";

export type QuestionsBuilderProps = {
  questions: Question[];
  onChange: (questions: Question[]) => void;
  issues: DesignIssue[];
};

type Removed = { question: Question; index: number };

/**
 * The questions participants answer for each row: add one of the five types, edit,
 * reorder, copy and delete them. Rules are Rust's: its `issues` appear next to the
 * question and field they name. A deleted question can be brought back until the next
 * deletion, so nothing is lost by a slip.
 */
export function QuestionsBuilder({ questions, onChange, issues }: QuestionsBuilderProps) {
  const { t } = useTranslation("task");
  const { container, refocus } = useFocusAfterMove<HTMLDivElement>();
  const [removed, setRemoved] = useState<Removed | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const dropdown = useRef<HTMLDivElement>(null);
  const chose = useRef(false);
  const general = issues.filter((issue) => issue.section === "questions" && issue.question === null);

  // After a deletion, keyboard focus goes to the Undo button rather than to the page top.
  useEffect(() => {
    if (removed) undoButton.current?.focus();
  }, [removed]);

  const move = (index: number, direction: "up" | "down") => {
    const to = direction === "up" ? index - 1 : index + 1;
    const question = questions[index];
    if (!question || to < 0 || to >= questions.length) return;
    refocus(question.key, direction);
    onChange(moveQuestion(questions, index, to));
  };
  const add = (type: Question["kind"]["type"]) => {
    chose.current = true;
    const question = newQuestion(type);
    setAdded(question.key);
    onChange([...questions, question]);
  };
  const duplicate = (index: number) => {
    const question = questions[index];
    if (!question) return;
    const copy = duplicateQuestion(question);
    setAdded(copy.key);
    onChange([...questions.slice(0, index + 1), copy, ...questions.slice(index + 1)]);
  };
  const remove = (index: number) => {
    const question = questions[index];
    if (!question) return;
    setRemoved({ question, index });
    onChange(questions.filter((_, at) => at !== index));
  };
  // The menu does not hand focus back itself (it would take it from the question just
  // added): when it closes without a choice (Escape) and focus is lost, it goes back to
  // the "Add a question" button.
  const menuClosed = () => {
    const choseOne = chose.current;
    chose.current = false;
    if (choseOne) return;
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || dropdown.current?.contains(active)) addButton.current?.focus();
    }, 0);
  };
  const undo = () => {
    if (!removed) return;
    const at = Math.min(removed.index, questions.length);
    onChange([...questions.slice(0, at), removed.question, ...questions.slice(at)]);
    setRemoved(null);
  };

  return (
    <Stack gap="md" ref={container}>
      <div>
        <Title order={3} size="h4">
          {t("builder.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("builder.intro")}
        </Text>
      </div>

      {general.map((issue, index) => (
        <Alert key={index} color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="questions-issue">
          {say(issue.message)}
        </Alert>
      ))}

      {removed && (
        <Alert color="gray" variant="light" data-testid="deleted-notice" aria-live="polite">
          <Group justify="space-between">
            <Text size="sm">
              {t(removed.question.description ? "builder.deletedNamed" : "builder.deleted", {
                number: removed.index + 1,
                type: questionTypeTitle(removed.question.kind.type),
                description: removed.question.description,
              })}
            </Text>
            <Group gap="xs">
              <Button
                ref={undoButton}
                size="xs"
                variant="light"
                leftSection={<IconArrowBackUp size={14} aria-hidden />}
                onClick={undo}
              >
                {t("builder.undo")}
              </Button>
              <Button size="xs" variant="subtle" color="gray" onClick={() => setRemoved(null)}>
                {t("builder.dismiss")}
              </Button>
            </Group>
          </Group>
        </Alert>
      )}

      {questions.length === 0 && (
        <Text size="sm" data-testid="no-questions">
          {t("builder.none")}
        </Text>
      )}

      {questions.map((question, index) => (
        <QuestionCard
          key={question.key}
          question={question}
          index={index}
          count={questions.length}
          issues={issues.filter((issue) => issue.question === index)}
          onChange={(next) => onChange(questions.map((current, at) => (at === index ? next : current)))}
          onMove={(direction) => move(index, direction)}
          onDuplicate={() => duplicate(index)}
          onDelete={() => remove(index)}
          autoFocus={question.key === added}
        />
      ))}

      <Menu position="bottom-start" width={320} returnFocus={false} onClose={menuClosed}>
        <Menu.Target>
          <Button
            ref={addButton}
            leftSection={<IconPlus size={18} aria-hidden />} variant="light" style={{ alignSelf: "flex-start" }}
            data-testid="add-question">
            {t("builder.add")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown ref={dropdown}>
          {questionTypeOrder.map((type) => (
            <Menu.Item key={type} onClick={() => add(type)} data-testid={`add-${type}`}>
              <Text size="sm" fw={600}>
                {questionTypeTitle(type)}
              </Text>
              <Text size="xs" c="dimmed">
                {questionTypeDescription(type)}
              </Text>
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    </Stack>
  );
}
