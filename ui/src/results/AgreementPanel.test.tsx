import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { AgreementReport, QuestionPeopleAgreement } from "../backend";
import { mockBackend } from "../test/fixtures";
import { pagesOf, progress, summary } from "./testData";

const [ann, bob, cy, dee] = ["5f00000000000000000000a1", "5f00000000000000000000b2", "5f00000000000000000000c3", "5f00000000000000000000d4"];

/** Four people: Ann and Bob agree most; Dee shared no item with the others shown. */
const feeling: QuestionPeopleAgreement = {
  questionId: "q1",
  title: "How does the post feel?",
  alpha: 0.4312,
  interval: { low: 0.3, high: 0.57, resamples: 1000 },
  itemsRated: 40,
  people: [
    { participantId: ann, partners: 2, sharedItems: 8, agreedItems: 4 },
    { participantId: bob, partners: 2, sharedItems: 8, agreedItems: 5 },
    { participantId: cy, partners: 2, sharedItems: 8, agreedItems: 3 },
    { participantId: dee, partners: 1, sharedItems: 2, agreedItems: 2 },
  ],
  shown: [ann, bob, cy, dee],
  pairs: [
    { first: 0, second: 1, sharedItems: 4, agreedItems: 3, kappa: 0.5 },
    { first: 0, second: 2, sharedItems: 4, agreedItems: 1, kappa: -0.2 },
    { first: 1, second: 2, sharedItems: 4, agreedItems: 2, kappa: null },
  ],
  pairCount: 4,
  answers: ["pos", "neu", "neg"],
  coincidences: [
    [6, 2, 0],
    [2, 1, 1],
    [0, 1, 1],
  ],
};

const report: AgreementReport = { questions: [feeling], intervalsWorkedOut: true };

describe("agreement between people on a study's page", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${progress.studyId}`;
  });

  function showing(
    answer: (participants: string[] | null) => AgreementReport,
    overrides: Parameters<typeof mockBackend>[0] = {},
  ) {
    const asked: (string[] | null)[] = [];
    mockBackend({
      ...overrides,
      study_progress: () => progress,
      study_results: () => summary,
      results_rows: (_, args) =>
        pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
      study_agreement: (_, args) => {
        const { participants } = args as { participants: string[] | null };
        asked.push(participants);
        return answer(participants);
      },
    });
    render(<App queryClient={createQueryClient()} />);
    return asked;
  }

  it("plots alpha with its interval, who agreed with whom, and which labels get confused", async () => {
    const asked = showing(() => report);
    const section = await screen.findByRole("region", { name: "Agreement between people" });

    // Alpha per question, dot and whisker beside the figures.
    const row = within(await within(section).findByTestId("alpha-intervals")).getAllByTestId("alpha-interval-row")[0]!;
    expect(row).toHaveTextContent("How does the post feel?");
    expect(within(row).getByTestId("alpha-value")).toHaveTextContent("0.43");
    expect(within(row).getByTestId("alpha-interval")).toHaveTextContent("0.30 to 0.57");
    expect(within(row).getByTestId("alpha-dot")).toBeInTheDocument();
    expect(within(row).getByTestId("alpha-whisker")).toBeInTheDocument();

    // The people: each square named in words, pairs who shared nothing said so.
    const matrix = within(section).getByRole("table", { name: /Agreement between people on “How does the post feel\?”/ });
    expect(within(matrix).getByRole("cell", { name: "P1 and P2 shared 4 items, agreed on 3 (75%); Cohen’s kappa 0.50" })).toHaveAttribute(
      "title",
      "P1 and P2 shared 4 items, agreed on 3 (75%); Cohen’s kappa 0.50",
    );
    // The matrix is symmetric: the same pair read from the other side.
    expect(within(matrix).getByRole("cell", { name: /^P2 and P1 shared 4 items, agreed on 3 \(75%\)/ })).toBeInTheDocument();
    expect(within(matrix).getByRole("cell", { name: "P2 and P3 shared 4 items, agreed on 2 (50%)" })).toBeInTheDocument();
    expect(within(matrix).getAllByRole("cell", { name: /P4 shared no items|P4 and P\d shared no items/ })).toHaveLength(6);
    expect(within(matrix).getByRole("rowheader", { name: `P1, ${ann}` })).toHaveAttribute("title", ann);
    // Darker for more agreement.
    const share = (name: RegExp) => Number(within(matrix).getByRole("cell", { name }).getAttribute("data-share"));
    expect(share(/^P1 and P2/)).toBeGreaterThan(share(/^P1 and P3/));
    expect(within(section).getByTestId("people-matrix-who")).toHaveTextContent(
      "Everyone who answered an item someone else answered too: 4 people, 4 pairs.",
    );
    expect(section).toHaveTextContent("How to read it: each row and column is a person");

    // The same pairs as a list, lowest agreement first, for the keyboard and for copying.
    const user = userEvent.setup();
    await user.click(within(section).getByRole("button", { name: "Show these pairs as a list" }));
    const listed = within(section).getAllByTestId("people-pair");
    expect(listed.map((pair) => pair.textContent)).toEqual([
      `P1 (${ann}) and P3 (${cy})4125%-0.20`,
      `P2 (${bob}) and P3 (${cy})4250%–`,
      `P1 (${ann}) and P2 (${bob})4375%0.50`,
    ]);

    // The confusion of labels: rows and columns read as participants read them.
    const confusion = within(section).getByRole("table", { name: /Which answers to “How does the post feel\?”/ });
    expect(within(confusion).getAllByRole("rowheader").map((header) => header.textContent)).toEqual([
      "Positive",
      "Neutral",
      "Negative",
    ]);
    expect(
      within(confusion).getByRole("cell", {
        name: "When someone answered Positive, another person on the same item answered Neutral 25% of the time",
      }),
    ).toHaveTextContent("25%");
    expect(
      within(confusion).getByRole("cell", {
        name: "When someone answered Negative, another person on the same item answered Negative 50% of the time",
      }),
    ).toBeInTheDocument();
    // Each row adds up to 100 %.
    const neutral = within(confusion).getAllByTestId("confusion-row")[1]!;
    expect(within(neutral).getAllByTestId("confusion-cell").map((cell) => cell.textContent)).toEqual(["50%", "25%", "25%"]);
    expect(asked).toEqual([null]);
  });

  it("shows the people the researcher picks, and goes back to those who shared most", async () => {
    const asked = showing((participants) =>
      participants === null
        ? report
        : {
            intervalsWorkedOut: true,
            questions: [
              {
                ...feeling,
                shown: participants,
                pairs: participants.length > 1 ? [{ first: 0, second: 1, sharedItems: 2, agreedItems: 2, kappa: null }] : [],
              },
            ],
          },
    );
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Agreement between people" });
    await within(section).findByTestId("people-matrix");
    const pick = within(section).getByLabelText("Show these people instead");
    await user.click(pick);
    await user.type(pick, "d4");
    await user.click(await screen.findByRole("option", { name: new RegExp(dee), hidden: true }));
    await user.type(pick, "c3");
    await user.click(await screen.findByRole("option", { name: new RegExp(cy), hidden: true }));
    expect(
      await within(section).findByRole("cell", { name: "P1 and P2 shared 2 items, agreed on 2 (100%)" }),
    ).toBeInTheDocument();
    expect(within(section).getByTestId("people-matrix-who")).toHaveTextContent("The 2 people you chose");
    expect(asked).toEqual([null, [dee], [dee, cy]]);

    await user.click(within(section).getByTestId("people-pick-reset"));
    expect(await within(section).findByRole("cell", { name: /^P1 and P3 shared 4 items, agreed on 1/ })).toBeInTheDocument();
  });

  it("says so when there is no choice question", async () => {
    showing(() => ({ questions: [], intervalsWorkedOut: false }));
    const section = await screen.findByRole("region", { name: "Agreement between people" });
    expect(await within(section).findByTestId("people-agreement-none")).toHaveTextContent("no question with options");
  });

  it("opens without the interval, and works it out when asked, busy meanwhile", async () => {
    let workedOut = false;
    let finish: () => void = () => undefined;
    const asked: string[] = [];
    showing(() => (workedOut ? report : { questions: [{ ...feeling, interval: null }], intervalsWorkedOut: false }), {
      study_alpha_intervals: (_, args) => {
        asked.push((args as { studyId: string }).studyId);
        return new Promise((resolve) => {
          finish = () => {
            workedOut = true;
            resolve([{ questionId: "q1", interval: feeling.interval }]);
          };
        });
      },
    });
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Agreement between people" });
    // Alpha and the matrices at once; no interval yet.
    const row = within(await within(section).findByTestId("alpha-intervals")).getAllByTestId("alpha-interval-row")[0]!;
    expect(within(row).getByTestId("alpha-value")).toHaveTextContent("0.43");
    expect(within(row).getByTestId("alpha-interval")).toHaveTextContent("–");
    expect(within(row).queryByTestId("alpha-whisker")).not.toBeInTheDocument();
    expect(within(section).getByTestId("people-matrix")).toBeInTheDocument();
    expect(asked).toEqual([]);

    await user.click(within(section).getByRole("button", { name: "Work out the confidence interval" }));
    // Busy, and saying the page can be left.
    expect(await within(section).findByTestId("interval-working")).toHaveTextContent("You can leave this page");
    expect(within(section).queryByRole("button", { name: "Work out the confidence interval" })).not.toBeInTheDocument();
    expect(asked).toEqual([progress.studyId]);

    finish();
    expect(await within(section).findByText("0.30 to 0.57")).toBeInTheDocument();
    expect(within(section).getByTestId("alpha-whisker")).toBeInTheDocument();
    expect(within(section).queryByTestId("interval-on-demand")).not.toBeInTheDocument();
  });
});
