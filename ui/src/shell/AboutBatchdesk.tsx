import { Badge, Group, Loader, Stack, Text, Title } from "@mantine/core";

import { Trans, useTranslation } from "../i18n";
import { useAppInfo } from "../queries";
import { ErrorNotice } from "./ErrorNotice";

/** Which Batchdesk this is and where it keeps the researcher's work, for support. */
export function AboutBatchdesk() {
  const { t } = useTranslation("shell");
  const info = useAppInfo();
  if (info.isPending) {
    return <Loader size="sm" role="status" aria-label={t("about.loading")} />;
  }
  if (info.isError) {
    return <ErrorNotice title={t("about.couldNotDescribe")} error={info.error} />;
  }
  const { version, flavour, dataDir } = info.data;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {t("about.title")}
      </Title>
      <Group gap="xs">
        <Text fw={600} data-testid="app-version">
          {t("about.version", { version })}
        </Text>
        {flavour !== "release" && (
          <Badge variant="light" color="orange" data-testid="app-flavour">
            {t(`about.flavour.${flavour}`)}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        <Trans
          t={t}
          i18nKey="about.dataDir"
          values={{ folder: dataDir }}
          components={{ folder: <Text span ff="monospace" size="sm" data-testid="app-data-dir" /> }}
        />
      </Text>
    </Stack>
  );
}
