/**
 * Where a study's money is, in plain words: what publishing set aside from the balance,
 * what approving has paid, what still waits for review or for places to finish, and what
 * went back to the balance. The amounts are worked out in Rust (`StudyMoney`); these
 * words never call money spent before it is paid, nor returned while it may still be.
 */
import { t } from "../i18n";
import { formatMinorUnits } from "../format";
import type { StudyProgress } from "../backend";

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
  const shown = (amount: { minor: number }) => formatMinorUnits(amount.minor, progress.currency);
  const totalCost = formatMinorUnits(progress.totalCost, progress.currency);
  const notes: string[] = [];
  if (money.rewardsOnly) {
    notes.push(t("results:moneyWords.rewardsOnly"));
  }
  if (progress.phase === "draft") {
    return {
      summary: t("results:moneyWords.draft.summary", { cost: totalCost }),
      lines: [],
      notes: [t("results:moneyWords.draft.note", { cost: totalCost }), ...notes],
    };
  }

  const over = OVER.has(progress.phase);
  const paidWhat = submissions.approved > 0 ? t("results:moneyWords.paid.for", { count: submissions.approved }) : null;
  const lines: MoneyLine[] = [
    {
      key: "setAside",
      label: t("results:moneyWords.setAside.label"),
      amount: shown(money.setAside),
      detail: t("results:moneyWords.setAside.detail"),
    },
    {
      key: "paid",
      label: t("results:moneyWords.paid.label"),
      amount: money.paid.minor > 0 ? shown(money.paid) : t("results:moneyWords.paid.nothingYet"),
      detail: money.paid.minor > 0 ? paidWhat : over ? null : t("results:moneyWords.paid.detail"),
    },
  ];
  if (money.awaitingReview.minor > 0) {
    lines.push({
      key: "awaitingReview",
      label: t("results:moneyWords.awaitingReview.label"),
      amount: shown(money.awaitingReview),
      detail: t("results:moneyWords.awaitingReview.detail", { count: submissions.awaitingReview }),
    });
  }
  if (money.openPlaces.minor > 0) {
    lines.push({
      key: "openPlaces",
      label: over ? t("results:moneyWords.openPlaces.labelOver") : t("results:moneyWords.openPlaces.label"),
      amount: shown(money.openPlaces),
      detail: over ? t("results:moneyWords.openPlaces.detailOver") : t("results:moneyWords.openPlaces.detail"),
    });
  }
  if (over) {
    lines.push({
      key: "returned",
      label: t("results:moneyWords.returned.label"),
      amount: money.returned.minor > 0 ? shown(money.returned) : t("results:moneyWords.returned.nothing"),
      detail: money.returned.minor > 0 ? t("results:moneyWords.returned.detail") : t("results:moneyWords.returned.allUsed"),
    });
  }

  const leavers = submissions.returned + submissions.timedOut;
  // Said while places are still to fill: once every place is taken, it is news no more.
  if (!over && leavers > 0 && money.openPlaces.minor > 0) {
    notes.push(t("results:moneyWords.leavers", { count: leavers }));
  }

  const paid =
    money.paid.minor > 0 ? t("results:moneyWords.summary.paid", { amount: shown(money.paid) }) : t("results:moneyWords.summary.nothingPaidYet");
  let summary: string;
  if (over) {
    const parts = [
      money.paid.minor > 0
        ? t("results:moneyWords.summary.paidOver", { amount: shown(money.paid) })
        : t("results:moneyWords.summary.nothingPaid"),
    ];
    if (money.awaitingReview.minor > 0) parts.push(t("results:moneyWords.summary.awaitingReview", { amount: shown(money.awaitingReview) }));
    if (money.openPlaces.minor > 0) parts.push(t("results:moneyWords.summary.openPlaces", { amount: shown(money.openPlaces) }));
    if (money.returned.minor > 0) parts.push(t("results:moneyWords.summary.returned", { amount: shown(money.returned) }));
    summary = parts.join(t("results:separator"));
  } else {
    summary = [t("results:moneyWords.summary.setAside", { amount: shown(money.setAside) }), paid].join(t("results:separator"));
  }
  return { summary, lines, notes };
}
