import { Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from "@mantine/core";
import { IconUsersGroup } from "@tabler/icons-react";
import { useState } from "react";

import { useParticipantGroups, useRememberParticipants } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { num } from "./format";

/**
 * Puts the chosen people in a participant group, new or existing ("trusted annotators",
 * "do not invite again"), so a later study's audience can let only them in or keep them
 * out.
 */
export function RememberPeople({ chosen, onDone }: { chosen: string[]; onDone: () => void }) {
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
  const people = chosen.length === 1 ? "1 person" : `${num(chosen.length)} people`;
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
        Add {chosen.length > 0 ? people : "them"} to a group…
      </Button>
      {remember.data && !open && (
        <Text size="sm" data-testid="remembered">
          “{remember.data.name}” now has {remember.data.members === null ? "them" : num(remember.data.members)}{" "}
          {remember.data.members === 1 ? "member" : "members"}. In a study&apos;s audience, its allowlist lets only them
          in, its blocklist keeps them out.
        </Text>
      )}
      <Modal opened={open} onClose={close} title={`Add ${people} to a group`} data-testid="remember-dialog">
        <Stack gap="md">
          <Text size="sm">
            A participant group remembers people across studies: let only them take part in a later study, or keep them
            out.
          </Text>
          <Radio.Group value={kind} onChange={(value) => setKind(value === "existing" ? "existing" : "new")}>
            <Stack gap="xs">
              <Radio value="new" label="A new group" />
              <Radio value="existing" label="A group you have" disabled={(groups.data ?? []).length === 0} />
            </Stack>
          </Radio.Group>
          {kind === "new" ? (
            <TextInput
              label="Name"
              placeholder="For example: Trusted annotators"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-testid="remember-name"
            />
          ) : (
            <Select
              label="Group"
              data={(groups.data ?? []).map((group) => ({
                value: group.id,
                label: group.members === null ? group.name : `${group.name} (${num(group.members)})`,
              }))}
              value={groupId}
              onChange={setGroupId}
              data-testid="remember-group"
            />
          )}
          {groups.isError && <ErrorNotice title="Your groups could not be read" error={groups.error} />}
          {remember.isError && <ErrorNotice title="They could not be added" error={remember.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={!ready}
              loading={remember.isPending}
              onClick={add}
              data-testid="remember-now"
            >
              Add {people}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
