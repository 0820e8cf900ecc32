import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { httpsUrl } from "./DataCell";
import { type DataColumn, newQuestion, noChecks, type Question, type TaskDesign } from "./design";
import { ParticipantPreview } from "./ParticipantPreview";
import { columns } from "./testData";

declare global {
  interface Window {
    __pwned?: number;
  }
}

// In `columns` order: review, photo, META_source, chart, META_TASK_GROUP_ID.
const rows = [
  ["Great phone, battery lasts", "https://img.example.org/1.jpg", "shop", "https://img.example.org/c1.png", "g1"],
  ["Screen cracked in a week", "https://img.example.org/2.jpg", "shop", "http://img.example.org/c2.png", "g1"],
  ["Fine", "https://img.example.org/3.jpg", "web", "", "g2"],
];

function q<T extends Question["kind"]["type"]>(type: T, description: string, kind: Partial<Question["kind"]> = {}): Question {
  const question = newQuestion(type);
  return { ...question, description, kind: { ...question.kind, ...kind } as Question["kind"] };
}

const design = (overrides: Partial<TaskDesign> = {}): TaskDesign => ({
  title: "Rate phone reviews",
  introduction: "",
  steps: "",
  dataRows: [{ columns: ["review", "photo"] }, { columns: ["chart"] }],
  questions: [],
  tasksPerGroup: 1,
  checks: noChecks,
  ...overrides,
});

function show(props: { design?: TaskDesign; rows?: string[][]; columns?: DataColumn[]; intro?: string }) {
  const user = userEvent.setup();
  render(
    <MantineProvider env="test">
      <ParticipantPreview
        design={props.design ?? design()}
        columns={props.columns ?? columns}
        rows={props.rows ?? rows}
        introductionHtml={props.intro ?? "<p>Read each <strong>review</strong>.</p>"}
        stepsHtml="<ol><li>Read</li><li>Answer</li></ol>"
      />
    </MantineProvider>,
  );
  return user;
}

describe("ParticipantPreview", { timeout: 30_000 }, () => {
  afterEach(() => {
    delete window.__pwned;
  });

  it("shows the title, the sanitized introduction and steps, and the row laid out as designed", () => {
    show({});
    const task = screen.getByRole("article", { name: "What a participant sees" });
    expect(within(task).getByRole("heading", { name: "Rate phone reviews" })).toBeInTheDocument();
    expect(within(screen.getByTestId("introduction")).getByText("review").tagName).toBe("STRONG");
    expect(within(screen.getByTestId("steps")).getAllByRole("listitem")).toHaveLength(2);

    const [pair, single] = screen.getAllByTestId("data-row");
    expect(within(pair!).getAllByTestId("data-cell")).toHaveLength(2);
    expect(within(pair!).getByText("Great phone, battery lasts")).toBeInTheDocument();
    expect(within(pair!).getByRole("img", { name: "photo" })).toHaveAttribute("src", "https://img.example.org/1.jpg");
    expect(within(single!).getByRole("img", { name: "chart" })).toBeInTheDocument();
    // Hidden columns never appear.
    expect(screen.queryByText("shop")).not.toBeInTheDocument();
    expect(screen.queryByText("g1")).not.toBeInTheDocument();
  });

  it("flips through rows; an http link in an image column stays text", async () => {
    const user = show({});
    expect(screen.getByTestId("row-position")).toHaveTextContent("Row 1 of 3");
    expect(screen.getByRole("button", { name: "Previous row" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Next row" }));
    expect(screen.getByTestId("row-position")).toHaveTextContent("Row 2 of 3");
    expect(screen.getByText("Screen cracked in a week")).toBeInTheDocument();
    expect(screen.queryByRole("img", { name: "chart" })).not.toBeInTheDocument();
    expect(screen.getByText("http://img.example.org/c2.png")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Next row" }));
    expect(screen.getByTestId("row-position")).toHaveTextContent("Row 3 of 3");
    expect(screen.getByRole("button", { name: "Next row" })).toBeDisabled();
    expect(screen.getByText("(empty)")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Previous row" }));
    expect(screen.getByTestId("row-position")).toHaveTextContent("Row 2 of 3");
  });

  it("says so when there are no rows", () => {
    show({ rows: [] });
    expect(screen.getByTestId("row-position")).toHaveTextContent("No rows to show yet");
    expect(screen.getByRole("button", { name: "Next row" })).toBeDisabled();
  });

  it("renders every question type as a real control", async () => {
    const five = ["Very bad", "Bad", "Neutral", "Good", "Very good"].map((label) => ({
      label,
      value: label.toLowerCase(),
      exclusive: false,
      heading: "",
    }));
    const questions = [
      q("multipleChoice", "Sentiment?"),
      q("multipleChoice", "Rating?", { options: five, placeholder: "Pick one" }),
      q("multipleChoice", "Topics?", {
        answerLimit: -1,
        options: [
          { label: "Battery", value: "battery", exclusive: false, heading: "" },
          { label: "Screen", value: "screen", exclusive: false, heading: "" },
          { label: "None of these", value: "none", exclusive: true, heading: "" },
        ],
      }),
      q("multipleChoiceWithFreeText", "Better?", {
        options: [
          { label: "A", value: "a", exclusive: false, heading: "Why A?" },
          { label: "B", value: "b", exclusive: false, heading: "Why B?" },
        ],
      }),
      q("freeText", "Why?", { maxLength: 20, minLength: 5 }),
      q("freeTextWithUnit", "Price?", {
        units: [
          { label: "£", value: "gbp" },
          { label: "€", value: "eur" },
        ],
        unitPosition: "prefix",
        defaultUnit: "eur",
      }),
      q("fileUpload", "A photo of it?"),
    ];
    const user = show({ design: design({ questions }) });

    expect(screen.getAllByRole("radio").filter((radio) => radio.closest("[role=radiogroup]"))).toHaveLength(4);
    // Five options and the dropdown allowed: a dropdown.
    expect(screen.getByPlaceholderText("Pick one")).toHaveAccessibleName("Rating?");
    expect(screen.queryByRole("radio", { name: "Very good" })).not.toBeInTheDocument();

    // "None of these" clears the other answers.
    await user.click(screen.getByRole("checkbox", { name: "Battery" }));
    await user.click(screen.getByRole("checkbox", { name: "Screen" }));
    await user.click(screen.getByRole("checkbox", { name: "None of these" }));
    expect(screen.getByRole("checkbox", { name: "Battery" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "None of these" })).toBeChecked();

    // The explain type opens the chosen answer's box.
    expect(screen.queryByRole("textbox", { name: "Why B?" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "B" }));
    expect(screen.getByRole("textbox", { name: "Why B?" })).toBeInTheDocument();

    const why = screen.getByRole("textbox", { name: "Why?" });
    expect(why).toHaveAttribute("maxlength", "20");
    await user.type(why, "Too short");
    expect(screen.getByTestId("character-count")).toHaveTextContent("9 characters (at least 5, at most 20)");

    const unit = screen.getByTestId("unit-input");
    expect(within(unit).getByRole("combobox", { name: "Unit for Price?" })).toHaveValue("eur");
    expect(unit.firstElementChild).toContainElement(within(unit).getByRole("combobox"));
    expect(within(unit).getByRole("textbox", { name: "Price?" })).toBeInTheDocument();

    expect(screen.getByTestId("file-drop-zone")).toHaveTextContent(".jpg, .jpeg, .png, .heic, .heif · up to 25 MB each · 1 to 10 files");
    expect(screen.getByRole("button", { name: "Choose files" })).toBeInTheDocument();

    // Answers are per row.
    await user.click(screen.getByRole("button", { name: "Next row" }));
    expect(screen.getByRole("textbox", { name: "Why?" })).toHaveValue("");
  });

  it("keeps CSV cells inert: markup and script links in cells never run or load", () => {
    const imageColumns: DataColumn[] = [
      { name: "text", hidden: false, isTaskGroup: false, imageUrls: null },
      { name: "pic1", hidden: false, isTaskGroup: false, imageUrls: { https: 0, http: 0, notLinks: 3, allHttps: false } },
      { name: "pic2", hidden: false, isTaskGroup: false, imageUrls: { https: 0, http: 0, notLinks: 3, allHttps: false } },
      { name: "pic3", hidden: false, isTaskGroup: false, imageUrls: { https: 0, http: 0, notLinks: 3, allHttps: false } },
    ];
    const attacks = [
      '<img src=x onerror="window.__pwned=1">',
      "<script>window.__pwned=1</script>",
      "javascript:alert(1)",
    ];
    show({
      columns: imageColumns,
      rows: [["<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>", ...attacks]],
      design: design({ dataRows: [{ columns: ["text", "pic1"] }, { columns: ["pic2", "pic3"] }] }),
    });

    const task = screen.getByRole("article");
    expect(task.querySelector('img[src="x"]')).toBeNull();
    expect(task.querySelector("img")).toBeNull();
    expect(document.querySelector("script")).toBeNull();
    expect(document.querySelector('[src^="javascript:" i], [href^="javascript:" i]')).toBeNull();
    expect(window.__pwned).toBeUndefined();
    // They are shown as the characters they are.
    for (const attack of attacks) expect(screen.getByText(attack)).toBeInTheDocument();
  });
});

describe("httpsUrl", () => {
  it("accepts absolute https links only", () => {
    expect(httpsUrl(" https://example.org/a b.png ")).toBe("https://example.org/a%20b.png");
    expect(httpsUrl("HTTPS://Example.org/x.jpg")).toBe("https://example.org/x.jpg");
    for (const cell of ["http://example.org/x.jpg", "javascript:alert(1)", "data:image/png;base64,AAAA", "//example.org/x", "https:/x", "x"]) {
      expect(httpsUrl(cell)).toBeNull();
    }
  });
});
