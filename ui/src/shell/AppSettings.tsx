import { Button, Card, Code, Group, Loader, Stack, Switch, Text, Title } from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import { IconCheck, IconCopy, IconFolderOpen } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";

import { backend, type BackendError } from "../backend";
import { useSetCheckUpdatesAtStart, useUpdateCheck, useUpdateSettings } from "../queries";
import { ErrorNotice } from "./ErrorNotice";
import { UpdateOfferCard } from "./UpdateOffer";

/** Updates of Batchdesk itself: the check at start, "Check now", and an update found. */
export function UpdatesSettings() {
  const settings = useUpdateSettings();
  const setCheck = useSetCheckUpdatesAtStart();
  const automatic = Boolean(settings.data?.available && settings.data.checkAtStart);
  const check = useUpdateCheck(automatic);
  if (settings.isPending) return <Loader size="sm" aria-label="Loading the update settings" />;
  if (settings.isError) return <ErrorNotice title="Could not read the update settings" error={settings.error} />;
  const { available, checkAtStart, currentVersion } = settings.data;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Updates
      </Title>
      {available ? (
        <>
          <Switch
            label="Check for updates when Batchdesk starts"
            description="Batchdesk asks its releases page whether a newer version is out. Nothing is installed until you click."
            checked={checkAtStart}
            disabled={setCheck.isPending}
            onChange={(event) => setCheck.mutate(event.currentTarget.checked)}
            data-testid="check-updates-at-start"
          />
          {setCheck.isError && <ErrorNotice title="Could not save this setting" error={setCheck.error} />}
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => void check.refetch()}
              loading={check.isFetching}
              data-testid="check-updates-now"
            >
              Check now
            </Button>
            {check.isSuccess && !check.isFetching && check.data === null && (
              <Text size="sm" c="dimmed" data-testid="update-latest">
                Batchdesk {currentVersion} is the latest version.
              </Text>
            )}
          </Group>
          {check.isError && !check.isFetching && (
            <ErrorNotice title="Could not check for updates" error={check.error} />
          )}
          {check.data && <UpdateOfferCard offer={check.data} />}
        </>
      ) : (
        <Text size="sm" c="dimmed" data-testid="updates-off">
          This build of Batchdesk ({currentVersion}) does not update itself: development and test builds never do.
        </Text>
      )}
    </Stack>
  );
}

/** The log files and a copy of what a bug report needs, with no token or participant data. */
export function LogsAndDiagnostics() {
  const clipboard = useClipboard({ timeout: 4000 });
  const openLogs = useMutation<null, BackendError>({ mutationFn: backend.openLogsFolder });
  const copy = useMutation<string, BackendError>({
    mutationFn: backend.diagnostics,
    onSuccess: (text) => clipboard.copy(text),
  });
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Logs and diagnostics
      </Title>
      <Text size="sm" c="dimmed">
        When you report a problem, these help. The diagnostics name this version, your system, the mode and recent
        error codes; never your token, participants or data.
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFolderOpen size={14} aria-hidden />}
          onClick={() => openLogs.mutate()}
          loading={openLogs.isPending}
          data-testid="open-logs"
        >
          Open the logs folder
        </Button>
        <Button
          size="xs"
          variant="default"
          leftSection={clipboard.copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          onClick={() => copy.mutate()}
          loading={copy.isPending}
          data-testid="copy-diagnostics"
        >
          {clipboard.copied ? "Copied" : "Copy diagnostics"}
        </Button>
      </Group>
      {openLogs.isError && <ErrorNotice title="Could not open the logs folder" error={openLogs.error} />}
      {copy.isError && <ErrorNotice title="Could not gather the diagnostics" error={copy.error} />}
      {copy.data && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {clipboard.error ? "Copying was refused; select the text below and copy it:" : "What was copied:"}
          </Text>
          <Code block data-testid="diagnostics-text">
            {copy.data}
          </Code>
        </Stack>
      )}
    </Stack>
  );
}

/** The Account page's card about Batchdesk on this computer. */
export function AppSettingsCard() {
  return (
    <Card withBorder padding="lg" component="section" aria-label="Batchdesk on this computer">
      <Stack gap="lg">
        <UpdatesSettings />
        <LogsAndDiagnostics />
      </Stack>
    </Card>
  );
}
