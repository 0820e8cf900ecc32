import { MantineProvider } from "@mantine/core";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { text } from "../test/fixtures";
import { AudienceEditor } from "./AudienceEditor";
import type { AudienceFilter, Eligibility, SettingsIssue } from "./settings";
import { eligibility as someEligibility, filterOptions, num } from "./testData";

function setup({
  filters = [],
  eligibility = someEligibility,
  issues,
}: { filters?: AudienceFilter[]; eligibility?: Eligibility; issues?: SettingsIssue[] } = {}) {
  let latest = filters;
  function Editor() {
    const [value, setValue] = useState(filters);
    return (
      <AudienceEditor
        filters={value}
        onChange={(next) => {
          latest = next;
          setValue(next);
        }}
        options={filterOptions}
        eligibility={eligibility}
        issues={issues}
      />
    );
  }
  const user = userEvent.setup();
  const view = render(
    <MantineProvider env="test">
      <Editor />
    </MantineProvider>,
  );
  return { user, latest: () => latest, view };
}

const headline = () => screen.getByTestId("eligibility-headline");

describe("AudienceEditor", { timeout: 30_000 }, () => {
  it("shows the matching count prominently, in a live region", () => {
    setup();
    expect(headline()).toHaveTextContent(`About ${num(12345)} people match`);
    expect(screen.getByRole("status")).toHaveAttribute("aria-live", "polite");
  });

  it("says fewer than 25 when Prolific answers 0", () => {
    setup({ eligibility: { count: 0, fewerThan25: true, checking: false } });
    expect(headline()).toHaveTextContent("Fewer than 25 people match: widen your audience");
  });

  it("treats a bare 0 as fewer than 25 too, and shows a loader while counting", () => {
    const first = setup({ eligibility: { count: 0, fewerThan25: false, checking: false } });
    expect(headline()).toHaveTextContent("Fewer than 25 people match");
    first.view.unmount();
    setup({ eligibility: { count: null, fewerThan25: false, checking: true } });
    expect(headline()).toHaveTextContent("Counting the people who match…");
    expect(screen.getByRole("status")).toHaveAttribute("aria-busy", "true");
  });

  it("sets the age range with two number boxes, and an emptied range leaves the list", () => {
    const { latest } = setup();
    fireEvent.change(screen.getByRole("textbox", { name: "Age from" }), { target: { value: "18" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Age to" }), { target: { value: "65" } });
    expect(latest()).toEqual([{ filterId: "age", kind: "range", lower: 18, upper: 65 }]);
    fireEvent.change(screen.getByRole("textbox", { name: "Age from" }), { target: { value: "" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Age to" }), { target: { value: "" } });
    expect(latest()).toEqual([]);
  });

  it("keeps a range within Prolific's bounds and marks a reversed one", () => {
    const { latest } = setup();
    const from = screen.getByRole("textbox", { name: "Approval rate from" });
    fireEvent.change(from, { target: { value: "150" } });
    fireEvent.blur(from);
    expect(latest()).toEqual([{ filterId: "approval_rate", kind: "range", lower: 100, upper: null }]);
    fireEvent.change(screen.getByRole("textbox", { name: "Approval rate to" }), { target: { value: "95" } });
    expect(from).toHaveAccessibleDescription(/Larger than “To”/);
  });

  it("chooses countries by searching", async () => {
    const { user, latest } = setup();
    const countries = screen.getByRole("combobox", { name: "Country of residence" });
    await user.click(countries);
    await user.type(countries, "Ire");
    await user.click(await screen.findByRole("option", { name: "Ireland" }));
    expect(latest()).toEqual([{ filterId: "current-country-of-residence", kind: "select", values: ["2"] }]);
  });

  it("adds another filter through the search and removes it again", async () => {
    const { user, latest } = setup();
    const picker = screen.getByRole("combobox", { name: "Add another filter" });
    await user.click(picker);
    // Only the filters that are not up front are offered.
    expect(screen.queryByRole("option", { name: "Age" })).not.toBeInTheDocument();
    await user.type(picker, "Stud");
    await user.click(await screen.findByRole("option", { name: "Student status" }));
    expect(latest()).toEqual([{ filterId: "student-status", kind: "select", values: [] }]);

    const card = screen.getByRole("region", { name: "Student status" });
    expect(within(card).getByRole("combobox", { name: "Student status" })).toHaveFocus();
    expect(card).toHaveTextContent("Nothing chosen yet");
    expect(picker).toHaveValue("");

    await user.click(within(card).getByRole("button", { name: "Remove the filter Student status" }));
    expect(latest()).toEqual([]);
    expect(screen.queryByRole("region", { name: "Student status" })).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "More filters" })).toHaveFocus();
  });

  it("adds and removes a filter with the keyboard alone", async () => {
    const { user, latest } = setup();
    screen.getByRole("heading", { name: "More filters" }).focus();
    await user.tab();
    expect(screen.getByRole("combobox", { name: "Add another filter" })).toHaveFocus();
    await user.keyboard("House");
    await screen.findByRole("option", { name: "Household size" });
    await user.keyboard("{ArrowDown}{Enter}");
    expect(latest()).toEqual([{ filterId: "household-size", kind: "range", lower: null, upper: null }]);
    const from = screen.getByRole("textbox", { name: "Household size from" });
    expect(from).toHaveFocus();
    await user.keyboard("2");
    await user.tab();
    await user.keyboard("4");
    expect(latest()).toEqual([{ filterId: "household-size", kind: "range", lower: 2, upper: 4 }]);
    await user.tab();
    expect(screen.getByRole("button", { name: "Remove the filter Household size" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(latest()).toEqual([]);
  });

  it("keeps a filter Prolific no longer lists removable, and shows audience issues", async () => {
    const { user, latest } = setup({
      filters: [{ filterId: "gone-filter", kind: "select", values: ["1"] }],
      issues: [{ field: "audience", message: text("checks:settings.filterWithoutChoice") }],
    });
    expect(screen.getByText("A filter has no choice selected. Choose at least one, or remove the filter.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove the filter gone-filter" }));
    expect(latest()).toEqual([]);
  });
});
