/**
 * The shapes the results screens show. They mirror Rust's types (crates/engine) exactly
 * until the generated bindings carry them; then this file re-exports from the backend.
 */

/** Where a study is in its life, for badges and which actions are offered. */
export type StudyPhase =
  | "draft"
  | "scheduled"
  | "collecting"
  | "paused"
  | "awaitingReview"
  | "completed"
  | "stopped";

/** Submissions by status. `other` gathers reserved, screened-out and partly approved. */
export type SubmissionTally = {
  active: number;
  awaitingReview: number;
  approved: number;
  rejected: number;
  returned: number;
  timedOut: number;
  other: number;
  total: number;
};

/** One study's progress, as the poller last saw it. Money is already formatted. */
export type StudyProgress = {
  studyId: string;
  batchId: string | null;
  title: string;
  internalName: string;
  /** Prolific's status word, e.g. "ACTIVE", "AWAITING REVIEW". */
  status: string;
  phase: StudyPhase;
  places: number;
  placesTaken: number;
  submissions: SubmissionTally;
  /** Answers received so far (one per question per item per person). */
  answersReceived: number;
  /** Items × people per item × questions; null when the batch is unknown. */
  answersExpected: number | null;
  /** Rewards and fees of finished submissions, e.g. "£12.40". */
  costSoFar: string;
  /** The study's whole price when every place is filled. */
  totalCost: string;
  rewardPerPerson: string;
  /** ISO 8601 timestamps. */
  createdAt: string | null;
  publishedAt: string | null;
  checkedAt: string;
  canPause: boolean;
  canResume: boolean;
  canStop: boolean;
  canAddPlaces: boolean;
  /** Submissions awaiting review that "approve all" would approve. */
  canApprove: boolean;
};

/** A batch in the workspace that Batchdesk did not launch (made on Prolific's site). */
export type WorkspaceBatch = {
  batchId: string;
  name: string;
  status: string;
  createdAt: string | null;
  taskCount: number | null;
};

export type StudyAction = "pause" | "resume" | "stop";

/** What adding people would cost, before the researcher confirms. */
export type PlacesQuote = {
  extraPlaces: number;
  newTotal: number;
  extraCost: string;
  available: string;
  affordable: boolean;
};

export type ApproveOutcome = { approved: number };

export type QuestionKind =
  | "multipleChoice"
  | "multipleChoiceWithFreeText"
  | "freeText"
  | "freeTextWithUnit"
  | "fileUpload"
  | "other";

export type OptionCount = {
  value: string;
  count: number;
  /** count over the question's answers; null with no answers. */
  shareOfAnswers: number | null;
};

export type ItemAgreement = {
  answers: number;
  percentAgreement: number | null;
  majorityShare: number | null;
  lowAgreement: boolean;
};

export type ConsolidatedLabel = {
  /** The majority answer; null on a tie or with no answers. */
  label: string | null;
  tiedLabels: string[];
  leaderVotes: number;
  votesCast: number;
  support: number | null;
};

export type ItemResult = {
  item: number;
  taskId: string;
  consolidated: ConsolidatedLabel;
  agreement: ItemAgreement;
};

export type QuestionAgreement = {
  krippendorffAlpha: number | null;
  percentAgreement: number | null;
  itemsRated: number;
  pairableAnswers: number;
  lowAgreementItems: number;
  tiedItems: number;
  answerSetsComparedWhole: boolean;
};

export type QuestionAnalysis = {
  questionId: string;
  kind: QuestionKind;
  answerCount: number;
  itemsAnswered: number;
  participantCount: number;
  agreement: QuestionAgreement | null;
  distribution: OptionCount[];
  items: ItemResult[];
};

export type Analysis = {
  itemCount: number;
  participantCount: number;
  answerCount: number;
  skippedRecords: number;
  duplicateAnswers: number;
  emptyAnswers: number;
  questions: QuestionAnalysis[];
};

export type ResultsQuestion = { id: string; title: string; kind: QuestionKind };

/** The analysed results of one study, from its last download. */
export type ResultsSummary = {
  studyId: string;
  /** ISO 8601. */
  downloadedAt: string;
  /** True when Prolific could not be reached and the last download is shown. */
  fromCache: boolean;
  dataColumns: string[];
  questions: ResultsQuestion[];
  /** Rows of the responses table: one per item and person. */
  rowCount: number;
  analysis: Analysis;
};

/** One row of the responses table; `data` lines up with `dataColumns`, `answers` with `questions`. */
export type ResultRow = {
  taskId: string;
  participantId: string;
  data: string[];
  answers: string[];
};

export type RowsQuery = {
  offset: number;
  limit: number;
  /** Part of a participant id, case-insensitive. */
  participant: string | null;
  /** With `answer`: only rows where this question's answer contains that option. */
  questionId: string | null;
  answer: string | null;
};

export type RowsPage = { total: number; offset: number; rows: ResultRow[] };

export type DownloadKind = "report" | "export" | "responses" | "tidy";

export type SavedFile = { path: string; bytes: number };
