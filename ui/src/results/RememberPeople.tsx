import { Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from "@mantine/core";
import { IconUsersGroup } from "@tabler/icons-react";
import { useState } from "react";

import { useTranslation } from "../i18n";
import { useParticipantGroups, useRememberParticipants } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatNumber } from "../format";

/**
 * Puts the chosen people in a participant group, new or existing ("trusted annotators",
 * "do not invite again"), so a later study's audience can let only them in or keep them
 * out.
 */
export function RememberPeople({ chosen, onDone }: { chosen: string[]; onDone: () => void }) {
  const { t } = useTranslation("results");
  const [open, setOpen] = useState(false);
  const groups = useParticipantGroups(open);
  const remember = useRememberParticipants();
  const [kind, setKind] = useState<"new" | "existing">("new");
  const [name, setName] = useState("");
  const [groupId, setGroupId] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    remember.reset();
  };
  const ready = kind === "new" ? name.trim() !== "" : groupId !== null;
  const add = () =>
    remember.mutate(
      {
        target: kind === "new" ? { to: "new", name: name.trim() } : { to: "existing", groupId: groupId ?? "" },
        participantIds: chosen,
      },
      {
        onSuccess: () => {
          setOpen(false);
          onDone();
        },
      },
    );
  const people = t("count.people", { count: chosen.length });
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconUsersGroup size={16} aria-hidden />}
        disabled={chosen.length === 0}
        onClick={() => setOpen(true)}
        data-testid="remember-people"
      >
        {chosen.length > 0 ? t("remember.open", { people }) : t("remember.openThem")}
      </Button>
      {remember.data && !open && (
        <Text size="sm" data-testid="remembered">
          {remember.data.members === null
            ? t("remember.doneThem", { name: remember.data.name })
            : t("remember.done", { name: remember.data.name, count: remember.data.members })}
        </Text>
      )}
      <Modal opened={open} onClose={close} title={t("remember.title", { people })} data-testid="remember-dialog">
        <Stack gap="md">
          <Text size="sm">
            {t("remember.intro")}
          </Text>
          <Radio.Group value={kind} onChange={(value) => setKind(value === "existing" ? "existing" : "new")}>
            <Stack gap="xs">
              <Radio value="new" label={t("remember.new")} />
              <Radio value="existing" label={t("remember.existing")} disabled={(groups.data ?? []).length === 0} />
            </Stack>
          </Radio.Group>
          {kind === "new" ? (
            <TextInput
              label={t("remember.name.label")}
              placeholder={t("remember.name.placeholder")}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-testid="remember-name"
            />
          ) : (
            <Select
              label={t("remember.group")}
              data={(groups.data ?? []).map((group) => ({
                value: group.id,
                label: group.members === null ? group.name : t("remember.withMembers", { name: group.name, members: formatNumber(group.members) }),
              }))}
              value={groupId}
              onChange={setGroupId}
              data-testid="remember-group"
            />
          )}
          {groups.isError && <ErrorNotice title={t("remember.groupsFailed")} error={groups.error} />}
          {remember.isError && <ErrorNotice title={t("remember.failed")} error={remember.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("remember.cancel")}
            </Button>
            <Button
              disabled={!ready}
              loading={remember.isPending}
              onClick={add}
              data-testid="remember-now"
            >
              {t("remember.add", { people })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
