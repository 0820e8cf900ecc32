import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import { appInfo, mockBackend } from "../test/fixtures";

describe("an API address other than Prolific's", () => {
  it("is named in the shell's header and on the account page", async () => {
    mockBackend({
      connection_status: () => ({
        mode: "prolific",
        name: "Test Researcher",
        email: "test@example.org",
        unusualAddress: "http://127.0.0.1:4100/",
      }),
    });
    window.location.hash = "#/account";
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId("unusual-address-banner")).toHaveTextContent(
      "Connected to http://127.0.0.1:4100/ (not Prolific's usual address)",
    );
    expect(await screen.findByTestId("unusual-address")).toHaveTextContent(
      "Connected to http://127.0.0.1:4100/ (not Prolific's usual address)",
    );
  });

  it("is not mentioned for Prolific itself", async () => {
    mockBackend({
      connection_status: () => ({ mode: "prolific", name: "R", email: "r@example.org", unusualAddress: null }),
    });
    window.location.hash = "#/";
    render(<App queryClient={createQueryClient()} />);
    await screen.findByRole("navigation", { name: "Sections" });
    expect(screen.queryByTestId("unusual-address-banner")).not.toBeInTheDocument();
  });
});

describe("the token form", () => {
  it("names another address before a token is pasted", async () => {
    mockBackend({
      connection_status: () => null,
      app_info: () => ({ ...appInfo, unusualApiAddress: "http://127.0.0.1:4100/" }),
    });
    window.location.hash = "#/";
    const user = userEvent.setup();
    render(<App queryClient={createQueryClient()} />);
    await user.click(await screen.findByTestId("choose-connect"));
    expect(await screen.findByTestId("connect-unusual-address")).toHaveTextContent(
      "This copy of Batchdesk connects to http://127.0.0.1:4100/ (not Prolific's usual address)",
    );
  });
});
