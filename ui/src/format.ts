/**
 * Numbers, money, percents and dates for the researcher's OS locale: the one place the
 * UI formats them. The locale comes from Rust (the OS's regional setting, which may
 * differ from the webview's language) through `setFormatLocale` at start; until then,
 * and in tests, the webview's own default is used.
 *
 * The words around these values come from the catalogue (`src/i18n`), whose `number`
 * and `datetime` interpolation formats are routed here, so "{{count, number}} rows"
 * is formatted for the OS locale too. Sizes and durations take their unit words from
 * the catalogue through i18next itself: `src/i18n` imports this module, so this one
 * does not import it back.
 */
// eslint-disable-next-line no-restricted-imports -- see above: no import circle with src/i18n.
import i18next from "i18next";

let osLocale: string | undefined;
/** The locale last given, so giving it again (at each render of the app's root) costs nothing. */
let lastAsked: string | null | undefined;

/** Sets the locale every later call formats for ("en-GB", "de-DE"); an invalid one is ignored. */
export function setFormatLocale(locale: string | null | undefined): void {
  if (locale === lastAsked) return;
  lastAsked = locale;
  if (!locale) {
    osLocale = undefined;
  } else {
    try {
      // POSIX spellings such as "de_DE" are not BCP 47 tags.
      osLocale = Intl.getCanonicalLocales(locale.replace(/_/g, "-").replace(/\..*$/, ""))[0];
    } catch {
      osLocale = undefined;
    }
  }
  numberFormats.clear();
  dateFormats.clear();
}

/** The locale formatting uses now (undefined: the webview's default). */
export function formatLocale(): string | undefined {
  return osLocale;
}

// Making an Intl formatter is costly next to using one, and long tables format thousands
// of cells, so formatters are kept per set of options.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(osLocale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(osLocale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** A number in the locale ("12,345", "12 345"), with any Intl options. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return numberFormat(options).format(value);
}

/** A share between 0 and 1 as a percent ("83%"); "–" when unknown. */
export function formatPercent(share: number | null, digits = 0): string {
  if (share === null || !Number.isFinite(share)) return "–";
  return numberFormat({ style: "percent", maximumFractionDigits: digits }).format(share);
}

/** How many minor digits `currency` has (2 for GBP and USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units (pence, cents) of `currency` ("£12.50"). */
export function formatMinorUnits(amount: number, currency: string): string {
  return numberFormat({ style: "currency", currency }).format(amount / 10 ** minorDigits(currency));
}

function parseDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date and any Intl options; null when unknown. */
export function formatDateWith(value: string | Date | null | undefined, options: Intl.DateTimeFormatOptions): string | null {
  const date = parseDate(value);
  return date ? dateFormat(options).format(date) : null;
}

/** A date and time ("6 Dec 2026, 14:05"); null when unknown. */
export function formatDateTime(value: string | Date | null | undefined): string | null {
  return formatDateWith(value, { dateStyle: "medium", timeStyle: "short" });
}

/** A date ("6 Dec 2026"); null when unknown. */
export function formatDate(value: string | Date | null | undefined): string | null {
  return formatDateWith(value, { dateStyle: "medium" });
}

/** The time of day with seconds, 24-hour ("14:05:09"); null when unknown. */
export function formatClock(value: string | Date | null | undefined): string | null {
  return formatDateWith(value, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
}

/** A number's parts in the locale (its decimal separator, its currency symbol…), with any Intl options. */
export function formatNumberToParts(value: number, options?: Intl.NumberFormatOptions): Intl.NumberFormatPart[] {
  return numberFormat(options).formatToParts(value);
}

/** A decimal such as Krippendorff's alpha, with two decimals ("0.71"). */
export function formatDecimal(value: number): string {
  return formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A measured number, with at most two decimals ("3.33", "12", "1,250"). */
export function formatMeasure(value: number): string {
  return formatNumber(value, { maximumFractionDigits: 2 });
}

/** A whole percent between 0 and 100 ("83%"). */
export function formatWholePercent(value: number): string {
  return formatPercent(value / 100);
}

/** `part` of `whole` as a whole percent between 0 and 100 (0 when `whole` is 0), for bars and meters. */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
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

/** How a number question's unit is written: the unit, its form after one, and its place. */
export type UnitStyle = { unit: string | null; unitForOne: string | null; unitBefore: boolean };

/**
 * A number with its unit as a person writes it: "1 star", "3 stars", "£12" (a symbol
 * before the number is glued to it), "USD 12"; the bare number without a unit.
 */
export function formatWithUnit(value: number, style: UnitStyle): string {
  const text = formatMeasure(value);
  const unit = style.unit?.trim();
  if (!unit) return text;
  if (style.unitBefore) return /[\p{L}\p{N}]/u.test(unit) ? `${unit} ${text}` : `${unit}${text}`;
  return `${text} ${Math.abs(value) === 1 ? (style.unitForOne ?? unit) : unit}`;
}

const byteUnits = ["kilobytes", "megabytes", "gigabytes"] as const;

/** A size in bytes, KB, MB or GB (powers of 1000). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit < 0) return i18next.t("common:units.bytes", { count: value });
  const digits = value < 10 ? 1 : 0;
  const shown = formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return i18next.t(`common:units.${byteUnits[unit] ?? "gigabytes"}`, { value: shown });
}

/** A duration in whole seconds, as minutes and seconds ("45 s", "3 min", "3 min 5 s"). */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return i18next.t("common:units.seconds", { seconds: rest });
  return rest === 0
    ? i18next.t("common:units.minutes", { minutes })
    : i18next.t("common:units.minutesSeconds", { minutes, seconds: rest });
}
