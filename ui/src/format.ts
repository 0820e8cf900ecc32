/**
 * Numbers, money, percents and dates for the researcher's OS locale: the one place the
 * UI formats them. The locale comes from Rust (the OS's regional setting, which may
 * differ from the webview's language) through `setFormatLocale` at start; until then,
 * and in tests, the webview's own default is used.
 *
 * The words around these values come from the catalogue (`src/i18n`), whose `number`
 * and `datetime` interpolation formats are routed here, so "{{count, number}} rows"
 * is formatted for the OS locale too.
 */

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
