import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import { mockBackend, text } from "../test/fixtures";

describe("Prolific's notices about endpoints going away", () => {
  it("shows a notice Rust hands out, keeps it when asked again, and closes it", async () => {
    let handedOut = false;
    mockBackend({
      // Rust hands each notice out once.
      take_api_notices: () => {
        if (handedOut) return [];
        handedOut = true;
        return [
          {
            endpoint: "GET /api/v1/users/me/",
            message: text("checks:apiNotice.deprecatedUntil", {
              endpoint: "GET /api/v1/users/me/",
              sunset: "Wed, 01 Sep 2027 00:00:00 GMT",
            }),
          },
        ];
      },
    });
    const client = createQueryClient();
    const user = userEvent.setup();
    render(<App queryClient={client} />);
    const notice = await screen.findByTestId("api-notice");
    expect(notice).toHaveTextContent(
      "Prolific has deprecated GET /api/v1/users/me/; it stops working after Wed, 01 Sep 2027 00:00:00 GMT. Batchdesk still works today; install its next update before then.",
    );
    await client.invalidateQueries({ queryKey: ["account", "api-notices"] });
    expect(screen.getByTestId("api-notice")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Close this notice" }));
    expect(screen.queryByTestId("api-notice")).not.toBeInTheDocument();
  });
});
