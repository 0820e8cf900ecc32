import { Button, Group, Stack, Table, Text } from "@mantine/core";
import { useId, useState } from "react";

import type { PairShown } from "../backend";
import { useTranslation } from "../i18n";
import { formatNumber, formatPercent } from "../format";
import { AGREE, heatColor, heatText, pairSentence, personLabel, twoDecimals } from "./heat";
import classes from "./heatmap.module.css";

export type PeopleMatrixProps = {
  /** The people in the matrix (participant ids), in its order. */
  shown: string[];
  /** The pairs among them who shared items (indexes into `shown`). */
  pairs: PairShown[];
  /** The question's title, for the captions. */
  title: string;
};

const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);


/**
 * The participant × participant agreement as a heat map: one coloured square per pair
 * who answered the same items, stronger the more often they gave the same answer; a
 * hatched square where two people shared no item. Each square is named in words ("P1 and
 * P2 shared 40 items, agreed on 34 (85%)"), shown on hover; the same figures are offered
 * as a list, lowest agreement first, for reading, copying and the keyboard.
 */
export function PeopleMatrix({ shown, pairs, title }: PeopleMatrixProps) {
  const { t } = useTranslation("results");
  const kappaWords = (kappa: number | null) => (kappa === null ? "" : t("people.kappaWords", { kappa: twoDecimals(kappa) }));
  const [pointed, setPointed] = useState<string | null>(null);
  const [asList, setAsList] = useState(false);
  const listId = useId();
  const byPair = new Map(pairs.map((pair) => [pairKey(pair.first, pair.second), pair]));
  const size = shown.length > 40 ? 14 : 22;
  const numbersInCells = shown.length <= 12;
  if (shown.length === 0) {
    return (
      <Text size="sm" data-testid="people-matrix-empty">
        {t("people.empty")}
      </Text>
    );
  }
  const lowestFirst = [...pairs].sort(
    (a, b) => a.agreedItems / a.sharedItems - b.agreedItems / b.sharedItems || b.sharedItems - a.sharedItems,
  );
  return (
    <Stack gap="xs">
      <div className={classes.scroll}>
        <table
          className={classes.table}
          aria-label={t("people.tableName", { title })}
          data-testid="people-matrix"
          onMouseLeave={() => setPointed(null)}
        >
          <thead>
            <tr>
              <td />
              {shown.map((id, column) => (
                <th key={id} scope="col" className={classes.colHead} title={id} aria-label={t("people.personNamed", { person: personLabel(column), id })}>
                  {personLabel(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((id, row) => (
              <tr key={id}>
                <th scope="row" className={classes.rowHead} title={id} aria-label={t("people.personNamed", { person: personLabel(row), id })}>
                  {personLabel(row)}
                </th>
                {shown.map((other, column) => {
                  const style = { width: size, height: size, minWidth: size };
                  if (row === column) {
                    return <td key={other} className={classes.self} style={style} aria-label={t("people.self", { person: personLabel(row) })} />;
                  }
                  const pair = byPair.get(pairKey(row, column));
                  if (!pair) {
                    const words = t("people.noneShared", { first: personLabel(row), second: personLabel(column) });
                    return (
                      <td
                        key={other}
                        className={classes.empty}
                        style={style}
                        aria-label={words}
                        title={words}
                        onMouseEnter={() => setPointed(words)}
                      />
                    );
                  }
                  const share = pair.agreedItems / pair.sharedItems;
                  const words =
                    pairSentence(personLabel(row), personLabel(column), pair.sharedItems, pair.agreedItems) +
                    kappaWords(pair.kappa);
                  return (
                    <td
                      key={other}
                      className={classes.cell}
                      style={{ ...style, background: heatColor(share, AGREE), color: heatText(share) }}
                      aria-label={words}
                      title={words}
                      data-testid="pair-cell"
                      data-share={share.toFixed(3)}
                      onMouseEnter={() => setPointed(words)}
                    >
                      {numbersInCells ? formatNumber(Math.round(share * 100)) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Group gap="lg" align="center">
        <Group gap={6} aria-hidden>
          <Text size="xs">{formatPercent(0)}</Text>
          <div
            className={classes.legend}
            style={{ background: `linear-gradient(to right, ${heatColor(0, AGREE)}, ${heatColor(1, AGREE)})` }}
          />
          <Text size="xs">{t("people.legendAgreed", { share: formatPercent(1) })}</Text>
        </Group>
        <Group gap={6} aria-hidden>
          <div className={classes.empty} style={{ width: 14, height: 14 }} />
          <Text size="xs">{t("people.legendNone")}</Text>
        </Group>
        <Text size="xs" c="dimmed" data-testid="people-matrix-pointed" style={{ minHeight: "1.5em" }}>
          {pointed ?? t("people.point")}
        </Text>
      </Group>
      <Text size="sm">
        {t("people.howToRead")}
      </Text>
      <Group>
        <Button
          variant="subtle"
          size="xs"
          px={0}
          aria-expanded={asList}
          aria-controls={listId}
          onClick={() => setAsList((was) => !was)}
          data-testid="people-matrix-as-list"
        >
          {asList ? t("people.hideList") : t("people.showList")}
        </Button>
      </Group>
      {asList && (
        <Table.ScrollContainer minWidth={560} id={listId}>
          <Table withTableBorder striped fz="sm" data-testid="people-pairs">
            <Table.Caption>{t("people.list.caption", { title })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("people.list.people")}</Table.Th>
                <Table.Th ta="right">{t("people.list.shared")}</Table.Th>
                <Table.Th ta="right">{t("people.list.agreed")}</Table.Th>
                <Table.Th ta="right">{t("people.list.share")}</Table.Th>
                <Table.Th ta="right">{t("people.list.kappa")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lowestFirst.map((pair) => (
                <Table.Tr key={pairKey(pair.first, pair.second)} data-testid="people-pair">
                  <Table.Td>
                    {t("people.list.pair", {
                      first: personLabel(pair.first),
                      firstId: shown[pair.first],
                      second: personLabel(pair.second),
                      secondId: shown[pair.second],
                    })}
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(pair.sharedItems)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(pair.agreedItems)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(pair.agreedItems / pair.sharedItems)}</Table.Td>
                  <Table.Td ta="right">{twoDecimals(pair.kappa)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
