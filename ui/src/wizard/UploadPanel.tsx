import { Alert, Button, Group, Progress, Stack, Text } from "@mantine/core";
import { IconCircleCheck, IconCloudUpload } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";

import { backend, type BackendError, type DataDraft, type ReadyDataset, type UploadProgress } from "../backend";
import { queryKeys } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatBytes } from "./labels";

/** Bytes per second since the current attempt's first report, and the time left. */
function useRate() {
  const first = useRef<{ attempt: number; at: number; sent: number } | null>(null);
  return (progress: UploadProgress | null) => {
    if (progress?.stage !== "uploading") {
      first.current = null;
      return null;
    }
    const now = performance.now();
    if (!first.current || first.current.attempt !== progress.attempt) {
      first.current = { attempt: progress.attempt, at: now, sent: progress.sent };
      return null;
    }
    const seconds = (now - first.current.at) / 1000;
    if (seconds < 0.5) return null;
    const perSecond = (progress.sent - first.current.sent) / seconds;
    const left = perSecond > 0 ? (progress.total - progress.sent) / perSecond : null;
    return { perSecond, left };
  };
}

function stageText(progress: UploadProgress | null, practising: boolean): string {
  const where = practising ? "the practice server" : "Prolific";
  switch (progress?.stage) {
    case undefined:
    case "creating":
      return `Making a dataset on ${where}…`;
    case "created":
    case "uploading":
      return `Sending your file to ${where}…`;
    case "processing":
      return `${practising ? "The practice server" : "Prolific"} is reading your file…`;
    case "ready":
      return "Ready.";
  }
}

/** Sends the checked file to Prolific and follows it until Prolific has read it. */
export function UploadPanel({
  draft,
  blockedBy,
  practising,
}: {
  draft: DataDraft;
  /** Why the file cannot be sent yet, in plain words; `null` when it can. */
  blockedBy: string | null;
  practising: boolean;
}) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const rateOf = useRate();
  const rate = rateOf(progress);
  const upload = useMutation<ReadyDataset, BackendError>({
    mutationFn: () => {
      setProgress(null);
      return backend.uploadData(setProgress);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.dataDraft }),
  });

  if (draft.ready && !upload.isPending) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Your data is uploaded" data-testid="upload-ready">
        {practising ? "The practice server" : "Prolific"} has read {draft.readyRows?.toLocaleString() ?? "all"} rows. They are
        ready for the next step, your task.
        {!draft.typed && (
          <Text size="sm" mt="xs" data-testid="untyped-dataset">
            Your workspace does not accept datasets with column types, so the data went up as a classic dataset. Prolific
            will show each row in its own standard way: the choice of columns and their layout in the next step cannot be
            applied.
          </Text>
        )}
      </Alert>
    );
  }

  const sending = progress?.stage === "uploading" ? progress : null;
  const percent = sending && sending.total > 0 ? Math.round((sending.sent / sending.total) * 100) : undefined;

  return (
    <Stack gap="xs">
      {upload.isPending ? (
        <Stack gap={6} aria-live="polite" data-testid="upload-progress">
          <Group justify="space-between">
            <Text size="sm">{stageText(progress, practising)}</Text>
            <Button size="xs" variant="default" onClick={() => void backend.cancelUpload()} data-testid="cancel-upload">
              Cancel
            </Button>
          </Group>
          <Progress value={percent ?? 100} animated={percent === undefined} aria-label="Upload progress" />
          {sending && (
            <Text size="xs" c="dimmed">
              {formatBytes(sending.sent)} of {formatBytes(sending.total)}
              {rate && ` · ${formatBytes(rate.perSecond)}/s`}
              {rate?.left != null && ` · about ${Math.max(1, Math.round(rate.left))} s left`}
            </Text>
          )}
        </Stack>
      ) : (
        <Group>
          <Button
            leftSection={<IconCloudUpload size={18} aria-hidden />}
            onClick={() => upload.mutate()}
            disabled={blockedBy !== null}
            data-testid="upload"
          >
            {practising ? "Upload to the practice server" : "Upload to Prolific"}
          </Button>
          {blockedBy && (
            <Text size="sm" c="dimmed">
              {blockedBy}
            </Text>
          )}
          {draft.datasetId && !draft.ready && !blockedBy && (
            <Text size="sm" c="dimmed">
              An earlier upload of this file was interrupted; it will continue into the same dataset.
            </Text>
          )}
        </Group>
      )}
      {upload.isError &&
        (upload.error.code === "cancelled" ? (
          <Alert color="gray" variant="light" data-testid="upload-cancelled">
            Upload cancelled. Nothing was lost: upload again to continue into the same dataset.
          </Alert>
        ) : (
          <ErrorNotice title="The upload did not finish" error={upload.error} />
        ))}
    </Stack>
  );
}
