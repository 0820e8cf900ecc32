import { Badge, Button, Card, Group, List, Loader, Stack, Text, Title } from "@mantine/core";
import { IconSquarePlus } from "@tabler/icons-react";
import { Link } from "react-router";

import { useAppInfo } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

const flavourLabel = { dev: "development build", test: "test build", release: "release" } as const;

function AboutThisCopy() {
  const info = useAppInfo();
  if (info.isPending) {
    return <Loader size="sm" aria-label="Loading details about Batchdesk" />;
  }
  if (info.isError) {
    return <ErrorNotice title="Batchdesk could not describe itself" error={info.error} />;
  }
  const { version, flavour, dataDir, storeSchemaVersion } = info.data;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} data-testid="app-version">
          Batchdesk {version}
        </Text>
        {flavour !== "release" && (
          <Badge variant="light" color="orange" data-testid="app-flavour">
            {flavourLabel[flavour]}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Your drafts and downloads are kept in{" "}
        <Text span ff="monospace" size="sm" data-testid="app-data-dir">
          {dataDir}
        </Text>
        .
      </Text>
      <Text size="xs" c="dimmed">
        Local database schema {storeSchemaVersion}
      </Text>
    </Stack>
  );
}

export function HomePage() {
  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>Run an annotation job on Prolific</Title>
        <Text c="dimmed">
          Bring a spreadsheet, say what people should do with each row, choose who and how many,
          see the exact price, then publish and watch the answers arrive.
        </Text>
      </Stack>
      <Card withBorder padding="lg">
        <Title order={3} size="h5" mb="sm">
          How a batch goes
        </Title>
        <List type="ordered" spacing={6}>
          <List.Item>Your data: a CSV file, checked and fixed before anything is sent.</List.Item>
          <List.Item>Your task: the instructions and the questions, with a preview.</List.Item>
          <List.Item>Who, how many, how much: the audience and the exact cost.</List.Item>
          <List.Item>Publish, after you confirm the total once more.</List.Item>
          <List.Item>Results: answers, agreement between people, and clean downloads.</List.Item>
        </List>
        <Group mt="lg">
          <Button component={Link} to="/new" leftSection={<IconSquarePlus size={18} aria-hidden />}>
            Start a new batch
          </Button>
        </Group>
      </Card>
      <Card withBorder padding="lg" component="section" aria-label="About this copy of Batchdesk">
        <AboutThisCopy />
      </Card>
    </Stack>
  );
}
