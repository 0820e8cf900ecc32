import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { StudyScorecard, SelectionReviewed } from "../backend";
import { mockBackend, ipcError } from "../test/fixtures";
import { groupRejectionDraft } from "./ReviewChosen";
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

/** The backend of a study's page with its results and this scorecard. */
function mockStudyPage(overrides: Parameters<typeof mockBackend>[0]) {
  mockBackend({
    study_progress: () => progress,
    study_results: () => summary,
    results_rows: (_, args) =>
      pagesOf(summary.rowCount)((args as { query: Parameters<ReturnType<typeof pagesOf>>[0] }).query),
    study_scorecard: () => card,
    ...overrides,
  });
}

/** The checkboxes of the scorecard that are ticked, by the person they choose. */
function ticked(panel: HTMLElement) {
  return within(panel)
    .getAllByRole("checkbox", { name: /^Choose / })
    .filter((box) => (box as HTMLInputElement).checked)
    .map((box) => box.getAttribute("aria-label"));
}

describe("reviewing participants from the scorecard", () => {
  beforeEach(() => {
    window.location.hash = `#/batches/${progress.studyId}`;
  });

  it("asks one person to return their submission for the reasons ticked, after saying what happens", async () => {
    const sent: unknown[] = [];
    mockStudyPage({
      review_participant: (_, args) => {
        sent.push(args);
        return { participantId: "fast-one", state: "returnRequested", progress: null };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const row = (await screen.findAllByTestId("scorecard-row"))[0]!;
    await user.click(within(row).getByRole("button", { name: "Ask to return…" }));
    const dialog = await screen.findByRole("dialog", { name: "Ask them to return this submission?" });
    expect(dialog).toHaveTextContent("not paid for it, and their place opens again for someone else");
    expect(dialog).toHaveTextContent("a message it writes from the reasons you choose");
    const ask = within(dialog).getByRole("button", { name: "Ask to return" });
    expect(ask).toBeDisabled();
    await user.click(within(dialog).getByRole("checkbox", { name: "The task was not finished" }));
    expect(ask).toBeEnabled();
    // Another reason, ticked but not written, holds the request back.
    await user.click(within(dialog).getByRole("checkbox", { name: "Another reason" }));
    expect(ask).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: /The other reason/ }), "Failed two attention checks");
    await user.click(ask);
    expect(await within(row).findByTestId("review-state")).toHaveTextContent("Asked to return");
    expect(sent).toEqual([
      {
        studyId: progress.studyId,
        participantId: "fast-one",
        decision: { decision: "askToReturn", reasons: ["The task was not finished", "Failed two attention checks"] },
      },
    ]);
    expect(screen.queryByRole("dialog", { name: "Ask them to return this submission?" })).not.toBeInTheDocument();
  });

  it("approves the people a rule chose at once, naming them first, then shows each one's outcome", async () => {
    const sent: unknown[] = [];
    mockStudyPage({
      review_participants: (_, args): SelectionReviewed => {
        sent.push(args);
        return {
          people: [
            { participantId: "careful-two", outcome: { kind: "already", state: "approved" } },
            { participantId: "careful-one", outcome: { kind: "done", state: "approved" } },
          ],
          progress: null,
        };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    expect(within(panel).queryByTestId("review-chosen")).not.toBeInTheDocument();
    await user.click(await within(panel).findByRole("button", { name: "Choose the 3 most reliable" }));
    const bar = within(panel).getByRole("group", { name: "Review the people chosen" });
    expect(bar).toHaveTextContent("2 people chosen:");
    await user.click(within(bar).getByRole("button", { name: "Approve…" }));
    const dialog = await screen.findByRole("dialog", { name: "Approve 2 people?" });
    expect(within(dialog).getByTestId("review-chosen-who")).toHaveTextContent("careful-two, careful-one");
    expect(within(dialog).getByTestId("review-chosen-not-waiting")).toHaveTextContent(
      "1 of them is not awaiting review as last seen here.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Approve 2 people" }));
    expect(await within(dialog).findByTestId("review-chosen-summary")).toHaveTextContent(
      "Done for 1 person; 1 person already so; nobody not done.",
    );
    const outcomes = within(dialog).getAllByTestId("review-chosen-outcome");
    expect(outcomes.map((outcome) => outcome.textContent)).toEqual([
      "Already socareful-twoApproved",
      "Donecareful-oneApproved",
    ]);
    expect(sent).toEqual([
      { studyId: progress.studyId, participantIds: ["careful-two", "careful-one"], decision: { decision: "approve" } },
    ]);
    // Closed: everyone was done, so nobody stays chosen; the rows show their new state.
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(ticked(panel)).toEqual([]);
    const careful = within(panel)
      .getAllByTestId("scorecard-row")
      .find((row) => row.getAttribute("data-participant") === "careful-one")!;
    expect(within(careful).getByTestId("review-state")).toHaveTextContent("Approved");
  });

  it("rejects the chosen with one drafted message for all, and keeps chosen those it could not", async () => {
    const sent: unknown[] = [];
    mockStudyPage({
      review_participants: (_, args): SelectionReviewed => {
        sent.push(args);
        return {
          people: [
            { participantId: "fast-one", outcome: { kind: "done", state: "rejected" } },
            {
              participantId: "careful-one",
              outcome: {
                kind: "refused",
                reason: {
                  key: "errors:studyActions.notAwaitingReview",
                  params: { participant: "careful-one", status: "approved" },
                },
              },
            },
          ],
          progress: null,
        };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Show everyone (3)" }));
    await user.click(within(panel).getByRole("checkbox", { name: "Choose fast-one" }));
    await user.click(within(panel).getByRole("checkbox", { name: "Choose careful-one" }));
    const bar = within(panel).getByRole("group", { name: "Review the people chosen" });
    await user.click(within(bar).getByRole("button", { name: "Reject…" }));
    const dialog = await screen.findByRole("dialog", { name: "Reject 2 people?" });
    // The reason the drafts give, and a message that names no one's evidence.
    const reason = within(dialog).getByRole("combobox", { name: /Reason/ });
    expect(reason).toHaveValue("Too quick to have done the task");
    const message = within(dialog).getByRole("textbox", { name: /Message to each of them/ });
    expect(message).toHaveValue(groupRejectionDraft("tooQuickly"));
    // A message still as drafted follows a new reason.
    reason.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    expect(reason).toHaveValue("Very low effort");
    expect(message).toHaveValue(groupRejectionDraft("lowEffort"));
    const reject = within(dialog).getByRole("button", { name: "Reject 2 people" });
    await user.clear(message);
    await user.type(message, "Too little effort.");
    expect(reject).toBeDisabled();
    expect(dialog).toHaveTextContent("18 of at least 100 characters");
    await user.clear(message);
    const written =
      "We are sorry: most of your answers did not match the reviews they were about, so we cannot approve this submission.";
    await user.click(message);
    await user.paste(written);
    await user.click(reject);
    expect(await within(dialog).findByTestId("review-chosen-summary")).toHaveTextContent(
      "Done for 1 person; 0 people already so; 1 person not done. Those not done stay chosen",
    );
    expect(dialog).toHaveTextContent("careful-one's submission is approved, so it cannot be reviewed now. Nothing was changed.");
    expect(sent).toEqual([
      {
        studyId: progress.studyId,
        participantIds: ["fast-one", "careful-one"],
        decision: { decision: "reject", reason: "lowEffort", message: written },
      },
    ]);
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(ticked(panel)).toEqual(["Choose careful-one"]);
    const fast = within(panel).getAllByTestId("scorecard-row")[0]!;
    expect(within(fast).getByTestId("review-state")).toHaveTextContent("Rejected");
  });

  it("asks the chosen to return their submissions, and says so plainly when nothing could be sent", async () => {
    const sent: unknown[] = [];
    let busy = true;
    mockStudyPage({
      review_participants: (_, args): SelectionReviewed => {
        sent.push(args);
        if (busy) {
          busy = false;
          throw ipcError("moneyActionBusy", "errors:moneyLock.busy");
        }
        return {
          people: [{ participantId: "fast-one", outcome: { kind: "done", state: "returnRequested" } }],
          progress: null,
        };
      },
    });
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    const panel = await screen.findByTestId("scorecard");
    await user.click(await within(panel).findByRole("button", { name: "Choose everyone to look at" }));
    const bar = within(panel).getByRole("group", { name: "Review the people chosen" });
    await user.click(within(bar).getByRole("button", { name: "Ask to return…" }));
    const dialog = await screen.findByRole("dialog", { name: "Ask 1 person to return their submission?" });
    expect(dialog).toHaveTextContent("not paid for it");
    await user.click(within(dialog).getByRole("checkbox", { name: "Ran into technical problems" }));
    const ask = within(dialog).getByRole("button", { name: "Ask 1 person to return" });
    await user.click(ask);
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Another launch, publish or payment is already under way (in this window, another window or another Batchdesk). Wait for it to finish, then try again: nothing was sent for this one.",
    );
    await user.click(ask);
    expect(await within(dialog).findByTestId("review-chosen-summary")).toHaveTextContent("Done for 1 person");
    expect(within(dialog).getByTestId("review-chosen-outcome")).toHaveTextContent("Asked to return");
    expect(sent).toEqual([
      {
        studyId: progress.studyId,
        participantIds: ["fast-one"],
        decision: { decision: "askToReturn", reasons: ["Ran into technical problems"] },
      },
      {
        studyId: progress.studyId,
        participantIds: ["fast-one"],
        decision: { decision: "askToReturn", reasons: ["Ran into technical problems"] },
      },
    ]);
  });
});
