import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { PilotReport } from "../backend";
import { text } from "../test/fixtures";
import { PilotReportView } from "./PilotPanel";

const report: PilotReport = {
  studyId: "s1",
  status: "AWAITING REVIEW",
  places: 3,
  rows: 12,
  finished: 2,
  returned: 1,
  timedOut: 0,
  working: 1,
  complete: false,
  estimatedMinutes: 10,
  time: { submissions: 2, medianMinutes: 31.4, fastestMinutes: 25, slowestMinutes: 37.8 },
  currency: "GBP",
  reward: 150,
  hourlyAtMedian: 286,
  minimumHourly: 600,
  recommendedHourly: 900,
  results: null,
  resultsProblem: null,
  samples: [],
  findings: [
    {
      severity: "problem",
      title: text("checks:pilot.slowerThanEstimate", { median: 31, estimated: 10 }),
      advice: text("checks:pilot.slowerThanEstimateAdvice"),
    },
    {
      severity: "good",
      title: text("checks:pilot.allRead", { answers: 12, items: 6 }),
      advice: text("checks:pilot.allReadAdvice"),
    },
  ],
  suggestion: { estimatedMinutes: 32, reward: 480, hourly: 900 },
};

describe("PilotReportView", () => {
  it("says how far the pilot got, how long it took against the estimate, and each finding with its advice", () => {
    render(
      <MantineProvider env="test">
        <PilotReportView report={report} currency="GBP" />
      </MantineProvider>,
    );
    expect(screen.getByTestId("pilot-status")).toHaveTextContent("Pilot running");
    expect(screen.getByTestId("pilot-counts")).toHaveTextContent("2 of 3 people finished, 1 still working, 1 left.");
    expect(screen.getByTestId("pilot-time")).toHaveTextContent(
      "Time taken: 31 minutes (median; fastest 25, slowest 38) against your estimate of 10.",
    );
    expect(screen.getByTestId("pilot-time")).toHaveTextContent("That pays £2.86 an hour.");
    expect(screen.getByText("Fix")).toBeInTheDocument();
    expect(screen.getByText("People took 31 minutes (median), not the 10 you estimated.")).toBeInTheDocument();
    expect(
      screen.getByText("Raise the estimate, and the reward with it, so the hourly pay stays fair; or give each person fewer rows."),
    ).toBeInTheDocument();
    expect(screen.getByText("12 answers to 6 items came back and all were read.")).toBeInTheDocument();
    expect(screen.getByText("Fine")).toBeInTheDocument();
  });
});
