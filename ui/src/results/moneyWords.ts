/**
 * Where a study's money is, in plain words: what publishing set aside from the balance,
 * what approving has paid, what still waits for review or for places to finish, and what
 * went back to the balance. The amounts are worked out in Rust (`StudyMoney`); these
 * words never call money spent before it is paid, nor returned while it may still be.
 */
import { count } from "./format";
import type { StudyProgress } from "./types";

export type MoneyLineKey = "setAside" | "paid" | "awaitingReview" | "openPlaces" | "returned";

export type MoneyLine = { key: MoneyLineKey; label: string; amount: string; detail: string | null };

export type MoneyWords = {
  /** One line for a list of studies. */
  summary: string;
  /** The lines of the study's own page, in order (those of nothing left out). */
  lines: MoneyLine[];
  /** What the researcher should know about these amounts, if anything. */
  notes: string[];
};

const OVER = new Set<StudyProgress["phase"]>(["completed", "stopped"]);

export function moneyWords(progress: StudyProgress): MoneyWords {
  const { money, submissions } = progress;
  const notes: string[] = [];
  if (money.rewardsOnly) {
    notes.push(
      "Prolific did not give this study's total cost: these amounts are the rewards alone, before Prolific's fees and VAT.",
    );
  }
  if (progress.phase === "draft") {
    return {
      summary: `Costs ${progress.totalCost} once published`,
      lines: [],
      notes: [`Nothing is set aside yet: publishing takes ${progress.totalCost} from your balance.`, ...notes],
    };
  }

  const over = OVER.has(progress.phase);
  const paidWhat = submissions.approved > 0 ? `for ${count(submissions.approved, "approved submission", "approved submissions")}` : null;
  const lines: MoneyLine[] = [
    {
      key: "setAside",
      label: "Set aside from your balance",
      amount: money.setAside.text,
      detail: "when the study was published",
    },
    {
      key: "paid",
      label: "Paid to participants",
      amount: money.paid.minor > 0 ? money.paid.text : "nothing yet",
      detail: money.paid.minor > 0 ? paidWhat : over ? null : "participants are paid when you approve their work",
    },
  ];
  if (money.awaitingReview.minor > 0) {
    lines.push({
      key: "awaitingReview",
      label: "Awaiting your review",
      amount: money.awaitingReview.text,
      detail: `still set aside; paid when you approve the ${count(submissions.awaitingReview, "submission", "submissions")}`,
    });
  }
  if (money.openPlaces.minor > 0) {
    lines.push({
      key: "openPlaces",
      label: over ? "Held for people still taking part" : "Held for places not finished yet",
      amount: money.openPlaces.text,
      detail: over ? "paid if they finish and you approve" : "people taking part now and places still to fill",
    });
  }
  if (over) {
    lines.push({
      key: "returned",
      label: "Returned to your balance",
      amount: money.returned.minor > 0 ? money.returned.text : "nothing",
      detail: money.returned.minor > 0 ? "for the places the study did not use" : "every place was used",
    });
  }

  const leavers = submissions.returned + submissions.timedOut;
  // Said while places are still to fill: once every place is taken, it is news no more.
  if (!over && leavers > 0 && money.openPlaces.minor > 0) {
    notes.push(
      `${count(leavers, "person", "people")} returned or ran out of time: ${leavers === 1 ? "that place goes" : "those places go"} to someone else, paid from the money already set aside. Whatever the study does not use comes back to your balance when it ends.`,
    );
  }

  const paid = money.paid.minor > 0 ? `${money.paid.text} paid` : "nothing paid yet";
  let summary: string;
  if (over) {
    const parts = [money.paid.minor > 0 ? `Paid ${money.paid.text}` : "Nothing paid"];
    if (money.awaitingReview.minor > 0) parts.push(`${money.awaitingReview.text} awaiting your review`);
    if (money.openPlaces.minor > 0) parts.push(`${money.openPlaces.text} held for people still taking part`);
    if (money.returned.minor > 0) parts.push(`${money.returned.text} returned to your balance`);
    summary = parts.join(" · ");
  } else {
    summary = `${money.setAside.text} set aside · ${paid}`;
  }
  return { summary, lines, notes };
}
