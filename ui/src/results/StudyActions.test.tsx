import { MantineProvider } from "@mantine/core";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { StudyActions, type StudyActionsProps } from "./StudyActions";
import { progress } from "./testData";
import { BackendError, type PlacesQuote } from "../backend";

const quoteFor = (extra: number, affordable = true): PlacesQuote => ({
  extraPlaces: extra,
  newTotal: 36 + extra,
  available: 125050,
  currency: "GBP",
  affordable,
  currentPerItem: 3,
  targetPerItem: 3 + extra,
  extraCostMinor: Math.round(extra * 213),
});

function setup(props: Partial<StudyActionsProps> = {}) {
  const handlers = {
    onAction: vi.fn((): Promise<unknown> => Promise.resolve(null)),
    onQuotePlaces: vi.fn((extra: number) => Promise.resolve(quoteFor(extra))),
    onAddPlaces: vi.fn((): Promise<unknown> => Promise.resolve(null)),
    onApproveAll: vi.fn(() => Promise.resolve({ approved: 3, progress: null })),
  };
  const all: StudyActionsProps = { progress, ...handlers, ...props };
  render(
    <MantineProvider env="test">
      <StudyActions {...all} />
    </MantineProvider>,
  );
  return { ...handlers, user: userEvent.setup() };
}

/** Rejects as the back end does: with an `{ code, message }` object, not an Error. */
// eslint-disable-next-line @typescript-eslint/require-await
const refuse = async (message: string): Promise<never> => {
  throw { code: "prolific", message };
};

const button = (name: string | RegExp) => screen.getByRole("button", { name });

describe("StudyActions", { timeout: 30_000 }, () => {
  it("offers only what the study allows", () => {
    setup({ progress: { ...progress, canPause: false, canResume: true, canStop: false, canApprove: false } });
    expect(button("Resume")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Stop" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Approve all/ })).not.toBeInTheDocument();
    expect(button("Add people")).toBeInTheDocument();
  });

  it("says so when nothing can be done", () => {
    setup({
      progress: { ...progress, canPause: false, canResume: false, canStop: false, canAddPlaces: false, canApprove: false },
    });
    expect(screen.getByTestId("study-actions")).toHaveTextContent("There is nothing to change on this study right now.");
  });

  it("pauses, busy while it waits, and shows an error in plain words", async () => {
    let fail: (reason: unknown) => void = () => undefined;
    const onAction = vi.fn(() => new Promise<unknown>((_, reject) => (fail = reject)));
    const { user } = setup({ onAction });
    await user.click(button("Pause"));
    expect(onAction).toHaveBeenCalledWith("pause");
    await waitFor(() => expect(button("Pause")).toHaveAttribute("data-loading", "true"));
    expect(button("Add people")).toBeDisabled();
    fail(new BackendError("offline", "Prolific could not be reached. Check your internet connection."));
    expect(await screen.findByTestId("action-error")).toHaveTextContent(
      "Prolific could not be reached. Check your internet connection.",
    );
    expect(button("Pause")).toBeEnabled();
  });

  it("stops only after a confirmation that says it cannot be undone", async () => {
    const { user, onAction } = setup();
    await user.click(button("Stop"));
    const dialog = await screen.findByRole("dialog", { name: "Stop this study?" });
    expect(dialog).toHaveTextContent("cannot be undone");
    expect(dialog).toHaveTextContent("People who are taking part right now may still finish");
    expect(button("Keep it running")).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(onAction).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    await user.click(button("Stop"));
    await user.click(await screen.findByRole("button", { name: "Stop the study" }));
    expect(onAction).toHaveBeenCalledWith("stop");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByTestId("action-done")).toHaveTextContent("The study is stopped.");
  });

  it("keeps the stop dialog open with the error when stopping fails", async () => {
    const { user } = setup({ onAction: () => refuse("The study is already stopped.") });
    await user.click(button("Stop"));
    await user.click(await screen.findByRole("button", { name: "Stop the study" }));
    const dialog = screen.getByRole("dialog", { name: "Stop this study?" });
    expect(await screen.findByTestId("dialog-error")).toHaveTextContent("The study is already stopped.");
    expect(dialog).toBeInTheDocument();
  });

  it("approves all after asking, and says how many were approved", async () => {
    const { user, onApproveAll } = setup();
    await user.click(button("Approve all (3)"));
    const dialog = await screen.findByRole("dialog", { name: "Approve all?" });
    expect(screen.getByTestId("approve-question")).toHaveTextContent(
      "Approve 3 submissions awaiting review? Participants are paid and this cannot be undone.",
    );
    expect(dialog).toBeInTheDocument();
    await user.click(button("Approve and pay"));
    expect(onApproveAll).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("action-done")).toHaveTextContent("Approved 3 submissions.");
  });

  it("quotes extra people per item as the number changes, once it settles", async () => {
    const { user, onQuotePlaces, onAddPlaces } = setup();
    await user.click(button("Add people"));
    await screen.findByRole("dialog", { name: "Add people" });
    expect(await screen.findByTestId("extra-cost")).toHaveTextContent("£2.13");
    expect(onQuotePlaces).toHaveBeenLastCalledWith(1);
    const input = screen.getByRole("textbox", { name: /More people per item/ });
    await user.clear(input);
    await user.type(input, "12");
    expect(screen.getByTestId("confirm-add")).toBeDisabled();
    await waitFor(() => expect(screen.getByTestId("extra-cost")).toHaveTextContent("£25.56"));
    // Typing "1", then "12" within the debounce asks once for 12, never for the cleared box.
    expect(onQuotePlaces.mock.calls.map(([n]) => n)).toEqual([1, 12]);
    expect(screen.getByTestId("quote-available")).toHaveTextContent("£1,250.50");
    await user.click(screen.getByTestId("confirm-add"));
    // The change shown is the change confirmed: from 3 to 15 people per item, at £25.56.
    expect(onAddPlaces).toHaveBeenCalledWith(quoteFor(12));
    expect(await screen.findByTestId("action-done")).toHaveTextContent("Added 12 people per item.");
  });

  it("will not add places the workspace cannot pay for", async () => {
    const { user, onAddPlaces } = setup({ onQuotePlaces: (extra) => Promise.resolve(quoteFor(extra, false)) });
    await user.click(button("Add people"));
    expect(await screen.findByTestId("not-affordable")).toHaveTextContent("does not have enough money");
    expect(screen.getByTestId("confirm-add")).toBeDisabled();
    expect(onAddPlaces).not.toHaveBeenCalled();
  });

  it("shows why adding places failed", async () => {
    const { user } = setup({ onAddPlaces: () => refuse("Prolific refused: too many places.") });
    await user.click(button("Add people"));
    await screen.findByTestId("extra-cost");
    await user.click(screen.getByTestId("confirm-add"));
    expect(await screen.findByTestId("dialog-error")).toHaveTextContent("Prolific refused: too many places.");
  });
});
