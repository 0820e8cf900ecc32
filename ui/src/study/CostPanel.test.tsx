import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { CostPanel } from "./CostPanel";
import type { PriceQuote } from "./settings";
import { gbp, quote } from "./testData";

function show(value: PriceQuote | null, loading = false) {
  render(
    <MantineProvider env="test">
      <CostPanel quote={value} loading={loading} />
    </MantineProvider>,
  );
}

describe("CostPanel", () => {
  it("splits the total into rewards and fees next to the balance", () => {
    show(quote);
    expect(screen.getByRole("rowheader", { name: "Rewards for participants" })).toBeInTheDocument();
    expect(screen.getByTestId("cost-rewards")).toHaveTextContent(gbp(5400));
    expect(screen.getByTestId("cost-fees")).toHaveTextContent(gbp(2268));
    expect(screen.getByTestId("cost-total")).toHaveTextContent(gbp(7668));
    expect(screen.getByTestId("cost-available")).toHaveTextContent(gbp(125050));
    expect(screen.getByTestId("cost-left")).toHaveTextContent(gbp(117382));
    expect(screen.queryByTestId("shortfall")).not.toBeInTheDocument();
  });

  it("says by how much the balance is short and what to do", () => {
    show({ ...quote, available: 5000, shortfall: 2668 });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(`Your workspace is ${gbp(2668)} short`);
    expect(alert).toHaveTextContent(
      `Add at least ${gbp(2668)} to your workspace on Prolific (Workspace → Add funds), or lower the reward or people per item.`,
    );
    expect(screen.queryByTestId("cost-left")).not.toBeInTheDocument();
  });

  it("keeps the last quote on screen while a new one is worked out", () => {
    show(quote, true);
    expect(screen.getByTestId("cost-total")).toHaveTextContent(gbp(7668));
    expect(screen.getByText("Updating…")).toBeInTheDocument();
    expect(screen.getByTestId("cost")).toHaveAttribute("aria-busy", "true");
  });

  it("says it is working the cost out while there is no quote", () => {
    show(null, true);
    expect(screen.getByTestId("cost-pending")).toHaveTextContent("Working out the exact cost with Prolific…");
  });
});
