import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { PublishBar, type PublishBarProps } from "./PublishBar";
import { gbp, gbpName, quote } from "./testData";

function setup(props: Partial<PublishBarProps> = {}) {
  const handlers = { onPublish: vi.fn(), onSaveDraft: vi.fn(), onTestRun: vi.fn() };
  const all: PublishBarProps = {
    quote,
    blockedBy: null,
    busy: false,
    testRun: { available: true, reason: null, participantEmail: null },
    places: 36,
    ...handlers,
    ...props,
  };
  const view = render(
    <MantineProvider env="test">
      <PublishBar {...all} />
    </MantineProvider>,
  );
  const rerender = (next: Partial<PublishBarProps>) =>
    view.rerender(
      <MantineProvider env="test">
        <PublishBar {...all} {...next} />
      </MantineProvider>,
    );
  return { ...handlers, user: userEvent.setup(), rerender };
}

const publish = () => screen.getByRole("button", { name: /^Publish/ });

describe("PublishBar", { timeout: 30_000 }, () => {
  it("states the exact total and asks once more before publishing", async () => {
    const { user, onPublish } = setup();
    expect(publish()).toHaveTextContent(`Publish for ${gbp(7668)}`);
    await user.click(publish());
    const dialog = await screen.findByRole("dialog", { name: `Publish for ${gbpName(7668)}?` });
    expect(dialog).toHaveTextContent(`${gbp(7668)} (rewards, fees and tax)`);
    expect(dialog).toHaveTextContent("36 places");
    expect(onPublish).not.toHaveBeenCalled();
    // Focus starts on the safe choice.
    expect(screen.getByRole("button", { name: "Not yet" })).toHaveFocus();

    await user.click(screen.getByRole("button", { name: "Publish now" }));
    // With the very quote shown: its total and the fingerprint of the terms it priced.
    expect(onPublish).toHaveBeenCalledExactlyOnceWith(quote);
  });

  it("says again in practice that nothing real is spent, and not otherwise", async () => {
    const { user, rerender } = setup({ practising: true });
    await user.click(publish());
    const dialog = await screen.findByRole("dialog", { name: `Publish for ${gbpName(7668)}?` });
    expect(dialog).toHaveTextContent("the practice server's simulated people start straight away");
    expect(dialog).toHaveTextContent("This is practice: the money is the practice workspace's, nothing real is spent.");
    rerender({ practising: false });
    expect(dialog).toHaveTextContent("Prolific starts recruiting straight away");
    expect(screen.queryByTestId("confirm-practice")).not.toBeInTheDocument();
  });

  it("publishes with the keyboard alone, through the confirmation", async () => {
    const { user, onPublish } = setup();
    await user.tab();
    expect(publish()).toHaveFocus();
    await user.keyboard("{Enter}");
    await screen.findByRole("dialog");
    // Enter on the focused "Not yet" only closes the dialog.
    await user.keyboard("{Enter}");
    expect(onPublish).not.toHaveBeenCalled();
    await user.click(publish());
    await screen.findByRole("dialog");
    await user.tab();
    expect(screen.getByRole("button", { name: "Publish now" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(onPublish).toHaveBeenCalledTimes(1);
  });

  it("does not publish when the researcher says not yet, or presses Escape", async () => {
    const { user, onPublish } = setup();
    await user.click(publish());
    await user.click(await screen.findByRole("button", { name: "Not yet" }));
    await user.click(publish());
    await screen.findByRole("dialog");
    await user.keyboard("{Escape}");
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("is disabled with the reason shown when blocked, as by a shortfall", () => {
    const reason = `Add at least ${gbp(2668)} to your workspace on Prolific (Workspace → Add funds).`;
    setup({ quote: { ...quote, shortfall: 2668 }, blockedBy: reason });
    expect(publish()).toBeDisabled();
    expect(screen.getByTestId("publish-blocked")).toHaveTextContent(reason);
    expect(publish()).toHaveAccessibleDescription(reason);
  });

  it("is disabled while the cost is unknown", () => {
    setup({ quote: null });
    expect(publish()).toHaveTextContent(/^Publish$/);
    expect(publish()).toBeDisabled();
    expect(screen.getByTestId("publish-blocked")).toHaveTextContent("The exact cost is not known yet.");
  });

  it("holds back Publish now when the total changes while the dialog is open", async () => {
    const { user, onPublish, rerender } = setup();
    await user.click(publish());
    await screen.findByRole("dialog");
    rerender({ quote: { ...quote, total: 9000 } });
    expect(screen.getByRole("dialog", { name: `Publish for ${gbpName(7668)}?` })).toHaveTextContent(
      "The total changed while this was open.",
    );
    expect(screen.getByRole("button", { name: "Publish now" })).toBeDisabled();
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("holds back Publish now when the settings change while the dialog is open, even at the same total", async () => {
    const { user, onPublish, rerender } = setup();
    await user.click(publish());
    await screen.findByRole("dialog");
    rerender({ quote: { ...quote, fingerprint: "another-set-of-terms" } });
    expect(screen.getByRole("dialog")).toHaveTextContent("The settings changed while this was open.");
    expect(screen.getByRole("button", { name: "Publish now" })).toBeDisabled();
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("takes no second click while busy", () => {
    setup({ busy: true });
    expect(publish()).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save as a draft study" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Start a test run" })).toBeDisabled();
  });

  it("saves a draft", async () => {
    const { user, onSaveDraft, onPublish } = setup();
    await user.click(screen.getByRole("button", { name: "Save as a draft study" }));
    expect(onSaveDraft).toHaveBeenCalledTimes(1);
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("offers a test run, asking the first time for an email Prolific has never seen", async () => {
    const { user, onTestRun } = setup();
    const section = screen.getByRole("region", { name: "Try it yourself first" });
    expect(section).toHaveTextContent("free test copy");
    expect(section).toHaveTextContent("not the email you sign in with");
    const start = screen.getByRole("button", { name: "Start a test run" });
    expect(start).toBeDisabled();
    await user.type(screen.getByLabelText("Email for your test participant"), " me+test@example.org ");
    await user.click(start);
    expect(onTestRun).toHaveBeenCalledWith("me+test@example.org");
  });

  it("reuses the test participant once Prolific has made it", async () => {
    const { user, onTestRun } = setup({
      testRun: { available: true, reason: null, participantEmail: "me+test@example.org" },
    });
    expect(screen.queryByLabelText("Email for your test participant")).not.toBeInTheDocument();
    expect(screen.getByTestId("test-participant")).toHaveTextContent("me+test@example.org");
    await user.click(screen.getByRole("button", { name: "Start a test run" }));
    expect(onTestRun).toHaveBeenCalledWith(null);
  });

  it("explains why a test run is not available", () => {
    const reason = "Prolific has not turned on test participants for this workspace. Ask Prolific's support to.";
    setup({ testRun: { available: false, reason, participantEmail: null } });
    expect(screen.queryByRole("button", { name: "Start a test run" })).not.toBeInTheDocument();
    expect(screen.getByTestId("test-run-unavailable")).toHaveTextContent(reason);
  });
});
