import { describe, expect, it } from "vitest";

import { axisStart } from "./AlphaIntervals";
import { rowShares } from "./ConfusionMatrix";
import { AGREE, heatColor, heatText, pairSentence, personLabel } from "./heat";

describe("the heat maps' helpers", () => {
  it("colour a cell more strongly the larger its share, within bounds", () => {
    expect(heatColor(0, AGREE)).toBe("rgba(12, 166, 120, 0.100)");
    expect(heatColor(1, AGREE)).toBe("rgba(12, 166, 120, 1.000)");
    expect(heatColor(2, AGREE)).toBe(heatColor(1, AGREE));
    expect(heatColor(-1, AGREE)).toBe(heatColor(0, AGREE));
    expect(heatText(0.9)).toBe("#fff");
    expect(heatText(0.2)).toBeUndefined();
  });

  it("name people and pairs in words", () => {
    expect(personLabel(0)).toBe("P1");
    expect(pairSentence("P1", "P2", 40, 34)).toBe("P1 and P2 shared 40 items, agreed on 34 (85%)");
    expect(pairSentence("P3", "P9", 1, 0)).toBe("P3 and P9 shared 1 item, agreed on 0 (0%)");
  });

  it("read each row of the coincidences as shares and percents adding up to 100", () => {
    const [positive, none] = rowShares([
      [1, 1, 1],
      [0, 0, 0],
    ]);
    expect(positive!.total).toBe(3);
    expect(positive!.shares).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(positive!.percents.reduce((sum, value) => sum + value, 0)).toBe(100);
    expect(none!.shares).toEqual([null, null, null]);
  });

  it("start the alpha axis at 0, or lower in steps of 0.2 for negative values", () => {
    const row = (alpha: number | null, low: number) => ({
      questionId: "q",
      title: "q",
      alpha,
      interval: { low, high: 1, resamples: 1000 },
      itemsRated: 10,
    });
    expect(axisStart([row(0.7, 0.5)])).toBe(0);
    expect(axisStart([row(0.1, -0.15)])).toBeCloseTo(-0.2);
    expect(axisStart([row(-0.3, -0.45)])).toBeCloseTo(-0.6);
    expect(axisStart([row(null, -5)])).toBe(-1);
  });
});
