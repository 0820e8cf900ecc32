import { Badge, Button, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { Fragment, useState } from "react";

import { type ReliabilitySort, reliabilityWord, sortAnnotators } from "./consensusWords";
import { num, percent } from "./format";
import { type Labels, optionText } from "./labels";
import type { AnnotatorReliability } from "./types";

export type ReliabilityTableProps = {
  people: readonly AnnotatorReliability[];
  /** The answers given, in the confusion matrices' order (values). */
  classes: readonly string[];
  labels: Labels;
  /** Says which question, for the table's accessible name. */
  title: string;
};

const columns: { key: ReliabilitySort; label: string; numeric: boolean }[] = [
  { key: "participant", label: "Participant", numeric: false },
  { key: "answers", label: "Answers", numeric: true },
  { key: "reliability", label: "Reliability", numeric: true },
  { key: "competence", label: "Competence (MACE)", numeric: true },
];

/**
 * Each person's estimated reliability on one question, least reliable first; any
 * column sorts by a click (again to reverse), and each person's confusion matrix opens
 * under their row.
 */
export function ReliabilityTable({ people, classes, labels, title }: ReliabilityTableProps) {
  const [sort, setSort] = useState<{ by: ReliabilitySort; descending: boolean }>({ by: "reliability", descending: false });
  const [open, setOpen] = useState<string | null>(null);
  const rows = sortAnnotators(people, sort.by, sort.descending);
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped highlightOnHover aria-label={`How reliable each person was: ${title}`} data-testid="reliability-table">
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
                        {column.label}
                      </Text>
                      {active &&
                        (sort.descending ? <IconArrowDown size={14} aria-hidden /> : <IconArrowUp size={14} aria-hidden />)}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              );
            })}
            <Table.Th>How they answered</Table.Th>
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
                  <Table.Td ta="right">{num(person.answers)}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Badge color={word.color} variant="light" size="sm">
                        {word.word}
                      </Badge>
                      <span>{percent(person.reliability)}</span>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{percent(person.competence)}</Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      aria-expanded={shown}
                      onClick={() => setOpen(shown ? null : person.participantId)}
                    >
                      {shown ? "Hide" : "Show"} confusion matrix
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
  return (
    <Table withTableBorder aria-label={`What ${person.participantId} answered, by the model's true answer`} data-testid="confusion-matrix">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When the answer was</Table.Th>
          {classes.map((answer) => (
            <Table.Th key={answer} ta="right">
              they said {optionText(answer, labels)}
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
                {percent(person.confusion[row]?.[column] ?? 0)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
