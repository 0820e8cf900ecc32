import { act, render, screen } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { DataDraftView, InspectedFile, NewBatch, TaskDraft } from "../backend";
import { emptyDraft, held, mockBackend } from "../test/fixtures";

/** A clean file as the CSV doctor reports it, under the handle it was read by. */
function inspected(handle: string): InspectedFile {
  return {
    handle,
    fileName: handle.replace(/^file-/, ""),
    report: {
      encoding: "utf8",
      delimiter: "comma",
      lineEndings: "lf",
      hasHeader: true,
      headerLine: 1,
      rowCount: 12,
      fileSize: 900,
      columns: [],
      findings: [],
    },
    preview: { columns: [{ name: "text", hidden: false }], rows: [] },
  };
}

type Call = [string, ...unknown[]];

/** Rust's side: one file waiting at first, `waiting` replaced by the test later. */
function opening(first: string | null, extra: Record<string, (command: string, args: unknown) => unknown> = {}) {
  const calls: Call[] = [];
  const state = { waiting: first };
  mockBackend({
    take_opened_file: (command) => {
      const file = state.waiting;
      state.waiting = null;
      calls.push([command, file]);
      return file && held(file);
    },
    inspect_data_file: (command, args) => {
      const { handle } = args as { handle: string };
      calls.push([command, handle]);
      return inspected(handle);
    },
    choose_data: (command, args) => {
      const { source, working } = args as { source: string; working: string };
      calls.push([command, source, working]);
      return { ...emptyDraft, workingFile: held(working) };
    },
    ...extra,
  });
  return { calls, state };
}

describe("files opened with Batchdesk", () => {
  beforeEach(() => {
    window.location.hash = "#/";
  });

  it("a file given at start opens New batch's data step with that file read and kept", async () => {
    const { calls } = opening("survey.csv");
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("file-name")).toHaveTextContent("survey.csv");
    expect(window.location.hash).toBe("#/new");
    expect(screen.getByRole("heading", { name: "New batch" })).toBeInTheDocument();
    expect(calls.filter(([command]) => command !== "take_opened_file")).toEqual([
      ["inspect_data_file", "file-survey.csv"],
      ["choose_data", "file-survey.csv", "file-survey.csv"],
    ]);
  });

  it("a file opened while the app runs is taken when Rust says so, even from another page and a batch further on", async () => {
    // A batch whose data is uploaded normally reopens on its task step.
    const uploaded: DataDraftView = { ...emptyDraft, workingFile: held("old.csv"), datasetId: "ds1", ready: true, typed: true };
    const { calls, state } = opening(null, { data_draft: () => uploaded });
    window.location.hash = "#/batches";
    render(<App queryClient={createQueryClient()} />);
    await screen.findByRole("heading", { name: "Batches" });
    expect(calls).toEqual([["take_opened_file", null]]);

    state.waiting = "second.tsv";
    await act(() => emit("window://main/opened", { window: "main" }));
    expect(await screen.findByTestId("file-name")).toHaveTextContent("second.tsv");
    expect(window.location.hash).toBe("#/new");
    expect(calls).toContainEqual(["inspect_data_file", "file-second.tsv"]);
    expect(calls).toContainEqual(["choose_data", "file-second.tsv", "file-second.tsv"]);
  });

  it("a published batch makes way: a new, empty batch is started for the file", async () => {
    let task: TaskDraft = {
      design: null,
      batch: { batchId: "b1", ready: { batchId: "b1", totalTasks: 4, totalGroups: 1 } } as unknown as TaskDraft["batch"],
      setUpOnOtherData: false,
      mixed: null,
    };
    const started: NewBatch[] = [];
    const { calls } = opening("next.csv", {
      task_draft: () => task,
      study_context: () => ({
        taskTitle: "Sentiment",
        launched: { studyId: "study-1", status: "ACTIVE", published: true, places: 4 },
      }),
      start_new_batch: (_, args) => {
        started.push((args as { keep: NewBatch }).keep);
        task = { design: null, batch: null, setUpOnOtherData: false, mixed: null };
        return null;
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("file-name")).toHaveTextContent("next.csv");
    expect(started).toEqual(["empty"]);
    expect(screen.queryByTestId("batch-published")).not.toBeInTheDocument();
    expect(calls).toContainEqual(["choose_data", "file-next.csv", "file-next.csv"]);
  });
});
