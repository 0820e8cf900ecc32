import { Alert, Button, Group, Progress, Stack, Table, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation, type UseMutationResult, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";

import {
  backend,
  type BackendError,
  type DataDraft,
  type ReadyDataset,
  type RejectedRow,
  type UploadProgress,
} from "../backend";
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

/** How an upload is asked for: the file as it is, or a copy without the rows refused. */
export type UploadHow = "as-is" | "without-refused";

/** An upload and its progress, started by the step's Continue or by the panel's own buttons. */
export type Upload = {
  mutation: UseMutationResult<ReadyDataset, BackendError, UploadHow>;
  progress: UploadProgress | null;
};

export function useUpload(): Upload {
  const client = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  // Either sends the file as it is, or (after Prolific refused some rows) a copy without them.
  const mutation = useMutation<ReadyDataset, BackendError, UploadHow>({
    mutationFn: (how) => {
      setProgress(null);
      return how === "as-is" ? backend.uploadData(setProgress) : backend.uploadWithoutRejectedRows(setProgress);
    },
    // A new dataset leaves a batch set up on the old one behind: the task draft says so.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.dataDraft }),
        client.invalidateQueries({ queryKey: queryKeys.taskDraft }),
      ]),
  });
  return { mutation, progress };
}

/**
 * Where the upload of the checked file stands: its progress until Prolific has read it,
 * the rows it refused, or that it is ready. The step's Continue starts it.
 */
export function UploadPanel({
  draft,
  upload: { mutation: upload, progress },
  practising,
  onContinueWithoutRefused,
}: {
  draft: DataDraft;
  upload: Upload;
  practising: boolean;
  /** Sends a copy without the rows Prolific refused (then moves on, as Continue does). */
  onContinueWithoutRefused: () => void;
}) {
  const rateOf = useRate();
  const rate = rateOf(progress);
  const refused = draft.rejectedRows;

  if (draft.ready && !upload.isPending) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Your data is uploaded" data-testid="upload-ready">
        {practising ? "The practice server" : "Prolific"} has read {draft.readyRows?.toLocaleString() ?? "all"} rows. They are
        ready for the next step, your task.
        {!draft.typed && (
          <Stack gap="xs" mt="xs" align="flex-start" data-testid="untyped-dataset">
            <Text size="sm">
              An earlier Batchdesk sent this data as a classic dataset, whose columns Task Builder cannot show
              participants. Upload it again: it goes up as a typed dataset.
            </Text>
            <Button size="xs" variant="light" onClick={() => upload.mutate("as-is")} data-testid="upload-typed">
              Upload again
            </Button>
          </Stack>
        )}
      </Alert>
    );
  }

  const sending = progress?.stage === "uploading" ? progress : null;
  const changed = draft.changedSinceUpload && !upload.isPending && (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title="This file changed since it was uploaded"
      data-testid="file-changed"
    >
      {practising ? "The practice server" : "Prolific"} still has the rows as they were. Batchdesk will not use that
      upload, so nobody is paid to judge the old rows: the file will be uploaded again as a new dataset, and the task’s
      batch set up again on it.
    </Alert>
  );
  const percent = sending && sending.total > 0 ? Math.round((sending.sent / sending.total) * 100) : undefined;

  return (
    <Stack gap="xs">
      {changed}
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
        draft.datasetId &&
        !draft.ready &&
        refused.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="upload-interrupted">
            An earlier upload of this file was interrupted; Continue carries it on into the same dataset.
          </Text>
        )
      )}
      {refused.length > 0 && !upload.isPending && (
        <RefusedRows rows={refused} practising={practising} onContinue={onContinueWithoutRefused} />
      )}
      {upload.isError &&
        upload.error.code !== "rows_rejected" &&
        (upload.error.code === "cancelled" ? (
          <Alert color="gray" variant="light" data-testid="upload-cancelled">
            Upload cancelled. Nothing was lost: Continue carries it on into the same dataset.
          </Alert>
        ) : (
          <ErrorNotice title="The upload did not finish" error={upload.error} />
        ))}
    </Stack>
  );
}

/** Rows shown in the table of refused rows; the rest are counted. */
const SHOWN_ROWS = 50;

/**
 * The rows Prolific refused in the last upload, with why, and the two ways on: fix them
 * in the spreadsheet and choose it again, or send a copy without them.
 */
function RefusedRows({
  rows,
  practising,
  onContinue,
}: {
  rows: RejectedRow[];
  practising: boolean;
  onContinue: () => void;
}) {
  const who = practising ? "The practice server" : "Prolific";
  const count = rows.length === 1 ? "1 row" : `${rows.length.toLocaleString()} rows`;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title={`${who} refused ${count} of your data`}
      data-testid="refused-rows"
    >
      <Stack gap="sm">
        <Text size="sm">
          A batch can be set up only when every row is taken. Fix these rows in your spreadsheet, save it and choose it
          again above, or continue without them: Batchdesk sends a copy of your file without them (your file is not
          changed).
        </Text>
        <Table withTableBorder striped fz="sm" aria-label="Rows refused">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, SHOWN_ROWS).map((row, index) => (
              <Table.Tr key={`${row.row ?? "?"}-${index}`} data-testid="refused-row">
                <Table.Td>{row.row ?? "–"}</Table.Td>
                <Table.Td>{row.column ?? "the whole row"}</Table.Td>
                <Table.Td>{row.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rows.length > SHOWN_ROWS && (
          <Text size="xs" c="dimmed">
            …and {(rows.length - SHOWN_ROWS).toLocaleString()} more.
          </Text>
        )}
        <Group>
          <Button variant="light" onClick={onContinue} data-testid="continue-without-refused">
            Continue without {rows.length === 1 ? "this row" : `these ${rows.length.toLocaleString()} rows`}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
