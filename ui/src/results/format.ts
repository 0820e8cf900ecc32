/** Plain words and locale formatting shared by the results screens (pure helpers). */
import type { QuestionKind, StudyPhase, SubmissionTally } from "./types";

/** The badge word for each phase. */
export const phaseLabel: Record<StudyPhase, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  collecting: "Collecting",
  paused: "Paused",
  awaitingReview: "Awaiting your review",
  completed: "Completed",
  stopped: "Stopped",
};

export const phaseColor: Record<StudyPhase, string> = {
  draft: "gray",
  scheduled: "grape",
  collecting: "blue",
  paused: "yellow",
  awaitingReview: "orange",
  completed: "teal",
  stopped: "red",
};

/** Submission statuses shown, in order, in plain words (`other` and `total` are not statuses). */
export const tallyLabels: { key: Exclude<keyof SubmissionTally, "other" | "total">; label: string }[] = [
  { key: "active", label: "in progress" },
  { key: "awaitingReview", label: "awaiting review" },
  { key: "approved", label: "approved" },
  { key: "rejected", label: "rejected" },
  { key: "returned", label: "returned" },
  { key: "timedOut", label: "timed out" },
];

/** A number in the researcher's locale ("12,345"). */
export function num(value: number): string {
  return value.toLocaleString();
}

/** "12,345 people", "1 person" and the like. */
export function count(value: number, one: string, many: string): string {
  return `${num(value)} ${value === 1 ? one : many}`;
}

/** `part` of `whole` as a whole percent between 0 and 100 (0 when `whole` is 0). */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
}

/** A share between 0 and 1 as a percent in the locale ("83%"); "–" when unknown. */
export function percent(share: number | null, digits = 0): string {
  if (share === null || !Number.isFinite(share)) return "–";
  return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: digits }).format(share);
}

function parse(iso: string | null): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date and time in the researcher's locale ("6 Dec 2026, 14:05"); null when unknown. */
export function formatDateTime(iso: string | null): string | null {
  const date = parse(iso);
  return date ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date) : null;
}

/** A date in the researcher's locale ("6 Dec 2026"); null when unknown. */
export function formatDate(iso: string | null): string | null {
  const date = parse(iso);
  return date ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(date) : null;
}

/** The time of day with seconds, 24-hour ("14:05:09"); null when unknown. */
export function formatClock(iso: string | null): string | null {
  const date = parse(iso);
  return date
    ? new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(
        date,
      )
    : null;
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
  return "Something went wrong. Please try again.";
}

/** Choice questions have options, a distribution and agreement. */
export function isChoice(kind: QuestionKind): boolean {
  return kind === "multipleChoice" || kind === "multipleChoiceWithFreeText";
}

/** A decimal such as Krippendorff's alpha, in the locale, with two decimals ("0.71"). */
export function decimal(value: number): string {
  return new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
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
  return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 }).format(value / 100);
}

/** A measured number in the locale, with at most two decimals ("3.33", "12", "1,250"). */
export function measure(value: number): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
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
