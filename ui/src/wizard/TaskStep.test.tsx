import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { TaskData, TaskDesign, TaskDraft } from "../backend";
import { noChecks } from "../task/design";
import { emptyDraft, held, mockBackend, ipcError, text } from "../test/fixtures";

const data: TaskData = {
  fileName: "reviews.csv",
  columns: [
    {
      name: "review_text",
      position: 1,
      letter: "A",
      hidden: false,
      isTaskGroup: false,
      imageUrls: null,
      samples: ["Great product"],
      emptyCells: 0,
      maxLength: 13,
    },
  ],
  preview: { columns: [{ name: "review_text", hidden: false }], rows: [{ line: 2, cells: ["Great product"], complete: true }] },
  rowCount: 8,
  typed: true,
  hasTaskGroups: false,
};

const design: TaskDesign = {
  title: "Sentiment",
  introduction: "<p>Read each review.</p>",
  steps: "<p>Choose one.</p>",
  dataRows: [{ columns: ["review_text"] }],
  questions: [],
  tasksPerGroup: 4,
  checks: noChecks,
};

describe("task step", () => {
  beforeEach(() => {
    window.location.hash = "#/new";
  });

  it("says plainly when the batch was set up on data that has changed since, and Continue sets it up again", async () => {
    const calls: string[] = [];
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds2", ready: true, typed: true }),
      task_draft: () => ({ design, batch: null, setUpOnOtherData: true }),
      task_data: () => data,
      task_templates: () => [],
      save_task_design: (command) => {
        calls.push(command);
        return { issues: [], introductionHtml: design.introduction, stepsHtml: design.steps };
      },
      set_up_batch: (command, args) => {
        calls.push(command);
        // One call saves the design on screen and sets the batch up from it.
        expect((args as { design: typeof design }).design.title).toBe(design.title);
        return { outcome: "ready", batchId: "b2", totalTasks: 8, totalGroups: 2 };
      },
      study_context: (command) => {
        calls.push(command);
        throw ipcError("noBatch", "errors:studyStep.noBatch");
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const notice = await screen.findByTestId("batch-on-old-data");
    expect(notice).toHaveTextContent("Your data changed since the batch was set up");
    expect(notice).toHaveTextContent("set the batch up again");
    // One primary button: Continue, which sets the batch up and then moves on.
    expect(screen.queryByRole("button", { name: /^Set up the batch$/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Set up the batch on the practice server and continue" }));
    expect(await screen.findByTestId("back-to-task")).toBeInTheDocument();
    expect(calls.filter((call) => call !== "save_task_design")).toEqual(["set_up_batch", "study_context"]);
  });

  it("Continue sets up once; back on step 2 the batch is set up, and Continue goes straight on", async () => {
    const calls: string[] = [];
    let ready: TaskDraft["batch"] = null;
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds2", ready: true, typed: true }),
      // A fresh object on every read, as from Rust.
      task_draft: () => ({ design: { ...design }, batch: ready, setUpOnOtherData: false }),
      task_data: () => data,
      task_templates: () => [],
      save_task_design: () => ({ issues: [], introductionHtml: design.introduction, stepsHtml: design.steps }),
      set_up_batch: (command) => {
        calls.push(command);
        const batch = { batchId: "b1", totalTasks: 8, totalGroups: 2 };
        ready = { name: "Sentiment", batchId: "b1", datasetId: "ds2", sourceDatasetId: null, sent: "{}", ready: batch, legacy: false };
        return { outcome: "ready", ...batch };
      },
      study_context: (command) => {
        calls.push(command);
        throw ipcError("noWorkspace", "errors:studyStep.noWorkspace");
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: "Set up the batch on the practice server and continue" }));
    await user.click(await screen.findByRole("button", { name: "Back to your task" }));
    expect(await screen.findByTestId("setup-totals")).toHaveTextContent("made 8 tasks in 2 assignments");
    await user.click(screen.getByRole("button", { name: "Continue to who, how many, how much" }));
    expect(await screen.findByTestId("back-to-task")).toBeInTheDocument();
    expect(calls.filter((call) => call === "set_up_batch")).toHaveLength(1);
  });

  it("Continue says in words what stops the setup", async () => {
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds2", ready: true, typed: true }),
      task_draft: () => ({ design: { ...design, title: "" }, batch: null, setUpOnOtherData: false }),
      task_data: () => data,
      task_templates: () => [],
      save_task_design: () => ({
        issues: [{ section: "details", question: null, field: "title", message: text("checks:design.noTitle") }],
        introductionHtml: design.introduction,
        stepsHtml: design.steps,
      }),
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText("Give the task a title: participants see it first.")).toBeInTheDocument();
    const next = screen.getByTestId("continue-to-study");
    expect(next).toBeDisabled();
    expect(next).toHaveAccessibleDescription("Fix the problem marked above first.");
  });

  it("a template asks which column holds the text to judge, shows only that one, and the question goes once answered", async () => {
    const column = (name: string, position: number, samples: string[], maxLength: number) => ({
      name,
      position,
      letter: String.fromCharCode(64 + position),
      hidden: false,
      isTaskGroup: false,
      imageUrls: null,
      samples,
      emptyCells: 0,
      maxLength,
    });
    const reviews: TaskData = {
      ...data,
      columns: [
        column("id", 1, ["1"], 1),
        column("review_text", 2, ["Great product"], 40),
        column("product_name", 3, ["Widget"], 10),
        column("rating", 4, ["5"], 1),
      ],
    };
    const saved: TaskDesign[] = [];
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds2", ready: true, typed: true }),
      task_data: () => reviews,
      task_templates: () => [{ id: "sentiment", name: "Sentiment classification", description: "Positive or negative." }],
      apply_template: () => ({
        name: "Sentiment classification",
        design: { ...design, dataRows: [{ columns: ["review_text"] }] },
        notes: [text("checks:template.ownGroups")],
        layoutNotes: [text("checks:template.columnsLeftOut", { names: '"response_b"' })],
        columnChoices: [{ templateColumn: "text", role: "text", chosen: "review_text" }],
      }),
      save_task_design: (_command, args) => {
        saved.push((args as { design: TaskDesign }).design);
        return { issues: [], introductionHtml: design.introduction, stepsHtml: design.steps };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByTestId("template-sentiment"));
    const notes = await screen.findByTestId("template-notes");
    expect(notes).toHaveTextContent('Your data has no column "response_b", so it is left out of the layout.');
    expect(notes).toHaveTextContent(
      "Your data has a META_TASK_GROUP_ID column, so it decides which rows each participant does together.",
    );
    const choice = await screen.findByTestId("column-choice-text");
    expect(choice).toHaveTextContent("“text”, which your data does not have");
    expect(choice).toHaveTextContent("Only this column is shown");
    // Another column is chosen: it takes the guess's place, alone.
    // By keyboard: the list opens on the current guess; the next column down is chosen.
    screen.getByRole("combobox", { name: "Your column for “text”" }).focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    await waitFor(() => expect(saved.at(-1)?.dataRows).toEqual([{ columns: ["product_name"] }]));
    // Confirmed, the question is gone and stays gone.
    await user.click(screen.getByRole("button", { name: "Use “product_name”" }));
    expect(screen.queryByTestId("template-column-choices")).not.toBeInTheDocument();
    expect(saved.at(-1)?.dataRows).toEqual([{ columns: ["product_name"] }]);
  });
});
