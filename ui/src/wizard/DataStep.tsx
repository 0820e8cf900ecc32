import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { IconAlertTriangle, IconFileSpreadsheet, IconInfoCircle, IconTool, IconUpload } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import {
  backend,
  type BackendError,
  type FixedFile,
  type FixProgress,
  type HeldFile,
  type InspectedFile,
  onFilesDropped,
  type ReadProgress,
} from "../backend";
import { queryKeys, useConnection, useDataDraft, useSampleSpreadsheets } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import classes from "./DataStep.module.css";
import { delimiterLabel, encodingLabel, formatBytes } from "./labels";
import { SampleSpreadsheetMenu, SampleSpreadsheets } from "./SampleSpreadsheets";
import { StepActions } from "./StepActions";
import { UploadPanel, type UploadHow, useUpload } from "./UploadPanel";

type Finding = InspectedFile["report"]["findings"][number];

const severityLook: Record<Finding["severity"], { color: string; title: string }> = {
  Problem: { color: "red", title: "Fix before uploading" },
  Warning: { color: "yellow", title: "Worth checking" },
  Note: { color: "blue", title: "Good to know" },
};

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return (
      <Alert color="teal" variant="light" title="No problems found" data-testid="no-findings">
        Prolific will read this file as it is.
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="findings">
      {findings.map((finding) => {
        const look = severityLook[finding.severity];
        return (
          <Alert
            key={finding.code}
            color={look.color}
            variant="light"
            title={look.title}
            icon={finding.severity === "Note" ? <IconInfoCircle aria-hidden /> : <IconAlertTriangle aria-hidden />}
            data-code={finding.code}
          >
            {finding.message}
          </Alert>
        );
      })}
    </Stack>
  );
}

function PreviewTable({ file }: { file: InspectedFile }) {
  const { columns, rows } = file.preview;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped withTableBorder withColumnBorders fz="sm" aria-label="The first rows, as Prolific will read them">
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              <Table.Th key={index} className={column.hidden ? classes.hiddenColumn : undefined}>
                <Stack gap={2}>
                  <span>{column.name || `(column ${index + 1})`}</span>
                  {column.hidden && (
                    <Badge size="xs" variant="light" color="gray">
                      hidden from participants
                    </Badge>
                  )}
                </Stack>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.line}>
              {columns.map((column, index) => (
                <Table.Td key={index} className={column.hidden ? classes.hiddenColumn : undefined}>
                  <Text size="sm" lineClamp={3}>
                    {row.cells[index] ?? ""}
                  </Text>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function Summary({ file }: { file: InspectedFile }) {
  const { report } = file;
  return (
    <Group gap="xs">
      <Badge variant="light" data-testid="row-count">
        {report.rowCount.toLocaleString()} rows
      </Badge>
      <Badge variant="light">{report.columns.length} columns</Badge>
      <Badge variant="default">{formatBytes(report.fileSize)}</Badge>
      <Badge variant="default">{encodingLabel[report.encoding]}</Badge>
      <Badge variant="default">separated by {delimiterLabel[report.delimiter]}</Badge>
    </Group>
  );
}

/**
 * Why the checked file cannot be uploaded yet, or `null` when it can. "Fix these for me"
 * is named only when it is offered (`fixable`).
 */
export function uploadBlocker(file: InspectedFile, fixable: boolean): string | null {
  if (file.report.findings.some((finding) => finding.severity === "Problem")) {
    return fixable
      ? "Fix the problems above first (“Fix these for me” handles most of them)."
      : "Fix the problems above in your spreadsheet, save it, and choose it again.";
  }
  if (!file.fileName.toLowerCase().endsWith(".csv")) {
    return fixable
      ? "Prolific takes .csv files: use “Fix these for me” to make a CSV copy."
      : "Prolific takes .csv files: save your spreadsheet as CSV (in Excel, File → Save As → “CSV UTF-8”) and choose that file.";
  }
  return null;
}

/** A percentage when the size is known (it always is for a file on disk). */
function percentOf(progress: { bytesRead: number; totalBytes?: number | null } | null): number | undefined {
  return progress?.totalBytes
    ? Math.min(100, Math.round((progress.bytesRead / progress.totalBytes) * 100))
    : undefined;
}

/** A progress bar with a Cancel button beside it, for reading or fixing a file. */
function WorkProgress({
  label,
  percent,
  ariaLabel,
  testId,
}: {
  label: string;
  percent: number | undefined;
  ariaLabel: string;
  testId: string;
}) {
  return (
    <Stack gap={4} aria-live="polite" data-testid={testId}>
      <Text size="sm">{label}</Text>
      <Group gap="sm" wrap="nowrap">
        <Progress
          value={percent ?? 100}
          animated={percent === undefined}
          aria-label={ariaLabel}
          style={{ flex: 1 }}
        />
        <Button size="xs" variant="default" onClick={() => void backend.cancelInspection()} data-testid="cancel-reading">
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

/** What the step shows: the last file read to the end, and the fixed copy made of it. */
type Shown = { file: InspectedFile; fixed: FixedFile | null };

/** Step 1: bring a file (drop or choose), see what the doctor found, fix, preview; Continue uploads it. */
export function DataStep({
  onContinue,
  openedFile = null,
  onOpenedFileTaken,
}: {
  onContinue: () => void;
  /** A file opened with Batchdesk (from the system), read as if it had been dropped here. */
  openedFile?: HeldFile | null;
  onOpenedFileTaken?: () => void;
}) {
  const client = useQueryClient();
  const [hovering, setHovering] = useState(false);
  const [progress, setProgress] = useState<ReadProgress | null>(null);
  const [fixProgress, setFixProgress] = useState<FixProgress | null>(null);
  // Replaced only when a read or a fix finishes: a cancelled or failed one loses nothing.
  const [shown, setShown] = useState<Shown | null>(null);
  const draft = useDataDraft();
  const practising = useConnection().data?.mode === "practice";
  // A file read again may have changed at the same handle: the task's view of the data
  // and its batch (set up on the old dataset) are read again too.
  const refreshDraft = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.dataDraft }),
      client.invalidateQueries({ queryKey: queryKeys.taskDraft }),
      client.invalidateQueries({ queryKey: queryKeys.allTaskData }),
    ]);

  // The saved file is read again once, when the step opens with nothing read yet (after a
  // restart); never once a read has started here, or a stopped read would be followed by
  // a second one of the saved file, replacing "Stopped reading".
  const restored = useRef(false);
  // `remember` is false when the file is re-read from the saved draft after a restart.
  // The dialog, a drop and a sample all come here with a handle Rust gave out (never a
  // path), and so reach the same command.
  const inspect = useMutation<InspectedFile, BackendError, { file: HeldFile; remember: boolean }>({
    mutationFn: ({ file }) => {
      restored.current = true;
      setProgress(null);
      return backend.inspectDataFile(file.handle, setProgress);
    },
    onSuccess: async (file, { remember }) => {
      setShown({ file, fixed: null });
      fix.reset();
      if (remember) {
        await backend.chooseData(file.handle, file.handle);
        await refreshDraft();
      }
    },
  });
  // Takes the handle of the file to fix; the copy comes back with a handle of its own.
  const fix = useMutation<FixedFile, BackendError, string>({
    mutationFn: (handle) => {
      setFixProgress(null);
      return backend.fixDataFile(handle, setFixProgress);
    },
    onSuccess: async (copy, source) => {
      setShown({ file: copy.file, fixed: copy });
      await backend.chooseData(source, copy.file.handle);
      await refreshDraft();
    },
  });

  // A file opened with Batchdesk goes in like a dropped one, before any saved file.
  useEffect(() => {
    if (!openedFile) return;
    restored.current = true;
    inspect.mutate({ file: openedFile, remember: true });
    onOpenedFileTaken?.();
    // `inspect.mutate` is stable for the component's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openedFile]);

  // Quitting in the middle and coming back shows the same file, checked again.
  const savedFile = draft.data?.workingFile;
  useEffect(() => {
    if (!restored.current && savedFile && !inspect.data && !inspect.isPending) {
      inspect.mutate({ file: savedFile, remember: false });
    }
  }, [savedFile, inspect]);
  const choose = useMutation<HeldFile | null, BackendError>({
    mutationFn: backend.chooseDataFile,
    onSuccess: (file) => file && inspect.mutate({ file, remember: true }),
  });
  const samples = useSampleSpreadsheets(practising);
  const openSample = useMutation<HeldFile, BackendError, string>({
    mutationFn: backend.openSampleSpreadsheet,
    onSuccess: (file) => inspect.mutate({ file, remember: true }),
  });

  useEffect(() => {
    const unlisten = onFilesDropped(
      (files) => {
        const [first] = files;
        if (first) inspect.mutate({ file: first, remember: true });
      },
      setHovering,
    );
    return () => {
      void unlisten.then((stop) => stop());
    };
    // `inspect.mutate` is stable for the component's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const upload = useUpload();
  const uploadThenContinue = (how: UploadHow) => upload.mutation.mutate(how, { onSuccess: onContinue });

  const file = shown?.file;
  const fixed = shown?.fixed ?? null;
  const fixable = file?.report.findings.some((finding) => finding.fixable) ?? false;
  const readingName = inspect.variables?.file.fileName;
  // A file that could not be read replaces the card of the one before (which stays the
  // batch's file until another is read): the two are never on screen together.
  const failed = inspect.isError && inspect.error.code !== "cancelled";
  const cardShown = file && !inspect.isPending && !failed;
  const uploaded = draft.data?.ready ?? false;
  const where = practising ? "the practice server" : "Prolific";
  const continueBlocker = ((): string | null => {
    if (inspect.isPending) return `Wait until ${readingName} has been read.`;
    if (fix.isPending) return "Wait until the fixed copy is written.";
    if (failed) {
      return file
        ? `${readingName} could not be checked: choose another file, or go back to ${file.fileName}.`
        : `${readingName} could not be checked: choose another file.`;
    }
    if (!file) return "Choose or drop your spreadsheet first.";
    if (uploaded) return null;
    if (draft.data?.rejectedRows.length) {
      return `${where.charAt(0).toUpperCase() + where.slice(1)} refused some rows: fix them in your spreadsheet, or continue without them (above).`;
    }
    return uploadBlocker(file, fixable);
  })();

  return (
    <Stack gap="lg">
      <Paper
        className={classes.dropZone}
        data-hovering={hovering || undefined}
        withBorder
        p="xl"
        data-testid="drop-zone"
      >
        <Stack align="center" gap="xs">
          <IconUpload size={36} stroke={1.4} aria-hidden />
          <Text fw={600}>{hovering ? "Drop to check this file" : "Drop your spreadsheet anywhere on this window"}</Text>
          <Text size="sm" c="dimmed">
            CSV, tab-separated or Excel “Unicode text” (.csv, .tsv, .txt). Your file is only read; it is never changed.
          </Text>
          <Group gap="xs" justify="center">
            <Button
              variant="light"
              leftSection={<IconFileSpreadsheet size={18} aria-hidden />}
              onClick={() => choose.mutate()}
              loading={choose.isPending}
              data-testid="choose-file"
            >
              Choose a file…
            </Button>
            {practising && samples.data && file && (
              <SampleSpreadsheetMenu
                samples={samples.data}
                onChoose={(id) => openSample.mutate(id)}
                disabled={openSample.isPending || inspect.isPending}
              />
            )}
          </Group>
        </Stack>
      </Paper>

      {choose.isError && <ErrorNotice title="Could not open the file chooser" error={choose.error} />}

      {practising && samples.data && !file && (
        <SampleSpreadsheets
          samples={samples.data}
          onChoose={(id) => openSample.mutate(id)}
          disabled={openSample.isPending || inspect.isPending}
        />
      )}
      {openSample.isError && <ErrorNotice title="Could not open the sample" error={openSample.error} />}

      {inspect.isPending && (
        <WorkProgress
          label={`Reading ${readingName}…`}
          percent={percentOf(progress)}
          ariaLabel="Reading the file"
          testId="reading-progress"
        />
      )}
      {inspect.isError &&
        (inspect.error.code === "cancelled" ? (
          <Alert color="gray" variant="light" data-testid="reading-cancelled">
            Stopped reading {readingName}. Nothing was changed
            {file ? `: ${file.fileName} is still the file for this batch.` : "."}
          </Alert>
        ) : (
          <Stack gap="xs" data-testid="reading-failed">
            <ErrorNotice title={`${readingName} could not be checked`} error={inspect.error} />
            {file && (
              <Group gap="sm">
                <Text size="sm">Nothing was changed: {file.fileName} is still the file for this batch.</Text>
                <Button size="xs" variant="default" onClick={() => inspect.reset()} data-testid="show-previous-file">
                  Show {file.fileName}
                </Button>
              </Group>
            )}
          </Stack>
        ))}

      {cardShown && (
        <Card withBorder padding="lg">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start">
              <Stack gap={4}>
                <Title order={3} size="h4" data-testid="file-name">
                  {file.fileName}
                </Title>
                <Summary file={file} />
              </Stack>
              {fixable && (
                <Button
                  leftSection={<IconTool size={18} aria-hidden />}
                  onClick={() => fix.mutate(file.handle)}
                  loading={fix.isPending}
                  data-testid="fix-file"
                >
                  Fix these for me
                </Button>
              )}
            </Group>
            {fixed && (
              <Alert color="teal" variant="light" title="A fixed copy was made" data-testid="fixed-notice">
                Batchdesk wrote {fixed.summary.rowsWritten.toLocaleString()} rows to a new UTF-8, comma-separated file
                {fixed.summary.duplicateRowsDropped > 0 &&
                  `, leaving out ${fixed.summary.duplicateRowsDropped.toLocaleString()} repeated rows`}
                {fixed.summary.emptyRowsDropped > 0 &&
                  ` and ${fixed.summary.emptyRowsDropped.toLocaleString()} empty rows`}
                . Your original file was not changed. The copy, {fixed.file.fileName}, is kept in Batchdesk&apos;s own
                folder, and it is what goes to {practising ? "the practice server" : "Prolific"}.
                <Group mt="xs">
                  <Button
                    size="xs"
                    variant="light"
                    color="teal"
                    onClick={() => void backend.revealHeldFile(fixed.file.handle)}
                    data-testid="reveal-fixed"
                  >
                    Show the copy in its folder
                  </Button>
                </Group>
              </Alert>
            )}
            {fix.isPending && (
              <WorkProgress
                label={fixProgress?.stage === "checking" ? "Checking the fixed copy…" : "Writing a fixed copy…"}
                percent={percentOf(fixProgress)}
                ariaLabel="Fixing the file"
                testId="fix-progress"
              />
            )}
            {fix.isError &&
              (fix.error.code === "cancelled" ? (
                <Alert color="gray" variant="light" data-testid="fix-cancelled">
                  Stopped fixing. Nothing was changed, and no copy was kept.
                </Alert>
              ) : (
                <ErrorNotice title="The fixed copy could not be written" error={fix.error} />
              ))}
            <Findings findings={file.report.findings} />
            {draft.data && (
              <UploadPanel
                draft={draft.data}
                upload={upload}
                practising={practising}
                onContinueWithoutRefused={() => uploadThenContinue("without-refused")}
              />
            )}
            <Title order={4} size="h5">
              The first rows, as Prolific will read them
            </Title>
            <PreviewTable file={file} />
          </Stack>
        </Card>
      )}

      <StepActions
        label={uploaded ? "Continue to your task" : `Upload to ${where} and continue`}
        onContinue={() => (uploaded ? onContinue() : uploadThenContinue("as-is"))}
        blockedBy={continueBlocker}
        busy={upload.mutation.isPending}
        testId="continue-to-task"
      />
    </Stack>
  );
}
