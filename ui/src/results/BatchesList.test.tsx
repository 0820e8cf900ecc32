import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { BatchesList, type BatchesListProps, sortStudies } from "./BatchesList";
import { progress } from "./testData";
import type { StudyProgress, WorkspaceBatch } from "../backend";

const studies: StudyProgress[] = [
  progress,
  {
    ...progress,
    studyId: "s2",
    title: "Animal photos",
    internalName: "Café pilot",
    phase: "completed",
    placesTaken: 36,
    createdAt: "2026-11-20T09:00:00Z",
  },
  {
    ...progress,
    studyId: "s3",
    title: "Zebra crossings",
    internalName: "Streets",
    phase: "awaitingReview",
    placesTaken: 18,
    answersExpected: null,
    createdAt: "2026-12-03T09:00:00Z",
    publishedAt: null,
  },
];

const others: WorkspaceBatch[] = [
  {
    batchId: "ob1",
    name: "Old pilot from the website",
    status: "READY",
    createdAt: "2026-10-01T12:00:00Z",
    taskCount: 40,
    inNewBatch: false,
  },
  { batchId: "ob2", name: "Draft batch", status: "UNINITIALISED", createdAt: null, taskCount: null, inNewBatch: false },
];

function setup(props: Partial<BatchesListProps> = {}) {
  const onOpen = vi.fn();
  const onContinueDraft = vi.fn();
  const onStartBatch = vi.fn();
  render(
    <MantineProvider env="test">
      <BatchesList
        studies={studies}
        otherBatches={others}
        onOpen={onOpen}
        onContinueDraft={onContinueDraft}
        onStartBatch={onStartBatch}
        {...props}
      />
    </MantineProvider>,
  );
  return { onOpen, onContinueDraft, onStartBatch, user: userEvent.setup() };
}

const cardIds = () => screen.getAllByTestId("study-card").map((card) => card.getAttribute("data-study-id"));

describe("BatchesList", { timeout: 30_000 }, () => {
  it("never calls money awaiting review spent, and says what a stopped study gave back", () => {
    const filled: StudyProgress = {
      ...progress,
      studyId: "full",
      phase: "awaitingReview",
      money: {
        ...progress.money,
        paid: { minor: 0 },
        awaitingReview: { minor: 7668 },
        openPlaces: { minor: 0 },
      },
    };
    const stopped: StudyProgress = {
      ...progress,
      studyId: "stopped",
      phase: "stopped",
      money: {
        ...progress.money,
        awaitingReview: { minor: 0 },
        openPlaces: { minor: 0 },
        returned: { minor: 7242 },
      },
    };
    setup({ studies: [filled, stopped] });
    const cost = (id: string) =>
      within(screen.getAllByTestId("study-card").find((card) => card.getAttribute("data-study-id") === id) as HTMLElement).getByTestId(
        "card-cost",
      );
    expect(cost("full")).toHaveTextContent("Money: £76.68 set aside · nothing paid yet");
    expect(cost("full")).not.toHaveTextContent(/spent/i);
    expect(cost("stopped")).toHaveTextContent("Money: Paid £4.26 · £72.42 returned to your balance");
  });

  it("shows a card per study, newest first, with its progress", () => {
    setup();
    expect(cardIds()).toEqual(["s3", progress.studyId, "s2"]);
    const card = screen.getAllByTestId("study-card")[1] as HTMLElement;
    expect(within(card).getByRole("heading", { name: "Sentiment of tweets" })).toBeInTheDocument();
    expect(card).toHaveTextContent("Tweets, pilot");
    expect(within(card).getByTestId("study-phase")).toHaveTextContent("Collecting");
    expect(within(card).getByTestId("progress-places")).toHaveAttribute("data-value", "25");
    expect(within(card).getByTestId("card-answers")).toHaveTextContent(`540 of ${(2160).toLocaleString()}`);
    expect(within(card).getByTestId("card-cost")).toHaveTextContent("Money: £76.68 set aside · £4.26 paid");
    expect(within(card).getByTestId("card-submissions")).toHaveTextContent(
      "Submissions: 4 in progress · 3 awaiting review · 2 approved · 1 returned",
    );
  });

  it("searches titles and internal names, ignoring case and accents", async () => {
    const { user } = setup();
    await user.type(screen.getByTestId("batches-search"), "cafe");
    expect(cardIds()).toEqual(["s2"]);
    await user.clear(screen.getByTestId("batches-search"));
    await user.type(screen.getByTestId("batches-search"), "ZEBRA");
    expect(cardIds()).toEqual(["s3"]);
    expect(screen.getByTestId("batches-count")).toHaveTextContent("1 of 3 studies");
    await user.clear(screen.getByTestId("batches-search"));
    await user.type(screen.getByTestId("batches-search"), "nothing like it");
    expect(screen.queryAllByTestId("study-card")).toHaveLength(0);
    expect(screen.getByTestId("batches-no-match")).toHaveTextContent("No studies have “nothing like it”");
    await user.click(screen.getByRole("button", { name: "Clear the search" }));
    expect(screen.getByTestId("batches-search")).toHaveValue("");
    expect(cardIds()).toHaveLength(3);
  });

  it("sorts by the researcher's choice", async () => {
    const { user } = setup();
    await user.click(screen.getByRole("combobox", { name: "Sort by" }));
    await user.click(await screen.findByRole("option", { name: "Title (A to Z)" }));
    expect(cardIds()).toEqual(["s2", progress.studyId, "s3"]);
    expect(sortStudies(studies, "oldest").map((s) => s.studyId)).toEqual(["s2", progress.studyId, "s3"]);
    expect(sortStudies(studies, "progress").map((s) => s.studyId)).toEqual(["s2", "s3", progress.studyId]);
    expect(sortStudies(studies, "status").map((s) => s.studyId)).toEqual(["s3", progress.studyId, "s2"]);
  });

  it("opens a study with its button, from the keyboard too, or by clicking the card", async () => {
    const { user, onOpen } = setup();
    const open = screen.getByRole("button", { name: "Open Sentiment of tweets" });
    open.focus();
    await user.keyboard("{Enter}");
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen).toHaveBeenLastCalledWith(progress.studyId);
    await user.click(within(screen.getAllByTestId("study-card")[2] as HTMLElement).getByRole("heading"));
    expect(onOpen).toHaveBeenLastCalledWith("s2");
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it("lists the workspace's other batches", () => {
    setup();
    const section = screen.getByRole("region", { name: "Other batches in this workspace" });
    const rows = within(section).getAllByTestId("other-batch");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Old pilot from the website");
    expect(rows[0]).toHaveTextContent("READY");
    expect(rows[0]).toHaveTextContent("40");
    expect(rows[1]).toHaveTextContent("not known");
  });

  it("offers to continue the batch set up in New batch, apart from the others", async () => {
    const drafted: WorkspaceBatch = { ...others[1]!, batchId: "mine", name: "Reviews, pilot", taskCount: 24, inNewBatch: true };
    const { onContinueDraft, user } = setup({ otherBatches: [drafted, ...others] });
    expect(screen.getByTestId("drafted-batch")).toHaveTextContent("“Reviews, pilot”, 24 tasks, is set up in New batch");
    expect(screen.getAllByTestId("other-batch")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Continue in New batch" }));
    expect(onContinueDraft).toHaveBeenCalledOnce();
  });

  it("says so in plain words when there is nothing yet, and offers to start a batch", async () => {
    const { onStartBatch, user } = setup({ studies: [], otherBatches: [] });
    const empty = screen.getByTestId("batches-empty");
    expect(within(empty).getByRole("heading", { name: "No batches yet" })).toBeInTheDocument();
    expect(empty).toHaveTextContent("Each batch you publish with Batchdesk appears here");
    expect(screen.queryByTestId("batches-search")).not.toBeInTheDocument();
    expect(screen.getByTestId("other-batches-empty")).toHaveTextContent("There are no other batches in this workspace.");
    await user.click(within(empty).getByRole("button", { name: "Start a batch" }));
    expect(onStartBatch).toHaveBeenCalledOnce();
  });

  it("offers only to continue the batch set up in New batch when there is one and nothing launched", async () => {
    const drafted: WorkspaceBatch = { ...others[1]!, batchId: "mine", name: "Reviews, pilot", taskCount: 24, inNewBatch: true };
    const { onContinueDraft, user } = setup({ studies: [], otherBatches: [drafted] });
    expect(screen.getByTestId("batches-empty")).toHaveTextContent("No batches yet");
    expect(screen.queryByRole("button", { name: "Start a batch" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Continue in New batch" }));
    expect(onContinueDraft).toHaveBeenCalledOnce();
  });
});
