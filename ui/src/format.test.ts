import { afterEach, describe, expect, it } from "vitest";

import { formatDate, formatMinorUnits, formatNumber, formatPercent, setFormatLocale } from "./format";
import { t } from "./i18n";

afterEach(() => setFormatLocale(null));

describe("formatting for the OS locale", () => {
  it("follows the locale set from the OS, whatever the words' language", () => {
    setFormatLocale("de_DE.UTF-8");
    expect(formatNumber(12345.5)).toBe("12.345,5");
    expect(formatMinorUnits(1250, "EUR")).toBe("12,50\u00a0€");
    expect(formatPercent(0.834)).toBe("83\u00a0%");
    expect(formatDate("2026-12-06T14:05:00Z")).toBe("06.12.2026");
    setFormatLocale("en-GB");
    expect(formatNumber(12345.5)).toBe("12,345.5");
    expect(formatMinorUnits(1250, "GBP")).toBe("£12.50");
    expect(formatMinorUnits(1250, "JPY")).toBe("JP¥1,250");
    expect(formatMinorUnits(125050, "GBP")).toBe("£1,250.50");
    setFormatLocale("en-US");
    expect(formatMinorUnits(99, "USD")).toBe("$0.99");
  });

  it("formats the catalogue's numbers for the OS locale too", () => {
    setFormatLocale("fr-FR");
    expect(t("common:rows", { count: 12345 })).toBe("12\u202f345 rows");
    expect(t("common:rows", { count: 1 })).toBe("1 row");
  });

  it("ignores a locale that is not one", () => {
    setFormatLocale("not a locale!");
    expect(formatNumber(1)).toBe(new Intl.NumberFormat().format(1));
  });
});
