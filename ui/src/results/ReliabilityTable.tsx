import { Badge, Button, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { Fragment, useState } from "react";

import { t as translate, useTranslation } from "../i18n";
import { type ReliabilitySort, reliabilityWord, sortAnnotators } from "./consensusWords";
import { formatNumber, formatPercent } from "../format";
import { type Labels, optionText } from "./labels";
import type { AnnotatorReliability } from "../backend";

export type ReliabilityTableProps = {
  people: readonly AnnotatorReliability[];
  /** The answers given, in the confusion matrices' order (values). */
  classes: readonly string[];
  labels: Labels;
  /** Says which question, for the table's accessible name. */
  title: string;
};

const columns: { key: ReliabilitySort; numeric: boolean }[] = [
  { key: "participant", numeric: false },
  { key: "answers", numeric: true },
  { key: "reliability", numeric: true },
  { key: "competence", numeric: true },
];

const columnLabel = (key: ReliabilitySort) => translate(`results:reliability.columns.${key}`);

/**
 * Each person's estimated reliability on one question, least reliable first; any
 * column sorts by a click (again to reverse), and each person's confusion matrix opens
 * under their row.
 */
export function ReliabilityTable({ people, classes, labels, title }: ReliabilityTableProps) {
  const { t } = useTranslation("results");
  const [sort, setSort] = useState<{ by: ReliabilitySort; descending: boolean }>({ by: "reliability", descending: false });
  const [open, setOpen] = useState<string | null>(null);
  const rows = sortAnnotators(people, sort.by, sort.descending);
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped highlightOnHover aria-label={t("reliability.tableName", { title })} data-testid="reliability-table">
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => {
              const active = sort.by === column.key;
              return (
                <Table.Th
                  key={column.key}
                  ta={column.numeric ? "right" : undefined}
                  aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
                >
                  <UnstyledButton
                    onClick={() => setSort({ by: column.key, descending: active ? !sort.descending : false })}
                    data-testid={`sort-${column.key}`}
                  >
                    <Group gap={4} wrap="nowrap" justify={column.numeric ? "flex-end" : undefined}>
                      <Text size="sm" fw={600} span>
                        {columnLabel(column.key)}
                      </Text>
                      {active &&
                        (sort.descending ? <IconArrowDown size={14} aria-hidden /> : <IconArrowUp size={14} aria-hidden />)}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              );
            })}
            <Table.Th>{t("reliability.howTheyAnswered")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((person) => {
            const word = reliabilityWord(person.reliability ?? 0);
            const shown = open === person.participantId;
            return (
              <Fragment key={person.participantId}>
                <Table.Tr data-testid="reliability-row" data-participant={person.participantId}>
                  <Table.Td ff="monospace">{person.participantId}</Table.Td>
                  <Table.Td ta="right">{formatNumber(person.answers)}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Badge color={word.color} variant="light" size="sm">
                        {word.word}
                      </Badge>
                      <span>{formatPercent(person.reliability)}</span>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{formatPercent(person.competence)}</Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      aria-expanded={shown}
                      onClick={() => setOpen(shown ? null : person.participantId)}
                    >
                      {shown ? t("reliability.hideMatrix") : t("reliability.showMatrix")}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {shown && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Confusion person={person} classes={classes} labels={labels} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** One person's confusion matrix: for each true answer, how often they gave each answer. */
function Confusion({ person, classes, labels }: { person: AnnotatorReliability; classes: readonly string[]; labels: Labels }) {
  const { t } = useTranslation("results");
  return (
    <Table withTableBorder aria-label={t("reliability.matrixName", { id: person.participantId })} data-testid="confusion-matrix">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("reliability.whenAnswer")}</Table.Th>
          {classes.map((answer) => (
            <Table.Th key={answer} ta="right">
              {t("reliability.theySaid", { answer: optionText(answer, labels) })}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {classes.map((truth, row) => (
          <Table.Tr key={truth}>
            <Table.Th scope="row">{optionText(truth, labels)}</Table.Th>
            {classes.map((answer, column) => (
              <Table.Td key={answer} ta="right" fw={row === column ? 700 : undefined}>
                {formatPercent(person.confusion[row]?.[column] ?? 0)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
