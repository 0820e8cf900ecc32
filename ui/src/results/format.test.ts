import { describe, expect, it } from "vitest";

import { percentsAddingUp, withUnit } from "./format";

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
    expect(withUnit(1, stars)).toBe("1 star");
    expect(withUnit(2, stars)).toBe("2 stars");
    expect(withUnit(0, stars)).toBe("0 stars");
    expect(withUnit(1.5, stars)).toBe(`${(1.5).toLocaleString()} stars`);
  });

  it("puts a currency before the number, glued when it is a sign", () => {
    expect(withUnit(12, { unit: "£", unitForOne: "£", unitBefore: true })).toBe("£12");
    expect(withUnit(12, { unit: "USD", unitForOne: "USD", unitBefore: true })).toBe("USD 12");
  });

  it("writes a number without a unit bare", () => {
    expect(withUnit(1, { unit: null, unitForOne: null, unitBefore: false })).toBe("1");
  });
});
