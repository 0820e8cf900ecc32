import { Group, Stack, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
import { formatNumber, formatWholePercent, percentsAddingUp } from "../format";
import { AGREE, CONFUSE, heatColor, heatText } from "./heat";
import classes from "./heatmap.module.css";
import { type Labels, optionText } from "./labels";

export type ConfusionMatrixProps = {
  /** The answers (option values; several joined by "; "), in the matrix's order. */
  answers: string[];
  /** Krippendorff's coincidences, row by row in the order of `answers` (never missing in practice). */
  coincidences: (number | null)[][];
  labels: Labels;
  title: string;
};

/**
 * Each row as shares of its total (what the others answered when someone gave the row's
 * answer), and as whole percents that add up to 100.
 */
export function rowShares(
  coincidences: (number | null)[][],
): { total: number; shares: (number | null)[]; percents: number[] }[] {
  return coincidences.map((cells) => {
    const row = cells.map((value) => value ?? 0);
    const total = row.reduce((sum, value) => sum + value, 0);
    return {
      total,
      shares: row.map((value) => (total > 0 ? value / total : null)),
      percents: percentsAddingUp(row),
    };
  });
}

/**
 * Which answers people give together on the same item (Krippendorff's coincidences, each
 * row as shares): a row is an answer someone gave, its squares what the other people on
 * the same items answered. The diagonal (teal) is agreement; a strong orange square off
 * it is a pair of labels people confuse. A real table, each square named in words.
 */
export function ConfusionMatrix({ answers, coincidences, labels, title }: ConfusionMatrixProps) {
  const { t } = useTranslation("results");
  if (answers.length === 0) {
    return (
      <Text size="sm" data-testid="confusion-empty">
        {t("confusion.empty")}
      </Text>
    );
  }
  const names = answers.map((answer) => optionText(answer, labels));
  const rows = rowShares(coincidences);
  return (
    <Stack gap="xs">
      <div className={classes.scroll}>
        <table
          className={classes.table}
          aria-label={t("confusion.tableName", { title })}
          data-testid="confusion-matrix"
        >
          <thead>
            <tr>
              <td className={classes.rowHead}>
                <Text size="xs" c="dimmed" span>
                  {t("confusion.corner")}
                </Text>
              </td>
              {names.map((name, column) => (
                <th key={answers[column]} scope="col" className={classes.colHead} style={{ maxWidth: 96, whiteSpace: "normal" }}>
                  {name}
                </th>
              ))}
              <th scope="col" className={classes.colHead}>
                {t("confusion.answers")}
              </th>
            </tr>
          </thead>
          <tbody>
            {names.map((name, row) => (
              <tr key={answers[row]} data-testid="confusion-row">
                <th scope="row" className={classes.rowHead}>
                  {name}
                </th>
                {(rows[row]?.shares ?? []).map((share, column) => {
                  const shown = share === null ? "–" : formatWholePercent(rows[row]?.percents[column] ?? 0);
                  const words =
                    share === null
                      ? t("confusion.cellNone", { name })
                      : t("confusion.cell", { name, other: names[column], share: shown });
                  const value = share ?? 0;
                  return (
                    <td
                      key={answers[column]}
                      className={classes.cell}
                      style={{
                        width: 64,
                        height: 30,
                        background: heatColor(value, row === column ? AGREE : CONFUSE),
                        color: heatText(value, row === column ? AGREE : CONFUSE),
                      }}
                      aria-label={words}
                      title={words}
                      data-testid="confusion-cell"
                      data-share={value.toFixed(3)}
                    >
                      {shown}
                    </td>
                  );
                })}
                <td className={classes.rowHead} style={{ textAlign: "right" }} title={t("confusion.totalTitle")}>
                  {formatNumber(Math.round(rows[row]?.total ?? 0))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Group gap="lg" aria-hidden>
        <Group gap={6}>
          <div
            className={classes.legend}
            style={{ background: `linear-gradient(to right, ${heatColor(0, AGREE)}, ${heatColor(1, AGREE)})` }}
          />
          <Text size="xs">{t("confusion.legendSame")}</Text>
        </Group>
        <Group gap={6}>
          <div
            className={classes.legend}
            style={{ background: `linear-gradient(to right, ${heatColor(0, CONFUSE)}, ${heatColor(1, CONFUSE)})` }}
          />
          <Text size="xs">{t("confusion.legendOther")}</Text>
        </Group>
      </Group>
      <Text size="sm">
        {t("confusion.howToRead")}
      </Text>
    </Stack>
  );
}
