/**
 * Answers as participants read them. A choice answer carries option values
 * (`not_enough_info`); participants chose among labels ("Not enough information"). The
 * results keep the values (filters, downloads) and show the labels: these helpers map
 * one to the other where an answer is shown. A value the question does not list is
 * shown as it is.
 */
import type { ResultsQuestion } from "../backend";

/** One question's labels by option value. */
export type Labels = ReadonlyMap<string, string>;

const none: Labels = new Map();

/** The labels of a question's options, by value (none for other questions). */
export function labelsOf(question: ResultsQuestion | undefined): Labels {
  if (!question || question.options.length === 0) return none;
  return new Map(question.options.map((option) => [option.value, option.label]));
}

/** Every question's labels, by question id. */
export function labelsByQuestion(questions: readonly ResultsQuestion[]): ReadonlyMap<string, Labels> {
  return new Map(questions.map((question) => [question.id, labelsOf(question)]));
}

/** The options chosen (`value`, or values joined by "; ") as participants read them. */
export function optionText(answer: string, labels: Labels): string {
  if (labels.size === 0) return answer;
  const whole = labels.get(answer);
  if (whole !== undefined) return whole;
  return answer
    .split("; ")
    .map((value) => labels.get(value) ?? value)
    .join("; ");
}

/** Whether every part of `answer` ("a; b") is one of the options. */
function allOptions(answer: string, labels: Labels): boolean {
  return labels.has(answer) || answer.split("; ").every((value) => labels.has(value));
}

const majority = /^(.+) \((\d+) of (\d+)\)$/;
const tie = "tie: ";

/**
 * A choice question's cell of the responses table as participants read it: the options
 * chosen ("a; b"), those with what people wrote to explain them ("a (because…)"), or per
 * item the majority with its support ("a (3 of 5)") or a tie ("tie: a / b"). Only the
 * options are changed; explanations and counts stay as they are.
 */
export function answerText(text: string, labels: Labels): string {
  if (labels.size === 0 || text === "") return text;
  if (allOptions(text, labels)) return optionText(text, labels);
  if (text.startsWith(tie)) {
    return (
      tie +
      text
        .slice(tie.length)
        .split(" / ")
        .map((part) => optionText(part, labels))
        .join(" / ")
    );
  }
  const votes = majority.exec(text);
  if (votes && allOptions(votes[1]!, labels)) {
    return `${optionText(votes[1]!, labels)} (${votes[2]} of ${votes[3]})`;
  }
  // Options, then what was written to explain them in brackets: the options are the
  // longest start made only of options.
  for (let at = text.lastIndexOf(" ("); at > 0; at = text.lastIndexOf(" (", at - 1)) {
    const options = text.slice(0, at);
    if (text.endsWith(")") && allOptions(options, labels)) {
      return `${optionText(options, labels)}${text.slice(at)}`;
    }
  }
  return optionText(text, labels);
}
