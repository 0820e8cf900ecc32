/**
 * The UI's words, in one catalogue (`en/*.json`, one file per area of the app), ready
 * for translation with i18next. Components get their words through `useTranslation`
 * from this module, never from react-i18next directly, so the catalogue is always
 * loaded first (ESLint enforces it). Keys are typed (see `i18next.d.ts`): a key that is
 * not in the English catalogue fails the type check.
 *
 * Numbers, dates and money are not words: they are formatted for the OS locale by
 * `src/format.ts`, whatever language the words are in.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

import type { Text, TextValue } from "../backend";
import { formatDateWith, formatMinorUnits, formatNumber } from "../format";
import { defaultNamespace, namespaces, resources } from "./resources";

void i18next.use(initReactI18next).init({
  lng: "en",
  fallbackLng: "en",
  resources,
  ns: namespaces,
  defaultNS: defaultNamespace,
  // The catalogue is bundled, so it is ready before the first render: no loading state.
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;" to researchers.
  interpolation: { escapeValue: false },
  returnNull: false,
});

// "{{count, number}}" and "{{when, datetime(dateStyle: medium)}}" in the catalogue are
// formatted for the OS locale (src/format.ts), not for the words' language. Only Intl's
// own options are passed on: i18next hands its formatters every option of the call.
const numberOptions = [
  "style", "currency", "currencyDisplay", "unit", "unitDisplay", "notation", "compactDisplay", "signDisplay",
  "useGrouping", "minimumIntegerDigits", "minimumFractionDigits", "maximumFractionDigits",
  "minimumSignificantDigits", "maximumSignificantDigits", "roundingMode",
] as const;
const dateOptions = [
  "dateStyle", "timeStyle", "weekday", "era", "year", "month", "day", "hour", "minute", "second",
  "hourCycle", "timeZone", "timeZoneName",
] as const;
function pick<T>(options: Record<string, unknown>, keys: readonly (keyof T & string)[]): T {
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]])) as T;
}
i18next.services.formatter?.add("number", (value: number, _lng, options: Record<string, unknown>) =>
  formatNumber(value, pick<Intl.NumberFormatOptions>(options, numberOptions)),
);
i18next.services.formatter?.add(
  "datetime",
  (value: string | Date, _lng, options: Record<string, unknown>) => formatDateWith(value, pick<Intl.DateTimeFormatOptions>(options, dateOptions)) ?? "",
);

// "{{price, money}}": an amount Rust sends in minor units with its currency.
i18next.services.formatter?.add("money", (value: { minor: number; currency: string }) =>
  formatMinorUnits(value.minor, value.currency),
);

// "{{lines, list}}": several values joined as the words' language joins them ("1, 2 and 3"),
// numbers formatted for the OS locale with the placeholder's options
// (`{{lines, list(useGrouping: false)}}` for line numbers). A sentence in the list was said by `say`.
i18next.services.formatter?.add("list", (values: unknown[], lng, options: Record<string, unknown>) => {
  const numberFormat = pick<Intl.NumberFormatOptions>(options, numberOptions);
  const items = values.map((value) => (typeof value === "number" ? formatNumber(value, numberFormat) : String(value)));
  return new Intl.ListFormat(listLocale(lng), { style: "long", type: "conjunction" }).format(items);
});

/** The catalogue's English is British ("recognise"), and British lists have no comma before "and". */
function listLocale(lng: string | undefined): string {
  return !lng || lng === "en" ? "en-GB" : lng;
}

/**
 * A sentence Rust decided (an error, an issue, a finding), said from the catalogue in the
 * researcher's language with its values formatted for the OS locale.
 */
export function say(text: Text): string {
  // Rust's keys are checked against the catalogue by Rust's own test, not by the type
  // checker: they arrive as strings.
  const sayEntry = i18next.t.bind(i18next) as unknown as (key: string, values: Record<string, unknown>) => string;
  // A sentence inside another (`TextValue`'s `Said`) is said first, in a list too.
  const values = Object.fromEntries(Object.entries(text.params).map(([name, value]) => [name, sayInside(value)]));
  return sayEntry(text.key, values);
}

function sayInside(value: TextValue): unknown {
  if (Array.isArray(value)) return value.map(sayInside);
  return isText(value) ? say(value) : value;
}

function isText(value: unknown): value is Text {
  return typeof value === "object" && value !== null && "key" in value && "params" in value;
}

export { Trans, useTranslation } from "react-i18next";
export type { TFunction } from "i18next";
/** For words outside components (labels in plain functions); components use `useTranslation`. */
export const t = i18next.t.bind(i18next);
export { i18next };
