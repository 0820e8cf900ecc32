import { Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useNavigate } from "react-router";

import { useTranslation } from "../i18n";
import { useBatchesOverview } from "../queries";
import { BatchesList } from "../results";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * Every study Batchdesk launched or drafted in this account, live (Rust's pollers patch
 * each one as it changes), and the workspace's other batches. A study opens on its own
 * page with its actions and results.
 */
export function BatchesPage() {
  const { t } = useTranslation("pages");
  const overview = useBatchesOverview();
  const navigate = useNavigate();
  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap="xs">
        <Title order={2}>{t("batches.title")}</Title>
        <Text c="dimmed">{t("batches.intro")}</Text>
      </Stack>
      {overview.isPending && (
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text size="sm">{t("batches.asking")}</Text>
        </Group>
      )}
      {overview.isError && <ErrorNotice title={t("batches.couldNotList")} error={overview.error} />}
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
