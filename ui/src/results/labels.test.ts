import { describe, expect, it } from "vitest";

import { answerText, labelsOf, optionText } from "./labels";
import type { ResultsQuestion } from "../backend";

const verdict: ResultsQuestion = {
  id: "q1",
  title: "Does the source support the claim?",
  kind: "multipleChoiceWithFreeText",
  options: [
    { value: "supported", label: "Supported" },
    { value: "contradicted", label: "Contradicted" },
    { value: "not_enough_info", label: "Not enough information" },
  ],
};
const labels = labelsOf(verdict);

describe("labels", () => {
  it("reads each option chosen as participants read it; an unknown value as it is", () => {
    expect(optionText("not_enough_info", labels)).toBe("Not enough information");
    expect(optionText("contradicted; supported", labels)).toBe("Contradicted; Supported");
    expect(optionText("supported; maybe", labels)).toBe("Supported; maybe");
    expect(optionText("maybe", labels)).toBe("maybe");
    expect(optionText("supported", labelsOf({ ...verdict, options: [] }))).toBe("supported");
    expect(optionText("supported", labelsOf(undefined))).toBe("supported");
  });

  it("changes only the options of a table cell, never what people wrote or the counts", () => {
    expect(answerText("supported; contradicted", labels)).toBe("Supported; Contradicted");
    // Explained choices: the explanation stays as written, even where it names a value.
    expect(answerText("supported (line 2; see supported)", labels)).toBe("Supported (line 2; see supported)");
    expect(answerText("contradicted; supported (one (two))", labels)).toBe("Contradicted; Supported (one (two))");
    // Per item: the majority and its support, or a tie.
    expect(answerText("not_enough_info (3 of 5)", labels)).toBe("Not enough information (3 of 5)");
    expect(answerText("tie: supported / contradicted; not_enough_info", labels)).toBe(
      "tie: Supported / Contradicted; Not enough information",
    );
    // Anything else (counts of answers, empty cells, unknown values) as it is.
    expect(answerText("3 answers", labels)).toBe("3 answers");
    expect(answerText("", labels)).toBe("");
    expect(answerText("maybe (why not)", labels)).toBe("maybe (why not)");
  });
});
