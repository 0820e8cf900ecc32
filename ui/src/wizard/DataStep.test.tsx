import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { DataDraft, FixedFile, InspectedFile } from "../backend";
import { emptyDraft, mockBackend } from "../test/fixtures";

const semicolons: InspectedFile = {
  path: "/home/r/reviews.csv",
  fileName: "reviews.csv",
  report: {
    encoding: "Utf8WithBom",
    delimiter: "Semicolon",
    lineEndings: "CrLf",
    hasHeader: true,
    headerLine: 1,
    rowCount: 24,
    fileSize: 2048,
    columns: [],
    findings: [
      {
        severity: "Problem",
        code: "not_comma_separated",
        message: "This file separates values with semicolons, but Prolific expects commas.",
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
    path: "/data/fixed/reviews (fixed).csv",
    fileName: "reviews (fixed).csv",
    report: { ...semicolons.report, encoding: "Utf8", delimiter: "Comma", findings: [] },
  },
  summary: {
    encodingWas: "Utf8WithBom",
    delimiterWas: "Semicolon",
    lineEndingsWere: "CrLf",
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
        choose_data_file: () => "/home/r/reviews.csv",
        inspect_data_file: (command, args) => {
          calls.push([command, (args as { path: string }).path]);
          return semicolons;
        },
        fix_data_file: (command, args) => {
          calls.push([command, (args as { path: string }).path]);
          return fixed;
        },
        choose_data: (command, args) => {
          const { sourcePath, workingPath } = args as { sourcePath: string; workingPath: string };
          calls.push([command, sourcePath, workingPath]);
          return { ...emptyDraft, sourcePath, workingPath };
        },
      });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));

    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(screen.getByTestId("row-count")).toHaveTextContent("24 rows");
    expect(screen.getByText(/separates values with semicolons/)).toBeInTheDocument();
    const table = screen.getByRole("table", { name: /as participants will see them/ });
    expect(within(table).getByText("Great product")).toBeInTheDocument();
    expect(within(table).getByText("hidden from participants")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Fix these for me" }));
    expect(await screen.findByTestId("fixed-notice")).toHaveTextContent("leaving out 2 repeated rows");
    expect(screen.getByTestId("fixed-notice")).toHaveTextContent("Your original file was not changed.");
    expect(screen.getByTestId("file-name")).toHaveTextContent("reviews (fixed).csv");
    expect(screen.getByTestId("no-findings")).toBeInTheDocument();
    expect(calls).toEqual([
      ["inspect_data_file", "/home/r/reviews.csv"],
      ["choose_data", "/home/r/reviews.csv", "/home/r/reviews.csv"],
      ["fix_data_file", "/home/r/reviews.csv"],
      ["choose_data", "/home/r/reviews.csv", "/data/fixed/reviews (fixed).csv"],
    ]);
  });

  it("uploads a clean file and shows it ready; a problem file cannot be uploaded", async () => {
    let draft: DataDraft = emptyDraft;
    const clean: InspectedFile = { ...fixed.file, path: "/home/r/clean.csv", fileName: "clean.csv" };
    mockBackend({
      choose_data_file: () => "/home/r/clean.csv",
      inspect_data_file: () => clean,
      data_draft: () => draft,
      choose_data: () => (draft = { ...emptyDraft, sourcePath: clean.path, workingPath: clean.path }),
      upload_data: () => {
        draft = { ...draft, datasetId: "ds1", uploadedPath: clean.path, ready: true, readyRows: 24 };
        return { datasetId: "ds1", rows: 24 };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    await user.click(await screen.findByRole("button", { name: "Upload to the practice server" }));
    expect(await screen.findByTestId("upload-ready")).toHaveTextContent("has read 24 rows");
  });

  it("keeps the upload button off while the file has problems", async () => {
    mockBackend({
      choose_data_file: () => "/home/r/reviews.csv",
      inspect_data_file: () => semicolons,
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByRole("button", { name: "Upload to the practice server" })).toBeDisabled();
    expect(screen.getByText(/Fix the problems above first/)).toBeInTheDocument();
  });

  it("returns to the saved file after a restart", async () => {
    const inspected: string[] = [];
    mockBackend({
      data_draft: () => ({ ...emptyDraft, sourcePath: "/home/r/reviews.csv", workingPath: "/home/r/reviews.csv" }),
      inspect_data_file: (_, args) => {
        inspected.push((args as { path: string }).path);
        return semicolons;
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("file-name")).toHaveTextContent("reviews.csv");
    expect(inspected).toEqual(["/home/r/reviews.csv"]);
  });

  it("says plainly when a file is not a kind Batchdesk reads", async () => {
    mockBackend({
        choose_data_file: () => "/home/r/book.xlsx",
        inspect_data_file: () => {
          throw { code: "unsupported_file", message: "In Excel, use File → Save As and choose “CSV UTF-8”." };
        },
      });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: /Choose a file/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Save As");
  });
});
