import { Card, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A section's heading and an honest empty state until its feature lands. */
export function PlaceholderSection({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>{title}</Title>
        <Text c="dimmed">{intro}</Text>
      </Stack>
      <Card withBorder padding="lg">
        {children}
      </Card>
    </Stack>
  );
}
