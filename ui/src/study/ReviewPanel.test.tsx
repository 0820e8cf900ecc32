import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ReviewPanel } from "./ReviewPanel";
import type { Eligibility, PriceQuote, StudySettings } from "./settings";
import { eligibility, facts, filterOptions, gbp, num, projects, quote, settings } from "./testData";

function show({
  study = settings,
  price = quote,
  audience = eligibility,
  withNames = true,
}: { study?: StudySettings; price?: PriceQuote | null; audience?: Eligibility; withNames?: boolean } = {}) {
  const onEdit = vi.fn();
  render(
    <MantineProvider env="test">
      <ReviewPanel
        settings={study}
        facts={facts}
        quote={price}
        eligibility={audience}
        taskTitle="How do these tweets feel?"
        rows={48}
        onEdit={onEdit}
        projects={withNames ? projects : undefined}
        options={withNames ? filterOptions : undefined}
      />
    </MantineProvider>,
  );
  return { onEdit, user: userEvent.setup() };
}

const part = (name: string) => screen.getByRole("region", { name });

describe("ReviewPanel", () => {
  it("shows everything on one page", () => {
    show({
      study: {
        ...settings,
        filters: [
          { filterId: "age", kind: "range", lower: 18, upper: 65 },
          { filterId: "current-country-of-residence", kind: "select", values: ["0", "2"] },
        ],
      },
    });
    expect(part("Your data")).toHaveTextContent("Rows48");
    expect(part("Your task")).toHaveTextContent("How do these tweets feel?");
    expect(part("Your task")).toHaveTextContent("Assignments12");
    const study = part("Study settings");
    expect(study).toHaveTextContent("Sentiment of tweets");
    expect(study).toHaveTextContent("10 min per assignment; at most 45 min (the default)");
    expect(study).toHaveTextContent(`${gbp(150)} per submission (${gbp(900)}/h)`);
    expect(study).toHaveTextContent("Computer (desktop or laptop), Phone, Tablet");
    expect(study).toHaveTextContent("Practice project");
    expect(study).toHaveTextContent("I review each submission");
    const audience = part("Audience");
    expect(audience).toHaveTextContent("Age18 to 65");
    expect(audience).toHaveTextContent("Country of residenceUnited Kingdom, Ireland");
    expect(audience).toHaveTextContent(`About ${num(12345)} people match`);
    expect(part("Places and cost")).toHaveTextContent("12 assignments × 3 people = 36 places");
    expect(screen.getByTestId("review-total")).toHaveTextContent(`${gbp(7668)} (rewards, fees and tax)`);
  });

  it("calls onEdit with the section of each Edit button", async () => {
    const { onEdit, user } = show();
    const sections = [
      ["Your data", "data"],
      ["Your task", "task"],
      ["Study settings", "settings"],
      ["Audience", "audience"],
    ] as const;
    for (const [name, section] of sections) {
      await user.click(within(part(name)).getByRole("button", { name: /^Edit/ }));
      expect(onEdit).toHaveBeenLastCalledWith(section);
    }
    expect(onEdit).toHaveBeenCalledTimes(4);
    expect(screen.getByRole("button", { name: "Edit the audience" })).toBeInTheDocument();
    expect(within(part("Places and cost")).queryByRole("button")).not.toBeInTheDocument();
  });

  it("says what is not known yet, and fewer than 25", () => {
    show({ price: null, audience: { count: 0, fewerThan25: true, checking: false }, withNames: false });
    expect(screen.getByTestId("review-total")).toHaveTextContent("Not known yet");
    expect(part("Audience")).toHaveTextContent("None: anyone on Prolific");
    expect(part("Audience")).toHaveTextContent("Fewer than 25 people match");
    // Without the list of projects the id is shown rather than nothing.
    expect(part("Study settings")).toHaveTextContent("p1");
  });
});
