import { Table, Text, VisuallyHidden } from "@mantine/core";

import type { AlphaInterval } from "../backend";
import { useTranslation } from "../i18n";
import { formatNumber } from "../format";
import { twoDecimals } from "./heat";
import { alphaReading } from "./ResultsOverview";

export type AlphaRow = {
  questionId: string;
  title: string;
  alpha: number | null;
  interval: AlphaInterval | null;
  itemsRated: number;
};

/** The usual thresholds: 0.667 tentative, 0.8 good. */
const THRESHOLDS = [
  { at: 0.667, word: "tentative" },
  { at: 0.8, word: "good" },
];

/** The plot's lowest value: 0, or below the lowest alpha or interval, in steps of 0.2. */
export function axisStart(rows: readonly AlphaRow[]): number {
  const lowest = Math.min(0, ...rows.flatMap((row) => [row.alpha ?? 0, row.interval?.low ?? 0]));
  return Math.max(-1, Math.floor(lowest / 0.2 + 1e-9) * 0.2);
}

/**
 * Krippendorff's alpha of each choice question with its 95% bootstrap interval, as a
 * dot-and-whisker plot beside the numbers it draws: the dot is alpha, the whisker the
 * range the true value most likely lies in, against the 0.667 and 0.8 lines. The plot is
 * decoration for the figures in the same table row.
 */
export function AlphaIntervals({ rows }: { rows: AlphaRow[] }) {
  const { t } = useTranslation("results");
  const start = axisStart(rows);
  const at = (value: number) => `${((Math.max(start, Math.min(1, value)) - start) / (1 - start)) * 100}%`;
  const lines = [0, ...THRESHOLDS.map((threshold) => threshold.at)].filter((value) => value > start);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder fz="sm" data-testid="alpha-intervals">
        <Table.Caption>
          {t("alphaIntervals.caption", { resamples: 1000 })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("alphaIntervals.question")}</Table.Th>
            <Table.Th w="40%">
              <VisuallyHidden>{t("alphaIntervals.plot")}</VisuallyHidden>
            </Table.Th>
            <Table.Th ta="right">{t("alphaIntervals.alpha")}</Table.Th>
            <Table.Th ta="right">{t("alphaIntervals.interval")}</Table.Th>
            <Table.Th ta="right">{t("alphaIntervals.items")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const color = `var(--mantine-color-${alphaReading(row.alpha).color}-6)`;
            const low = row.interval?.low ?? null;
            const high = row.interval?.high ?? null;
            return (
              <Table.Tr key={row.questionId} data-testid="alpha-interval-row">
                <Table.Td>{row.title}</Table.Td>
                <Table.Td aria-hidden>
                  <div style={{ position: "relative", height: 22 }}>
                    {lines.map((value) => (
                      <div
                        key={value}
                        style={{
                          position: "absolute",
                          left: at(value),
                          top: 0,
                          bottom: 0,
                          borderLeft: `1px ${value === 0 ? "solid" : "dashed"} var(--mantine-color-default-border)`,
                        }}
                      />
                    ))}
                    {low !== null && high !== null && (
                      <div
                        data-testid="alpha-whisker"
                        style={{
                          position: "absolute",
                          left: at(low),
                          width: `calc(${at(high)} - ${at(low)})`,
                          top: 7,
                          height: 8,
                          borderLeft: `2px solid ${color}`,
                          borderRight: `2px solid ${color}`,
                          background: `linear-gradient(${color}, ${color}) center / 100% 2px no-repeat`,
                        }}
                      />
                    )}
                    {row.alpha !== null && (
                      <div
                        data-testid="alpha-dot"
                        style={{
                          position: "absolute",
                          left: `calc(${at(row.alpha)} - 6px)`,
                          top: 5,
                          width: 12,
                          height: 12,
                          borderRadius: "50%",
                          background: color,
                          border: "2px solid var(--mantine-color-body)",
                        }}
                      />
                    )}
                  </div>
                </Table.Td>
                <Table.Td ta="right" data-testid="alpha-value">
                  {twoDecimals(row.alpha)}
                </Table.Td>
                <Table.Td ta="right" data-testid="alpha-interval">
                  {low !== null && high !== null ? t("alphaIntervals.range", { low: twoDecimals(low), high: twoDecimals(high) }) : "–"}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(row.itemsRated)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
        <Table.Tfoot aria-hidden>
          <Table.Tr>
            <Table.Td />
            <Table.Td>
              <div style={{ position: "relative", height: 16 }}>
                {[start, ...lines, 1]
                  .filter((value, index, all) => all.indexOf(value) === index)
                  .map((value) => (
                    <Text
                      key={value}
                      size="xs"
                      c="dimmed"
                      style={{ position: "absolute", left: at(value), transform: "translateX(-50%)", whiteSpace: "nowrap" }}
                    >
                      {value === 0.667 ? formatNumber(0.667) : twoDecimals(value)}
                    </Text>
                  ))}
              </div>
            </Table.Td>
            <Table.Td colSpan={3} />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The plain words under the plot. */
export function AlphaIntervalsReading() {
  const { t } = useTranslation("results");
  return (
    <Text size="sm">
      {t("alphaIntervals.howToRead")}
    </Text>
  );
}
