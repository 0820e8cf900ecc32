import { Badge, Group, Loader, Stack, Text, Title } from "@mantine/core";

import { useAppInfo } from "../queries";
import { ErrorNotice } from "./ErrorNotice";

const flavourLabel = { dev: "development build", test: "test build", release: "release" } as const;

/** Which Batchdesk this is and where it keeps the researcher's work, for support. */
export function AboutBatchdesk() {
  const info = useAppInfo();
  if (info.isPending) {
    return <Loader size="sm" role="status" aria-label="Loading details about Batchdesk" />;
  }
  if (info.isError) {
    return <ErrorNotice title="Batchdesk could not describe itself" error={info.error} />;
  }
  const { version, flavour, dataDir } = info.data;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        About Batchdesk
      </Title>
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
        Your drafts and downloaded results stay on this computer, in the folder{" "}
        <Text span ff="monospace" size="sm" data-testid="app-data-dir">
          {dataDir}
        </Text>
        . Nothing in it is sent anywhere unless you publish.
      </Text>
    </Stack>
  );
}
