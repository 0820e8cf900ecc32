import { Alert, Badge, Button, Card, Group, Loader, Progress, Stack, Text, Title } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { backend, type BackendError, type LaunchOutcome, type LaunchedStudy } from "../backend";
import { queryKeys, useLaunchedStudies } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * Every study Batchdesk made in this account, live: status and places filled, refreshed
 * every few seconds. A draft study can be published from here.
 */
export function BatchesPage() {
  const studies = useLaunchedStudies();
  return (
    <Stack gap="lg" maw={900}>
      <Stack gap="xs">
        <Title order={2}>Batches</Title>
        <Text c="dimmed">Every study you launched or saved as a draft, with its progress.</Text>
      </Stack>
      {studies.isPending && (
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text size="sm">Asking for your studies…</Text>
        </Group>
      )}
      {studies.isError && <ErrorNotice title="Your studies could not be listed" error={studies.error} />}
      {studies.data?.length === 0 && (
        <Card withBorder padding="lg">
          <Text>No batches yet. The batches you launch or save as drafts will be listed here.</Text>
        </Card>
      )}
      {studies.data?.map((study) => <StudyCard key={study.studyId} study={study} />)}
    </Stack>
  );
}

function StudyCard({ study }: { study: LaunchedStudy }) {
  const client = useQueryClient();
  const publish = useMutation<LaunchOutcome, BackendError>({
    mutationFn: () => backend.publishDraftStudy(study.studyId),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.launchedStudies }),
  });
  const places = study.places ?? 0;
  const filled = places > 0 ? Math.min(100, Math.round((study.placesTaken / places) * 100)) : 0;
  return (
    <Card withBorder padding="lg" data-testid="study-card" data-study-id={study.studyId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={3} size="h4">
              {study.title}
            </Title>
            <Text size="sm" c="dimmed">
              {study.internalName}
            </Text>
          </Stack>
          <Badge variant="light" color={study.published ? "teal" : "gray"} data-testid="study-status">
            {statusText(study.status)}
          </Badge>
        </Group>
        {study.published ? (
          <Stack gap={4}>
            <Text size="sm" data-testid="study-places">
              {study.placesTaken.toLocaleString()} of {places.toLocaleString()} places taken
            </Text>
            <Progress value={filled} aria-label="Places taken" />
          </Stack>
        ) : (
          <Group>
            <Button onClick={() => publish.mutate()} loading={publish.isPending} data-testid="publish-draft">
              Publish this draft
            </Button>
            <Text size="sm" c="dimmed">
              Publishing spends money: the price is checked against your balance first.
            </Text>
          </Group>
        )}
        {publish.isError && <ErrorNotice title="The study could not be published" error={publish.error} />}
        {publish.data?.published && (
          <Alert color="teal" variant="light" icon={<IconInfoCircle aria-hidden />}>
            Published. Participants can start now.
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function statusText(status: string): string {
  switch (status) {
    case "UNPUBLISHED":
      return "Draft";
    case "SCHEDULED":
      return "Scheduled";
    case "PUBLISHING":
      return "Publishing";
    case "ACTIVE":
      return "Live";
    case "AWAITING REVIEW":
      return "Waiting for your review";
    case "PAUSED":
      return "Paused";
    case "COMPLETED":
      return "Completed";
    default:
      return status;
  }
}
