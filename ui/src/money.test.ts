import { describe, expect, it } from "vitest";

import { formatMinorUnits } from "./money";

describe("formatMinorUnits", () => {
  it("uses the currency's own number of minor digits", () => {
    expect(formatMinorUnits(125050, "GBP", "en-GB")).toBe("£1,250.50");
    expect(formatMinorUnits(99, "USD", "en-US")).toBe("$0.99");
    expect(formatMinorUnits(1500, "JPY", "en-US")).toBe("¥1,500");
  });
});
