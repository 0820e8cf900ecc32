/**
 * Colours and words for the agreement heat maps (pure helpers): a cell's colour grows
 * with its share, and its text stays readable on it in light and dark themes.
 */
import { count, num, percent } from "./format";

/** Teal for agreement, orange for confusion (Mantine's teal.7 and orange.7). */
export const AGREE = [12, 166, 120] as const;
export const CONFUSE = [247, 103, 7] as const;

/** A cell's background for a share between 0 and 1 (a faint tint at 0, still told apart from the hatching of "shared nothing"; full at 1). */
export function heatColor(share: number, rgb: readonly [number, number, number] = AGREE): string {
  const strength = 0.1 + 0.9 * Math.max(0, Math.min(1, share));
  return `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${strength.toFixed(3)})`;
}

/** White text on strong cells; the theme's own text on faint ones. */
export function heatText(share: number): string | undefined {
  return share > 0.55 ? "#fff" : undefined;
}

/** The short name of the matrix's person at `index` ("P1"). */
export function personLabel(index: number): string {
  return `P${index + 1}`;
}

/** One pair in words: "P1 and P2 shared 40 items, agreed on 34 (85%)". */
export function pairSentence(first: string, second: string, shared: number, agreed: number): string {
  return `${first} and ${second} shared ${count(shared, "item", "items")}, agreed on ${num(agreed)} (${percent(
    shared > 0 ? agreed / shared : null,
  )})`;
}

/** Two decimals, or a dash when unknown. */
export function twoDecimals(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(2);
}
