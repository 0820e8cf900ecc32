import { afterEach, describe, expect, it } from "vitest";

import { setFormatLocale } from "../format";

import { moneyWords } from "./moneyWords";
import { progress } from "./testData";
import type { StudyMoney, StudyProgress } from "../backend";

const pounds = (minor: number) => ({ minor });

/** A study of nine places at £2.80 each (£25.20) in `phase`, its money as given. */
function study(
  phase: StudyProgress["phase"],
  money: Partial<Record<Exclude<keyof StudyMoney, "rewardsOnly">, number>> & { rewardsOnly?: boolean },
  submissions: Partial<StudyProgress["submissions"]> = {},
): StudyProgress {
  return {
    ...progress,
    phase,
    places: 9,
    totalCost: 2520,
    submissions: { active: 0, awaitingReview: 0, approved: 0, rejected: 0, returned: 0, timedOut: 0, other: 0, total: 0, ...submissions },
    money: {
      setAside: pounds(money.setAside ?? 2520),
      paid: pounds(money.paid ?? 0),
      awaitingReview: pounds(money.awaitingReview ?? 0),
      openPlaces: pounds(money.openPlaces ?? 0),
      returned: pounds(money.returned ?? 0),
      rewardsOnly: money.rewardsOnly ?? false,
    },
  };
}

const line = (words: ReturnType<typeof moneyWords>, key: string) => {
  const found = words.lines.find((each) => each.key === key);
  return found && `${found.label}: ${found.amount}${found.detail ? ` (${found.detail})` : ""}`;
};

describe("moneyWords", () => {
  afterEach(() => setFormatLocale(null));

  it("says the amounts in the researcher's locale (Rust sends minor units)", () => {
    setFormatLocale("de-DE");
    const words = moneyWords(study("awaitingReview", { awaitingReview: 2520 }, { awaitingReview: 9, total: 9 }));
    expect(line(words, "setAside")).toBe("Set aside from your balance: 25,20\u00a0£ (when the study was published)");
    expect(moneyWords(study("draft", {})).summary).toContain("25,20\u00a0£");
  });

  it("everything awaiting review is set aside, not spent nor paid", () => {
    // Two people returned earlier; their places were taken again.
    const words = moneyWords(study("awaitingReview", { awaitingReview: 2520 }, { awaitingReview: 9, returned: 2, total: 11 }));
    expect(words.summary).toBe("£25.20 set aside · nothing paid yet");
    expect(line(words, "setAside")).toBe("Set aside from your balance: £25.20 (when the study was published)");
    expect(line(words, "paid")).toBe(
      "Paid to participants: nothing yet (participants are paid when you approve their work)",
    );
    expect(line(words, "awaitingReview")).toBe(
      "Awaiting your review: £25.20 (still set aside; paid when you approve the 9 submissions)",
    );
    expect(line(words, "returned")).toBeUndefined();
    expect(words.notes).toEqual([]);
    expect(JSON.stringify(words)).not.toMatch(/spent/i);
  });

  it("a completed study says all was paid and nothing came back", () => {
    const words = moneyWords(study("completed", { paid: 2520 }, { approved: 9, total: 11, returned: 2 }));
    expect(words.summary).toBe("Paid £25.20");
    expect(line(words, "paid")).toBe("Paid to participants: £25.20 (for 9 approved submissions)");
    expect(line(words, "returned")).toBe("Returned to your balance: nothing (every place was used)");
    expect(words.notes).toEqual([]);
  });

  it("a stopped study says what went back to the balance and what is still held", () => {
    const words = moneyWords(
      study("stopped", { paid: 840, awaitingReview: 280, openPlaces: 280, returned: 1120 }, { approved: 3, awaitingReview: 1, active: 1 }),
    );
    expect(words.summary).toBe(
      "Paid £8.40 · £2.80 awaiting your review · £2.80 held for people still taking part · £11.20 returned to your balance",
    );
    expect(line(words, "openPlaces")).toBe(
      "Held for people still taking part: £2.80 (paid if they finish and you approve)",
    );
    expect(line(words, "returned")).toBe("Returned to your balance: £11.20 (for the places the study did not use)");
  });

  it("while collecting, returned and timed-out places stay set aside for someone else", () => {
    const words = moneyWords(
      study("collecting", { paid: 560, awaitingReview: 280, openPlaces: 1680 }, { approved: 2, awaitingReview: 1, returned: 2, timedOut: 1 }),
    );
    expect(words.summary).toBe("£25.20 set aside · £5.60 paid");
    expect(line(words, "openPlaces")).toBe(
      "Held for places not finished yet: £16.80 (people taking part now and places still to fill)",
    );
    expect(line(words, "returned")).toBeUndefined();
    expect(words.notes).toEqual([
      "3 people returned or ran out of time: those places go to someone else, paid from the money already set aside. Whatever the study does not use comes back to your balance when it ends.",
    ]);
  });

  it("a draft has nothing set aside, and amounts without Prolific's fees say so", () => {
    const draft = moneyWords(study("draft", { setAside: 0 }));
    expect(draft.summary).toBe("Costs £25.20 once published");
    expect(draft.lines).toEqual([]);
    expect(draft.notes[0]).toBe("Nothing is set aside yet: publishing takes £25.20 from your balance.");
    const unpriced = moneyWords(study("collecting", { openPlaces: 2520, rewardsOnly: true }));
    expect(unpriced.notes[0]).toMatch(/rewards alone, before Prolific's fees and VAT/);
  });
});
