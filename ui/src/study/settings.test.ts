import { describe, expect, it } from "vitest";

import { text } from "../test/fixtures";
import {
  decimalSeparator,
  issuesFor,
  majorFromMinor,
  minorFromMajor,
  placesOf,
} from "./settings";

describe("minorFromMajor", () => {
  it("reads pounds and dollars into pence and cents without rounding errors", () => {
    expect(minorFromMajor("12.50")).toBe(1250);
    expect(minorFromMajor("12.5")).toBe(1250);
    expect(minorFromMajor("12,50")).toBe(1250);
    expect(minorFromMajor("12")).toBe(1200);
    expect(minorFromMajor("0.29")).toBe(29);
    expect(minorFromMajor("1.005")).toBeNull();
    expect(minorFromMajor(" £3.07 ")).toBe(307);
    expect(minorFromMajor("$0.99", "USD")).toBe(99);
    expect(minorFromMajor("1500", "JPY")).toBe(1500);
    expect(minorFromMajor("15.5", "JPY")).toBeNull();
  });

  it("refuses what is not an amount", () => {
    for (const text of ["", "abc", "-5", "1.2.3", "."]) expect(minorFromMajor(text)).toBeNull();
  });

  it("round-trips with majorFromMinor", () => {
    expect(majorFromMinor(1250)).toBe("12.50");
    expect(majorFromMinor(5)).toBe("0.05");
    expect(majorFromMinor(1500, "JPY")).toBe("1500");
    for (const amount of [0, 1, 29, 99, 100, 1005, 123456]) {
      expect(minorFromMajor(majorFromMinor(amount, "USD"), "USD")).toBe(amount);
    }
  });
});

describe("placesOf", () => {
  it("multiplies assignments by people per item", () => {
    expect(placesOf(12, 3)).toBe(36);
    expect(placesOf(0, 3)).toBe(0);
  });
});

describe("issuesFor", () => {
  it("picks the messages about one field", () => {
    const issues = [
      { field: "reward", message: text("checks:settings.noReward") },
      { field: "title", message: text("checks:settings.noTitle") },
      { field: "reward", message: text("checks:settings.rangeBackwards", { lower: 5, upper: 2 }) },
    ];
    expect(issuesFor(issues, "reward")).toEqual([
      "Set a reward: participants are paid for each assignment.",
      "A range goes from 5 to 2: the first number must be the smaller.",
    ]);
  });
});

describe("decimalSeparator", () => {
  it("follows the locale, falling back to a point", () => {
    expect(decimalSeparator("en-GB")).toBe(".");
    expect(decimalSeparator("de-DE")).toBe(",");
    expect(majorFromMinor(1250, "EUR", ",")).toBe("12,50");
    expect(minorFromMajor("12,50", "EUR")).toBe(1250);
  });
});
