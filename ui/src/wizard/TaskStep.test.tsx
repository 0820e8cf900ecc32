import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { TaskData, TaskDesign } from "../backend";
import { emptyDraft, held, mockBackend } from "../test/fixtures";

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
};

describe("task step", () => {
  beforeEach(() => {
    window.location.hash = "#/new";
  });

  it("says plainly when the batch was set up on data that has changed since, and offers setting up again", async () => {
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), datasetId: "ds2", ready: true, typed: true }),
      task_draft: () => ({ design, batch: null, setUpOnOtherData: true }),
      task_data: () => data,
      task_templates: () => [],
      save_task_design: () => ({ issues: [], introductionHtml: design.introduction, stepsHtml: design.steps }),
    });
    render(<App queryClient={createQueryClient()} />);
    const notice = await screen.findByTestId("batch-on-old-data");
    expect(notice).toHaveTextContent("Your data changed since the batch was set up");
    expect(notice).toHaveTextContent("set the batch up again");
    expect(screen.getByTestId("continue-to-study")).toBeDisabled();
  });
});
