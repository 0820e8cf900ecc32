import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { IconMail } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { backend, type BackendError } from "../backend";
import { ErrorNotice } from "../shell/ErrorNotice";
import { num } from "./format";

/** Starting points for a message; the researcher changes what they like. */
const templates = [
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
];

/** A message to the people chosen, through Prolific, sent once after asking. */
export function MessagePeople({ studyId, chosen }: { studyId: string; chosen: string[] }) {
  const [open, setOpen] = useState(false);
  const [template, setTemplate] = useState<string | null>("thanks");
  const [body, setBody] = useState(templates[0]!.text);
  const send = useMutation<null, BackendError, { people: string[]; text: string }>({
    mutationFn: ({ people, text }) => backend.messageParticipants(studyId, people, text),
    onSuccess: () => setOpen(false),
  });
  const people = chosen.length === 1 ? "1 person" : `${num(chosen.length)} people`;
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconMail size={16} aria-hidden />}
        disabled={chosen.length === 0}
        onClick={() => {
          send.reset();
          setOpen(true);
        }}
        data-testid="message-open"
      >
        Message {chosen.length > 0 ? people : "them"}…
      </Button>
      {send.isSuccess && !open && (
        <Text size="sm" data-testid="message-sent">
          Message sent. Replies come to your Prolific inbox.
        </Text>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={`A message to ${people}`} data-testid="message-dialog">
        <Stack gap="md">
          <Select
            label="Start from"
            data={templates.map(({ value, label }) => ({ value, label }))}
            value={template}
            onChange={(value) => {
              setTemplate(value);
              const chosenTemplate = templates.find((one) => one.value === value);
              if (chosenTemplate) setBody(chosenTemplate.text);
            }}
            allowDeselect={false}
          />
          <Textarea
            label="Message"
            autosize
            minRows={4}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            data-testid="message-body"
          />
          <Alert variant="light" color="gray">
            Prolific delivers it to each person once; they can reply through Prolific.
          </Alert>
          {send.isError && <ErrorNotice title="The message was not sent" error={send.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              disabled={body.trim() === ""}
              loading={send.isPending}
              onClick={() => send.mutate({ people: chosen, text: body })}
              data-testid="message-send"
            >
              Send to {people}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
