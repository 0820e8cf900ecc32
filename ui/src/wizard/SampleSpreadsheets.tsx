import { Button, Card, Menu, SimpleGrid, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconFileSpreadsheet } from "@tabler/icons-react";

import type { SampleSpreadsheet } from "../backend";
import { useTranslation } from "../i18n";
import classes from "./DataStep.module.css";

type SamplesProps = {
  samples: SampleSpreadsheet[];
  onChoose: (id: string) => void;
  disabled: boolean;
};

/**
 * Practice mode's way in without a file of one's own: the samples built into the app,
 * each with a line on what it shows. Choosing one checks it like any chosen file.
 */
export function SampleSpreadsheets({ samples, onChoose, disabled }: SamplesProps) {
  const { t } = useTranslation("wizard");
  return (
    <Stack gap="xs" data-testid="samples">
      <Title order={3} size="h5">
        {t("samples.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("samples.intro")}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {samples.map((sample) => (
          <UnstyledButton
            key={sample.id}
            className={classes.sample}
            onClick={() => onChoose(sample.id)}
            disabled={disabled}
            data-testid={`sample-${sample.id}`}
          >
            <Card withBorder padding="sm" h="100%">
              <Stack gap={4}>
                <Text fw={600} size="sm">
                  <IconFileSpreadsheet size={16} aria-hidden style={{ verticalAlign: "text-bottom", marginRight: 6 }} />
                  {sample.title}
                </Text>
                <Text size="sm">{sample.shows}</Text>
                <Text size="xs" c="dimmed">
                  {sample.fileName}
                </Text>
              </Stack>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** The same samples as a menu beside "Choose a file…", once a file is on the page. */
export function SampleSpreadsheetMenu({ samples, onChoose, disabled }: SamplesProps) {
  const { t } = useTranslation("wizard");
  return (
    <Menu position="bottom" withinPortal>
      <Menu.Target>
        <Button variant="subtle" rightSection={<IconChevronDown size={16} aria-hidden />} disabled={disabled} data-testid="samples-menu">
          {t("samples.menu")}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {samples.map((sample) => (
          <Menu.Item key={sample.id} onClick={() => onChoose(sample.id)} data-testid={`sample-item-${sample.id}`}>
            <Text size="sm" fw={500}>
              {sample.title}
            </Text>
            <Text size="xs" c="dimmed" maw={320}>
              {sample.shows}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
