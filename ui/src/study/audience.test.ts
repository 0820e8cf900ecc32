import { describe, expect, it } from "vitest";

import { describeFilter, emptyFilter, isEmptyFilter, withFilter, withoutFilter } from "./audience";
import { filterOptions } from "./testData";

const age = filterOptions[0]!;
const country = filterOptions[1]!;

describe("audience helpers", () => {
  it("adds, replaces and removes filters by id", () => {
    const added = withFilter([], emptyFilter(age));
    expect(added).toEqual([{ filterId: "age", kind: "range", lower: null, upper: null }]);
    expect(isEmptyFilter(added[0]!)).toBe(true);
    const replaced = withFilter(added, { filterId: "age", kind: "range", lower: 18, upper: null });
    expect(replaced).toEqual([{ filterId: "age", kind: "range", lower: 18, upper: null }]);
    expect(withoutFilter(replaced, "age")).toEqual([]);
  });

  it("describes a filter in a few words", () => {
    expect(describeFilter({ filterId: "age", kind: "range", lower: 18, upper: 65 }, age)).toBe("18 to 65");
    expect(describeFilter({ filterId: "age", kind: "range", lower: null, upper: 65 }, age)).toBe("up to 65");
    expect(describeFilter({ filterId: "x", kind: "select", values: ["0", "2"] }, country)).toBe(
      "United Kingdom, Ireland",
    );
    expect(describeFilter({ filterId: "x", kind: "select", values: ["0", "1", "2", "9"] }, country)).toBe(
      "United Kingdom, United States, Ireland and 1 more",
    );
  });
});
