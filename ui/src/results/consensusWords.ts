/**
 * The model-based consensus in plain words: what a confidence means, how reliable a
 * person looks, and which items deserve a look. Pure functions, so they are tested alone.
 */
import { formatNumber, formatPercent } from "../format";
import { t } from "../i18n";
import type { AnnotatorReliability, QuestionConsensus } from "../backend";

/** What a confidence means, in one sentence. */
export function confidenceSentence(confidence: number): string {
  return t("results:consensusWords.confidence", {
    confidence: formatNumber(confidence, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    times: Math.round(confidence * 100),
  });
}

/** How reliable a person looks, in a word (by Dawid-Skene's estimate of how often they are right). */
export function reliabilityWord(reliability: number): { word: string; color: string } {
  if (reliability >= 0.8) return { word: t("results:consensusWords.reliable"), color: "teal" };
  if (reliability >= 0.6) return { word: t("results:consensusWords.mixed"), color: "yellow" };
  return { word: t("results:consensusWords.unreliable"), color: "red" };
}

/** The question's consensus in two or three sentences. */
export function consensusSummary(consensus: QuestionConsensus, items: number): string {
  const parts = [t("results:consensusWords.weighs")];
  const differs = consensus.differsFromMajority;
  const same = Math.max(0, items - differs - consensus.tiesSettled);
  parts.push(
    differs === 0
      ? consensus.tiesSettled > 0
        ? t("results:consensusWords.agreesAllWithOne", { count: items })
        : t("results:consensusWords.agreesAll", { count: items })
      : t("results:consensusWords.agreesSome", { same, count: items, differs }),
  );
  if (consensus.tiesSettled > 0) {
    parts.push(t("results:consensusWords.ties", { count: consensus.tiesSettled }));
  }
  parts.push(
    t("results:consensusWords.sure", {
      mean: formatPercent(consensus.meanConfidence),
      count: consensus.uncertainItems,
      low: formatPercent(consensus.lowConfidence),
    }),
  );
  if (consensus.knownItems > 0) {
    parts.push(t("results:consensusWords.known", { count: consensus.knownItems }));
  }
  return parts.join(" ");
}

export type ReliabilitySort = "reliability" | "competence" | "answers" | "participant";

/** People in the order asked, worst (or fewest, or A first) first; ties by id. */
export function sortAnnotators(
  people: readonly AnnotatorReliability[],
  by: ReliabilitySort,
  descending = false,
): AnnotatorReliability[] {
  const key = (person: AnnotatorReliability): number | string =>
    by === "participant" ? person.participantId : (person[by] ?? 0);
  const sorted = [...people].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = typeof x === "string" ? x.localeCompare(String(y)) : x - (y as number);
    return order || a.participantId.localeCompare(b.participantId);
  });
  return descending ? sorted.reverse() : sorted;
}
