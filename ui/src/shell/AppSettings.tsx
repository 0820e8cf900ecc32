import { Button, Card, Code, Group, Loader, Stack, Switch, Text, Title } from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import { IconCheck, IconCopy, IconFolderOpen } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
import { useDiagnostics, useOpenLogsFolder, useSetCheckUpdatesAtStart, useUpdateCheck, useUpdateSettings } from "../queries";
import { ErrorNotice } from "./ErrorNotice";
import { UpdateOfferCard } from "./UpdateOffer";

/** Updates of Batchdesk itself: the check at start, "Check now", and an update found. */
export function UpdatesSettings() {
  const { t } = useTranslation("shell");
  const settings = useUpdateSettings();
  const setCheck = useSetCheckUpdatesAtStart();
  const automatic = Boolean(settings.data?.available && settings.data.checkAtStart);
  const check = useUpdateCheck(automatic);
  if (settings.isPending) return <Loader size="sm" aria-label={t("updates.loadingSettings")} />;
  if (settings.isError) return <ErrorNotice title={t("updates.couldNotReadSettings")} error={settings.error} />;
  const { available, checkAtStart, currentVersion } = settings.data;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {t("updates.title")}
      </Title>
      {available ? (
        <>
          <Switch
            label={t("updates.checkAtStart")}
            description={t("updates.checkAtStartDescription")}
            checked={checkAtStart}
            disabled={setCheck.isPending}
            onChange={(event) => setCheck.mutate(event.currentTarget.checked)}
            data-testid="check-updates-at-start"
          />
          {setCheck.isError && <ErrorNotice title={t("updates.couldNotSave")} error={setCheck.error} />}
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => void check.refetch()}
              loading={check.isFetching}
              data-testid="check-updates-now"
            >
              {t("updates.checkNow")}
            </Button>
            {check.isSuccess && !check.isFetching && check.data === null && (
              <Text size="sm" c="dimmed" data-testid="update-latest">
                {t("updates.latest", { version: currentVersion })}
              </Text>
            )}
          </Group>
          {check.isError && !check.isFetching && (
            <ErrorNotice title={t("updates.couldNotCheck")} error={check.error} />
          )}
          {check.data && <UpdateOfferCard offer={check.data} />}
        </>
      ) : (
        <Text size="sm" c="dimmed" data-testid="updates-off">
          {t("updates.off", { version: currentVersion })}
        </Text>
      )}
    </Stack>
  );
}

/** The log files and a copy of what a bug report needs, with no token or participant data. */
export function LogsAndDiagnostics() {
  const { t } = useTranslation("shell");
  const clipboard = useClipboard({ timeout: 4000 });
  const openLogs = useOpenLogsFolder();
  const copy = useDiagnostics({ onSuccess: (text) => clipboard.copy(text) });
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {t("logs.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("logs.intro")}
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
          {t("logs.openFolder")}
        </Button>
        <Button
          size="xs"
          variant="default"
          leftSection={clipboard.copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          onClick={() => copy.mutate()}
          loading={copy.isPending}
          data-testid="copy-diagnostics"
        >
          {clipboard.copied ? t("logs.copied") : t("logs.copy")}
        </Button>
      </Group>
      {openLogs.isError && <ErrorNotice title={t("logs.couldNotOpen")} error={openLogs.error} />}
      {copy.isError && <ErrorNotice title={t("logs.couldNotGather")} error={copy.error} />}
      {copy.data && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {clipboard.error ? t("logs.copyRefused") : t("logs.whatWasCopied")}
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
  const { t } = useTranslation("shell");
  return (
    <Card withBorder padding="lg" component="section" aria-label={t("onThisComputer")}>
      <Stack gap="lg">
        <UpdatesSettings />
        <LogsAndDiagnostics />
      </Stack>
    </Card>
  );
}
