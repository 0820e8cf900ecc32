/** Sample values for the results components' tests. */
import { mockBackend } from "../test/fixtures";
import type { ItemResult, QuestionAnalysis, ResultRow, ResultsSummary, RowsPage, RowsQuery, StudyProgress } from "../backend";

export const progress: StudyProgress = {
  studyId: "64395e9c2332b8a59a65d51e",
  batchId: "b1",
  title: "Sentiment of tweets",
  internalName: "Tweets, pilot",
  status: "ACTIVE",
  phase: "collecting",
  places: 36,
  placesTaken: 9,
  submissions: {
    active: 4,
    awaitingReview: 3,
    approved: 2,
    rejected: 0,
    returned: 1,
    timedOut: 0,
    other: 0,
    total: 10,
  },
  answersReceived: 540,
  answersExpected: 2160,
  totalCost: 7668,
  // £2.13 a place: two approved are paid, three await review, the rest are held.
  money: {
    setAside: { minor: 7668 },
    paid: { minor: 426 },
    awaitingReview: { minor: 639 },
    openPlaces: { minor: 6603 },
    returned: { minor: 0 },
    rewardsOnly: false,
  },
  rewardPerPerson: 150,
  currency: "GBP",
  createdAt: "2026-12-01T09:30:00Z",
  publishedAt: "2026-12-01T10:00:00Z",
  checkedAt: "2026-12-06T11:05:09Z",
  canPause: true,
  canResume: false,
  canStop: true,
  canAddPlaces: true,
  canApprove: true,
};

/** The sentiment question's items: all agree on t-001; t-002 disagrees; t-003 ties. */
export const sentimentItems: ItemResult[] = [
    {
      item: 0,
      taskId: "t-001",
      consolidated: { label: "pos", tiedLabels: [], leaderVotes: 3, votesCast: 3, support: 1 },
      agreement: { answers: 3, percentAgreement: 1, majorityShare: 1, lowAgreement: false },
      consensus: { label: "pos", confidence: 0.99, maceLabel: "pos", maceConfidence: 0.98, known: false },
    },
    {
      item: 1,
      taskId: "t-002",
      consolidated: { label: "neu", tiedLabels: [], leaderVotes: 2, votesCast: 3, support: 2 / 3 },
      agreement: { answers: 3, percentAgreement: 1 / 3, majorityShare: 2 / 3, lowAgreement: true },
      // The two who said "neu" are the careless ones: the model sides with the careful one.
      consensus: { label: "neg", confidence: 0.71, maceLabel: "neg", maceConfidence: 0.66, known: false },
    },
    {
      item: 2,
      taskId: "t-003",
      consolidated: { label: null, tiedLabels: ["pos", "neg"], leaderVotes: 1, votesCast: 2, support: 0.5 },
      agreement: { answers: 2, percentAgreement: 0, majorityShare: 0.5, lowAgreement: true },
      consensus: { label: "pos", confidence: 0.93, maceLabel: "pos", maceConfidence: 0.9, known: false },
    },
];

const sentiment: QuestionAnalysis = {
  questionId: "q1",
  kind: "multipleChoice",
  answerCount: 30,
  itemsAnswered: 10,
  participantCount: 3,
  agreement: {
    krippendorffAlpha: 0.7123,
    percentAgreement: 0.8,
    itemsRated: 10,
    pairableAnswers: 30,
    lowAgreementItems: 2,
    tiedItems: 1,
    answerSetsComparedWhole: false,
  },
  // 14, 9 and 7 of 30: 46.7 %, 30 % and 23.3 %, which plain rounding makes 47 + 30 + 23.
  // Counted by the options' values; participants read their labels (`summary.questions`).
  distribution: [
    { value: "pos", count: 14, shareOfAnswers: 14 / 30 },
    { value: "neu", count: 9, shareOfAnswers: 9 / 30 },
    { value: "neg", count: 7, shareOfAnswers: 7 / 30 },
  ],
  // Which items are flagged and which to review, and in which order, is Rust's rule: the
  // summary carries each list's first items and its length.
  flagged: { total: 2, first: sentimentItems.slice(1) },
  toReview: { total: 2, first: sentimentItems.slice(1) },
  consensusItems: 3,
  numbers: null,
  consensus: {
    method: "dawid-skene",
    classes: ["neg", "neu", "pos"],
    iterations: 12,
    converged: true,
    knownItems: 0,
    unmatchedKnown: 0,
    differsFromMajority: 1,
    tiesSettled: 1,
    uncertainItems: 1,
    lowConfidence: 0.8,
    meanConfidence: 0.8767,
    maceAgreement: 1,
    // Least reliable first.
    annotators: [
      {
        participantId: "p-careless",
        answers: 10,
        reliability: 0.41,
        competence: 0.12,
        confusion: [
          [0.2, 0.6, 0.2],
          [0.1, 0.8, 0.1],
          [0.3, 0.4, 0.3],
        ],
      },
      {
        participantId: "p-average",
        answers: 10,
        reliability: 0.72,
        competence: 0.65,
        confusion: [
          [0.7, 0.2, 0.1],
          [0.1, 0.8, 0.1],
          [0.2, 0.1, 0.7],
        ],
      },
      {
        participantId: "p-careful",
        answers: 10,
        reliability: 0.96,
        competence: 0.94,
        confusion: [
          [0.95, 0.03, 0.02],
          [0.02, 0.96, 0.02],
          [0.02, 0.02, 0.96],
        ],
      },
    ],
  },
};

const comment: QuestionAnalysis = {
  questionId: "q2",
  kind: "freeText",
  answerCount: 25,
  itemsAnswered: 9,
  participantCount: 3,
  agreement: null,
  distribution: [],
  flagged: { total: 0, first: [] },
  toReview: { total: 0, first: [] },
  consensusItems: 0,
  numbers: null,
  consensus: null,
};

/** Stars from 1 to 5: one 1, two 3s, three 4s (1 + 6 + 12 = 19 over 6). */
export const stars: QuestionAnalysis = {
  questionId: "q3",
  kind: "freeTextWithUnit",
  answerCount: 7,
  itemsAnswered: 3,
  participantCount: 3,
  agreement: null,
  distribution: [],
  flagged: { total: 0, first: [] },
  toReview: { total: 0, first: [] },
  consensusItems: 0,
  numbers: {
    unit: "stars",
    unitForOne: "star",
    unitBefore: false,
    count: 6,
    otherUnits: 1,
    notNumbers: 0,
    mean: 19 / 6,
    median: 3.5,
    min: 1,
    max: 4,
    distribution: [
      { from: 1, to: 1, count: 1 },
      { from: 3, to: 3, count: 2 },
      { from: 4, to: 4, count: 3 },
    ],
  },
  consensus: null,
};

export const summary: ResultsSummary = {
  studyId: progress.studyId,
  downloadedAt: "2026-12-06T11:00:00Z",
  fromCache: false,
  notice: null,
  pilotAnswers: null,
  secondRound: null,
  dataColumns: ["source", "text"],
  // Participants saw the text only.
  shownColumns: [1],
  questions: [
    {
      id: "q1",
      title: "How does the post feel?",
      kind: "multipleChoice",
      options: [
        { value: "pos", label: "Positive" },
        { value: "neu", label: "Neutral" },
        { value: "neg", label: "Negative" },
      ],
    },
    { id: "q2", title: "Anything else?", kind: "freeText", options: [] },
  ],
  rowCount: 30,
  analysis: {
    itemCount: 10,
    participantCount: 3,
    answerCount: 55,
    skippedRecords: 0,
    duplicateAnswers: 0,
    emptyAnswers: 0,
    questions: [sentiment, comment],
  },
};

/** Row `i` of a made-up table, for `fetchRows` fakes. */
export function rowAt(i: number): ResultRow {
  return {
    taskId: `t-${String(i).padStart(6, "0")}`,
    participantId: `p-${i % 7}`,
    data: [i % 2 === 0 ? "web" : "app", `text ${i}`],
    // The rows carry the options' values.
    answers: [["pos", "neu", "neg"][i % 3] ?? "", `note ${i}`],
  };
}

/** A `fetchRows` answering from `total` made-up rows (ignoring filters). */
export function pagesOf(total: number) {
  return (query: RowsQuery): Promise<RowsPage> => {
    const end = Math.min(total, query.offset + query.limit);
    const rows: ResultRow[] = [];
    for (let i = query.offset; i < end; i += 1) rows.push(rowAt(i));
    return Promise.resolve({ total, offset: query.offset, rows });
  };
}

/**
 * Answers `study_item_list` from `items` (one list, in its order) as Rust would, and
 * returns the calls made, so a test sees which pages the UI asked for.
 */
export function itemPages(items: ItemResult[]) {
  const asked: { questionId: string; list: string; offset: number; limit: number }[] = [];
  mockBackend({
    study_item_list: (_command, args) => {
      const { questionId, list, offset, limit } = args as { questionId: string; list: string; offset: number; limit: number };
      asked.push({ questionId, list, offset, limit });
      return { total: items.length, offset, items: items.slice(offset, offset + limit) };
    },
  });
  return asked;
}
