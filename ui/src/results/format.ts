/**
 * Plain words and locale formatting shared by the results screens (pure helpers). The
 * words come from the catalogue (namespace `results`); numbers, percents and dates from
 * `src/format.ts`, so they follow the OS locale like the rest of the app.
 */
import { formatClock, formatDate, formatDateTime, formatNumber, formatPercent } from "../format";
import { t } from "../i18n";
import type { QuestionKind, StudyPhase, SubmissionTally } from "./types";

export { formatClock, formatDate, formatDateTime };

/** The badge word for a phase. */
export function phaseLabel(phase: StudyPhase): string {
  return t(`results:phase.${phase}`);
}

export const phaseColor: Record<StudyPhase, string> = {
  draft: "gray",
  scheduled: "grape",
  collecting: "blue",
  paused: "yellow",
  awaitingReview: "orange",
  completed: "teal",
  stopped: "red",
};

export type TallyKey = Exclude<keyof SubmissionTally, "other" | "total">;

/** Submission statuses shown, in order (`other` and `total` are not statuses). */
export const tallyKeys: TallyKey[] = ["active", "awaitingReview", "approved", "rejected", "returned", "timedOut"];

/** A count of submissions in a status, in plain words ("3 approved"). */
export function tallyText(key: TallyKey, count: number): string {
  return t(`results:tally.${key}`, { count });
}

/** A number in the researcher's locale ("12,345"). */
export function num(value: number): string {
  return formatNumber(value);
}


/** `part` of `whole` as a whole percent between 0 and 100 (0 when `whole` is 0). */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
}

/** A share between 0 and 1 as a percent in the locale ("83%"); "–" when unknown. */
export function percent(share: number | null, digits = 0): string {
  return formatPercent(share, digits);
}

/**
 * The plain sentence of a failed call: the back end rejects with `{ code, message }`,
 * whose `message` is written for the researcher. Anything else gets a general sentence.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    const { message } = error;
    if (typeof message === "string" && message.trim() !== "") return message;
  }
  if (typeof error === "string" && error.trim() !== "") return error;
  return t("results:errors.general");
}

/** Choice questions have options, a distribution and agreement. */
export function isChoice(kind: QuestionKind): boolean {
  return kind === "multipleChoice" || kind === "multipleChoiceWithFreeText";
}

/** A decimal such as Krippendorff's alpha, in the locale, with two decimals ("0.71"). */
export function decimal(value: number): string {
  return formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * Whole percents of `counts` that add up to exactly 100 (largest-remainder rounding:
 * each share is rounded down, then the points left go to the largest remainders, ties
 * to the earlier count). All zeros when nothing was counted.
 */
export function percentsAddingUp(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, value) => sum + Math.max(0, value), 0);
  if (!(total > 0)) return counts.map(() => 0);
  const exact = counts.map((value) => (Math.max(0, value) / total) * 100);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((sum, value) => sum + value, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** A whole percent in the locale ("83%"). */
export function wholePercent(value: number): string {
  return formatPercent(value / 100);
}

/** A measured number in the locale, with at most two decimals ("3.33", "12", "1,250"). */
export function measure(value: number): string {
  return formatNumber(value, { maximumFractionDigits: 2 });
}

/** How a number question's unit is written: the unit, its form after one, and its place. */
export type UnitStyle = { unit: string | null; unitForOne: string | null; unitBefore: boolean };

/**
 * A number with its unit as a person writes it: "1 star", "3 stars", "£12" (a symbol
 * before the number is glued to it), "USD 12"; the bare number without a unit.
 */
export function withUnit(value: number, style: UnitStyle): string {
  const text = measure(value);
  const unit = style.unit?.trim();
  if (!unit) return text;
  if (style.unitBefore) return /[\p{L}\p{N}]/u.test(unit) ? `${unit} ${text}` : `${unit}${text}`;
  return `${text} ${Math.abs(value) === 1 ? (style.unitForOne ?? unit) : unit}`;
}
