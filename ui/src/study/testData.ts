/** Sample values for the study step's component tests. */
import { formatNumber } from "../format";
import { decimalSeparator, type Eligibility, type FilterOption, money, type PriceQuote, type StudyFacts, type StudySettings } from "./settings";

/**
 * Amounts and counts as the components format them in the locale the tests run in, so
 * the tests pass whatever the machine's language ("£76.68" in English, "76,68 £" in German).
 */
// Spaces as Testing Library compares text: a no-break space (German "76,68 £") becomes a plain one.
export const gbp = (minor: number) => money(minor, "GBP").replace(/\s/g, " ");
/** As accessible names keep it (no-break spaces stay). */
export const gbpName = (minor: number) => money(minor, "GBP");
export const num = (value: number) => formatNumber(value).replace(/\s/g, " ");
/** "1.50" or "1,50": how the money field writes an amount in this locale. */
export const typed = (text: string) => text.replace(".", decimalSeparator());

export const facts: StudyFacts = {
  assignments: 12,
  places: 36,
  currency: "GBP",
  hourlyRate: 900,
  recommendedHourly: 900,
  minimumHourly: 600,
  defaultMaxMinutes: 45,
  minimumMaxMinutes: 28,
};

export const settings: StudySettings = {
  title: "Sentiment of tweets",
  description: "Read short posts and say how they feel.",
  internalName: "Tweets, pilot",
  estimatedMinutes: 10,
  maxMinutes: null,
  reward: 150,
  peoplePerItem: 3,
  devices: ["desktop", "mobile", "tablet"],
  projectId: "p1",
  approval: "review",
  filters: [],
};

export const projects = [
  { id: "p1", title: "Practice project" },
  { id: "p2", title: "Pilot" },
];

export const quote: PriceQuote = {
  rewards: 5400,
  feesAndTax: 2268,
  total: 7668,
  available: 125050,
  shortfall: 0,
  currency: "GBP",
  fingerprint: "9b1d5e27c4a0",
};

export const eligibility: Eligibility = { count: 12345, fewerThan25: false, checking: false };

export const filterOptions: FilterOption[] = [
  {
    filterId: "age",
    title: "Age",
    description: "How old participants are.",
    kind: "range",
    choices: [],
    min: 18,
    max: 100,
    common: true,
  },
  {
    filterId: "current-country-of-residence",
    title: "Country of residence",
    description: "Where participants live now.",
    kind: "select",
    choices: [
      { id: "0", label: "United Kingdom" },
      { id: "1", label: "United States" },
      { id: "2", label: "Ireland" },
    ],
    min: null,
    max: null,
    common: true,
  },
  {
    filterId: "first-language",
    title: "First language",
    description: "The language participants learned first.",
    kind: "select",
    choices: [
      { id: "19", label: "English" },
      { id: "45", label: "Welsh" },
    ],
    min: null,
    max: null,
    common: true,
  },
  {
    filterId: "approval_rate",
    title: "Approval rate",
    description: "The share of their past submissions researchers approved.",
    kind: "range",
    choices: [],
    min: 0,
    max: 100,
    common: true,
  },
  {
    filterId: "student-status",
    title: "Student status",
    description: "Whether participants are students.",
    kind: "select",
    choices: [
      { id: "0", label: "Yes" },
      { id: "1", label: "No" },
    ],
    min: null,
    max: null,
    common: false,
  },
  {
    filterId: "household-size",
    title: "Household size",
    description: "How many people live in the household.",
    kind: "range",
    choices: [],
    min: 1,
    max: 10,
    common: false,
  },
];
