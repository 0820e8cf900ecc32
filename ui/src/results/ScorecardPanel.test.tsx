import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { StudyScorecard } from "../backend";
import { queryKeys } from "../queries";
import { mockBackend } from "../test/fixtures";
import { pagesOf, progress, summary } from "./testData";

const card: StudyScorecard = {
  medianSeconds: 635,
  typicalAgreement: 0.9,
  typicalKnownRight: null,
  knownAnswers: null,
  states: { "fast-one": "awaitingReview", "careful-one": "awaitingReview", "careful-two": "approved" },
  participants: [
    {
      participantId: "fast-one",
      items: 12,
      compared: 12,
      agreed: 4,
      seconds: 60,
      speed: 0.094,
      known: 0,
      knownRight: 0,
      checks: 0,
      checksFailed: 0,
      flags: [
        {
          kind: "lowAgreement",
          evidence: "Chose what the others chose most on 4 of 12 items.",
          toParticipant: "your answers matched what most other participants chose on only 4 of 12 items",
        },
        {
          kind: "tooFast",
          evidence: "Took 1 min; the median is 10 min 35 s (9% of it).",
          toParticipant: "you completed it in 1 min, while most participants took about 10 min 35 s",
        },
      ],
      draftRejection: {
        reason: "tooQuickly",
        message:
          "Thank you for taking part. We are sorry, but we cannot approve this submission: you completed it in 1 min, while most participants took about 10 min 35 s.",
      },
    },
    { participantId: "careful-one", items: 12, compared: 12, agreed: 11, seconds: 640, speed: 1.01, known: 0, knownRight: 0, checks: 0, checksFailed: 0, flags: [], draftRejection: null },
    { participantId: "careful-two", items: 12, compared: 12, agreed: 12, seconds: 600, speed: 0.94, known: 0, knownRight: 0, checks: 0, checksFailed: 0, flags: [], draftRejection: null },
  ],
};

/** The backend of a study's page with its results; `overrides` add or replace commands. */
function mockStudyPage(overrides: Parameters<typeof mockBackend>[0]) {
  mockBackend({
    study_progress: () => progress,
    study_results: () => summary,
    results_rows: (_, args) =>
      pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
    ...overrides,
  });
}

describe("the participants' scorecard on a study's page", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${progress.studyId}`;
  });

  it("lists who to look at first, each doubt with its evidence, and everyone on request", async () => {
    const asked: string[] = [];
    mockStudyPage({
      study_scorecard: (_, args) => {
        asked.push((args as { studyId: string }).studyId);
        return card;
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    expect(await within(panel).findByTestId("scorecard-summary")).toHaveTextContent(
      "1 person has something to look at; 2 have nothing to note.",
    );
    expect(panel).toHaveTextContent("choose what most others chose 90% of the time");
    expect(panel).toHaveTextContent("The median time is 10 min 35 s.");
    const rows = within(panel).getAllByTestId("scorecard-row");
    expect(rows.map((row) => row.getAttribute("data-participant"))).toEqual(["fast-one"]);
    expect(rows[0]).toHaveTextContent("Rarely agrees");
    expect(rows[0]).toHaveTextContent("Chose what the others chose most on 4 of 12 items.");
    expect(rows[0]).toHaveTextContent("Too fast");
    expect(rows[0]).toHaveTextContent("4 of 12");
    expect(rows[0]).toHaveTextContent("1 min (9%)");

    await user.click(within(panel).getByRole("button", { name: "Show everyone (3)" }));
    expect(within(panel).getAllByTestId("scorecard-row").map((row) => row.getAttribute("data-participant"))).toEqual([
      "fast-one",
      "careful-one",
      "careful-two",
    ]);
    expect(asked).toEqual([progress.studyId]);
  });

  it("says plainly when there is nothing to note", async () => {
    mockStudyPage({
      study_scorecard: () => ({ ...card, participants: card.participants.slice(1) }),
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("scorecard-clear")).toHaveTextContent("Nothing to note");
    expect(screen.queryByTestId("scorecard-table")).not.toBeInTheDocument();
  });

  it("takes the column of known answers the researcher points to and shows who got them right", async () => {
    const chosen: unknown[] = [];
    mockStudyPage({
      study_scorecard: () => card,
      set_known_answers: (_, args) => {
        const { choice } = args as { choice: unknown };
        chosen.push(choice);
        return {
          ...card,
          typicalKnownRight: 0.83,
          knownAnswers: choice,
          participants: card.participants.map((score, index) => ({ ...score, known: 6, knownRight: index === 0 ? 1 : 5 })),
        };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    // Only the column participants did not see is offered; the one choice question is taken.
    (await within(panel).findByRole("combobox", { name: /Column with the right answers/ })).focus();
    await user.keyboard("{ArrowDown}{Enter}");
    expect(await within(panel).findByTestId("known-answers-typical")).toHaveTextContent(
      "People typically get 83% of the known answers right.",
    );
    expect(chosen).toEqual([{ column: "source", questionId: "q1" }]);
    expect(within(panel).getByRole("columnheader", { name: "Known answers right" })).toBeInTheDocument();
    expect(within(panel).getAllByTestId("scorecard-known")[0]).toHaveTextContent("1 of 6");
  });

  it("rejects a flagged person with the drafted message, after asking, and shows the new state", async () => {
    const sent: unknown[] = [];
    mockStudyPage({
      study_scorecard: () => card,
      review_participant: (_, args) => {
        sent.push(args);
        return { participantId: "fast-one", state: "rejected", progress: null };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const row = (await screen.findAllByTestId("scorecard-row"))[0]!;
    await user.click(within(row).getByRole("button", { name: "Reject…" }));
    const dialog = await screen.findByRole("dialog", { name: "Reject this submission?" });
    expect(within(dialog).getByRole("combobox", { name: /Reason/ })).toHaveValue("Too quick to have done the task");
    const message = within(dialog).getByRole("textbox", { name: /Message to the participant/ });
    expect(message).toHaveValue(card.participants[0]!.draftRejection!.message);
    // Cut below Prolific's minimum, it cannot be sent.
    await user.clear(message);
    await user.type(message, "Too fast.");
    expect(within(dialog).getByRole("button", { name: "Reject and send the message" })).toBeDisabled();
    expect(dialog).toHaveTextContent("9 of at least 100 characters");
    await user.clear(message);
    const written = "We are sorry: you completed the task in one minute, while most people took ten, which is too fast to read the reviews.";
    await user.type(message, written);
    await user.click(within(dialog).getByRole("button", { name: "Reject and send the message" }));
    expect(await within(row).findByTestId("review-state")).toHaveTextContent("Rejected");
    expect(sent).toEqual([
      { studyId: progress.studyId, participantId: "fast-one", decision: { decision: "reject", reason: "tooQuickly", message: written } },
    ]);
    expect(screen.queryByRole("dialog", { name: "Reject this submission?" })).not.toBeInTheDocument();
  });

  it("puts the people chosen in a new participant group, and says how to use it", async () => {
    const added: unknown[] = [];
    mockStudyPage({
      study_scorecard: () => card,
      participant_groups: () => [{ id: "g1", name: "Trusted annotators", members: 12 }],
      remember_participants: (_, args) => {
        added.push(args);
        return { id: "g2", name: "Do not invite again", members: 1 };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    const add = await within(panel).findByTestId("remember-people");
    expect(add).toBeDisabled();
    await user.click(within(panel).getByRole("button", { name: "Choose everyone to look at" }));
    expect(within(panel).getByRole("checkbox", { name: "Choose fast-one" })).toBeChecked();
    await user.click(within(panel).getByRole("button", { name: "Add 1 person to a group…" }));
    const dialog = await screen.findByRole("dialog", { name: "Add 1 person to a group" });
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Do not invite again");
    await user.click(within(dialog).getByRole("button", { name: "Add 1 person" }));
    expect(await within(panel).findByTestId("remembered")).toHaveTextContent(
      "“Do not invite again” now has 1 member. In a study's audience, its allowlist lets only them in, its blocklist keeps them out.",
    );
    expect(added).toEqual([{ target: { to: "new", name: "Do not invite again" }, participantIds: ["fast-one"] }]);
    expect(within(panel).getByRole("checkbox", { name: "Choose fast-one" })).not.toBeChecked();
  });

  it("pays the 3 most reliable a bonus at the total Prolific gives, after showing it", async () => {
    const asked: string[] = [];
    let pending: unknown[] = [];
    const quote = {
      bulkBonusId: "bb1",
      rows: [
        { participantId: "careful-two", amount: 150 },
        { participantId: "careful-one", amount: 150 },
      ],
      currency: "GBP",
      amount: 300,
      fees: 100,
      vat: 20,
      total: 420,
      available: 96220,
      totalText: "£4.20",
      availableText: "£962.20",
      affordable: true,
    };
    mockStudyPage({
      study_scorecard: () => card,
      pending_bonuses: () => pending,
      set_up_bonuses: (command, args) => {
        asked.push(`${command} ${JSON.stringify((args as { rows: unknown }).rows)}`);
        pending = [{ quote, unclear: false }];
        return quote;
      },
      pay_bonuses: (command, args) => {
        asked.push(`${command} ${JSON.stringify(args)}`);
        pending = [];
        return { bulkBonusId: "bb1", people: 2, total: 420, currency: "GBP", alreadyPaid: false };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Choose the 3 most reliable" }));
    // The two with nothing to note, the one who agrees most first.
    await user.click(within(panel).getByRole("button", { name: "Pay 2 people a bonus…" }));
    const dialog = await screen.findByRole("dialog", { name: "A bonus for 2 people" });
    const amount = within(dialog).getByRole("textbox", { name: /Bonus for each person/ });
    await user.clear(amount);
    await user.type(amount, "1.50");
    await user.click(within(dialog).getByRole("button", { name: "Work out the total" }));
    expect(await within(dialog).findByTestId("bonus-total")).toHaveTextContent("£4.20");
    expect(dialog).toHaveTextContent("Prolific's fee");
    expect(dialog).toHaveTextContent("Your workspace has £962.20.");
    await user.click(within(dialog).getByRole("button", { name: "Pay £4.20" }));
    expect(await within(panel).findByTestId("bonus-paid")).toHaveTextContent("Paid: £4.20 for 2 people");
    expect(asked).toEqual([
      'set_up_bonuses [{"participantId":"careful-two","amount":150},{"participantId":"careful-one","amount":150}]',
      `pay_bonuses {"studyId":"${progress.studyId}","bulkBonusId":"bb1","confirmedTotal":420}`,
    ]);
    expect(within(panel).queryByTestId("bonus-pending")).not.toBeInTheDocument();
  });

  it("keeps the people chosen and an open dialog when the results are downloaded again", async () => {
    const versions: string[] = [];
    mockStudyPage({
      study_scorecard: () => {
        versions.push("read");
        return card;
      },
      pending_bonuses: () => [],
    });
    const client = createQueryClient();
    const user = userEvent.setup();
    render(<App queryClient={client} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Choose the 3 most reliable" }));
    await user.click(within(panel).getByRole("button", { name: "Pay 2 people a bonus…" }));
    await screen.findByRole("dialog", { name: "A bonus for 2 people" });
    // A place refilled after a rejection: the study fills again and its answers are
    // downloaded anew, so the scorecard is read again for the new download.
    act(() => {
      client.setQueryData(queryKeys.study.results(progress.studyId), { ...summary, downloadedAt: "2026-12-07T10:00:00Z" });
    });
    await waitFor(() => expect(versions).toHaveLength(2));
    expect(screen.getByRole("dialog", { name: "A bonus for 2 people" })).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Pay 2 people a bonus…" })).toBeEnabled();
  });

  it("sets bonuses up from a pasted table, once its lines all read", async () => {
    const asked: unknown[] = [];
    mockStudyPage({
      study_scorecard: () => card,
      set_up_bonuses: (_, args) => {
        asked.push((args as { rows: unknown }).rows);
        return {
          bulkBonusId: "bb2",
          rows: (args as { rows: unknown[] }).rows,
          currency: "GBP",
          amount: 375,
          fees: 125,
          vat: 25,
          total: 525,
          available: 96220,
          totalText: "£5.25",
          availableText: "£962.20",
          affordable: true,
        };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Bonuses from a table…" }));
    const dialog = await screen.findByRole("dialog", { name: "Bonuses from a table" });
    const table = within(dialog).getByRole("textbox", { name: /One line per person/ });
    await user.click(table);
    await user.paste("careful-one,1.50\ncareful-two,oops");
    expect(within(dialog).getByTestId("bonus-table-problems")).toHaveTextContent("Line 2: “oops” is not an amount in GBP.");
    expect(within(dialog).getByRole("button", { name: "Work out the total" })).toBeDisabled();
    await user.clear(table);
    await user.paste("careful-one,1.50\ncareful-two;2,25");
    expect(within(dialog).getByTestId("bonus-table-read")).toHaveTextContent("2 bonuses read, £3.75 before Prolific's fee.");
    await user.click(within(dialog).getByRole("button", { name: "Work out the total" }));
    expect(await within(dialog).findByTestId("bonus-total")).toHaveTextContent("£5.25");
    expect(asked).toEqual([
      [
        { participantId: "careful-one", amount: 150 },
        { participantId: "careful-two", amount: 225 },
      ],
    ]);
  });

  it("chooses by rule (known answers, everyone), and only chooses: nothing is sent", async () => {
    mockStudyPage({
      study_scorecard: () => ({
        ...card,
        knownAnswers: { column: "source", questionId: "q1" },
        participants: card.participants.map((score, index) => ({ ...score, known: 5, knownRight: [1, 4, 5][index]! })),
      }),
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Choose who got 80% of known answers right" }));
    const checked = () =>
      within(panel)
        .getAllByRole("checkbox")
        .filter((box) => (box as HTMLInputElement).checked)
        .map((box) => box.getAttribute("aria-label"));
    expect(checked()).toEqual(["Choose careful-one", "Choose careful-two"]);
    await user.click(within(panel).getByRole("button", { name: "Choose everyone" }));
    expect(checked()).toHaveLength(3);
    expect(within(panel).getByRole("button", { name: "Message 3 people…" })).toBeEnabled();
    await user.click(within(panel).getByRole("button", { name: "Choose nobody" }));
    expect(checked()).toEqual([]);
  });
});
