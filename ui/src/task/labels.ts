/** Plain words for the question types, and where each type's fields show their issues. */
import { t } from "../i18n";
import type { QuestionType } from "./design";

/** The question types in the order they are offered. */
export const questionTypeOrder: QuestionType[] = [
  "multipleChoice",
  "multipleChoiceWithFreeText",
  "freeText",
  "freeTextWithUnit",
  "fileUpload",
];

export function questionTypeTitle(type: QuestionType): string {
  return t(`task:types.${type}.title`);
}

export function questionTypeDescription(type: QuestionType): string {
  return t(`task:types.${type}.description`);
}

/**
 * The fields each type's editor shows an issue next to. An issue about any other field of
 * a question is shown at the top of its card, so none is ever dropped.
 */
const choiceFields = ["options", "answerLimit", "allowDropdown", "placeholder"];
export const placedFields: Record<QuestionType, string[]> = {
  multipleChoice: choiceFields,
  multipleChoiceWithFreeText: choiceFields,
  freeText: ["placeholder", "minLength", "maxLength"],
  freeTextWithUnit: ["units", "unitPosition", "defaultUnit", "minValue", "maxValue", "placeholder"],
  fileUpload: ["acceptedFileTypes", "maxFileSizeMb", "minFileCount", "maxFileCount"],
};
export const commonFields = ["description", "helperText"];
