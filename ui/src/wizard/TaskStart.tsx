import { Button, Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { IconFileImport, IconFilePlus, IconTemplate } from "@tabler/icons-react";

import type { TemplateSummary } from "../backend";
import { useTranslation } from "../i18n";
import classes from "./TaskStart.module.css";

/**
 * How the task begins: blank, one of the built-in templates, or a template file a
 * colleague sent. Each is one keyboard-reachable button.
 */
export function TaskStart({
  templates,
  onBlank,
  onTemplate,
  onOpenFile,
  busy,
}: {
  templates: TemplateSummary[];
  onBlank: () => void;
  onTemplate: (id: string) => void;
  onOpenFile: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation("wizard");
  return (
    <Stack gap="md" data-testid="task-start">
      <Stack gap={4}>
        <Title order={3} size="h4">
          {t("taskStart.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("taskStart.intro")}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <StartCard
          icon={<IconFilePlus size={22} aria-hidden />}
          title={t("taskStart.blank")}
          description={t("taskStart.blankDescription")}
          onClick={onBlank}
          disabled={busy}
          testId="start-blank"
        />
        {templates.map((template) => (
          <StartCard
            key={template.id}
            icon={<IconTemplate size={22} aria-hidden />}
            title={template.name}
            description={template.description}
            onClick={() => onTemplate(template.id)}
            disabled={busy}
            testId={`template-${template.id}`}
          />
        ))}
      </SimpleGrid>
      <Group>
        <Button
          variant="default"
          leftSection={<IconFileImport size={18} aria-hidden />}
          onClick={onOpenFile}
          disabled={busy}
          data-testid="open-template-file"
        >
          {t("taskStart.openFile")}
        </Button>
      </Group>
    </Stack>
  );
}

function StartCard({
  icon,
  title,
  description,
  onClick,
  disabled,
  testId,
}: {
  icon: React.ReactNode;
  title: string;
  description: string;
  onClick: () => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <UnstyledButton onClick={onClick} disabled={disabled} className={classes.card} data-testid={testId}>
      <Card withBorder padding="md" h="100%">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          {icon}
          <Stack gap={2}>
            <Text fw={600}>{title}</Text>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
        </Group>
      </Card>
    </UnstyledButton>
  );
}
