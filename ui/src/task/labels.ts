/** Plain words for the question types, and where each type's fields show their issues. */
import type { QuestionType } from "./design";

export const questionTypes: { type: QuestionType; title: string; description: string }[] = [
  {
    type: "multiple_choice",
    title: "Choose from options",
    description: "Participants pick one or more answers from a list.",
  },
  {
    type: "multiple_choice_with_free_text",
    title: "Choose and explain",
    description: "Participants pick an answer and say why in a box under it.",
  },
  { type: "free_text", title: "Write an answer", description: "Participants type an answer in their own words." },
  {
    type: "free_text_with_unit",
    title: "Number with a unit",
    description: "Participants enter a number and its unit, such as 12 kg.",
  },
  { type: "file_upload", title: "Upload files", description: "Participants upload photos or other files." },
];

export const questionTypeTitle = Object.fromEntries(questionTypes.map(({ type, title }) => [type, title])) as Record<
  QuestionType,
  string
>;

/**
 * The fields each type's editor shows an issue next to. An issue about any other field of
 * a question is shown at the top of its card, so none is ever dropped.
 */
const choiceFields = ["options", "answerLimit", "allowDropdown", "placeholder"];
export const placedFields: Record<QuestionType, string[]> = {
  multiple_choice: choiceFields,
  multiple_choice_with_free_text: choiceFields,
  free_text: ["placeholder", "minLength", "maxLength"],
  free_text_with_unit: ["units", "unitPosition", "defaultUnit", "minValue", "maxValue", "placeholder"],
  file_upload: ["acceptedFileTypes", "maxFileSizeMb", "minFileCount", "maxFileCount"],
};
export const commonFields = ["description", "helperText"];
