import { Alert, Button, Group, Progress, Stack, Table, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import type { UseMutationResult } from "@tanstack/react-query";
import { useRef, useState } from "react";

import type { BackendError, DataDraftView, ReadyDataset, RejectedRow, UploadProgress } from "../backend";
import { t as translate, useTranslation } from "../i18n";
import { type UploadHow, useCancelUpload, useUploadData } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatBytes } from "../format";

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
  const mode = practising ? "practice" : "prolific";
  const where = translate(`common:where.${mode}`);
  switch (progress?.stage) {
    case undefined:
    case "creating":
      return translate("wizard:upload.creating", { where });
    case "created":
    case "uploading":
      return translate("wizard:upload.sending", { where });
    case "processing":
      return translate("wizard:upload.processing", { where: translate(`common:whereCapital.${mode}`) });
    case "ready":
      return translate("wizard:upload.ready");
  }
}

/** How an upload is asked for: the file as it is, or a copy without the rows refused. */
export type { UploadHow };

/** An upload and its progress, started by the step's Continue or by the panel's own buttons. */
export type Upload = {
  mutation: UseMutationResult<ReadyDataset, BackendError, UploadHow>;
  progress: UploadProgress | null;
};

export function useUpload(): Upload {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  // Either sends the file as it is, or (after Prolific refused some rows) a copy without them.
  const mutation = useUploadData(setProgress, { onMutate: () => setProgress(null) });
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
  draft: DataDraftView;
  upload: Upload;
  practising: boolean;
  /** Sends a copy without the rows Prolific refused (then moves on, as Continue does). */
  onContinueWithoutRefused: () => void;
}) {
  const cancelUpload = useCancelUpload();
  const { t } = useTranslation(["wizard", "common"]);
  const whoCapital = t(`common:whereCapital.${practising ? "practice" : "prolific"}`);
  const rateOf = useRate();
  const rate = rateOf(progress);
  const refused = draft.rejectedRows;

  if (draft.ready && !upload.isPending) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={t("upload.uploadedTitle")} data-testid="upload-ready">
        {draft.readyRows == null
          ? t("upload.hasReadAll", { where: whoCapital })
          : t("upload.hasRead", { where: whoCapital, count: draft.readyRows })}
        {!draft.typed && (
          <Stack gap="xs" mt="xs" align="flex-start" data-testid="untyped-dataset">
            <Text size="sm">
              {t("upload.untyped")}
            </Text>
            <Button size="xs" variant="light" onClick={() => upload.mutate("as-is")} data-testid="upload-typed">
              {t("upload.uploadAgain")}
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
      title={t("upload.changedTitle")}
      data-testid="file-changed"
    >
      {t("upload.changed", { where: whoCapital })}
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
            <Button size="xs" variant="default" onClick={() => cancelUpload.mutate()} data-testid="cancel-upload">
              {t("common:cancel")}
            </Button>
          </Group>
          <Progress value={percent ?? 100} animated={percent === undefined} aria-label={t("upload.progressLabel")} />
          {sending && (
            <Text size="xs" c="dimmed">
              {t("upload.sentOf", { sent: formatBytes(sending.sent), total: formatBytes(sending.total) })}
              {rate && t("upload.rate", { rate: formatBytes(rate.perSecond) })}
              {rate?.left != null && t("upload.left", { seconds: Math.max(1, Math.round(rate.left)) })}
            </Text>
          )}
        </Stack>
      ) : (
        draft.datasetId &&
        !draft.ready &&
        refused.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="upload-interrupted">
            {t("upload.interrupted")}
          </Text>
        )
      )}
      {refused.length > 0 && !upload.isPending && (
        <RefusedRows rows={refused} practising={practising} onContinue={onContinueWithoutRefused} />
      )}
      {upload.isError &&
        upload.error.code !== "rowsRejected" &&
        (upload.error.code === "cancelled" ? (
          <Alert color="gray" variant="light" data-testid="upload-cancelled">
            {t("upload.cancelled")}
          </Alert>
        ) : (
          <ErrorNotice title={t("upload.didNotFinish")} error={upload.error} />
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
  const { t } = useTranslation(["wizard", "common"]);
  const who = t(`common:whereCapital.${practising ? "practice" : "prolific"}`);
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title={t("upload.refusedTitle", { where: who, count: rows.length })}
      data-testid="refused-rows"
    >
      <Stack gap="sm">
        <Text size="sm">
          {t("upload.refusedExplained")}
        </Text>
        <Table withTableBorder striped fz="sm" aria-label={t("upload.refusedLabel")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("upload.row")}</Table.Th>
              <Table.Th>{t("upload.column")}</Table.Th>
              <Table.Th>{t("upload.why")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, SHOWN_ROWS).map((row, index) => (
              <Table.Tr key={`${row.row ?? "?"}-${index}`} data-testid="refused-row">
                <Table.Td>{row.row ?? "–"}</Table.Td>
                <Table.Td>{row.column ?? t("upload.wholeRow")}</Table.Td>
                <Table.Td>{row.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rows.length > SHOWN_ROWS && (
          <Text size="xs" c="dimmed">
            {t("upload.more", { count: rows.length - SHOWN_ROWS })}
          </Text>
        )}
        <Group>
          <Button variant="light" onClick={onContinue} data-testid="continue-without-refused">
            {t("upload.continueWithout", { count: rows.length })}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
