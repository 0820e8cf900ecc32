import { Group, Stack, Text } from "@mantine/core";

import { num, percentsAddingUp, wholePercent } from "./format";
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
  if (answers.length === 0) {
    return (
      <Text size="sm" data-testid="confusion-empty">
        No item has been answered by two people yet, so no answers can be compared.
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
          aria-label={`Which answers to “${title}” people gave together on the same item`}
          data-testid="confusion-matrix"
        >
          <thead>
            <tr>
              <td className={classes.rowHead}>
                <Text size="xs" c="dimmed" span>
                  When one said ↓, another said →
                </Text>
              </td>
              {names.map((name, column) => (
                <th key={answers[column]} scope="col" className={classes.colHead} style={{ maxWidth: 96, whiteSpace: "normal" }}>
                  {name}
                </th>
              ))}
              <th scope="col" className={classes.colHead}>
                Answers
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
                  const shown = share === null ? "–" : wholePercent(rows[row]?.percents[column] ?? 0);
                  const words =
                    share === null
                      ? `${name}: no other answers to compare`
                      : `When someone answered ${name}, another person on the same item answered ${names[column]} ${shown} of the time`;
                  const value = share ?? 0;
                  return (
                    <td
                      key={answers[column]}
                      className={classes.cell}
                      style={{
                        width: 64,
                        height: 30,
                        background: heatColor(value, row === column ? AGREE : CONFUSE),
                        color: heatText(value),
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
                <td className={classes.rowHead} style={{ textAlign: "right" }} title="Answers on items two or more people answered">
                  {num(Math.round(rows[row]?.total ?? 0))}
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
          <Text size="xs">same answer</Text>
        </Group>
        <Group gap={6}>
          <div
            className={classes.legend}
            style={{ background: `linear-gradient(to right, ${heatColor(0, CONFUSE)}, ${heatColor(1, CONFUSE)})` }}
          />
          <Text size="xs">another answer</Text>
        </Group>
      </Group>
      <Text size="sm">
        How to read it: pick a row, an answer someone gave. Along it are the answers the other people gave to the same
        items, as shares that add up to 100%. The teal square on the diagonal is how often they agreed; a strong orange
        square is an answer often given instead, so those two labels get confused (their descriptions may need to be told
        apart more clearly). Only items answered by two or more people count.
      </Text>
    </Stack>
  );
}
