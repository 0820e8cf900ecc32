import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { LaunchProgress, type LaunchStage } from "./LaunchProgress";

function show(stage: LaunchStage | null, studyId: string | null = null) {
  const view = render(
    <MantineProvider env="test">
      <LaunchProgress stage={stage} studyId={studyId} />
    </MantineProvider>,
  );
  return (next: LaunchStage | null, id: string | null = null) =>
    view.rerender(
      <MantineProvider env="test">
        <LaunchProgress stage={next} studyId={id} />
      </MantineProvider>,
    );
}

describe("LaunchProgress", () => {
  it("says what is happening in a live region that is there from the start", () => {
    const next = show(null);
    const status = screen.getByRole("status");
    expect(status).toHaveAttribute("aria-live", "polite");
    expect(status).toBeEmptyDOMElement();
    next("creating");
    expect(status).toHaveTextContent("Creating the study on Prolific…");
    next("publishing", "64395e9c2332b8a59a65d51e");
    expect(status).toHaveTextContent("Publishing…");
    next("done", "64395e9c2332b8a59a65d51e");
    expect(screen.getByTestId("launch-stage")).toHaveTextContent("Published");
    expect(status).toHaveTextContent("Prolific study ID: 64395e9c2332b8a59a65d51e");
  });
});
