import { Group, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import type { TablerIcon } from "@tabler/icons-react";
import type { ReactNode } from "react";

export type EmptyStateProps = {
  icon: TablerIcon;
  /** Short: what is missing ("No batches yet"). */
  title: string;
  /** One plain sentence: what will appear here, and how. */
  children: ReactNode;
  /** The one thing to do next, usually a primary Button. */
  action?: ReactNode;
  /** The heading's level, one below the section it sits in. */
  order?: 3 | 4;
  "data-testid"?: string;
};

/** What a page or section shows while it has nothing yet, and the way to fill it. */
export function EmptyState({ icon: Icon, title, children, action, order = 3, "data-testid": testId }: EmptyStateProps) {
  return (
    <Paper withBorder p="xl" data-testid={testId}>
      <Stack align="center" gap="xs" ta="center">
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden>
          <Icon size={24} stroke={1.6} />
        </ThemeIcon>
        <Title order={order} size="h4">
          {title}
        </Title>
        <Text c="dimmed" maw={480}>
          {children}
        </Text>
        {action && <Group mt="xs">{action}</Group>}
      </Stack>
    </Paper>
  );
}
