/**
 * Wizard step 3 ("Who, how many, how much"): the study settings and what they come to.
 *
 * The types below mirror Rust's exactly (the study settings, eligibility and cost types
 * the lead engineer writes); at integration they will be generated into the bindings and
 * re-exported from ../backend instead, and this block becomes an `export type { … }`.
 */
import { formatMinorUnits } from "../money";

export type StudySettings = {
  title: string; // public title participants see in Prolific's list
  description: string; // public description, plain text
  internalName: string; // only the researcher sees it
  estimatedMinutes: number; // how long one assignment takes (whole minutes, >= 1)
  maxMinutes: number | null; // null = Batchdesk's default (computed by Rust and shown via StudyFacts.defaultMaxMinutes)
  reward: number; // per submission (one assignment), minor units (pence/cents)
  peoplePerItem: number; // annotators_per_task (>= 1)
  devices: Device[]; // at least one
  projectId: string | null;
  approval: Approval;
  filters: AudienceFilter[]; // chosen audience filters
};
export type Device = "desktop" | "mobile" | "tablet";
export type Approval = "automatic" | "review";
export type AudienceFilter =
  | { filterId: string; kind: "select"; values: string[] } // chosen choice ids
  | { filterId: string; kind: "range"; lower: number | null; upper: number | null };
/** One filter Prolific offers (from its filters endpoint), for the pickers. */
export type FilterOption = {
  filterId: string;
  title: string;
  description: string;
  kind: "select" | "range";
  choices: { id: string; label: string }[]; // select only; may be hundreds (countries, languages): use a searchable MultiSelect
  min: number | null;
  max: number | null; // range only
  common: boolean; // age, country of residence, first language, approval rate: shown up front
};
/** What the settings come to, worked out by Rust from the batch and Prolific's answers. */
export type StudyFacts = {
  assignments: number; // groups of rows, from the batch setup (step 2)
  places: number; // assignments × people per item
  currency: string; // "GBP" | "USD" …
  hourlyRate: number; // reward per hour at estimatedMinutes, minor units
  recommendedHourly: number | null; // Prolific's recommended reward per hour, minor units
  minimumHourly: number | null; // Prolific's minimum reward per hour, minor units
  defaultMaxMinutes: number; // what maxMinutes null means
  minimumMaxMinutes: number; // Prolific's lowest allowed maximum time for estimatedMinutes
};
export type Eligibility = { count: number | null; fewerThan25: boolean; checking: boolean }; // count null while unknown; 0 from Prolific means "fewer than 25"
export type PriceQuote = {
  rewards: number; // reward × places, minor units
  feesAndTax: number; // total − rewards (Prolific's service fee and VAT)
  total: number; // from Prolific's cost calculator
  available: number; // the workspace's available balance
  shortfall: number; // 0 when the balance covers the total; else how much is missing
  currency: string;
};
export type SettingsIssue = { field: string /* a StudySettings key, or "audience" / "balance" */; message: string };
export type TestRunAvailability = { available: boolean; reason: string | null }; // reason in plain words when not available

// ---------------------------------------------------------------------------------------
// Helpers (pure).

/** How many minor digits `currency` has (2 for GBP and USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An amount typed in pounds or dollars ("12.50", "12,5", "£3") as minor units (1250),
 * worked out on the digits so no floating-point rounding can move a penny. Null when the
 * text is not an amount, or has more decimals than the currency has.
 */
export function minorFromMajor(text: string, currency = "GBP"): number | null {
  const digits = minorDigits(currency);
  const cleaned = text.trim().replace(/^[^\d.,-]+/, "");
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(cleaned);
  if (!match) return null;
  const [, whole, fraction = ""] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/**
 * The decimal separator of the researcher's locale when it is one minorFromMajor reads
 * ("." or ","), so an amount is shown the way they would type it.
 */
export function decimalSeparator(locale?: string): "." | "," {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal");
  return part?.value === "," ? "," : ".";
}

/** Minor units back as the plain number a researcher types: 1250 → "12.50" (or "12,50"). */
export function majorFromMinor(amount: number, currency = "GBP", separator: "." | "," = "."): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(Math.round(amount));
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}${separator}${String(abs % scale).padStart(digits, "0")}`;
}

/**
 * Reward per hour, in minor units, for `reward` per assignment of `minutes`, rounded to
 * the nearest minor unit (halves up, as Rust's `f64::round` does for these positive
 * amounts). Zero when the time is not known yet.
 */
export function hourlyRate(reward: number, minutes: number): number {
  if (!(minutes > 0)) return 0;
  return Math.round((reward * 60) / minutes);
}

/** The smallest reward per assignment of `minutes` that pays at least `hourly` per hour. */
export function rewardForHourly(hourly: number, minutes: number): number {
  if (!(minutes > 0)) return 0;
  return Math.ceil((hourly * minutes) / 60);
}

/** Places on Prolific: each assignment done by `people` different people. */
export function placesOf(assignments: number, people: number): number {
  return Math.max(0, assignments) * Math.max(0, people);
}

export const DEFAULT_MINUTES = 10;
export const DEFAULT_PEOPLE_PER_ITEM = 3;

/**
 * Where a new study starts. The reward pays Prolific's recommended hourly rate when it is
 * known; otherwise it is 0, which the form shows as an issue until the researcher sets it.
 * The internal name carries the assignment count so the researcher can tell studies of
 * the same task apart in their own list.
 */
export function defaultSettings(
  taskTitle: string,
  assignments: number,
  recommendedHourly: number | null = null,
): StudySettings {
  const title = taskTitle.trim();
  return {
    title,
    description: "",
    internalName: `${title || "Untitled task"} (${assignments.toLocaleString("en")} ${assignments === 1 ? "assignment" : "assignments"})`,
    estimatedMinutes: DEFAULT_MINUTES,
    maxMinutes: null,
    reward: recommendedHourly === null ? 0 : rewardForHourly(recommendedHourly, DEFAULT_MINUTES),
    peoplePerItem: DEFAULT_PEOPLE_PER_ITEM,
    devices: ["desktop", "mobile", "tablet"],
    projectId: null,
    approval: "review",
    filters: [],
  };
}

/** The messages of the issues about `field`. */
export function issuesFor(issues: SettingsIssue[], field: string): string[] {
  return issues.filter((issue) => issue.field === field).map((issue) => issue.message);
}

/** Money in the researcher's locale; one place to change it for the whole step. */
export function money(amount: number, currency: string): string {
  return formatMinorUnits(amount, currency);
}

/** "12,345 people", "1 person" and the like. */
export function count(value: number, one: string, many: string): string {
  return `${value.toLocaleString()} ${value === 1 ? one : many}`;
}
