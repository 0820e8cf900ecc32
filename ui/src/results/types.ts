/**
 * The shapes the results screens show: Rust's types, as the generated bindings carry
 * them (through the one seam), under the names these components use.
 */
export type {
  Amount,
  Analysis,
  ApproveOutcome,
  DownloadKind,
  ItemList,
  ItemsPage,
  OptionLabel,
  PlacesQuote,
  ResultRow,
  ResultsQuestion,
  ResultsSummary,
  RowsPage,
  RowsQuery,
  SavedFile,
  StudyCommand as StudyAction,
  StudyMoney,
  StudyPhase,
  StudyProgress,
  SubmissionTally,
  WorkspaceBatch,
  AnswerKind as QuestionKind,
} from "../backend";

import type { Analysis } from "../backend";

export type QuestionAnalysis = Analysis["questions"][number];
export type QuestionAgreement = NonNullable<QuestionAnalysis["agreement"]>;
export type OptionCount = QuestionAnalysis["distribution"][number];
export type ItemsPreview = QuestionAnalysis["flagged"];
export type ItemResult = ItemsPreview["first"][number];
export type ItemAgreement = ItemResult["agreement"];
export type ConsolidatedLabel = ItemResult["consolidated"];
export type NumberSummary = NonNullable<QuestionAnalysis["numbers"]>;
export type QuestionConsensus = NonNullable<QuestionAnalysis["consensus"]>;
export type AnnotatorReliability = QuestionConsensus["annotators"][number];
export type ItemConsensus = NonNullable<ItemResult["consensus"]>;
