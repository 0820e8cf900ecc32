import { ActionIcon, Alert, Button, Card, Group, List, Paper, Stack, Switch, Text, Title, Tooltip } from "@mantine/core";
import {
  IconAlertTriangle,
  IconArrowDown,
  IconArrowsLeftRight,
  IconArrowUp,
  IconEyeOff,
  IconPlus,
} from "@tabler/icons-react";

import { say, useTranslation } from "../i18n";
import { ColumnBadges } from "./ColumnBadges";
import { type DataColumn, type DataRow, type DesignIssue, moveItem } from "./design";
import { useFocusAfterMove } from "./useFocusAfterMove";

export type DataLayoutEditorProps = {
  columns: DataColumn[];
  rows: DataRow[];
  onChange: (rows: DataRow[]) => void;
  issues: DesignIssue[];
};

// Small pure edits of the layout; each returns a new list.
const withoutColumn = (rows: DataRow[], name: string): DataRow[] =>
  rows
    .map((row) => ({ columns: row.columns.filter((column) => column !== name) }))
    .filter((row) => row.columns.length > 0);

const joinWithNext = (rows: DataRow[], index: number): DataRow[] => {
  const row = rows[index];
  const next = rows[index + 1];
  if (!row || !next) return rows;
  return [...rows.slice(0, index), { columns: [...row.columns, ...next.columns] }, ...rows.slice(index + 2)];
};

const stack = (rows: DataRow[], index: number): DataRow[] => {
  const row = rows[index];
  if (!row) return rows;
  return [...rows.slice(0, index), ...row.columns.map((column) => ({ columns: [column] })), ...rows.slice(index + 1)];
};

const swapSides = (rows: DataRow[], index: number): DataRow[] =>
  rows.map((row, at) => (at === index ? { columns: [...row.columns].reverse() } : row));

/** A key per layout row that survives reordering: its first column (made unique if repeated). */
function rowKeys(rows: DataRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const base = row.columns[0] ?? "";
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  });
}

/**
 * What participants see of each data row: which columns, in which order, and which two
 * sit side by side. Hidden (META_) columns are listed but can never be chosen.
 */
export function DataLayoutEditor({ columns, rows, onChange, issues }: DataLayoutEditorProps) {
  const { t } = useTranslation("task");
  const { container, refocus } = useFocusAfterMove<HTMLDivElement>();
  const byName = new Map(columns.map((column) => [column.name, column]));
  const shown = new Set(rows.flatMap((row) => row.columns));
  const available = columns.filter((column) => !column.hidden && !shown.has(column.name));
  const hidden = columns.filter((column) => column.hidden);
  const dataIssues = issues.filter((issue) => issue.section === "data");
  const keys = rowKeys(rows);

  const move = (index: number, direction: "up" | "down") => {
    refocus(keys[index] ?? "", direction);
    onChange(moveItem(rows, index, direction === "up" ? index - 1 : index + 1));
  };

  return (
    <Card withBorder padding="lg" ref={container}>
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            {t("layout.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("layout.intro")}
          </Text>
        </div>

        {dataIssues.map((issue, index) => (
          <Alert key={index} color="red" variant="light" icon={<IconAlertTriangle aria-hidden />}>
            {say(issue.message)}
          </Alert>
        ))}

        {rows.length === 0 ? (
          <Text size="sm" data-testid="nothing-shown">
            {t("layout.nothingShown")}
          </Text>
        ) : (
          <Stack gap="xs" component="ol" aria-label={t("layout.shownLabel")} p={0} m={0}>
            {rows.map((row, index) => {
              const key = keys[index] ?? String(index);
              const names = row.columns.join(t("layout.and"));
              const single = row.columns.length === 1;
              const next = rows[index + 1];
              const canJoin = single && next?.columns.length === 1;
              return (
                <Paper key={key} component="li" withBorder p="sm" style={{ listStyle: "none" }} data-testid="layout-row">
                  <Group justify="space-between" align="flex-start" wrap="nowrap">
                    <Group gap="md" align="flex-start" style={{ flex: 1 }}>
                      {row.columns.map((name) => (
                        <Stack key={name} gap={4} style={{ flex: 1, minWidth: 0 }}>
                          <Group gap={6} wrap="nowrap">
                            <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
                              {name}
                            </Text>
                            <Tooltip label={t("layout.dontShowTip")}>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                size="sm"
                                aria-label={t("layout.dontShow", { name })}
                                onClick={() => onChange(withoutColumn(rows, name))}
                              >
                                <IconEyeOff size={16} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                          <ColumnBadges column={byName.get(name)} />
                        </Stack>
                      ))}
                    </Group>
                    <Group gap={4} wrap="nowrap">
                      {!single && (
                        <ActionIcon
                          variant="subtle"
                          aria-label={t("layout.swap", { names })}
                          onClick={() => onChange(swapSides(rows, index))}
                        >
                          <IconArrowsLeftRight size={18} aria-hidden />
                        </ActionIcon>
                      )}
                      <ActionIcon
                        variant="subtle"
                        aria-label={t("layout.moveUp", { names })}
                        disabled={index === 0}
                        data-move-key={key}
                        data-move="up"
                        onClick={() => move(index, "up")}
                      >
                        <IconArrowUp size={18} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t("layout.moveDown", { names })}
                        disabled={index === rows.length - 1}
                        data-move-key={key}
                        data-move="down"
                        onClick={() => move(index, "down")}
                      >
                        <IconArrowDown size={18} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Group>
                  {(canJoin || !single) && (
                    <Switch
                      mt="xs"
                      size="sm"
                      label={
                        single
                          ? t("layout.sideBySideWith", { name: next?.columns[0] ?? t("layout.theNext") })
                          : t("layout.sideBySide")
                      }
                      // Several rows may read "Side by side": name each switch after its columns.
                      aria-label={single ? undefined : t("layout.namesSideBySide", { names })}
                      checked={!single}
                      onChange={(event) =>
                        onChange(event.currentTarget.checked ? joinWithNext(rows, index) : stack(rows, index))
                      }
                    />
                  )}
                </Paper>
              );
            })}
          </Stack>
        )}

        {available.length > 0 && (
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              {t("layout.notShown")}
            </Text>
            <Group gap="xs">
              {available.map((column) => (
                <Button
                  key={column.name}
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() => onChange([...rows, { columns: [column.name] }])}
                  aria-label={t("layout.show", { name: column.name })}
                >
                  {column.name}
                </Button>
              ))}
            </Group>
          </Stack>
        )}

        {hidden.length > 0 && (
          <Stack gap={6} data-testid="never-shown">
            <Text size="sm" fw={600}>
              {t("layout.neverShown")}
            </Text>
            <Text size="xs" c="dimmed">
              {t("layout.metaExplained")}
            </Text>
            <List size="sm" spacing={2}>
              {hidden.map((column) => (
                <List.Item key={column.name}>
                  {column.name}
                  {column.isTaskGroup && t("layout.taskGroupColumn")}
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
