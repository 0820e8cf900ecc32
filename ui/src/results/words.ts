/**
 * Plain words shared by the results screens (pure helpers), from the catalogue
 * (namespace `results`). Numbers, percents and dates are formatted by `src/format.ts`.
 */
import { t } from "../i18n";
import type { AnswerKind, StudyPhase, SubmissionTally } from "../backend";

/** The badge word for a phase. */
export function phaseLabel(phase: StudyPhase): string {
  return t(`results:phase.${phase}`);
}

export const phaseColor: Record<StudyPhase, string> = {
  draft: "gray",
  scheduled: "grape",
  collecting: "blue",
  paused: "yellow",
  awaitingReview: "orange",
  completed: "teal",
  stopped: "red",
};

export type TallyKey = Exclude<keyof SubmissionTally, "other" | "total">;

/** Submission statuses shown, in order (`other` and `total` are not statuses). */
export const tallyKeys: TallyKey[] = ["active", "awaitingReview", "approved", "rejected", "returned", "timedOut"];

/** A count of submissions in a status, in plain words ("3 approved"). */
export function tallyText(key: TallyKey, count: number): string {
  return t(`results:tally.${key}`, { count });
}

/**
 * The plain sentence of a failed call: the back end rejects with `{ code, message }`,
 * whose `message` is written for the researcher. Anything else gets a general sentence.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    const { message } = error;
    if (typeof message === "string" && message.trim() !== "") return message;
  }
  if (typeof error === "string" && error.trim() !== "") return error;
  return t("results:errors.general");
}

/** Choice questions have options, a distribution and agreement. */
export function isChoice(kind: AnswerKind): boolean {
  return kind === "multipleChoice" || kind === "multipleChoiceWithFreeText";
}
