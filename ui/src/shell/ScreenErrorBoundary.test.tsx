import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ScreenErrorBoundary } from "./ScreenErrorBoundary";

describe("ScreenErrorBoundary", () => {
  it("shows a screen's render failure in plain words instead of a blank window, and tries again", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let broken = true;
    function Screen() {
      if (broken) throw new TypeError("undefined is not an object");
      return <p>The screen</p>;
    }
    render(
      <MantineProvider env="test">
        <ScreenErrorBoundary>
          <Screen />
        </ScreenErrorBoundary>
      </MantineProvider>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("This screen stopped working");
    expect(screen.queryByText("The screen")).not.toBeInTheDocument();

    broken = false;
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("The screen")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
