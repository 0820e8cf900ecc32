import { afterEach, describe, expect, it } from "vitest";

import type { Text } from "../backend";
import { setFormatLocale } from "../format";
import { say } from ".";

const lines = (count: number, shown: Text["params"][string][]): Text => ({
  key: "checks:csv.lines.within",
  params: { count, lines: shown },
});

describe("saying a sentence Rust decided", () => {
  afterEach(() => setFormatLocale(null));

  it("joins a list as the words' language does, with line numbers plain and a sentence inside said", () => {
    expect(say(lines(1, [14]))).toBe("line 14");
    expect(say(lines(2, [14, 92]))).toBe("lines 14 and 92");
    expect(say(lines(1202, [1, 2193, { key: "checks:csv.lines.more", params: { count: 1200 } }]))).toBe(
      "lines 1, 2193 and 1,200 more",
    );
    // Numbers follow the OS locale, the list the words' language.
    setFormatLocale("de_DE.UTF-8");
    expect(say(lines(1202, [1, 2193, { key: "checks:csv.lines.more", params: { count: 1200 } }]))).toBe(
      "lines 1, 2193 and 1.200 more",
    );
  });

  it("joins words, and chooses the whole sentence by its count", () => {
    const blank = (letters: string[]): Text => ({
      key: "checks:csv.blankHeader",
      params: { count: letters.length, letters, names: letters.map((letter) => `“${letter}”`) },
    });
    expect(say(blank(["B"]))).toMatch(/^Column B has no name in the header row\..* name it “B”\.$/);
    expect(say(blank(["B", "C", "D"]))).toMatch(/^Columns B, C and D have no name .* name them “B”, “C” and “D”\.$/);
  });

  it("says a finding with its line references inside it", () => {
    const emptyRows = (count: number, shown: number[]): Text => ({
      key: "checks:csv.emptyRows",
      params: { count, lines: { key: "checks:csv.lines.start", params: { count, lines: shown } } },
    });
    expect(say(emptyRows(1, [3]))).toBe(
      "Line 3 is empty. Prolific would show participants empty items: delete that line, or use Fix to drop it.",
    );
    expect(say(emptyRows(2, [3, 4]))).toBe(
      "Lines 3 and 4 are empty. Prolific would show participants empty items: delete those lines, or use Fix to drop them.",
    );
  });
});
