import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { PriceQuote } from "../backend";
import { PublishDraft } from "./PublishDraft";

const quote: PriceQuote = {
  rewards: 2700,
  feesAndTax: 1080,
  total: 3780,
  available: 100_000,
  shortfall: 0,
  currency: "GBP",
  fingerprint: "3f2a9c0d1e7b",
};

function setup(found: PriceQuote = quote, publish = vi.fn(() => Promise.resolve())) {
  const onQuote = vi.fn(() => Promise.resolve(found));
  render(
    <MantineProvider env="test">
      <PublishDraft onQuote={onQuote} onPublish={publish} />
    </MantineProvider>,
  );
  return { user: userEvent.setup(), onQuote, publish };
}

describe("PublishDraft", () => {
  it("shows the exact total first and publishes at that total only after 'Publish now'", async () => {
    const { user, onQuote, publish } = setup();
    await user.click(screen.getByRole("button", { name: /Publish this draft/ }));
    expect(onQuote).toHaveBeenCalledTimes(1);
    const dialog = await screen.findByRole("dialog", { name: /Publish for £37\.80\?/ });
    expect(dialog).toHaveTextContent("£37.80 in all, from your balance of £1,000.00");
    expect(publish).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Publish now" }));
    // The very quote shown: its total and the terms it priced.
    expect(publish).toHaveBeenCalledWith(quote);
  });

  it("'Not yet' spends nothing, and a short balance holds Publish back", async () => {
    const { user, publish } = setup({ ...quote, available: 1000, shortfall: 2780 });
    await user.click(screen.getByRole("button", { name: /Publish this draft/ }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("alert")).toHaveTextContent("£27.80 short");
    expect(within(dialog).getByRole("button", { name: "Publish now" })).toBeDisabled();
    await user.click(within(dialog).getByRole("button", { name: "Not yet" }));
    expect(publish).not.toHaveBeenCalled();
  });

  it("says so when the price changed after it was shown", async () => {
    const refused = Object.assign(new Error("The price changed since you confirmed it."), { code: "priceChanged" });
    const { user } = setup(quote, vi.fn(() => Promise.reject(refused)));
    await user.click(screen.getByRole("button", { name: /Publish this draft/ }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Publish now" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The price changed since you confirmed it.");
  });
});
