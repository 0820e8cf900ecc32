import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { BatchesOverview, StudyProgress } from "../backend";
import { progress as collecting } from "../results/testData";
import { mockBackend } from "../test/fixtures";

const draft: StudyProgress = {
  ...collecting,
  studyId: "s1",
  title: "Is this text positive?",
  internalName: "Reviews pilot",
  status: "UNPUBLISHED",
  phase: "draft",
  placesTaken: 0,
  answersReceived: 0,
  submissions: { ...collecting.submissions, active: 0, awaitingReview: 0, approved: 0, returned: 0, total: 0 },
  publishedAt: null,
  canPause: false,
  canStop: false,
  canAddPlaces: false,
  canApprove: false,
};

describe("Batches", () => {
  beforeEach(() => {
    window.location.hash = "#/batches";
  });

  it("lists studies, opens a draft and publishes it", async () => {
    let published = false;
    const overview = (): BatchesOverview => ({ studies: [published ? { ...draft, phase: "collecting" } : draft, collecting], otherBatches: [] });
    mockBackend({
      batches_overview: overview,
      study_progress: (_, args) => {
        expect(args).toEqual({ studyId: "s1" });
        return published ? { ...draft, status: "ACTIVE", phase: "collecting", canPause: true } : draft;
      },
      quote_draft_study: () => ({
        rewards: 3600,
        feesAndTax: 1440,
        total: 5040,
        available: 100_000,
        shortfall: 0,
        currency: "GBP",
        fingerprint: "draft-terms-1",
      }),
      publish_draft_study: (_, args) => {
        // Published at exactly the total, and the terms, the researcher was shown.
        expect(args).toEqual({ studyId: "s1", confirmed: { total: 5040, fingerprint: "draft-terms-1" } });
        published = true;
        return { studyId: "s1", status: "ACTIVE", published: true, places: 36 };
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText("Reviews pilot")).toBeInTheDocument();
    expect(screen.getByText("Tweets, pilot")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Open Is this text positive?" }));
    await userEvent.click(await screen.findByRole("button", { name: /Publish this draft/ }));
    const dialog = await screen.findByRole("dialog", { name: /Publish for £50\.40\?/ });
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish now" }));
    expect(await screen.findByRole("button", { name: /Pause/ })).toBeInTheDocument();
    expect(screen.getByTestId("study-phase")).toHaveTextContent("Collecting");
  });

  it("says plainly when there is nothing yet, and starts a batch from there", async () => {
    mockBackend({ batches_overview: () => ({ studies: [], otherBatches: [] }) });
    render(<App queryClient={createQueryClient()} />);
    const empty = await screen.findByTestId("batches-empty");
    expect(empty).toHaveTextContent("No batches yet");
    await userEvent.click(within(empty).getByRole("button", { name: "Start a batch" }));
    expect(await screen.findByRole("heading", { name: "New batch", level: 2 })).toBeInTheDocument();
  });
});
