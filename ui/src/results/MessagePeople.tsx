import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, Textarea } from "@mantine/core";
import { IconMail } from "@tabler/icons-react";
import { useState } from "react";

import type { MessageTo } from "../backend";
import { useMessageAudience, useParticipantGroups, useSendMessage } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { num } from "./format";

/** Starting points for a message, in our own words; the researcher changes what they like. */
export const messageTemplates = [
  {
    value: "thanks",
    label: "Thank you",
    text: "Thank you for taking part in our study. Your careful answers help our research a great deal, and we hope to see you again in a later study.",
  },
  {
    value: "question",
    label: "A question about your answers",
    text: "Thank you for taking part in our study. We have a question about some of your answers before we review your submission: could you tell us briefly how you went about the task? Please reply to this message.",
  },
] as const;

type Audience = "chosen" | "group" | "everyone";

function people(count: number): string {
  return count === 1 ? "1 person" : `${num(count)} people`;
}

/**
 * A message through Prolific, to the people chosen in the scorecard, to one of the
 * researcher's participant groups, or to everyone in the study; started from a template
 * and changed at will. It is confirmed for the number of people it reaches, and sent once:
 * the same words to the same people again are not sent twice.
 */
export function MessagePeople({ studyId, chosen }: { studyId: string; chosen: string[] }) {
  const [open, setOpen] = useState(false);
  const [audience, setAudience] = useState<Audience>("everyone");
  const [groupId, setGroupId] = useState<string | null>(null);
  const [template, setTemplate] = useState<string | null>(messageTemplates[0].value);
  const [body, setBody] = useState<string>(messageTemplates[0].text);
  const [confirming, setConfirming] = useState(false);
  const groups = useParticipantGroups(open && audience === "group");
  const to: MessageTo | null =
    audience === "chosen"
      ? chosen.length > 0
        ? { to: "people", participantIds: chosen }
        : null
      : audience === "group"
        ? groupId === null
          ? null
          : { to: "group", groupId }
        : { to: "everyone" };
  const reach = useMessageAudience(studyId, to, open);
  const send = useSendMessage(studyId);
  const count = reach.data?.people ?? null;

  const start = () => {
    send.reset();
    setConfirming(false);
    setAudience(chosen.length > 0 ? "chosen" : "everyone");
    setOpen(true);
  };
  const close = () => setOpen(false);
  const choose = (next: Audience) => {
    setAudience(next);
    setConfirming(false);
    send.reset();
  };
  const ready = to !== null && count !== null && body.trim() !== "" && !reach.isFetching;
  const confirm = () => {
    if (to === null || count === null) return;
    send.mutate(
      { to, body, confirmedPeople: count },
      {
        onSuccess: () => setOpen(false),
        // Counted again (by the hook): the new number is confirmed afresh.
        onError: (error) => {
          if (error.code === "audience_changed") setConfirming(false);
        },
      },
    );
  };
  const sent = send.data;

  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconMail size={16} aria-hidden />}
        onClick={start}
        data-testid="message-open"
      >
        Message {chosen.length > 0 ? people(chosen.length) : "people"}…
      </Button>
      {sent && !open && (
        <Text size="sm" data-testid="message-sent">
          {sent.alreadySent
            ? `This message had already gone to ${people(sent.people)}; it was not sent again.`
            : `Message sent to ${people(sent.people)}. Replies come to your Prolific inbox.`}
        </Text>
      )}
      <Modal opened={open} onClose={close} title="A message through Prolific" size="lg" data-testid="message-dialog">
        <Stack gap="md">
          <Radio.Group
            label="Send to"
            value={audience}
            onChange={(value) => choose(value === "chosen" ? "chosen" : value === "group" ? "group" : "everyone")}
          >
            <Stack gap="xs" mt={4}>
              <Radio
                value="chosen"
                label={chosen.length > 0 ? `The ${people(chosen.length)} chosen` : "The people chosen (choose them in the list first)"}
                disabled={chosen.length === 0}
                data-testid="message-to-chosen"
              />
              <Radio value="group" label="A participant group you made" data-testid="message-to-group" />
              <Radio
                value="everyone"
                label="Everyone in this study"
                description="Everyone who sent their work for review, reviewed or not."
                data-testid="message-to-everyone"
              />
            </Stack>
          </Radio.Group>
          {audience === "group" && (
            <Select
              label="Group"
              placeholder={groups.isPending ? "Reading your groups…" : "Choose a group"}
              data={(groups.data ?? []).map((group) => ({
                value: group.id,
                label: group.members === null ? group.name : `${group.name} (${num(group.members)})`,
              }))}
              value={groupId}
              onChange={(value) => {
                setGroupId(value);
                setConfirming(false);
              }}
              nothingFoundMessage="No groups yet: add people to one from the list first."
              data-testid="message-group"
            />
          )}
          {groups.isError && <ErrorNotice title="Your groups could not be read" error={groups.error} />}
          <Select
            label="Start from"
            data={messageTemplates.map(({ value, label }) => ({ value, label }))}
            value={template}
            onChange={(value) => {
              setTemplate(value);
              const chosenTemplate = messageTemplates.find((one) => one.value === value);
              if (chosenTemplate) setBody(chosenTemplate.text);
              setConfirming(false);
            }}
            allowDeselect={false}
          />
          <Textarea
            label="Message"
            description="Change anything you like before you send it."
            autosize
            minRows={4}
            value={body}
            onChange={(event) => {
              setBody(event.currentTarget.value);
              setConfirming(false);
            }}
            data-testid="message-body"
          />
          <Text size="sm" aria-live="polite" data-testid="message-reach">
            {to === null
              ? audience === "group"
                ? "Choose a group."
                : "Nobody is chosen."
              : reach.isFetching
                ? "Counting who it reaches…"
                : count !== null
                  ? `It reaches ${people(count)}.`
                  : ""}
          </Text>
          {reach.isError && <ErrorNotice title="Who it reaches could not be counted" error={reach.error} />}
          {confirming && count !== null ? (
            <Alert variant="light" color="blue" title={`Send this message to ${people(count)}?`} data-testid="message-confirm">
              Each of them gets it once through Prolific, and can reply there. A message cannot be taken back.
            </Alert>
          ) : (
            <Alert variant="light" color="gray">
              Prolific delivers it to each person once; they can reply through Prolific.
            </Alert>
          )}
          {send.isError && <ErrorNotice title="The message was not sent" error={send.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirming ? () => setConfirming(false) : close}>
              {confirming ? "Back" : "Cancel"}
            </Button>
            {confirming && count !== null ? (
              <Button loading={send.isPending} disabled={!ready} onClick={confirm} data-testid="message-send">
                Yes, send to {people(count)}
              </Button>
            ) : (
              <Button
                disabled={!ready}
                onClick={() => {
                  send.reset();
                  setConfirming(true);
                }}
                data-testid="message-review"
              >
                Send{count === null ? "" : ` to ${people(count)}`}…
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
