/**
 * The task design of wizard step 2 and pure helpers over it. The types are Rust's
 * (`crates/engine/src/task/design.rs`), generated into the bindings and re-exported here
 * so the task components import them from one place.
 */
import type {
  ChoiceOption,
  Column,
  DataRow,
  DesignIssue,
  QualityChecks,
  Question,
  QuestionKind,
  UnitOption,
} from "../backend";
import { say, t } from "../i18n";

export type {
  ChoiceOption,
  DataRow,
  DesignIssue,
  FileUpload,
  FreeText,
  FreeTextWithUnit,
  IssueSection,
  MultipleChoice,
  Question,
  QualityChecks,
  QuestionKind,
  TaskDesign,
  UnitOption,
  UnitPosition,
} from "../backend";

/** Nothing mixed into the groups: the data goes up as it is. */
export const noChecks = {
  knownColumn: null,
  knownQuestion: null,
  knownPerGroup: 0,
  checksPerGroup: 0,
  checkQuestion: null,
} as const satisfies QualityChecks;

/** The part of a data column (Rust's `Column`, from the CSV doctor) the components read. */
export type DataColumn = Pick<Column, "name" | "hidden" | "isTaskGroup" | "imageUrls">;

// ---------------------------------------------------------------------------------------
// Helpers (pure: they return new values and never change what they are given).

export type QuestionType = QuestionKind["type"];

/** Prolific's own default for file uploads (API notes §4.4). */
export const DEFAULT_FILE_TYPES = [".jpg", ".jpeg", ".png", ".heic", ".heif"];

/** A stable identity for a question, so React keeps each card's state through reorders. */
export function newKey(): string {
  return crypto.randomUUID();
}

/**
 * The results value an option gets from its label: lower case, accents dropped, anything
 * that is not a letter or a digit turned into `_`. Letters of any script are kept, so a
 * label in Greek or Japanese still gets a readable value.
 */
export function valueFromLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Renames an option (or a unit). Its value follows the label for as long as it still is
 * the value the old label would give (or is empty): once the researcher has typed a value
 * of their own, a new label leaves it alone.
 */
export function relabel<T extends { label: string; value: string }>(item: T, label: string): T {
  const follows = item.value === "" || item.value === valueFromLabel(item.label);
  return { ...item, label, value: follows ? valueFromLabel(label) : item.value };
}

/** A new option numbered after the existing ones ("Option 3"), with a label-derived value. */
export function newOption(existing: ChoiceOption[]): ChoiceOption {
  const taken = new Set(existing.map((option) => option.label));
  let number = existing.length + 1;
  const named = (n: number) => t("task:options.option", { number: n });
  while (taken.has(named(number))) number += 1;
  const label = named(number);
  return { label, value: valueFromLabel(label), exclusive: false, heading: "" };
}

/** A new unit numbered after the existing ones. */
export function newUnit(existing: UnitOption[]): UnitOption {
  const taken = new Set(existing.map((unit) => unit.label));
  let number = existing.length + 1;
  const named = (n: number) => t("task:units.unit", { number: n });
  while (taken.has(named(number))) number += 1;
  const label = named(number);
  return { label, value: valueFromLabel(label) };
}

function twoOptions(heading: string): ChoiceOption[] {
  const first = newOption([]);
  const second = newOption([first]);
  return [
    { ...first, heading },
    { ...second, heading },
  ];
}

/** A question of `type` with defaults that Prolific accepts once it has a description. */
export function newQuestion(type: QuestionType): Question {
  const base = { key: newKey(), description: "", helperText: "" };
  switch (type) {
    case "multipleChoice":
      return { ...base, kind: { type, options: twoOptions(""), answerLimit: 1, allowDropdown: true, placeholder: "" } };
    case "multipleChoiceWithFreeText":
      return {
        ...base,
        kind: { type, options: twoOptions(t("task:question.explainHeading")), answerLimit: 1, allowDropdown: true, placeholder: "" },
      };
    case "freeText":
      return { ...base, kind: { type, placeholder: "", minLength: null, maxLength: null } };
    case "freeTextWithUnit": {
      const unit = newUnit([]);
      return {
        ...base,
        kind: {
          type,
          placeholder: "",
          units: [unit],
          unitPosition: "suffix",
          defaultUnit: unit.value,
          minValue: null,
          maxValue: null,
        },
      };
    }
    case "fileUpload":
      return {
        ...base,
        kind: { type, acceptedFileTypes: [...DEFAULT_FILE_TYPES], maxFileSizeMb: 25, minFileCount: 1, maxFileCount: 10 },
      };
  }
}

/** A deep copy under a new key, placed by the caller (usually right after the original). */
export function duplicateQuestion(question: Question): Question {
  return { ...structuredClone(question), key: newKey() };
}

/** `list` with the item at `from` moved to `to`; out-of-range moves return the list as is. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

export const moveQuestion: (list: readonly Question[], from: number, to: number) => Question[] = moveItem;

/** The layout a new design starts with: every column participants may see, one per row, in file order. */
export function defaultDataRows(columns: readonly DataColumn[]): DataRow[] {
  return columns.filter((column) => !column.hidden).map((column) => ({ columns: [column.name] }));
}

/** How many assignments (task groups) `rowCount` rows make at `perGroup` rows each. */
export function assignmentCount(rowCount: number, perGroup: number): number {
  if (rowCount <= 0 || perGroup < 1) return 0;
  return Math.ceil(rowCount / perGroup);
}

/** Whether `issue` concerns `field` itself or a part of it (`options` covers `options.2.label`). */
export function issueConcerns(issue: DesignIssue, field: string): boolean {
  return issue.field === field || issue.field.startsWith(`${field}.`) || issue.field.startsWith(`${field}[`);
}

/** The messages of the issues about question `question`'s `field`, for a field's `error`. */
export function fieldError(issues: readonly DesignIssue[], question: number | null, field: string): string | undefined {
  const messages = issues
    .filter((issue) => issue.question === question && issueConcerns(issue, field))
    .map((issue) => say(issue.message));
  return messages.length > 0 ? messages.join(" ") : undefined;
}
