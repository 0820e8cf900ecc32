import { Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useNavigate } from "react-router";

import { useBatchesOverview } from "../queries";
import { BatchesList } from "../results";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * Every study Batchdesk launched or drafted in this account, live (Rust's pollers patch
 * each one as it changes), and the workspace's other batches. A study opens on its own
 * page with its actions and results.
 */
export function BatchesPage() {
  const overview = useBatchesOverview();
  const navigate = useNavigate();
  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap="xs">
        <Title order={2}>Batches</Title>
        <Text c="dimmed">Every study you launched or saved as a draft, with its progress.</Text>
      </Stack>
      {overview.isPending && (
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text size="sm">Asking for your studies…</Text>
        </Group>
      )}
      {overview.isError && <ErrorNotice title="Your studies could not be listed" error={overview.error} />}
      {overview.data && (
        <BatchesList
          studies={overview.data.studies}
          otherBatches={overview.data.otherBatches}
          onOpen={(studyId) => void navigate(`/batches/${encodeURIComponent(studyId)}`)}
          onContinueDraft={() => void navigate("/new")}
          onStartBatch={() => void navigate("/new")}
        />
      )}
    </Stack>
  );
}
