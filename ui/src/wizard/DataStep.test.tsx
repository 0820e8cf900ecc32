import { act, render, screen, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { DataDraftView, FixedFile, FixProgress, InspectedFile, ReadProgress } from "../backend";
import { emptyDraft, held, mockBackend, ipcError } from "../test/fixtures";

/** What the data commands take from the UI: handles only. */
type HandleArgs = { handle: string };
type ChoiceArgs = { source: string; working: string };

const semicolons: InspectedFile = {
  handle: "file-reviews.csv",
  fileName: "reviews.csv",
  report: {
    encoding: "utf8WithBom",
    delimiter: "semicolon",
    lineEndings: "crLf",
    hasHeader: true,
    headerLine: 1,
    rowCount: 24,
    fileSize: 2048,
    columns: [],
    findings: [
      {
        severity: "problem",
        code: "notCommaSeparated",
        message: {
          key: "checks:csv.notCommaSeparated.semicolons",
          params: { delimiter: { key: "checks:csv.delimiter.semicolons", params: {} } },
        },
        lines: [],
        count: 0,
        fixable: true,
      },
    ],
  },
  preview: {
    columns: [
      { name: "review", hidden: false },
      { name: "META_source", hidden: true },
    ],
    rows: [{ line: 2, cells: ["Great product", "shop"], complete: true }],
  },
};

const fixed: FixedFile = {
  file: {
    ...semicolons,
    handle: "file-reviews (fixed).csv",
    fileName: "reviews (fixed).csv",
    report: { ...semicolons.report, encoding: "utf8", delimiter: "comma", findings: [] },
  },
  summary: {
    encodingWas: "utf8WithBom",
    delimiterWas: "semicolon",
    lineEndingsWere: "crLf",
    rowsWritten: 24,
    emptyRowsDropped: 0,
    duplicateRowsDropped: 2,
    repeatedHeadersDropped: 0,
    renamedColumns: [],
    bytesWritten: 2000,
  },
};

describe("data step", () => {
  beforeEach(() => {
    window.location.hash = "#/new";
  });

  it("checks a chosen file, explains what is wrong, previews it, and fixes a copy", async () => {
    const calls: unknown[] = [];
    mockBackend({
        choose_data_file: () => held("reviews.csv"),
        inspect_data_file: (command, args) => {
          calls.push([command, (args as HandleArgs).handle]);
          return semicolons;
        },
        fix_data_file: (command, args) => {
          calls.push([command, (args as HandleArgs).handle]);
          return fixed;
        },
        choose_data: (command, args) => {
          const { source, working } = args as ChoiceArgs;
          calls.push([command, source, working]);
          return { ...emptyDraft, workingFile: held(working) };
        },
        reveal_held_file: (command, args) => {
          calls.push([command, (args as HandleArgs).handle]);
          return null;
        },
      });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));

    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(screen.getByTestId("row-count")).toHaveTextContent("24 rows");
    expect(screen.getByText(/^The values are separated by semicolons, as Excel does/)).toBeInTheDocument();
    const table = screen.getByRole("table", { name: /as Prolific will read them/ });
    expect(within(table).getByText("Great product")).toBeInTheDocument();
    expect(within(table).getByText("hidden from participants")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Fix these for me" }));
    expect(await screen.findByTestId("fixed-notice")).toHaveTextContent("leaving out 2 repeated rows");
    expect(screen.getByTestId("fixed-notice")).toHaveTextContent("Your original file was not changed.");
    // Where the copy is, and a way to see it: by its handle, never a path.
    expect(screen.getByTestId("fixed-notice")).toHaveTextContent(
      "The copy, reviews (fixed).csv, is kept in Batchdesk's own folder",
    );
    await user.click(screen.getByRole("button", { name: "Show the copy in its folder" }));
    expect(screen.getByTestId("file-name")).toHaveTextContent("reviews (fixed).csv");
    expect(screen.getByTestId("no-findings")).toBeInTheDocument();
    expect(calls).toEqual([
      ["inspect_data_file", "file-reviews.csv"],
      ["choose_data", "file-reviews.csv", "file-reviews.csv"],
      ["fix_data_file", "file-reviews.csv"],
      ["choose_data", "file-reviews.csv", "file-reviews (fixed).csv"],
      ["reveal_held_file", "file-reviews (fixed).csv"],
    ]);
  });

  it("in practice mode, a sample spreadsheet is checked like a chosen file, and another can be picked from the menu", async () => {
    const calls: unknown[] = [];
    const sample = (id: string, fileName: string) => ({ id, fileName, title: `Sample ${id}`, shows: `What ${id} shows.` });
    mockBackend({
      sample_spreadsheets: () => [sample("reviews", "reviews.csv"), sample("pairwise", "pairwise-preference.csv")],
      open_sample_spreadsheet: (command, args) => {
        const { id } = args as { id: string };
        calls.push([command, id]);
        return held(`${id}.csv`);
      },
      inspect_data_file: (command, args) => {
        const { handle } = args as HandleArgs;
        calls.push([command, handle]);
        return { ...fixed.file, handle, fileName: handle.replace(/^file-/, "") };
      },
      choose_data: (command, args) => {
        const { source, working } = args as ChoiceArgs;
        calls.push([command, source]);
        return { ...emptyDraft, workingFile: held(working) };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const samples = await screen.findByTestId("samples");
    expect(samples).toHaveTextContent("Try it with a sample spreadsheet");
    expect(samples).toHaveTextContent("What pairwise shows.");
    await user.click(within(samples).getByRole("button", { name: /Sample reviews/ }));

    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    // With a file on the page, the samples move into a menu beside "Choose a file…".
    expect(screen.queryByTestId("samples")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Use a sample" }));
    await user.click(await screen.findByRole("menuitem", { name: /Sample pairwise/ }));
    expect(await screen.findByText("pairwise.csv")).toBeInTheDocument();
    expect(calls).toEqual([
      ["open_sample_spreadsheet", "reviews"],
      ["inspect_data_file", "file-reviews.csv"],
      ["choose_data", "file-reviews.csv"],
      ["open_sample_spreadsheet", "pairwise"],
      ["inspect_data_file", "file-pairwise.csv"],
      ["choose_data", "file-pairwise.csv"],
    ]);
  });

  it("Continue uploads a clean file and moves on to the task; back on step 1 the data is ready", async () => {
    let draft: DataDraftView = emptyDraft;
    const clean: InspectedFile = { ...fixed.file, handle: "file-clean.csv", fileName: "clean.csv" };
    mockBackend({
      choose_data_file: () => held("clean.csv"),
      inspect_data_file: () => clean,
      data_draft: () => draft,
      choose_data: () => (draft = { ...emptyDraft, workingFile: held("clean.csv") }),
      upload_data: () => {
        draft = { ...draft, datasetId: "ds1", ready: true, readyRows: 24 };
        return { datasetId: "ds1", rows: 24 };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const next = await screen.findByTestId("continue-to-task");
    expect(next).toBeDisabled();
    expect(next).toHaveAccessibleDescription("Choose or drop your spreadsheet first.");
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    await user.click(await screen.findByRole("button", { name: "Upload to the practice server and continue" }));
    // On step 2 now; step 1 shows the data ready, and Continue only moves on.
    await user.click(await screen.findByRole("button", { name: "Back to your data" }));
    expect(await screen.findByTestId("upload-ready")).toHaveTextContent("has read 24 rows");
    expect(screen.getByRole("button", { name: "Continue to your task" })).toBeEnabled();
    // One primary action per step: no separate upload button.
    expect(screen.queryByRole("button", { name: /^Upload to/ })).not.toBeInTheDocument();
  });

  it("names the rows Prolific refused and sends a copy without them on request", async () => {
    const clean: InspectedFile = { ...fixed.file, handle: "file-clean.csv", fileName: "clean.csv" };
    let draft: DataDraftView = { ...emptyDraft, workingFile: held("clean.csv") };
    const sent: string[] = [];
    mockBackend({
      inspect_data_file: () => clean,
      data_draft: () => draft,
      choose_data: () => draft,
      upload_data: () => {
        sent.push("as-is");
        draft = {
          ...draft,
          datasetId: "ds1",
          rejectedRows: [
            { row: 2, column: null, reason: "The row has 3 fields but the header has 2." },
            { row: 7, column: "rating", reason: "Not a number." },
          ],
        };
        throw ipcError("rowsRejected", "errors:upload.rowsRejected.rowAndColumn", {
          file_name: "reviews.csv",
          accepted: 22,
          count: 2,
          row: 3,
          column: "rating",
          reason: "The row has 3 fields but the header has 2",
        });
      },
      upload_without_rejected_rows: () => {
        sent.push("without");
        draft = { ...draft, datasetId: "ds2", ready: true, readyRows: 22, typed: true, rejectedRows: [] };
        return { datasetId: "ds2", rows: 22 };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: "Upload to the practice server and continue" }));
    const refused = await screen.findByTestId("refused-rows");
    // Continue says what is missing instead of sending the same rows again.
    expect(screen.getByTestId("continue-to-task")).toHaveAccessibleDescription(
      "The practice server refused some rows: fix them in your spreadsheet, or continue without them (above).",
    );
    expect(refused).toHaveTextContent("The practice server refused 2 rows of your data");
    const table = within(refused).getByRole("table", { name: "Rows refused" });
    expect(within(table).getByText("The row has 3 fields but the header has 2.")).toBeInTheDocument();
    expect(within(table).getByText("rating")).toBeInTheDocument();
    // The refusal is shown once, as the table, not again as an error.
    expect(screen.queryByText("The upload did not finish")).not.toBeInTheDocument();
    await user.click(within(refused).getByRole("button", { name: "Continue without these 2 rows" }));
    await user.click(await screen.findByRole("button", { name: "Back to your data" }));
    expect(await screen.findByTestId("upload-ready")).toHaveTextContent("has read 22 rows");
    expect(sent).toEqual(["as-is", "without"]);
  });

  it("keeps Continue off while the file has problems, and names the fix only when one is offered", async () => {
    const unfixable: InspectedFile = {
      ...semicolons,
      handle: "file-ragged.csv",
      fileName: "ragged.csv",
      report: {
        ...semicolons.report,
        findings: [
          {
            severity: "problem",
            code: "raggedRows",
            message: {
              key: "checks:csv.raggedRows.same",
              params: {
                count: 1,
                lines: { key: "checks:csv.lines.start", params: { count: 1, lines: [7] } },
                values: { key: "checks:csv.count.values", params: { count: 5 } },
                columns: { key: "checks:csv.count.columns", params: { count: 4 } },
                delimiter: { key: "checks:csv.delimiter.semicolon", params: {} },
              },
            },
            lines: [7],
            count: 1,
            fixable: false,
          },
        ],
      },
    };
    const chosen = [held("reviews.csv"), held("ragged.csv")];
    mockBackend({
      choose_data_file: () => chosen.shift() ?? null,
      inspect_data_file: (_, args) => ((args as HandleArgs).handle === "file-ragged.csv" ? unfixable : semicolons),
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    await screen.findByRole("button", { name: "Fix these for me" });
    const next = screen.getByRole("button", { name: "Upload to the practice server and continue" });
    expect(next).toBeDisabled();
    expect(next).toHaveAccessibleDescription("Fix the problems above first (“Fix these for me” handles most of them).");

    // No fix is offered for this one, so none is promised.
    await user.click(screen.getByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByTestId("file-name")).toHaveTextContent("ragged.csv");
    expect(screen.queryByRole("button", { name: "Fix these for me" })).not.toBeInTheDocument();
    expect(screen.getByText(/^Line 7 has 5 values but the header has 4 columns\. .* contains a semicolon without/)).toBeInTheDocument();
    expect(screen.getByTestId("continue-to-task")).toBeDisabled();
    expect(screen.getByTestId("continue-to-task")).toHaveAccessibleDescription(
      "Fix the problems above in your spreadsheet, save it, and choose it again.",
    );
    expect(screen.queryByText(/Fix these for me/)).not.toBeInTheDocument();
  });

  it("a file that cannot be read is named, and the card of the file before is not left on screen", async () => {
    const clean: InspectedFile = { ...fixed.file, handle: "file-clean.csv", fileName: "clean.csv" };
    const chosen = [held("clean.csv"), held("book.xlsx")];
    mockBackend({
      choose_data_file: () => chosen.shift() ?? null,
      inspect_data_file: (_, args) => {
        if ((args as HandleArgs).handle === "file-book.xlsx") {
          throw ipcError("unsupportedFile", "errors:dataFile.unsupported", { name: "book.xlsx" });
        }
        return clean;
      },
      choose_data: () => ({ ...emptyDraft, workingFile: held("clean.csv") }),
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByTestId("file-name")).toHaveTextContent("clean.csv");

    await user.click(screen.getByRole("button", { name: /Choose a file/ }));
    const failed = await screen.findByTestId("reading-failed");
    expect(failed).toHaveTextContent("book.xlsx could not be checked");
    expect(failed).toHaveTextContent(
      'Batchdesk reads spreadsheets saved as CSV (.csv), tab-separated (.tsv) or Excel "Unicode text" (.txt) files, and "book.xlsx" is not one of those. In Excel, use File → Save As and choose "CSV UTF-8", then bring that file.',
    );
    expect(failed).toHaveTextContent("Nothing was changed: clean.csv is still the file for this batch.");
    // Neither clean.csv's card nor its upload is on screen beside book.xlsx's failure.
    expect(screen.queryByTestId("file-name")).not.toBeInTheDocument();
    expect(screen.queryByTestId("findings")).not.toBeInTheDocument();
    expect(screen.queryByTestId("no-findings")).not.toBeInTheDocument();
    expect(screen.getByTestId("continue-to-task")).toBeDisabled();
    expect(screen.getByTestId("continue-to-task")).toHaveAccessibleDescription(
      "book.xlsx could not be checked: choose another file, or go back to clean.csv.",
    );

    await user.click(within(failed).getByRole("button", { name: "Show clean.csv" }));
    expect(await screen.findByTestId("file-name")).toHaveTextContent("clean.csv");
    expect(screen.queryByTestId("reading-failed")).not.toBeInTheDocument();
    expect(screen.getByTestId("continue-to-task")).toBeEnabled();
  });

  it("returns to the saved file after a restart", async () => {
    const inspected: string[] = [];
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv") }),
      inspect_data_file: (_, args) => {
        inspected.push((args as HandleArgs).handle);
        return semicolons;
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(inspected).toEqual(["file-reviews.csv"]);
  });

  it("says plainly when a file is not a kind Batchdesk reads", async () => {
    mockBackend({
        choose_data_file: () => held("book.xlsx"),
        inspect_data_file: () => {
          throw ipcError("unsupportedFile", "errors:dataFile.unsupported", { name: "book.xlsx" });
        },
      });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent('and "book.xlsx" is not one of those. In Excel, use File → Save As');
  });

  it("a file dropped on the window reaches the same command as a chosen one, by handle", async () => {
    // Tauri's native drag and drop cannot be synthesised in the real webview under Xvfb
    // (a drop needs a second X client acting as the drag source), so the e2e test covers
    // the dialog and this test the drop: Rust takes the drop from the window's native
    // event and sends handles (`window://main/files`); the step hands the first to
    // `inspect_data_file` exactly as it does the dialog's answer. Webview drop events,
    // which carry paths, are not listened to.
    const calls: unknown[] = [];
    mockBackend({
      inspect_data_file: (command, args) => {
        calls.push([command, (args as HandleArgs).handle]);
        return semicolons;
      },
      choose_data: (command, args) => {
        const { source, working } = args as ChoiceArgs;
        calls.push([command, source, working]);
        return { ...emptyDraft, workingFile: held(working) };
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("drop-zone")).toHaveTextContent("Drop your spreadsheet anywhere");

    // The webview's own drop event, with a path, is ignored.
    await act(() => emit("tauri://drag-drop", { paths: ["/etc/passwd"], position: { x: 5, y: 5 } }));
    await act(() => emit("window://main/files", { window: "main", hovering: true, dropped: [] }));
    expect(screen.getByTestId("drop-zone")).toHaveTextContent("Drop to check this file");
    await act(() =>
      emit("window://main/files", {
        window: "main",
        hovering: false,
        dropped: [held("reviews.csv"), held("other.csv")],
      }),
    );

    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(screen.getByTestId("drop-zone")).toHaveTextContent("Drop your spreadsheet anywhere");
    expect(calls).toEqual([
      ["inspect_data_file", "file-reviews.csv"],
      ["choose_data", "file-reviews.csv", "file-reviews.csv"],
    ]);
  });

  it("says plainly when the uploaded file changed and will go up again as a new dataset", async () => {
    mockBackend({
      data_draft: () => ({ ...emptyDraft, workingFile: held("reviews.csv"), changedSinceUpload: true }),
      inspect_data_file: () => ({ ...fixed.file, handle: "file-reviews.csv", fileName: "reviews.csv" }),
    });
    render(<App queryClient={createQueryClient()} />);
    const notice = await screen.findByTestId("file-changed");
    expect(notice).toHaveTextContent("This file changed since it was uploaded");
    expect(notice).toHaveTextContent("uploaded again as a new dataset");
    expect(screen.queryByTestId("upload-ready")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Upload to the practice server and continue" })).toBeEnabled();
  });

  it("a long read shows its progress, can be cancelled, and the file already checked stays", async () => {
    const chosen = [held("reviews.csv"), held("huge.csv")];
    const saved: string[] = [];
    const inspected: string[] = [];
    let draft: DataDraftView = emptyDraft;
    let cancelled: () => void = () => undefined;
    mockBackend({
      choose_data_file: () => chosen.shift() ?? null,
      data_draft: () => draft,
      inspect_data_file: (_, args) => {
        const { handle, progress } = args as HandleArgs & { progress: { onmessage: (p: ReadProgress) => void } };
        inspected.push(handle);
        if (handle === "file-reviews.csv") return semicolons;
        progress.onmessage({ bytesRead: 250_000_000, totalBytes: 1_000_000_000 });
        return new Promise<void>((resolve) => {
          cancelled = resolve;
        }).then(() => {
          throw ipcError("cancelled", "errors:csvDoctor.cancelled");
        });
      },
      cancel_inspection: () => {
        cancelled();
        return null;
      },
      choose_data: (_, args) => {
        const { source, working } = args as ChoiceArgs;
        saved.push(source);
        draft = { ...emptyDraft, workingFile: held(working) };
        return draft;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");

    await user.click(screen.getByRole("button", { name: /Choose a file/ }));
    const reading = await screen.findByTestId("reading-progress");
    expect(reading).toHaveTextContent("Reading huge.csv…");
    expect(within(reading).getByRole("progressbar", { name: "Reading the file" })).toHaveAttribute(
      "aria-valuenow",
      "25",
    );
    await user.click(within(reading).getByRole("button", { name: "Cancel" }));

    expect(await screen.findByTestId("reading-cancelled")).toHaveTextContent(
      "Stopped reading huge.csv. Nothing was changed: reviews.csv is still the file for this batch.",
    );
    expect(screen.queryByText("This file could not be checked")).not.toBeInTheDocument();
    expect(screen.getByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(screen.getByText(/^The values are separated by semicolons, as Excel does/)).toBeInTheDocument();
    expect(saved).toEqual(["file-reviews.csv"]);
    // The saved file is read again only when the step opens after a restart, never
    // after a read was stopped (that replaced the notice with a second read).
    expect(inspected).toEqual(["file-reviews.csv", "file-huge.csv"]);
  });

  it("shows the fix's progress through writing and checking, and a cancelled fix keeps the file", async () => {
    let send: (progress: FixProgress) => void = () => undefined;
    let cancelled: () => void = () => undefined;
    mockBackend({
      choose_data_file: () => held("reviews.csv"),
      inspect_data_file: () => semicolons,
      fix_data_file: (_, args) => {
        send = (args as { progress: { onmessage: (p: FixProgress) => void } }).progress.onmessage;
        return new Promise<void>((resolve) => {
          cancelled = resolve;
        }).then(() => {
          throw ipcError("cancelled", "errors:csvDoctor.cancelled");
        });
      },
      cancel_inspection: () => {
        cancelled();
        return null;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    await user.click(await screen.findByRole("button", { name: "Fix these for me" }));

    const fixing = await screen.findByTestId("fix-progress");
    act(() => send({ stage: "writing", bytesRead: 400, totalBytes: 1000 }));
    expect(fixing).toHaveTextContent("Writing a fixed copy…");
    expect(within(fixing).getByRole("progressbar", { name: "Fixing the file" })).toHaveAttribute("aria-valuenow", "40");
    act(() => send({ stage: "checking", bytesRead: 900, totalBytes: 1000 }));
    expect(fixing).toHaveTextContent("Checking the fixed copy…");
    expect(within(fixing).getByRole("progressbar", { name: "Fixing the file" })).toHaveAttribute("aria-valuenow", "90");

    await user.click(within(fixing).getByRole("button", { name: "Cancel" }));
    expect(await screen.findByTestId("fix-cancelled")).toHaveTextContent("Nothing was changed, and no copy was kept.");
    expect(screen.getByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(screen.getByRole("button", { name: "Fix these for me" })).toBeEnabled();
  });
});
