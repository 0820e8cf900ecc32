import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { DataDraftView, NewBatch, StudyContext, TaskDesign, TaskDraft } from "../backend";
import { noChecks } from "../task/design";
import { emptyDraft, held, mockBackend } from "../test/fixtures";

const design: TaskDesign = {
  title: "Sentiment",
  introduction: "<p>Read each review.</p>",
  steps: "<p>Choose one.</p>",
  dataRows: [{ columns: ["review_text"] }],
  questions: [],
  tasksPerGroup: 4,
  checks: noChecks,
};

/** Step 3 of a batch whose study is published; only what the page reads of it. */
const published = {
  taskTitle: "Sentiment",
  launched: { studyId: "study-1", status: "ACTIVE", published: true, places: 18 },
} as unknown as StudyContext;

describe("new batch after publishing", () => {
  beforeEach(() => {
    window.location.hash = "#/new";
  });

  it.each<[string, NewBatch, TaskDesign | null]>([
    ["Start a new batch", "empty", null],
    ["Run this task again with new data", "sameTask", design],
  ])("offers “%s”, which opens an empty data step", async (choice, keep, kept) => {
    // What Rust holds: the published batch's drafts until a new batch is started.
    let data: DataDraftView = { ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds1", ready: true, typed: true };
    let task: TaskDraft = {
      design,
      batch: { batchId: "b1", totalTasks: 24, totalGroups: 6 } as unknown as TaskDraft["batch"],
      setUpOnOtherData: false,
      mixed: null,
    };
    const started: unknown[] = [];
    mockBackend({
      data_draft: () => data,
      task_draft: () => ({ ...task, batch: task.batch && { ...task.batch, ready: { batchId: "b1", totalTasks: 24, totalGroups: 6 } } }),
      study_context: () => published,
      start_new_batch: (_, args) => {
        const { keep: asked } = args as { keep: NewBatch };
        started.push(asked);
        data = emptyDraft;
        task = { design: asked === "sameTask" ? design : null, batch: null, setUpOnOtherData: false, mixed: null };
        return null;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);

    // New batch no longer reopens the published one.
    const notice = await screen.findByTestId("batch-published");
    expect(notice).toHaveTextContent("This batch is published");
    expect(screen.queryByTestId("task-editor")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: choice }));

    // An empty data step, Continue saying what it needs.
    const next = await screen.findByTestId("continue-to-task");
    expect(next).toHaveAccessibleDescription("Choose or drop your spreadsheet first.");
    expect(screen.queryByTestId("batch-published")).not.toBeInTheDocument();
    expect(screen.queryByTestId("file-name")).not.toBeInTheDocument();
    expect(started).toEqual([keep]);
    expect(task.design).toEqual(kept);
  });
});
