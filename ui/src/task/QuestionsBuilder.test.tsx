import { MantineProvider } from "@mantine/core";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { text } from "../test/fixtures";
import { type DesignIssue, newQuestion, type Question } from "./design";
import { normalizeFileTypes } from "./FileUploadEditor";
import { QuestionsBuilder } from "./QuestionsBuilder";

/** The builder over real state; `latest()` is the list it last passed to onChange. */
function setup(initial: Question[] = [], issues: DesignIssue[] = []) {
  let latest = initial;
  function Builder() {
    const [questions, setQuestions] = useState(initial);
    return (
      <QuestionsBuilder
        questions={questions}
        onChange={(next) => {
          latest = next;
          setQuestions(next);
        }}
        issues={issues}
      />
    );
  }
  const user = userEvent.setup();
  render(
    <MantineProvider env="test">
      <Builder />
    </MantineProvider>,
  );
  return { user, latest: () => latest };
}

const card = (name: string | RegExp) => screen.getByRole("region", { name });

function question(description: string, type: Question["kind"]["type"] = "freeText"): Question {
  return { ...newQuestion(type), description };
}

// Full question cards take a while to render in jsdom on a two-core machine.
describe("QuestionsBuilder", { timeout: 30_000 }, () => {
  it("adds one question of each of the five types from a plain menu", async () => {
    const { user, latest } = setup();
    expect(screen.getByTestId("no-questions")).toBeInTheDocument();
    const titles = ["Choose from options", "Choose and explain", "Write an answer", "Number with a unit", "Upload files"];
    for (const title of titles) {
      await user.click(screen.getByRole("button", { name: "Add a question" }));
      const item = screen.getByRole("menuitem", { name: new RegExp(title) });
      expect(item).toHaveTextContent(/Participants/);
      await user.click(item);
      // The new question's text is ready for typing.
      expect(within(card(new RegExp(title))).getByRole("textbox", { name: "Question" })).toHaveFocus();
    }
    // Escape closes the menu and puts focus back on its button.
    await user.click(screen.getByRole("button", { name: "Add a question" }));
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.getByRole("button", { name: "Add a question" })).toHaveFocus());
    expect(latest().map((q) => q.kind.type)).toEqual([
      "multipleChoice",
      "multipleChoiceWithFreeText",
      "freeText",
      "freeTextWithUnit",
      "fileUpload",
    ]);
    expect(screen.getAllByTestId("question-card").map((c) => c.getAttribute("aria-label"))).toEqual(
      titles.map((title, index) => `Question ${index + 1}: ${title}`),
    );
  });

  it("adds a question with the keyboard alone", async () => {
    const { user, latest } = setup();
    await user.tab();
    expect(screen.getByRole("button", { name: "Add a question" })).toHaveFocus();
    await user.keyboard("{Enter}");
    await screen.findByRole("menu");
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("menuitem", { name: /Choose from options/ })).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(screen.getByRole("menuitem", { name: /Write an answer/ })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(latest().map((q) => q.kind.type)).toEqual(["freeText"]);
    expect(within(card("Question 1: Write an answer")).getByRole("textbox", { name: "Question" })).toHaveFocus();
  });

  it("edits the options of a choice question, their values following their labels", async () => {
    const { user, latest } = setup([question("Sentiment?", "multipleChoice")]);
    const choice = card("Question 1: Choose from options");
    const first = within(choice).getByRole("textbox", { name: "Option 1" });
    await user.clear(first);
    await user.type(first, "Positive");
    await user.click(within(choice).getByRole("button", { name: "Add an answer" }));
    await user.type(within(choice).getByRole("textbox", { name: "Option 1 recorded in results as" }), "!");
    await user.clear(first);
    await user.type(first, "Good");

    let kind = latest()[0]!.kind;
    if (kind.type !== "multipleChoice") throw new Error("wrong type");
    expect(kind.options.map(({ label, value }) => [label, value])).toEqual([
      ["Good", "positive!"], // typed by the researcher, so it stays
      ["Option 2", "option_2"],
      ["Option 3", "option_3"],
    ]);

    await user.click(within(choice).getByRole("button", { name: "Move Option 3 up" }));
    expect(within(choice).getByRole("button", { name: "Move Option 3 up" })).toHaveFocus();
    await user.click(within(choice).getByRole("button", { name: "Remove Option 2" }));
    // "None of these" needs several answers: allow any number, then mark the last one.
    expect(within(choice).queryByRole("checkbox", { name: "Option 3 is “none of these”" })).not.toBeInTheDocument();
    await user.click(within(choice).getByRole("radio", { name: "Any number" }));
    await user.click(within(choice).getByRole("checkbox", { name: "Option 3 is “none of these”" }));
    await user.click(within(choice).getByRole("radio", { name: "Up to…" }));
    fireEvent.change(within(choice).getByRole("textbox", { name: "Most answers a participant may choose" }), {
      target: { value: "3" },
    });
    await user.click(within(choice).getByRole("switch", { name: /dropdown/ }));

    kind = latest()[0]!.kind;
    if (kind.type !== "multipleChoice") throw new Error("wrong type");
    expect(kind.options.map(({ label, exclusive }) => [label, exclusive])).toEqual([
      ["Good", false],
      ["Option 3", true],
    ]);
    expect(kind.answerLimit).toBe(3);
    expect(kind.allowDropdown).toBe(false);
  });

  it("gives each option of the explain type a heading", async () => {
    const { user, latest } = setup([question("Which is better?", "multipleChoiceWithFreeText")]);
    const heading = screen.getByRole("textbox", { name: "Title of the explanation box for Option 2" });
    await user.clear(heading);
    await user.type(heading, "Why B?");
    const kind = latest()[0]!.kind;
    if (kind.type !== "multipleChoiceWithFreeText") throw new Error("wrong type");
    expect(kind.options.map((option) => option.heading)).toEqual(["Please explain", "Why B?"]);
  });

  it("sets limits, units and file rules", async () => {
    const { user, latest } = setup([
      question("Why?", "freeText"),
      question("Weight?", "freeTextWithUnit"),
      question("Photo?", "fileUpload"),
    ]);
    const text = card("Question 1: Write an answer");
    fireEvent.change(within(text).getByRole("textbox", { name: "At least this many characters" }), {
      target: { value: "10" },
    });
    fireEvent.change(within(text).getByRole("textbox", { name: "At most this many characters" }), {
      target: { value: "500" },
    });
    fireEvent.change(within(text).getByRole("textbox", { name: "At least this many characters" }), {
      target: { value: "" },
    });

    const unit = card("Question 2: Number with a unit");
    const unitLabel = within(unit).getByRole("textbox", { name: "Unit 1" });
    await user.clear(unitLabel);
    await user.type(unitLabel, "kg");
    await user.click(within(unit).getByRole("button", { name: "Add a unit" }));
    await user.click(within(unit).getByRole("radio", { name: /Before the number/ }));
    fireEvent.change(within(unit).getByRole("textbox", { name: "Largest number allowed" }), { target: { value: "-2.5" } });

    const file = card("Question 3: Upload files");
    await user.click(within(file).getByRole("button", { name: /^Add documents/ }));
    fireEvent.change(within(file).getByRole("textbox", { name: "Most files" }), { target: { value: "3" } });

    const [free, number, upload] = latest().map((q) => q.kind);
    expect(free).toEqual({ type: "freeText", placeholder: "", minLength: null, maxLength: 500 });
    expect(number).toEqual({
      type: "freeTextWithUnit",
      placeholder: "",
      units: [
        { label: "kg", value: "kg" },
        { label: "Unit 2", value: "unit_2" },
      ],
      unitPosition: "prefix",
      defaultUnit: "kg", // followed the renamed unit
      minValue: null,
      maxValue: -2.5,
    });
    expect(upload).toMatchObject({
      acceptedFileTypes: [".jpg", ".jpeg", ".png", ".heic", ".heif", ".pdf", ".doc", ".docx", ".txt"],
      maxFileCount: 3,
    });

    await user.click(within(unit).getByRole("button", { name: "Remove kg" }));
    expect(latest()[1]!.kind).toMatchObject({ units: [{ label: "Unit 2" }], defaultUnit: null });
  });

  it("reorders with buttons and with Alt+arrows, keeping focus on the moved question", async () => {
    const { user, latest } = setup([question("A"), question("B"), question("C")]);
    const descriptions = () => latest().map((q) => q.description);

    await user.click(screen.getByRole("button", { name: "Move question 1 down" }));
    expect(descriptions()).toEqual(["B", "A", "C"]);
    expect(screen.getByRole("button", { name: "Move question 2 down" })).toHaveFocus();

    await user.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(descriptions()).toEqual(["B", "C", "A"]);
    // At the bottom, focus falls back on the question's other move button.
    expect(screen.getByRole("button", { name: "Move question 3 up" })).toHaveFocus();

    await user.keyboard("{Alt>}{ArrowUp}{/Alt}");
    expect(descriptions()).toEqual(["B", "A", "C"]);
    expect(screen.getByRole("button", { name: "Move question 2 up" })).toHaveFocus();

    // Inside a text field Alt+arrows belong to the text.
    await user.click(within(card("Question 1: Write an answer")).getByRole("textbox", { name: "Question" }));
    await user.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(descriptions()).toEqual(["B", "A", "C"]);
  });

  it("copies a question below itself, and undoes a deletion", async () => {
    const { user, latest } = setup([question("A"), question("B", "multipleChoice")]);
    await user.click(screen.getByRole("button", { name: "Copy question 2" }));
    expect(latest().map((q) => q.description)).toEqual(["A", "B", "B"]);
    expect(latest()[2]!.key).not.toBe(latest()[1]!.key);

    await user.click(screen.getByRole("button", { name: "Delete question 1" }));
    expect(latest().map((q) => q.description)).toEqual(["B", "B"]);
    expect(screen.getByTestId("deleted-notice")).toHaveTextContent("Question 1 (Write an answer: “A”) was deleted.");
    const undo = screen.getByRole("button", { name: "Undo" });
    expect(undo).toHaveFocus();
    await user.click(undo);
    expect(latest().map((q) => q.description)).toEqual(["A", "B", "B"]);
    expect(screen.queryByTestId("deleted-notice")).not.toBeInTheDocument();
  });

  it("shows each issue on the question and field it names", () => {
    const issues: DesignIssue[] = [
      { section: "questions", question: null, field: "questions", message: text("checks:design.noQuestions") },
      {
        section: "questions",
        question: 1,
        field: "answerLimit",
        message: text("checks:design.answerLimitAboveOptions", { limit: 3, options: 2 }),
      },
      {
        section: "questions",
        question: 1,
        field: "options.1.value",
        message: text("checks:design.optionsShareValue", { value: "a" }),
      },
      { section: "questions", question: 0, field: "description", message: text("checks:design.noQuestionText") },
      { section: "questions", question: 2, field: "maxFileCount", message: text("checks:design.noFiles") },
      {
        section: "questions",
        question: 2,
        field: "somethingNew",
        message: text("checks:design.prolificSays", { message: "A rule the form does not know." }),
      },
    ];
    setup([question(""), question("B", "multipleChoice"), question("C", "fileUpload")], issues);

    expect(screen.getByTestId("questions-issue")).toHaveTextContent("Add at least one question for participants to answer.");
    const first = card("Question 1: Write an answer");
    expect(within(first).getByRole("textbox", { name: "Question" })).toHaveAccessibleDescription("Write the question participants answer.");
    expect(within(first).queryByText(/answers/)).not.toBeInTheDocument();

    const second = card("Question 2: Choose from options");
    expect(within(second).getByText(
        "Participants can pick up to 3 answers, but there are only 2 options. Lower the limit or add options.",
      )).toBeInTheDocument();
    expect(within(second).getByText('Two options record the same value "a" in the results; give each its own.')).toBeInTheDocument();

    const third = card("Question 3: Upload files");
    expect(within(third).getByRole("textbox", { name: "Most files" })).toHaveAccessibleDescription(
      "Allow at least one file.",
    );
    expect(within(third).getByTestId("question-issue")).toHaveTextContent("Prolific says: A rule the form does not know.");
  });
});

describe("normalizeFileTypes", () => {
  it("turns what people type into lower-case endings with a dot, once each", () => {
    expect(normalizeFileTypes(["PDF", " .Docx", "*.txt", ".pdf", ""])).toEqual([".pdf", ".docx", ".txt"]);
  });
});
