import { describe, expect, it } from "vitest";

import { readBonusTable } from "./bonusTable";

describe("readBonusTable", () => {
  it("reads ids and amounts as people write them, skipping a header and blank lines", () => {
    const text = "participant,amount\n5f1a2b,1.50\n\n6c3d4e;2,25\n7e5f6a\t£0.75\n8a7b8c, 3\n";
    expect(readBonusTable(text, "GBP")).toEqual({
      rows: [
        { participantId: "5f1a2b", amount: 150 },
        { participantId: "6c3d4e", amount: 225 },
        { participantId: "7e5f6a", amount: 75 },
        { participantId: "8a7b8c", amount: 300 },
      ],
      problems: [],
    });
  });

  it("says which lines cannot be read, and never pays one person twice", () => {
    const text = "5f1a2b,1.50\nnot an id!,2\n6c3d4e,abc\n5f1a2b,1.00\n7e5f6a,0\n8a7b8c,1.505";
    const read = readBonusTable(text, "GBP");
    expect(read.rows).toEqual([{ participantId: "5f1a2b", amount: 150 }]);
    expect(read.problems).toEqual([
      "Line 2: “not an id!” is not a participant id.",
      "Line 3: “abc” is not an amount in GBP.",
      "Line 4: 5f1a2b is named twice; give each person one line.",
      "Line 5: “0” is not an amount in GBP.",
      "Line 6: “1.505” is not an amount in GBP.",
    ]);
  });

  it("reads whole amounts in a currency without minor units", () => {
    expect(readBonusTable("abc,150", "JPY").rows).toEqual([{ participantId: "abc", amount: 150 }]);
  });
});
