/**
 * The model-based consensus in plain words: what a confidence means, how reliable a
 * person looks, and which items deserve a look. Pure functions, so they are tested alone.
 */
import { percent } from "./format";
import type { AnnotatorReliability, ItemResult, QuestionConsensus } from "./types";

/** Below this confidence an item's consensus is called uncertain (as the engine's `LOW_CONFIDENCE`). */
export const LOW_CONFIDENCE = 0.8;

/** What a confidence means, in one sentence. */
export function confidenceSentence(confidence: number): string {
  const times = Math.round(confidence * 100);
  return `Confidence ${confidence.toFixed(2)}: given how often each person agreed with the others, the model thinks this answer is right ${times} times in 100.`;
}

/** How reliable a person looks, in a word (by Dawid-Skene's estimate of how often they are right). */
export function reliabilityWord(reliability: number): { word: string; color: string } {
  if (reliability >= 0.8) return { word: "Reliable", color: "teal" };
  if (reliability >= 0.6) return { word: "Mixed", color: "yellow" };
  return { word: "Unreliable", color: "red" };
}

/** The question's consensus in two or three sentences. */
export function consensusSummary(consensus: QuestionConsensus, items: number): string {
  const parts = [
    `The model weighs each person's answers by how reliable they were on the other items, so a careful person can outvote two careless ones.`,
  ];
  const differs = consensus.differsFromMajority;
  const same = Math.max(0, items - differs - consensus.tiesSettled);
  parts.push(
    differs === 0
      ? `It agrees with the majority vote on all ${items === 1 ? "1 item" : `${items} items`}${consensus.tiesSettled > 0 ? " that had one" : ""}.`
      : `It agrees with the majority vote on ${same} of ${items} items and picks another answer on ${differs}.`,
  );
  if (consensus.tiesSettled > 0) {
    parts.push(`It settles ${consensus.tiesSettled === 1 ? "1 tie" : `${consensus.tiesSettled} ties`} the majority vote left open.`);
  }
  parts.push(
    `On average it is ${percent(consensus.meanConfidence)} sure; ${
      consensus.uncertainItems === 1 ? "1 item is" : `${consensus.uncertainItems} items are`
    } below ${percent(LOW_CONFIDENCE)}.`,
  );
  if (consensus.knownItems > 0) {
    parts.push(`${consensus.knownItems === 1 ? "1 item's" : `${consensus.knownItems} items'`} answer was known and is taken as given.`);
  }
  return parts.join(" ");
}

/**
 * The items worth a look, least confident first: where the model and the majority vote
 * differ, where the vote tied, or where the model is unsure.
 */
export function itemsToReview(items: readonly ItemResult[]): ItemResult[] {
  return items
    .filter((item) => {
      const consensus = item.consensus;
      if (!consensus || consensus.known) return false;
      const majority = item.consolidated.label;
      return majority !== consensus.label || (consensus.confidence ?? 0) < LOW_CONFIDENCE;
    })
    .sort((a, b) => (a.consensus?.confidence ?? 0) - (b.consensus?.confidence ?? 0) || a.item - b.item);
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
