import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../App";
import type { MessageTo } from "../backend";
import { mockBackend, ipcError } from "../test/fixtures";
import { MessagePeople, messageTemplates } from "./MessagePeople";

const STUDY = "64395e9c2332b8a59a65d51e";

type Sent = { studyId: string; to: MessageTo; body: string; confirmedPeople: number };

/** The message button with `chosen` people; the back end counts as `count` says and records what is sent. */
function setup(chosen: string[], count: (to: MessageTo) => number, answer?: (sent: Sent) => unknown) {
  const sent: Sent[] = [];
  const counted: MessageTo[] = [];
  mockBackend({
    participant_groups: () => [
      { id: "g1", name: "Trusted annotators", members: 12 },
      { id: "g2", name: "Do not invite again", members: 2 },
    ],
    message_audience: (_, args) => {
      const { to } = args as { to: MessageTo };
      counted.push(to);
      return { people: count(to) };
    },
    send_message: (_, args) => {
      sent.push(args as Sent);
      return answer ? answer(args as Sent) : { people: (args as Sent).confirmedPeople, alreadySent: false };
    },
  });
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={createQueryClient()}>
        <MessagePeople studyId={STUDY} chosen={chosen} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { sent, counted, user: userEvent.setup() };
}

const byKind = (to: MessageTo) => (to.to === "people" ? to.participantIds.length : to.to === "group" ? 12 : 30);

describe("MessagePeople", () => {
  it("sends a template, changed, to the people chosen once the number they reach is confirmed", async () => {
    const { sent, user } = setup(["fast-one"], byKind);
    await user.click(screen.getByRole("button", { name: "Message 1 person…" }));
    const dialog = await screen.findByRole("dialog", { name: "A message through Prolific" });
    expect(within(dialog).getByRole("radio", { name: "The 1 person chosen" })).toBeChecked();
    const body = within(dialog).getByRole("textbox", { name: /^Message/ });
    expect(body).toHaveValue(messageTemplates()[0]!.text);
    within(dialog).getByRole("combobox", { name: "Start from" }).focus();
    // The list opens on the current choice; the next one down is taken.
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    expect(body).toHaveValue(messageTemplates()[1]!.text);
    await user.type(body, " Thank you!");
    expect(await within(dialog).findByTestId("message-reach")).toHaveTextContent("It reaches 1 person.");

    // Nothing is sent before the confirmation, which names how many it reaches.
    await user.click(within(dialog).getByRole("button", { name: "Send to 1 person…" }));
    expect(within(dialog).getByTestId("message-confirm")).toHaveTextContent("Send this message to 1 person?");
    expect(sent).toEqual([]);
    await user.click(within(dialog).getByRole("button", { name: "Yes, send to 1 person" }));
    expect(await screen.findByTestId("message-sent")).toHaveTextContent("Message sent to 1 person.");
    expect(sent).toEqual([
      {
        studyId: STUDY,
        to: { to: "people", participantIds: ["fast-one"] },
        body: `${messageTemplates()[1]!.text} Thank you!`,
        confirmedPeople: 1,
      },
    ]);
  });

  it("writes to a participant group or to everyone in the study, counted before it is confirmed", async () => {
    const { sent, counted, user } = setup([], byKind);
    // Nobody chosen: everyone in the study is offered first, the chosen people not at all.
    await user.click(screen.getByRole("button", { name: "Message people…" }));
    const dialog = await screen.findByRole("dialog", { name: "A message through Prolific" });
    expect(within(dialog).getByRole("radio", { name: /The people chosen/ })).toBeDisabled();
    expect(within(dialog).getByRole("radio", { name: /Everyone in this study/ })).toBeChecked();
    expect(await within(dialog).findByTestId("message-reach")).toHaveTextContent("It reaches 30 people.");

    await user.click(within(dialog).getByRole("radio", { name: "A participant group you made" }));
    expect(within(dialog).getByTestId("message-reach")).toHaveTextContent("Choose a group.");
    expect(within(dialog).getByTestId("message-review")).toBeDisabled();
    await user.click(within(dialog).getByRole("combobox", { name: "Group" }));
    await user.click(await screen.findByRole("option", { name: "Trusted annotators (12)" }));
    expect(await within(dialog).findByTestId("message-reach")).toHaveTextContent("It reaches 12 people.");
    await user.click(within(dialog).getByRole("button", { name: "Send to 12 people…" }));
    await user.click(within(dialog).getByRole("button", { name: "Yes, send to 12 people" }));
    expect(await screen.findByTestId("message-sent")).toHaveTextContent("Message sent to 12 people.");
    expect(sent.map(({ to, confirmedPeople }) => ({ to, confirmedPeople }))).toEqual([
      { to: { to: "group", groupId: "g1" }, confirmedPeople: 12 },
    ]);
    expect(counted).toEqual([{ to: "everyone" }, { to: "group", groupId: "g1" }]);
  });

  it("says when the same message had gone already, and confirms afresh when the audience changed", async () => {
    let people = 3;
    let first = true;
    const { sent, user } = setup(
      [],
      () => people,
      (asked) => {
        if (first) {
          first = false;
          people = 4;
          throw ipcError("audienceChanged", "errors:messages.audienceChanged.fromMany", { confirmed: 3, count: 4 });
        }
        return { people: asked.confirmedPeople, alreadySent: true };
      },
    );
    await user.click(screen.getByRole("button", { name: "Message people…" }));
    const dialog = await screen.findByRole("dialog", { name: "A message through Prolific" });
    await user.click(await within(dialog).findByRole("button", { name: "Send to 3 people…" }));
    await user.click(within(dialog).getByRole("button", { name: "Yes, send to 3 people" }));
    // Refused unsent: counted again, and the new number asks for a new confirmation.
    expect(await within(dialog).findByText(
        "You confirmed a message to 3 people, but it would now reach 4 people. Nothing was sent: check the number and confirm again.",
      )).toBeInTheDocument();
    await user.click(await within(dialog).findByRole("button", { name: "Send to 4 people…" }));
    await user.click(within(dialog).getByRole("button", { name: "Yes, send to 4 people" }));
    expect(await screen.findByTestId("message-sent")).toHaveTextContent(
      "This message had already gone to 4 people; it was not sent again.",
    );
    await waitFor(() => expect(sent.map((one) => one.confirmedPeople)).toEqual([3, 4]));
  });
});
