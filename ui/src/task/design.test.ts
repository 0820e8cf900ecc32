import { describe, expect, it } from "vitest";
import { text } from "../test/fixtures";

import {
  assignmentCount,
  type DataColumn,
  defaultDataRows,
  duplicateQuestion,
  fieldError,
  moveQuestion,
  newOption,
  newQuestion,
  newUnit,
  type QuestionType,
  relabel,
  valueFromLabel,
} from "./design";

const column = (name: string, extra: Partial<DataColumn> = {}): DataColumn => ({
  name,
  hidden: false,
  isTaskGroup: false,
  imageUrls: null,
  ...extra,
});

describe("newQuestion", () => {
  const types: QuestionType[] = [
    "multipleChoice",
    "multipleChoiceWithFreeText",
    "freeText",
    "freeTextWithUnit",
    "fileUpload",
  ];

  it("gives every type its own kind and a fresh key", () => {
    const questions = types.map(newQuestion);
    expect(questions.map((question) => question.kind.type)).toEqual(types);
    expect(new Set(questions.map((question) => question.key)).size).toBe(types.length);
    expect(questions.every((question) => question.description === "" && question.helperText === "")).toBe(true);
  });

  it("starts a multiple choice with two options and one answer", () => {
    const { kind } = newQuestion("multipleChoice");
    expect(kind).toEqual({
      type: "multipleChoice",
      options: [
        { label: "Option 1", value: "option_1", exclusive: false, heading: "" },
        { label: "Option 2", value: "option_2", exclusive: false, heading: "" },
      ],
      answerLimit: 1,
      allowDropdown: true,
      placeholder: "",
    });
  });

  it("gives each option of the explain type a heading", () => {
    const { kind } = newQuestion("multipleChoiceWithFreeText");
    if (kind.type !== "multipleChoiceWithFreeText") throw new Error("wrong type");
    expect(kind.options.map((option) => option.heading)).toEqual(["Please explain", "Please explain"]);
  });

  it("uses Prolific's file upload defaults", () => {
    expect(newQuestion("fileUpload").kind).toEqual({
      type: "fileUpload",
      acceptedFileTypes: [".jpg", ".jpeg", ".png", ".heic", ".heif"],
      maxFileSizeMb: 25,
      minFileCount: 1,
      maxFileCount: 10,
    });
  });

  it("starts a unit question with one unit, chosen by default, after the number", () => {
    expect(newQuestion("freeTextWithUnit").kind).toEqual({
      type: "freeTextWithUnit",
      placeholder: "",
      units: [{ label: "Unit 1", value: "unit_1" }],
      unitPosition: "suffix",
      defaultUnit: "unit_1",
      minValue: null,
      maxValue: null,
    });
  });

  it("starts free text without limits", () => {
    expect(newQuestion("freeText").kind).toEqual({ type: "freeText", placeholder: "", minLength: null, maxLength: null });
  });
});

describe("duplicateQuestion", () => {
  it("copies deeply under a new key", () => {
    const original = newQuestion("multipleChoice");
    original.description = "Sentiment?";
    const copy = duplicateQuestion(original);
    expect(copy.key).not.toBe(original.key);
    expect({ ...copy, key: original.key }).toEqual(original);
    if (copy.kind.type !== "multipleChoice" || original.kind.type !== "multipleChoice") throw new Error("wrong type");
    copy.kind.options[0]!.label = "Changed";
    expect(original.kind.options[0]!.label).toBe("Option 1");
  });
});

describe("moveQuestion", () => {
  const [a, b, c] = [newQuestion("freeText"), newQuestion("freeText"), newQuestion("freeText")];

  it("moves up, down and across", () => {
    expect(moveQuestion([a, b, c], 2, 0)).toEqual([c, a, b]);
    expect(moveQuestion([a, b, c], 0, 1)).toEqual([b, a, c]);
  });

  it("returns a copy unchanged for moves out of range", () => {
    const list = [a, b, c];
    const moved = moveQuestion(list, 0, -1);
    expect(moved).toEqual(list);
    expect(moved).not.toBe(list);
    expect(moveQuestion(list, 2, 3)).toEqual(list);
  });
});

describe("defaultDataRows", () => {
  it("shows every non-hidden column, one per row, in file order", () => {
    const columns = [
      column("text"),
      column("META_source", { hidden: true }),
      column("image", { imageUrls: { https: 3, http: 0, notLinks: 0, allHttps: true } }),
      column("META_TASK_GROUP_ID", { hidden: true, isTaskGroup: true }),
    ];
    expect(defaultDataRows(columns)).toEqual([{ columns: ["text"] }, { columns: ["image"] }]);
  });
});

describe("valueFromLabel and relabel", () => {
  it("makes a plain results value from a label", () => {
    expect(valueFromLabel("Option 1")).toBe("option_1");
    expect(valueFromLabel("  Très   positif! ")).toBe("tres_positif");
    expect(valueFromLabel("None of these")).toBe("none_of_these");
    expect(valueFromLabel("Καλό")).toBe("καλο");
    expect(valueFromLabel("?!")).toBe("");
  });

  it("lets the value follow the label until the researcher sets it", () => {
    const option = newOption([]);
    const renamed = relabel(option, "Positive");
    expect(renamed.value).toBe("positive");
    const own = { ...renamed, value: "1" };
    expect(relabel(own, "Very positive").value).toBe("1");
    expect(relabel({ ...own, value: "" }, "Neutral").value).toBe("neutral");
  });

  it("numbers new options and units past the ones taken", () => {
    const first = newOption([]);
    expect(newOption([first, { ...first, label: "Option 2" }]).label).toBe("Option 3");
    expect(newOption([{ ...first, label: "Option 2" }]).label).toBe("Option 3");
    expect(newUnit([{ label: "kg", value: "kg" }]).label).toBe("Unit 2");
  });
});

describe("assignmentCount and fieldError", () => {
  it("rounds assignments up", () => {
    expect(assignmentCount(50, 1)).toBe(50);
    expect(assignmentCount(50, 8)).toBe(7);
    expect(assignmentCount(0, 8)).toBe(0);
    expect(assignmentCount(10, 0)).toBe(0);
  });

  it("finds the issues of one question's field, parts included", () => {
    const issues = [
      { section: "questions" as const, question: 1, field: "options.0.label", message: text("checks:design.optionNoText", { number: 1 }) },
      { section: "questions" as const, question: 1, field: "options", message: text("checks:design.tooFewOptions") },
      { section: "questions" as const, question: 0, field: "options", message: text("checks:design.allExclusive") },
      { section: "questions" as const, question: 1, field: "optionsX", message: text("checks:design.noUnits") },
    ];
    expect(fieldError(issues, 1, "options")).toBe(
      "The option 1 has no text. Give participants at least two options to choose from.",
    );
    expect(fieldError(issues, 2, "options")).toBeUndefined();
  });
});
