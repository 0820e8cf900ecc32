import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, Textarea } from "@mantine/core";
import { IconMail } from "@tabler/icons-react";
import { useState } from "react";

import type { MessageTo } from "../backend";
import { t as translate, useTranslation } from "../i18n";
import { useMessageAudience, useParticipantGroups, useSendMessage } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatNumber } from "../format";

/** Starting points for a message, in our own words; the researcher changes what they like. */
export function messageTemplates(): { value: "thanks" | "question"; label: string; text: string }[] {
  return (["thanks", "question"] as const).map((value) => ({
    value,
    label: translate(`results:message.templates.${value}.label`),
    text: translate(`results:message.templates.${value}.text`),
  }));
}

type Audience = "chosen" | "group" | "everyone";

function people(count: number): string {
  return translate("results:count.people", { count });
}

/**
 * A message through Prolific, to the people chosen in the scorecard, to one of the
 * researcher's participant groups, or to everyone in the study; started from a template
 * and changed at will. It is confirmed for the number of people it reaches, and sent once:
 * the same words to the same people again are not sent twice.
 */
export function MessagePeople({ studyId, chosen }: { studyId: string; chosen: string[] }) {
  const { t } = useTranslation("results");
  const templates = messageTemplates();
  const [open, setOpen] = useState(false);
  const [audience, setAudience] = useState<Audience>("everyone");
  const [groupId, setGroupId] = useState<string | null>(null);
  const [template, setTemplate] = useState<string | null>(templates[0]!.value);
  const [body, setBody] = useState<string>(templates[0]!.text);
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
          if (error.code === "audienceChanged") setConfirming(false);
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
        {chosen.length > 0 ? t("message.openFor", { people: people(chosen.length) }) : t("message.open")}
      </Button>
      {sent && !open && (
        <Text size="sm" data-testid="message-sent">
          {sent.alreadySent
            ? t("message.alreadySent", { people: people(sent.people) })
            : t("message.sent", { people: people(sent.people) })}
        </Text>
      )}
      <Modal opened={open} onClose={close} title={t("message.title")} size="lg" data-testid="message-dialog">
        <Stack gap="md">
          <Radio.Group
            label={t("message.sendTo")}
            value={audience}
            onChange={(value) => choose(value === "chosen" ? "chosen" : value === "group" ? "group" : "everyone")}
          >
            <Stack gap="xs" mt={4}>
              <Radio
                value="chosen"
                label={chosen.length > 0 ? t("message.toChosen", { people: people(chosen.length) }) : t("message.toChosenNone")}
                disabled={chosen.length === 0}
                data-testid="message-to-chosen"
              />
              <Radio value="group" label={t("message.toGroup")} data-testid="message-to-group" />
              <Radio
                value="everyone"
                label={t("message.toEveryone.label")}
                description={t("message.toEveryone.description")}
                data-testid="message-to-everyone"
              />
            </Stack>
          </Radio.Group>
          {audience === "group" && (
            <Select
              label={t("message.group.label")}
              placeholder={groups.isPending ? t("message.group.reading") : t("message.group.choose")}
              data={(groups.data ?? []).map((group) => ({
                value: group.id,
                label: group.members === null ? group.name : t("message.group.withMembers", { name: group.name, members: formatNumber(group.members) }),
              }))}
              value={groupId}
              onChange={(value) => {
                setGroupId(value);
                setConfirming(false);
              }}
              nothingFoundMessage={t("message.group.none")}
              data-testid="message-group"
            />
          )}
          {groups.isError && <ErrorNotice title={t("message.group.failed")} error={groups.error} />}
          <Select
            label={t("message.startFrom")}
            data={templates.map(({ value, label }) => ({ value, label }))}
            value={template}
            onChange={(value) => {
              setTemplate(value);
              const chosenTemplate = templates.find((one) => one.value === value);
              if (chosenTemplate) setBody(chosenTemplate.text);
              setConfirming(false);
            }}
            allowDeselect={false}
          />
          <Textarea
            label={t("message.body.label")}
            description={t("message.body.description")}
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
                ? t("message.reach.chooseGroup")
                : t("message.reach.nobody")
              : reach.isFetching
                ? t("message.reach.counting")
                : count !== null
                  ? t("message.reach.reaches", { people: people(count) })
                  : ""}
          </Text>
          {reach.isError && <ErrorNotice title={t("message.reach.failed")} error={reach.error} />}
          {confirming && count !== null ? (
            <Alert variant="light" color="blue" title={t("message.confirm.title", { people: people(count) })} data-testid="message-confirm">
              {t("message.confirm.body")}
            </Alert>
          ) : (
            <Alert variant="light" color="gray">
              {t("message.delivery")}
            </Alert>
          )}
          {send.isError && <ErrorNotice title={t("message.failed")} error={send.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirming ? () => setConfirming(false) : close}>
              {confirming ? t("message.back") : t("message.cancel")}
            </Button>
            {confirming && count !== null ? (
              <Button loading={send.isPending} disabled={!ready} onClick={confirm} data-testid="message-send">
                {t("message.confirm.yes", { people: people(count) })}
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
                {count === null ? t("message.send") : t("message.sendToPeople", { people: people(count) })}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
