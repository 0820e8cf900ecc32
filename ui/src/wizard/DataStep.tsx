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
import { useEffect, useRef, useState } from "react";

import type { FixedFile, FixProgress, HeldFile, InspectedFile, ReadProgress } from "../backend";
import { say, t as translate, useTranslation } from "../i18n";
import {
  useCancelInspection,
  useChooseData,
  useChooseDataFile,
  useConnection,
  useDataDraft,
  useFilesDropped,
  useFixDataFile,
  useInspectDataFile,
  useOpenSampleSpreadsheet,
  useRevealHeldFile,
  useSampleSpreadsheets,
} from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import classes from "./DataStep.module.css";
import { formatBytes } from "../format";
import { delimiterLabel, encodingLabel } from "./labels";
import { SampleSpreadsheetMenu, SampleSpreadsheets } from "./SampleSpreadsheets";
import { StepActions } from "./StepActions";
import { UploadPanel, type UploadHow, useUpload } from "./UploadPanel";

type Finding = InspectedFile["report"]["findings"][number];

const severityColor: Record<Finding["severity"], string> = { problem: "red", warning: "yellow", note: "blue" };

function Findings({ findings }: { findings: Finding[] }) {
  const { t } = useTranslation("wizard");
  if (findings.length === 0) {
    return (
      <Alert color="teal" variant="light" title={t("data.noProblems")} data-testid="no-findings">
        {t("data.noProblemsText")}
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="findings">
      {findings.map((finding) => {
        return (
          <Alert
            key={finding.code}
            color={severityColor[finding.severity]}
            variant="light"
            title={t(`data.severity.${finding.severity}`)}
            icon={finding.severity === "note" ? <IconInfoCircle aria-hidden /> : <IconAlertTriangle aria-hidden />}
            data-code={finding.code}
          >
            {say(finding.message)}
          </Alert>
        );
      })}
    </Stack>
  );
}

function PreviewTable({ file }: { file: InspectedFile }) {
  const { t } = useTranslation("wizard");
  const { columns, rows } = file.preview;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped withTableBorder withColumnBorders fz="sm" aria-label={t("data.previewLabel")}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              <Table.Th key={index} className={column.hidden ? classes.hiddenColumn : undefined}>
                <Stack gap={2}>
                  <span>{column.name || t("data.unnamedColumn", { number: index + 1 })}</span>
                  {column.hidden && (
                    <Badge size="xs" variant="light" color="gray">
                      {t("data.hiddenColumn")}
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
  const { t } = useTranslation(["wizard", "common"]);
  const { report } = file;
  return (
    <Group gap="xs">
      <Badge variant="light" data-testid="row-count">
        {t("common:rows", { count: report.rowCount })}
      </Badge>
      <Badge variant="light">{t("common:columns", { count: report.columns.length })}</Badge>
      <Badge variant="default">{formatBytes(report.fileSize)}</Badge>
      <Badge variant="default">{encodingLabel(report.encoding)}</Badge>
      <Badge variant="default">{t("data.separatedBy", { delimiter: delimiterLabel(report.delimiter) })}</Badge>
    </Group>
  );
}

/**
 * Why the checked file cannot be uploaded yet, or `null` when it can. "Fix these for me"
 * is named only when it is offered (`fixable`).
 */
export function uploadBlocker(file: InspectedFile, fixable: boolean): string | null {
  if (file.report.findings.some((finding) => finding.severity === "problem")) {
    return fixable ? translate("wizard:data.blockerFixProblems") : translate("wizard:data.blockerFixInSpreadsheet");
  }
  if (!file.fileName.toLowerCase().endsWith(".csv")) {
    return fixable ? translate("wizard:data.blockerCsvFix") : translate("wizard:data.blockerCsvSave");
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
  const { t } = useTranslation("common");
  const cancel = useCancelInspection();
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
        <Button size="xs" variant="default" onClick={() => cancel.mutate()} data-testid="cancel-reading">
          {t("cancel")}
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
  const { t } = useTranslation(["wizard", "common"]);
  const [hovering, setHovering] = useState(false);
  const [progress, setProgress] = useState<ReadProgress | null>(null);
  const [fixProgress, setFixProgress] = useState<FixProgress | null>(null);
  // Replaced only when a read or a fix finishes: a cancelled or failed one loses nothing.
  const [shown, setShown] = useState<Shown | null>(null);
  const draft = useDataDraft();
  const practising = useConnection().data?.mode === "practice";
  // Saves the file to send; the drafts and the task's view of the data are read again.
  const chooseData = useChooseData();
  const reveal = useRevealHeldFile();

  // The saved file is read again once, when the step opens with nothing read yet (after a
  // restart); never once a read has started here, or a stopped read would be followed by
  // a second one of the saved file, replacing "Stopped reading".
  const restored = useRef(false);
  // `remember` is false when the file is re-read from the saved draft after a restart.
  // The dialog, a drop and a sample all come here with a handle Rust gave out (never a
  // path), and so reach the same command.
  const inspect = useInspectDataFile<{ file: HeldFile; remember: boolean }>(setProgress, {
    onMutate: () => {
      restored.current = true;
      setProgress(null);
    },
    onSuccess: async (file, { remember }) => {
      setShown({ file, fixed: null });
      fix.reset();
      if (remember) await chooseData.mutateAsync({ source: file.handle, working: file.handle });
    },
  });
  // Takes the handle of the file to fix; the copy comes back with a handle of its own.
  const fix = useFixDataFile(setFixProgress, {
    onMutate: () => setFixProgress(null),
    onSuccess: async (copy, source) => {
      setShown({ file: copy.file, fixed: copy });
      await chooseData.mutateAsync({ source, working: copy.file.handle });
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
  const choose = useChooseDataFile({ onSuccess: (file) => file && inspect.mutate({ file, remember: true }) });
  const samples = useSampleSpreadsheets(practising);
  const openSample = useOpenSampleSpreadsheet({ onSuccess: (file) => inspect.mutate({ file, remember: true }) });

  useFilesDropped((files) => {
    const [first] = files;
    if (first) inspect.mutate({ file: first, remember: true });
  }, setHovering);

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
  const mode = practising ? "practice" : "prolific";
  const where = t(`common:where.${mode}`);
  const continueBlocker = ((): string | null => {
    if (inspect.isPending) return t("data.waitReading", { fileName: readingName });
    if (fix.isPending) return t("data.waitFixing");
    if (failed) {
      return file
        ? t("data.couldNotCheckGoBack", { fileName: readingName, previous: file.fileName })
        : t("data.couldNotCheckChoose", { fileName: readingName });
    }
    if (!file) return t("data.chooseFirst");
    if (uploaded) return null;
    if (draft.data?.rejectedRows.length) {
      return t("data.refusedSomeRows", { where: t(`common:whereCapital.${mode}`) });
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
          <Text fw={600}>{hovering ? t("data.dropToCheck") : t("data.dropAnywhere")}</Text>
          <Text size="sm" c="dimmed">
            {t("data.kinds")}
          </Text>
          <Group gap="xs" justify="center">
            <Button
              variant="light"
              leftSection={<IconFileSpreadsheet size={18} aria-hidden />}
              onClick={() => choose.mutate()}
              loading={choose.isPending}
              data-testid="choose-file"
            >
              {t("data.chooseFile")}
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

      {choose.isError && <ErrorNotice title={t("data.couldNotOpenChooser")} error={choose.error} />}

      {practising && samples.data && !file && (
        <SampleSpreadsheets
          samples={samples.data}
          onChoose={(id) => openSample.mutate(id)}
          disabled={openSample.isPending || inspect.isPending}
        />
      )}
      {openSample.isError && <ErrorNotice title={t("data.couldNotOpenSample")} error={openSample.error} />}

      {inspect.isPending && (
        <WorkProgress
          label={t("data.reading", { fileName: readingName })}
          percent={percentOf(progress)}
          ariaLabel={t("data.readingLabel")}
          testId="reading-progress"
        />
      )}
      {inspect.isError &&
        (inspect.error.code === "cancelled" ? (
          <Alert color="gray" variant="light" data-testid="reading-cancelled">
            {file
              ? t("data.stoppedReadingKept", { fileName: readingName, previous: file.fileName })
              : t("data.stoppedReading", { fileName: readingName })}
          </Alert>
        ) : (
          <Stack gap="xs" data-testid="reading-failed">
            <ErrorNotice title={t("data.couldNotCheck", { fileName: readingName })} error={inspect.error} />
            {file && (
              <Group gap="sm">
                <Text size="sm">{t("data.stillTheFile", { fileName: file.fileName })}</Text>
                <Button size="xs" variant="default" onClick={() => inspect.reset()} data-testid="show-previous-file">
                  {t("data.showFile", { fileName: file.fileName })}
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
                  {t("data.fix")}
                </Button>
              )}
            </Group>
            {fixed && (
              <Alert color="teal" variant="light" title={t("data.fixedTitle")} data-testid="fixed-notice">
                {t("data.fixedWrote", { count: fixed.summary.rowsWritten })}
                {fixed.summary.duplicateRowsDropped > 0 &&
                  t("data.fixedRepeated", { count: fixed.summary.duplicateRowsDropped })}
                {fixed.summary.emptyRowsDropped > 0 && t("data.fixedEmpty", { count: fixed.summary.emptyRowsDropped })}
                {t("data.fixedKept", { fileName: fixed.file.fileName, where })}
                <Group mt="xs">
                  <Button
                    size="xs"
                    variant="light"
                    color="teal"
                    onClick={() => reveal.mutate(fixed.file.handle)}
                    data-testid="reveal-fixed"
                  >
                    {t("data.revealFixed")}
                  </Button>
                </Group>
              </Alert>
            )}
            {fix.isPending && (
              <WorkProgress
                label={fixProgress?.stage === "checking" ? t("data.checkingFixed") : t("data.writingFixed")}
                percent={percentOf(fixProgress)}
                ariaLabel={t("data.fixingLabel")}
                testId="fix-progress"
              />
            )}
            {fix.isError &&
              (fix.error.code === "cancelled" ? (
                <Alert color="gray" variant="light" data-testid="fix-cancelled">
                  {t("data.stoppedFixing")}
                </Alert>
              ) : (
                <ErrorNotice title={t("data.couldNotFix")} error={fix.error} />
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
              {t("data.previewLabel")}
            </Title>
            <PreviewTable file={file} />
          </Stack>
        </Card>
      )}

      <StepActions
        label={uploaded ? t("data.continueToTask") : t("data.uploadAndContinue", { where })}
        onContinue={() => (uploaded ? onContinue() : uploadThenContinue("as-is"))}
        blockedBy={continueBlocker}
        busy={upload.mutation.isPending}
        testId="continue-to-task"
      />
    </Stack>
  );
}
