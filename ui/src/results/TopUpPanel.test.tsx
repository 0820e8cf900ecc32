import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { LaunchOutcome, TopUpPlan, TopUpProgress, TopUpRequest, TopUpView } from "../backend";
import { TopUpPanel, checksWords, progressWords } from "./TopUpPanel";

const plan: TopUpPlan = {
  studyId: "s1",
  threshold: 0.7,
  peoplePerItem: 3,
  items: [
    { taskId: "t1", confidence: 1 / 3 },
    { taskId: "t2", confidence: 2 / 3 },
    { taskId: "t3", confidence: 2 / 3 },
    { taskId: "t4", confidence: 2 / 3 },
    { taskId: "t5", confidence: 2 / 3 },
  ],
  judgedItems: 24,
  taskGroups: 2,
  knownPerGroup: 0,
  checksPerGroup: 0,
  tasks: 5,
  places: 6,
  quote: {
    rewards: 900,
    feesAndTax: 360,
    total: 1260,
    available: 100_000,
    shortfall: 0,
    currency: "GBP",
    fingerprint: "terms",
  },
  fingerprint: "plan-fingerprint",
};

const launched: LaunchOutcome = { studyId: "round1", status: "ACTIVE", published: true, places: 6 };

type Launch = (plan: TopUpPlan, onProgress: (step: TopUpProgress) => void) => Promise<LaunchOutcome>;

function setup({
  view = null,
  found = plan,
  launch = vi.fn<Launch>((_plan, onProgress) => {
    onProgress({ step: "copyingBatch" });
    return Promise.resolve(launched);
  }),
}: { view?: TopUpView | null; found?: TopUpPlan; launch?: ReturnType<typeof vi.fn<Launch>> } = {}) {
  const onPlan = vi.fn<(request: TopUpRequest) => Promise<TopUpPlan>>(() => Promise.resolve(found));
  const onOpenStudy = vi.fn();
  render(
    <MantineProvider env="test">
      <TopUpPanel view={view} onPlan={onPlan} onLaunch={launch} onOpenStudy={onOpenStudy} />
    </MantineProvider>,
  );
  return { user: userEvent.setup(), onPlan, launch, onOpenStudy };
}

describe("TopUpPanel", () => {
  it("shows how many items and the exact cost, and launches only from the confirmation", async () => {
    const { user, onPlan, launch } = setup();
    await user.click(screen.getByRole("button", { name: "Find uncertain items" }));
    expect(onPlan).toHaveBeenCalledWith({ threshold: 0.7, peoplePerItem: 3 });
    const summary = await screen.findByTestId("top-up-plan-summary");
    expect(summary).toHaveTextContent("5 items of 24 are below 70 %: 2 groups of items × 3 people = 6 places.");
    expect(summary).toHaveTextContent("Exact cost: £12.60 (rewards £9.00, Prolific's fees and tax £3.60).");
    expect(launch).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Run a second round…" }));
    const dialog = await screen.findByRole("dialog", { name: "Publish the second round?" });
    expect(dialog).toHaveTextContent("Everyone who took part in this study is kept out.");
    await user.click(within(dialog).getByRole("button", { name: "Publish for £12.60" }));
    // The very plan shown: its items, people and total.
    expect(launch).toHaveBeenCalledWith(plan, expect.any(Function));
  });

  it("asks again after a choice changes, and says when nothing is uncertain", async () => {
    const { user, onPlan } = setup({ found: { ...plan, items: [], quote: null } });
    const people = screen.getByRole("textbox", { name: "More people per item" });
    await user.clear(people);
    await user.type(people, "5");
    await user.click(screen.getByRole("button", { name: "Find uncertain items" }));
    expect(onPlan).toHaveBeenLastCalledWith({ threshold: 0.7, peoplePerItem: 5 });
    expect(await screen.findByTestId("top-up-nothing")).toHaveTextContent("No item is below 70 %");
    expect(screen.queryByRole("button", { name: "Run a second round…" })).toBeNull();
  });

  it("holds the round back when the balance is short", async () => {
    const { user } = setup({ found: { ...plan, quote: { ...plan.quote!, available: 1000, shortfall: 260 } } });
    await user.click(screen.getByRole("button", { name: "Find uncertain items" }));
    expect(await screen.findByTestId("top-up-shortfall")).toHaveTextContent("£2.60 short");
    expect(screen.getByRole("button", { name: "Run a second round…" })).toBeDisabled();
  });

  it("keeps the dialog open with the reason when the launch is refused", async () => {
    const refused = Object.assign(new Error("The items or the price changed since you confirmed."), {
      code: "topUpPlanChanged",
    });
    const { user } = setup({ launch: vi.fn<Launch>(() => Promise.reject(refused)) });
    await user.click(screen.getByRole("button", { name: "Find uncertain items" }));
    await user.click(await screen.findByRole("button", { name: "Run a second round…" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Publish for £12.60" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The items or the price changed");
  });

  it("links to the second round once it runs, with the consensus confidence before and now", async () => {
    const view: TopUpView = {
      study: launched,
      items: plan.items,
      peoplePerItem: 3,
      meanBefore: 0.6,
      meanNow: 0.85,
      unfinished: false,
    };
    const { user, onOpenStudy } = setup({ view });
    expect(screen.getByTestId("top-up-running")).toHaveTextContent("5 items went to 3 more people each");
    expect(screen.getByTestId("top-up-agreement")).toHaveTextContent(/60\s?% when they were chosen, 85\s?% now/);
    await user.click(screen.getByRole("button", { name: "Open the second round's study" }));
    expect(onOpenStudy).toHaveBeenCalledWith("round1");
  });

  it("says where a launch is in plain words", () => {
    expect(progressWords({ step: "uploading", sentPercent: 40 })).toBe("Uploading the rows: 40 %");
    expect(progressWords({ step: "launching", stage: "publishing" })).toBe("Publishing…");
    expect(progressWords(null)).toBe("Getting ready…");
  });

  it("says the known-answer items and checks each group carries, and that the cost includes them", async () => {
    expect(checksWords(plan)).toBeNull();
    const checked = { ...plan, knownPerGroup: 1, checksPerGroup: 2, tasks: 11 };
    expect(checksWords(checked)).toBe(
      "Each group also carries 1 known-answer item and 2 attention checks, as this study's groups did, so the new people are judged the same way: 11 tasks in all, included in the cost.",
    );
    const { user } = setup({ found: checked });
    await user.click(screen.getByRole("button", { name: "Find uncertain items" }));
    expect(await screen.findByTestId("top-up-checks")).toHaveTextContent("1 known-answer item and 2 attention checks");
  });
});
