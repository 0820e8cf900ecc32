import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../App";
import { mockBackend, text } from "../test/fixtures";
import type { SettingsIssue, StudyFacts, StudySettings } from "./settings";
import { StudySettingsForm } from "./StudySettingsForm";
import { facts as sampleFacts, gbp, gbpName, projects, settings as sampleSettings, typed } from "./testData";

/** The form over real state; `latest()` is what it last passed to onChange. */
function setup({
  settings = sampleSettings,
  facts = sampleFacts,
  issues = [],
}: { settings?: StudySettings; facts?: StudyFacts; issues?: SettingsIssue[] } = {}) {
  let latest = settings;
  function Form() {
    const [value, setValue] = useState(settings);
    return (
      <StudySettingsForm
        settings={value}
        onChange={(next) => {
          latest = next;
          setValue(next);
        }}
        facts={facts}
        projects={projects}
        issues={issues}
      />
    );
  }
  // The hourly rate is Rust's, asked for what is typed.
  mockBackend();
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MantineProvider env="test">
        <Form />
      </MantineProvider>
    </QueryClientProvider>,
  );
  return { user, latest: () => latest };
}

const reward = () => screen.getByRole("textbox", { name: "Reward per submission" });

describe("StudySettingsForm", { timeout: 30_000 }, () => {
  it("stores the reward typed in pounds as pence and shows the hourly rate live", async () => {
    const { latest } = setup();
    expect(reward()).toHaveValue(typed("1.50"));
    expect(await screen.findByTestId("hourly-rate")).toHaveTextContent(`That is ${gbp(900)}/h for a 10-minute assignment.`);
    expect(screen.getByTestId("rate-verdict")).toHaveTextContent(`At or above Prolific's recommended ${gbp(900)}/h.`);

    fireEvent.change(reward(), { target: { value: "2,25" } });
    expect(latest().reward).toBe(225);
    await waitFor(() => expect(screen.getByTestId("hourly-rate")).toHaveTextContent(`${gbp(1350)}/h`));
  });

  it("says plainly when the rate is below Prolific's minimum, and below the recommended one", async () => {
    setup();
    fireEvent.change(reward(), { target: { value: "0.80" } });
    await waitFor(() => expect(screen.getByTestId("hourly-rate")).toHaveTextContent(`${gbp(480)}/h`));
    const verdict = screen.getByTestId("rate-verdict");
    expect(verdict).toHaveTextContent(`Below Prolific's minimum of ${gbp(600)}/h: Prolific will not accept this.`);
    expect(verdict).toHaveAttribute("data-color", "red");

    fireEvent.change(reward(), { target: { value: "1.20" } });
    await waitFor(() => expect(verdict).toHaveTextContent(`Below Prolific's recommended ${gbp(900)}/h.`));
    expect(verdict).toHaveAttribute("data-color", "orange");
  });

  it("asks for a reward when it is 0 and Prolific's rates are not known", async () => {
    setup({
      settings: { ...sampleSettings, reward: 0 },
      facts: { ...sampleFacts, recommendedHourly: null, minimumHourly: null },
    });
    expect(await screen.findByTestId("rate-verdict")).toHaveTextContent("Set a reward: participants must be paid.");
    expect(screen.queryByRole("button", { name: /Pay the recommended rate/ })).not.toBeInTheDocument();
  });

  it("moves the hourly rate when the minutes change, and offers the recommended reward", async () => {
    const { user, latest } = setup();
    fireEvent.change(screen.getByRole("textbox", { name: "Minutes for one assignment" }), { target: { value: "20" } });
    expect(latest().estimatedMinutes).toBe(20);
    await waitFor(() =>
      expect(screen.getByTestId("hourly-rate")).toHaveTextContent(`That is ${gbp(450)}/h for a 20-minute assignment.`),
    );
    await user.click(await screen.findByRole("button", { name: `Pay the recommended rate (${gbpName(300)} per submission)` }));
    expect(latest().reward).toBe(300);
    expect(reward()).toHaveValue(typed("3.00"));
  });

  it("refuses an amount it cannot read instead of guessing", () => {
    const { latest } = setup();
    fireEvent.change(reward(), { target: { value: "1.255" } });
    expect(latest().reward).toBe(150);
    expect(reward()).toHaveAccessibleDescription(expect.stringContaining(`Type an amount in GBP, such as ${typed("1.50")}`));
    fireEvent.blur(reward());
    expect(reward()).toHaveValue(typed("1.50"));
  });

  it("shows the places live as people per item change", () => {
    const { latest } = setup();
    expect(screen.getByTestId("places")).toHaveTextContent("Places = 12 assignments × 3 people = 36 places");
    fireEvent.change(screen.getByRole("textbox", { name: /People per item/ }), { target: { value: "5" } });
    expect(latest().peoplePerItem).toBe(5);
    expect(screen.getByTestId("places")).toHaveTextContent("Places = 12 assignments × 5 people = 60 places");
  });

  it("offers the default maximum time and marks a number below Prolific's minimum", async () => {
    const { user, latest } = setup();
    expect(screen.getByRole("radiogroup", { name: "Maximum time" })).toHaveAccessibleDescription(
      /Prolific's minimum for a 10-minute assignment is 28 minutes\./,
    );
    expect(screen.getByRole("radio", { name: "Use the default (45 min)" })).toBeChecked();
    await user.click(screen.getByRole("radio", { name: "Set my own" }));
    expect(latest().maxMinutes).toBe(45);
    const field = screen.getByRole("textbox", { name: "Maximum time in minutes" });
    fireEvent.change(field, { target: { value: "20" } });
    expect(latest().maxMinutes).toBe(20);
    expect(field).toHaveAccessibleDescription(/Make it at least 28 minutes/);
    await user.click(screen.getByRole("radio", { name: /Use the default/ }));
    expect(latest().maxMinutes).toBeNull();
  });

  it("changes devices, project and approval with plain labels", async () => {
    const { user, latest } = setup();
    await user.click(screen.getByRole("checkbox", { name: "Phone" }));
    expect(latest().devices).toEqual(["desktop", "tablet"]);
    await user.click(screen.getByRole("checkbox", { name: "Phone" }));
    expect(latest().devices).toEqual(["desktop", "mobile", "tablet"]);
    await user.click(screen.getByRole("radio", { name: "Approve automatically when a participant finishes" }));
    expect(latest().approval).toBe("automatic");
    await user.click(screen.getByRole("combobox", { name: "Project" }));
    await user.click(await screen.findByRole("option", { name: "Pilot" }));
    expect(latest().projectId).toBe("p2");
  });

  it("shows Rust's issues on their fields, and any other at the top", () => {
    setup({
      issues: [
        { field: "title", message: text("checks:settings.noTitle") },
        {
          field: "reward",
          message: text("checks:settings.belowMinimumPay", {
            hourly: { minor: 600, currency: "GBP" },
            minimum: { minor: 800, currency: "GBP" },
          }),
        },
        { field: "somethingNew", message: text("checks:settings.noProject") },
        { field: "balance", message: text("checks:settings.noPeople") },
      ],
    });
    expect(screen.getByRole("textbox", { name: "Public title" })).toHaveAccessibleDescription(
      /Give the study a title: participants choose studies by it\./,
    );
    expect(reward()).toHaveAccessibleDescription(
      /This pays £6\.00 an hour, below Prolific's minimum of £8\.00 an hour: Prolific will not accept it\./,
    );
    expect(screen.getByText("Choose the project the study belongs to: its workspace pays for it.")).toBeInTheDocument();
    expect(screen.queryByText("At least one person must do each item.")).not.toBeInTheDocument();
  });
});
