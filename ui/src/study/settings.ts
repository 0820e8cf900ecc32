/**
 * Wizard step 3 ("Who, how many, how much"): the study settings and what they come to.
 *
 * The types are Rust's (`crates/engine/src/study/settings.rs`), generated into the
 * bindings and re-exported here so the study components import them from one place.
 */
import { formatMinorUnits, formatNumberToParts, minorDigits } from "../format";
import { say } from "../i18n";

export type {
  Approval,
  AudienceFilter,
  Device,
  Eligibility,
  FilterOption,
  PriceQuote,
  SettingsIssue,
  StudyFacts,
  StudySettings,
  TestRunAvailability,
} from "../backend";
import type { SettingsIssue } from "../backend";

// ---------------------------------------------------------------------------------------
// Helpers (pure).

export { minorDigits };

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
  const parts = locale === undefined ? formatNumberToParts(1.5) : new Intl.NumberFormat(locale).formatToParts(1.5);
  const part = parts.find((p) => p.type === "decimal");
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

/** Places on Prolific: each assignment done by `people` different people. */
export function placesOf(assignments: number, people: number): number {
  return Math.max(0, assignments) * Math.max(0, people);
}

/** The messages of the issues about `field`. */
export function issuesFor(issues: SettingsIssue[], field: string): string[] {
  return issues.filter((issue) => issue.field === field).map((issue) => say(issue.message));
}

/** Money in the researcher's locale; one place to change it for the whole step. */
export function money(amount: number, currency: string): string {
  return formatMinorUnits(amount, currency);
}
