import { MantineProvider } from "@mantine/core";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { PAGE_SIZE, ResponsesTable, ROW_HEIGHT, tableColumns } from "./ResponsesTable";
import { pagesOf, rowAt, summary } from "./testData";
import { BackendError, type RowsPage, type RowsQuery } from "../backend";

function setup(fetchRows: (query: RowsQuery) => Promise<RowsPage>, rowCount = 100_000) {
  const spy = vi.fn(fetchRows);
  render(
    <MantineProvider env="test">
      <ResponsesTable summary={{ ...summary, rowCount }} fetchRows={spy} />
    </MantineProvider>,
  );
  return { fetchRows: spy, user: userEvent.setup() };
}

const offsets = (spy: { mock: { calls: [RowsQuery][] } }) => spy.mock.calls.map(([q]) => q.offset);

describe("ResponsesTable", { timeout: 30_000 }, () => {
  // jsdom lays nothing out: give the scrolling box a size so rows come into view.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(400);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1000);
  });

  it("shows the columns, the total, and only the rows in view from the first page", async () => {
    const { fetchRows } = setup(pagesOf(100_000));
    const table = screen.getByTestId("responses-table");
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    // The item as participants saw it leads, then the answers, then the data they did
    // not see; no IDs until asked for.
    expect(headers).toEqual(["text", "How does the post feel?", "Anything else?", "source"]);
    expect(await screen.findAllByTestId("response-row")).not.toHaveLength(0);
    const rows = screen.getAllByTestId("response-row");
    expect(rows.length).toBeLessThan(40);
    const cells = within(rows[0] ?? table)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells).toEqual(["text 0", "Positive", "note 0", "web"]);
    expect(rows[0]).not.toHaveTextContent(rowAt(0).taskId);
    expect(screen.getByTestId("responses-total")).toHaveTextContent(`${(100_000).toLocaleString()} rows`);
    expect(fetchRows).toHaveBeenCalledTimes(1);
    expect(fetchRows).toHaveBeenCalledWith({ offset: 0, limit: PAGE_SIZE, participant: null, questionId: null, answer: null, byItem: false });
  });

  it("fetches only the page a far scroll needs, with placeholders until it comes", async () => {
    const held: (() => void)[] = [];
    const all = pagesOf(100_000);
    const { fetchRows } = setup((query) =>
      query.offset === 0 ? all(query) : new Promise<RowsPage>((resolve) => held.push(() => void all(query).then(resolve))),
    );
    await screen.findAllByTestId("response-row");
    const table = screen.getByTestId("responses-table");
    act(() => {
      table.scrollTop = 50_000 * ROW_HEIGHT;
      fireEvent.scroll(table);
    });
    await waitFor(() => expect(offsets(fetchRows)).toEqual([0, 50_000 - PAGE_SIZE, 50_000]));
    expect(screen.getAllByTestId("response-row-placeholder")[0]).toHaveTextContent("…");
    act(() => held.forEach((release) => release()));
    await waitFor(() => expect(screen.queryAllByTestId("response-row-placeholder")).toHaveLength(0));
    expect(screen.getByText(rowAt(50_000).data[1] ?? "?")).toBeInTheDocument();
    // Back to the top: page 0 is cached, so nothing is asked again.
    act(() => {
      table.scrollTop = 0;
      fireEvent.scroll(table);
    });
    expect(await screen.findByText(rowAt(0).data[1] ?? "?")).toBeInTheDocument();
    expect(fetchRows).toHaveBeenCalledTimes(3);
  });

  it("filters by participant after typing stops, from the first row", async () => {
    const { fetchRows, user } = setup((query) =>
      query.participant ? Promise.resolve({ total: 2, offset: 0, rows: [rowAt(3), rowAt(10)] }) : pagesOf(1000)(query),
    );
    await screen.findAllByTestId("response-row");
    const table = screen.getByTestId("responses-table");
    act(() => {
      table.scrollTop = 500 * ROW_HEIGHT;
      fireEvent.scroll(table);
    });
    await user.type(screen.getByRole("textbox", { name: "Participant" }), "p-3");
    await waitFor(() => expect(screen.getByTestId("responses-total")).toHaveTextContent("2 rows"));
    expect(fetchRows).toHaveBeenLastCalledWith({ offset: 0, limit: PAGE_SIZE, participant: "p-3", questionId: null, answer: null, byItem: false });
    // Only the settled text was asked for.
    expect(fetchRows.mock.calls.filter(([q]) => q.participant !== null)).toHaveLength(1);
    expect(screen.getAllByTestId("response-row")).toHaveLength(2);
    expect(table.scrollTop).toBe(0);
  });

  it("filters by a question's answer: shown as participants read it, asked for by its value", async () => {
    const { fetchRows, user } = setup((query) =>
      query.answer ? Promise.resolve({ total: 0, offset: 0, rows: [] }) : pagesOf(1000)(query),
    );
    await screen.findAllByTestId("response-row");
    expect(screen.getByRole("combobox", { name: "Answer" })).toBeDisabled();
    await user.click(screen.getByRole("combobox", { name: "Question" }));
    await user.click(await screen.findByRole("option", { name: "How does the post feel?" }));
    await user.click(screen.getByRole("combobox", { name: "Answer" }));
    await user.click(await screen.findByRole("option", { name: "Negative" }));
    await waitFor(() =>
      expect(fetchRows).toHaveBeenLastCalledWith({
        offset: 0,
        limit: PAGE_SIZE,
        participant: null,
        questionId: "q1",
        answer: "neg",
        byItem: false,
      }),
    );
    expect(await screen.findByTestId("responses-empty")).toHaveTextContent("No rows match these filters.");
    expect(screen.getByTestId("responses-total")).toHaveTextContent("0 rows");
  });

  it("shows the task and participant IDs on demand, after the answers", async () => {
    const { user, fetchRows } = setup(pagesOf(1000));
    await screen.findAllByTestId("response-row");
    const toggle = screen.getByRole("switch", { name: "Show IDs" });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(toggle).toBeChecked();
    const headers = screen.getAllByRole("columnheader").map((header) => header.textContent);
    expect(headers).toEqual(["text", "How does the post feel?", "Anything else?", "Task ID", "Participant ID", "source"]);
    const [first] = screen.getAllByTestId("response-row");
    const cells = within(first ?? document.body)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells).toEqual(["text 0", "Positive", "note 0", rowAt(0).taskId, rowAt(0).participantId, "web"]);
    // Showing the IDs asks for nothing new.
    expect(fetchRows).toHaveBeenCalledTimes(1);
    // Per item there is no one participant: the task ID alone.
    await user.click(screen.getByRole("radio", { name: "Majority per item" }));
    expect(screen.getAllByRole("columnheader").map((header) => header.textContent)).toEqual([
      "text",
      "How does the post feel? (majority)",
      "Anything else? (majority)",
      "Task ID",
      "source",
    ]);
    await user.click(toggle);
    expect(screen.queryByRole("columnheader", { name: "Task ID" })).not.toBeInTheDocument();
  });

  it("sizes the columns to what they hold, so short ones leave room for the answers", () => {
    const sample = Array.from({ length: 20 }, (_, i) => ({
      ...rowAt(i),
      data: ["web", `A long review that a participant read with care, number ${i}`],
    }));
    const before = tableColumns(summary, false, false).map((column) => column.width);
    const after = tableColumns(summary, false, false, sample);
    const width = (title: string) => after.find((column) => column.title === title)?.width ?? 0;
    expect(width("source")).toBeLessThan(before[3] ?? 0);
    expect(width("text")).toBeGreaterThan(width("source"));
    expect(width("text")).toBeLessThanOrEqual(420);
    expect(after.every((column) => column.width >= 70)).toBe(true);
  });

  it("leads with the answers when participants saw no data column", () => {
    render(
      <MantineProvider env="test">
        <ResponsesTable summary={{ ...summary, dataColumns: [], shownColumns: [] }} fetchRows={pagesOf(10)} />
      </MantineProvider>,
    );
    expect(screen.getAllByRole("columnheader").map((header) => header.textContent)).toEqual([
      "How does the post feel?",
      "Anything else?",
    ]);
  });

  it("shows one row per item with the majority answers, without the participant column", async () => {
    const { fetchRows, user } = setup(pagesOf(1000));
    await screen.findAllByTestId("response-row");
    await user.click(screen.getByRole("radio", { name: "Majority per item" }));
    await waitFor(() =>
      expect(fetchRows).toHaveBeenLastCalledWith({
        offset: 0,
        limit: PAGE_SIZE,
        participant: null,
        questionId: null,
        answer: null,
        byItem: true,
      }),
    );
    const headers = screen.getAllByRole("columnheader").map((header) => header.textContent);
    expect(headers).not.toContain("Participant");
    expect(headers).toContain("How does the post feel? (majority)");
    expect(screen.getByTestId("filter-participant")).toBeDisabled();
  });

  it("shows each option as participants read it, per answer and per item; the rest as it is", async () => {
    const row = (i: number, answer: string) => ({ ...rowAt(i), answers: [answer, `note ${i}`] });
    const { user } = setup((query) =>
      Promise.resolve(
        query.byItem
          ? { total: 3, offset: 0, rows: [row(0, "pos (2 of 3)"), row(1, "tie: neg / neu; pos"), row(2, "3 answers")] }
          : { total: 3, offset: 0, rows: [row(0, "neg; pos"), row(1, "maybe"), row(2, "neu")] },
      ),
    );
    const answers = async () => {
      const rows = await screen.findAllByTestId("response-row");
      return rows.map((one) => within(one).getAllByRole("cell")[1]?.textContent);
    };
    expect(await answers()).toEqual(["Negative; Positive", "maybe", "Neutral"]);
    await user.click(screen.getByRole("radio", { name: "Majority per item" }));
    await waitFor(async () =>
      expect(await answers()).toEqual(["Positive (2 of 3)", "tie: Negative / Neutral; Positive", "3 answers"]),
    );
  });

  it("says why rows could not be loaded, and tries again", async () => {
    let fail = true;
    const { fetchRows, user } = setup((query) => {
      if (fail) {
        return Promise.reject(new BackendError("resultsUnreadable", "The downloaded results could not be read."));
      }
      return pagesOf(1000)(query);
    });
    expect(await screen.findByTestId("responses-error")).toHaveTextContent("The downloaded results could not be read.");
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("response-row")).not.toHaveLength(0);
    expect(fetchRows).toHaveBeenCalledTimes(2);
  });
});
