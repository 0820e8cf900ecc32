import { isMantineColorScheme, SegmentedControl, Stack, Text, useMantineColorScheme } from "@mantine/core";
import { useId } from "react";

const choices = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  // Mantine's "auto" keeps following the operating system as its setting changes.
  { value: "auto", label: "Match system" },
];

/** Light, dark or the operating system's choice, remembered on this computer. */
export function ColorSchemeControl() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Text id={labelId} size="xs" c="dimmed" px={4}>
        Appearance
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
