/**
 * Colours and words for the agreement heat maps (pure helpers): a cell's colour grows
 * with its share, and its text stays readable on it in light and dark themes.
 */
import { formatNumber } from "../format";
import { t } from "../i18n";
import { contrast } from "../theme";
import { formatPercent } from "../format";

/**
 * Teal for agreement, orange for confusion: Mantine's teal 9 and a darker orange, dark
 * enough at full strength for white text to read at WCAG AA (4.5:1).
 */
export const AGREE = [8, 127, 91] as const;
export const CONFUSE = [178, 60, 12] as const;

/** A cell's background for a share between 0 and 1 (a faint tint at 0, still told apart from the hatching of "shared nothing"; full at 1). */
export function heatColor(share: number, rgb: readonly [number, number, number] = AGREE): string {
  const strength = 0.1 + 0.9 * Math.max(0, Math.min(1, share));
  return `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${strength.toFixed(3)})`;
}

/**
 * White text on cells where it reads better than black (worked out on the light theme's
 * white, the harder case; one of the two always reaches WCAG AA's 4.5:1); the theme's
 * own text, dark on light and light on dark, on the others.
 */
export function heatText(share: number, rgb: readonly [number, number, number] = AGREE): string | undefined {
  const strength = 0.1 + 0.9 * Math.max(0, Math.min(1, share));
  const [red, green, blue] = rgb.map((channel) => Math.round(255 * (1 - strength) + channel * strength));
  const cell = `rgb(${red}, ${green}, ${blue})`;
  return contrast("#fff", cell) >= contrast("#000", cell) ? "#fff" : undefined;
}

/** The short name of the matrix's person at `index` ("P1"). */
export function personLabel(index: number): string {
  return t("results:heat.person", { number: index + 1 });
}

/** One pair in words: "P1 and P2 shared 40 items, agreed on 34 (85%)". */
export function pairSentence(first: string, second: string, shared: number, agreed: number): string {
  return t("results:heat.pair", {
    first,
    second,
    items: t("results:count.items", { count: shared }),
    agreed,
    share: formatPercent(shared > 0 ? agreed / shared : null),
  });
}

/** Two decimals, or a dash when unknown. */
export function twoDecimals(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "–"
    : formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
