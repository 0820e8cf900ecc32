import { Group, Loader, Text } from "@mantine/core";

import { useTranslation } from "../i18n";

/** Shown for the moment a screen's code takes to load the first time it is opened. */
export function ScreenLoading() {
  const { t } = useTranslation("shell");
  return (
    <Group gap="sm" role="status" aria-live="polite" data-testid="screen-loading">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{t("loadingScreen")}</Text>
    </Group>
  );
}
