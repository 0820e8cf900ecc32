import { isMantineColorScheme, SegmentedControl, Stack, Text, useMantineColorScheme } from "@mantine/core";
import { useId } from "react";

import { useTranslation } from "../i18n";

/** Light, dark or the operating system's choice, remembered on this computer. */
export function ColorSchemeControl() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const labelId = useId();
  const { t } = useTranslation("shell");
  const choices = [
    { value: "light", label: t("colorScheme.light") },
    { value: "dark", label: t("colorScheme.dark") },
    // Mantine's "auto" keeps following the operating system as its setting changes.
    { value: "auto", label: t("colorScheme.auto") },
  ];
  return (
    <Stack gap={4}>
      <Text id={labelId} size="xs" c="dimmed" px={4}>
        {t("colorScheme.label")}
      </Text>
      <SegmentedControl
        size="xs"
        fullWidth
        // Each choice as wide as its words (Mantine gives all the same width otherwise,
        // which cuts "Match system" short in the narrow navigation).
        styles={{ control: { flex: "1 1 auto" } }}
        data={choices}
        value={colorScheme}
        onChange={(value) => isMantineColorScheme(value) && setColorScheme(value)}
        aria-labelledby={labelId}
        data-testid="color-scheme"
      />
    </Stack>
  );
}
