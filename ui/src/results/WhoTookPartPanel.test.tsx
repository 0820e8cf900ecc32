import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { Demographics, QuestionBreakdown } from "../backend";
import { mockBackend, ipcError } from "../test/fixtures";
import { pagesOf, progress, summary } from "./testData";

const notFetched: Demographics = {
  fetchedAt: null,
  exportsUsed: 1,
  exportsAllowed: 2,
  minGroupPeople: 5,
  peopleMatched: 0,
  peopleNotInExport: 0,
  groupings: [],
};

function question(groups: QuestionBreakdown["groups"], someLeftOut = false): QuestionBreakdown {
  return { questionId: "q1", title: "How does the post feel?", answers: ["pos", "neu", "neg"], groups, someLeftOut };
}

const fetched: Demographics = {
  fetchedAt: "2026-12-07T08:00:00Z",
  exportsUsed: 2,
  exportsAllowed: 2,
  minGroupPeople: 5,
  peopleMatched: 21,
  peopleNotInExport: 3,
  groupings: [
    {
      grouping: "ageBand",
      questions: [
        question(
          [
            { label: "18–24", merged: false, people: 8, counts: [10, 4, 2] },
            { label: "25–34", merged: false, people: 9, counts: [6, 6, 6] },
          ],
          true,
        ),
      ],
    },
    {
      grouping: "country",
      questions: [
        question([
          { label: "United Kingdom", merged: false, people: 12, counts: [12, 6, 6] },
          { label: "Other / fewer than 5 people", merged: true, people: 9, counts: [6, 6, 6] },
        ]),
      ],
    },
    { grouping: "language", questions: [question([])] },
  ],
};

describe("who took part, on a study's page", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${progress.studyId}`;
  });

  function showing(answer: (fetch: boolean) => Demographics) {
    const asked: boolean[] = [];
    mockBackend({
      study_progress: () => progress,
      study_results: () => summary,
      results_rows: (_, args) =>
        pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
      study_demographics: (_, args) => {
        const { fetch } = args as { fetch: boolean };
        asked.push(fetch);
        return answer(fetch);
      },
    });
    render(<App queryClient={createQueryClient()} />);
    return asked;
  }

  it("fetches only on the click, after saying it uses one of Prolific's few exports", async () => {
    const asked = showing((fetch) => (fetch ? fetched : notFetched));
    const section = await screen.findByRole("region", { name: "Who took part" });
    const explained = await within(section).findByTestId("who-took-part-not-fetched");
    expect(explained).toHaveTextContent("Prolific lets each study make only 2 different demographic exports.");
    expect(explained).toHaveTextContent("This study has used 1 of 2.");
    expect(asked).toEqual([false]);

    const user = userEvent.setup();
    await user.click(within(section).getByRole("button", { name: "Fetch who took part" }));
    expect(await within(section).findByTestId("demographics-fetched-at")).toHaveTextContent("21 people who answered.");
    expect(asked).toEqual([false, true]);
    expect(section).toHaveTextContent("3 people who answered in a pilot or a second round are not in this study's file");

    // By age band first: a bar per group, the answers as participants read them.
    const bars = within(section).getAllByTestId("demographics-bar");
    expect(bars.map((bar) => bar.getAttribute("data-group"))).toEqual(["18–24", "25–34"]);
    expect(within(section).getByTestId("demographics-chart")).toHaveTextContent("Positive");
    expect(within(section).getByTestId("demographics-left-out")).toBeInTheDocument();
    // The table the chart is drawn from is there for screen readers.
    const table = within(section).getByRole("table", { name: /Answers to “How does the post feel\?” by age band/ });
    expect(within(table).getByRole("rowheader", { name: "18–24" })).toBeInTheDocument();
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("18–24810 (63%)4 (25%)2 (12%)");

    // By country: the small countries only together, never on their own.
    await user.click(within(section).getByRole("radio", { name: "Country" }));
    const countries = within(section)
      .getAllByTestId("demographics-bar")
      .map((bar) => bar.getAttribute("data-group"));
    expect(countries).toEqual(["United Kingdom", "Other / fewer than 5 people"]);
    expect(within(section).queryByTestId("demographics-left-out")).not.toBeInTheDocument();

    // As a visible table, on request.
    await user.click(within(section).getByRole("switch", { name: "Show the numbers as a table" }));
    expect(within(section).queryByTestId("demographics-chart")).not.toBeInTheDocument();
    expect(within(section).getByTestId("demographics-table")).toBeVisible();

    // By language: too few people for any group.
    await user.click(within(section).getByRole("radio", { name: "First language" }));
    expect(within(section).getByTestId("demographics-too-few")).toBeInTheDocument();
  });

  it("says in plain words when Prolific refuses the export", async () => {
    showing((fetch) => {
      if (fetch)
        throw ipcError("rejected", "errors:prolific.refusedSaying", {
          detail: "You are limited to 2 different filter export requests",
        });
      return notFetched;
    });
    const section = await screen.findByRole("region", { name: "Who took part" });
    const user = userEvent.setup();
    await user.click(await within(section).findByRole("button", { name: "Fetch who took part" }));
    const alert = await within(section).findByRole("alert");
    expect(alert).toHaveTextContent("Prolific's file of who took part could not be fetched");
    expect(alert).toHaveTextContent("Prolific refused the request: You are limited to 2 different filter export requests.");
  });
});
