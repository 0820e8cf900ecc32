import { afterEach, describe, expect, it } from "vitest";

import {
  formatDate,
  formatMinorUnits,
  formatNumber,
  formatPercent,
  formatWithUnit,
  percentsAddingUp,
  setFormatLocale,
} from "./format";
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

describe("percentsAddingUp", () => {
  it("adds up to exactly 100 with largest-remainder rounding", () => {
    expect(percentsAddingUp([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentsAddingUp([14, 9, 7])).toEqual([47, 30, 23]);
    expect(percentsAddingUp([1, 1, 1, 1, 1, 1, 1])).toEqual([15, 15, 14, 14, 14, 14, 14]);
    expect(percentsAddingUp([2, 1])).toEqual([67, 33]);
    expect(percentsAddingUp([5])).toEqual([100]);
    for (const counts of [[3, 3, 3, 1], [995, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 7, 0]]) {
      expect(percentsAddingUp(counts).reduce((sum, share) => sum + share, 0)).toBe(100);
    }
  });

  it("gives nothing to a count of nothing", () => {
    expect(percentsAddingUp([0, 4, 0])).toEqual([0, 100, 0]);
    expect(percentsAddingUp([0, 0])).toEqual([0, 0]);
    expect(percentsAddingUp([])).toEqual([]);
  });
});

describe("withUnit", () => {
  const stars = { unit: "stars", unitForOne: "star", unitBefore: false };
  it("says one star, and two stars", () => {
    expect(formatWithUnit(1, stars)).toBe("1 star");
    expect(formatWithUnit(2, stars)).toBe("2 stars");
    expect(formatWithUnit(0, stars)).toBe("0 stars");
    expect(formatWithUnit(1.5, stars)).toBe(`${(1.5).toLocaleString()} stars`);
  });

  it("puts a currency before the number, glued when it is a sign", () => {
    expect(formatWithUnit(12, { unit: "£", unitForOne: "£", unitBefore: true })).toBe("£12");
    expect(formatWithUnit(12, { unit: "USD", unitForOne: "USD", unitBefore: true })).toBe("USD 12");
  });

  it("writes a number without a unit bare", () => {
    expect(formatWithUnit(1, { unit: null, unitForOne: null, unitBefore: false })).toBe("1");
  });
});
