import { Alert, Button, Group, Select, Stack, Text } from "@mantine/core";
import { IconColumns } from "@tabler/icons-react";

import type { ColumnChoice, Column, DataRow } from "../backend";
import { useTranslation } from "../i18n";

/**
 * A template named columns the data does not have; Batchdesk put its likeliest column in
 * each one's place (the longest text, or the image links). This asks the researcher to
 * confirm or change each guess: only that column is shown to participants, so an id or a
 * rating that would bias the judgement stays out. A guess disappears once it is
 * confirmed, or once the layout no longer shows it (the researcher changed it there).
 */
export function TemplateColumnChoices({
  choices,
  columns,
  rows,
  onRowsChange,
  onChoicesChange,
}: {
  choices: ColumnChoice[];
  columns: Column[];
  rows: DataRow[];
  onRowsChange: (rows: DataRow[]) => void;
  onChoicesChange: (choices: ColumnChoice[]) => void;
}) {
  const { t } = useTranslation("task");
  const shown = new Set(rows.flatMap((row) => row.columns));
  const open = choices.filter((choice) => shown.has(choice.chosen));
  if (open.length === 0) return null;
  const showable = columns.filter((column) => !column.hidden && !column.isTaskGroup).map((column) => column.name);

  const choose = (choice: ColumnChoice, next: string) => {
    // The new column takes the guess's place in the layout; if it was shown elsewhere
    // already, it moves here rather than being shown twice.
    const moved = rows
      .map((row) => ({
        columns: row.columns
          .filter((column) => column !== next)
          .map((column) => (column === choice.chosen ? next : column)),
      }))
      .filter((row) => row.columns.length > 0);
    onRowsChange(moved);
    onChoicesChange(choices.map((other) => (other === choice ? { ...other, chosen: next } : other)));
  };
  const confirm = (choice: ColumnChoice) => onChoicesChange(choices.filter((other) => other !== choice));

  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconColumns aria-hidden />}
      title={open.length === 1 ? t("columnChoices.titleOne") : t("columnChoices.titleMany")}
      data-testid="template-column-choices"
    >
      <Stack gap="sm">
        {open.map((choice) => {
          return (
            <Stack key={choice.templateColumn} gap={6} data-testid={`column-choice-${choice.templateColumn}`}>
              <Text size="sm">
                {t(choice.role === "image" ? "columnChoices.image" : "columnChoices.text", { column: choice.templateColumn })}
              </Text>
              <Group gap="sm" align="flex-end">
                <Select
                  label={t("columnChoices.yourColumn", { column: choice.templateColumn })}
                  data={showable}
                  value={choice.chosen}
                  onChange={(value) => value && value !== choice.chosen && choose(choice, value)}
                  allowDeselect={false}
                  w={260}
                  data-testid={`column-choice-select-${choice.templateColumn}`}
                />
                <Button variant="light" onClick={() => confirm(choice)} data-testid={`column-choice-ok-${choice.templateColumn}`}>
                  {t("columnChoices.use", { column: choice.chosen })}
                </Button>
              </Group>
            </Stack>
          );
        })}
      </Stack>
    </Alert>
  );
}
