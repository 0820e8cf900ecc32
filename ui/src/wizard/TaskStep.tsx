import {
  Alert,
  Button,
  Card,
  Divider,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import {
  IconChevronDown,
  IconDeviceFloppy,
  IconEye,
  IconFileImport,
  IconInfoCircle,
  IconPencil,
  IconTemplate,
} from "@tabler/icons-react";
import { useState } from "react";

import type {
  AppliedTemplate,
  CheckedDesign,
  ColumnChoice,
  ReadyBatch,
  SetupProgress,
  TaskData,
  TaskDesign,
  Text as Sentence,
} from "../backend";
import {
  useApplyTemplate,
  useCancelSetup,
  useConnection,
  useDataDraft,
  useOpenTaskTemplate,
  useSaveTaskDesign,
  useSaveTaskTemplate,
  useSetUpBatch,
  useTaskData,
  useTaskDraft,
  useTaskTemplates,
} from "../queries";
import { say, t as translate, useTranslation } from "../i18n";
import { ErrorNotice } from "../shell/ErrorNotice";
import { DataLayoutEditor } from "../task/DataLayoutEditor";
import { defaultDataRows, noChecks } from "../task/design";
import { ParticipantPreview } from "../task/ParticipantPreview";
import { QualityChecksField, rowsToLabel } from "../task/QualityChecksField";
import { QuestionsBuilder } from "../task/QuestionsBuilder";
import { RichTextField } from "../task/RichTextField";
import { TasksPerGroupField } from "../task/TasksPerGroupField";
import { TemplateColumnChoices } from "../task/TemplateColumnChoices";
import { SetupPanel } from "./SetupPanel";
import { StepActions } from "./StepActions";
import { AutosaveError, AutosaveState, useAutosave } from "./autosave";
import { TaskStart } from "./TaskStart";

/** How long typing may pause before the design is saved and checked. */
const SAVE_DELAY_MS = 400;

/**
 * Wizard step 2: what participants are told, what they see of each row, what they
 * answer, and how many rows each does in a sitting; then the batch is set up. The
 * design is saved as the researcher types (per mode), so quitting loses nothing.
 */
export function TaskStep({ onBack, onContinue }: { onBack: () => void; onContinue: () => void }) {
  const dataDraft = useDataDraft();
  // Keyed by the handle Rust holds the file under; the UI never sees its path.
  const workingPath = dataDraft.data?.workingFile?.handle;
  const data = useTaskData(workingPath);
  const draft = useTaskDraft();
  const { t } = useTranslation("wizard");
  const back = { label: t("task.backToData"), onClick: onBack, testId: "back-to-data" };
  // Until the editor is open, Continue says what is missing.
  const waiting = (body: React.ReactNode, blockedBy: string) => (
    <Stack gap="lg">
      {body}
      <StepActions
        back={back}
        label={t("task.continueToStudy")}
        onContinue={onContinue}
        blockedBy={blockedBy}
        busy={false}
        testId="continue-to-study"
      />
    </Stack>
  );

  if (dataDraft.isPending || draft.isPending || (workingPath && data.isPending)) {
    return waiting(
      <Group gap="sm" aria-live="polite">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{t("task.readingData")}</Text>
      </Group>,
      t("task.waitReading"),
    );
  }
  if (!workingPath) {
    return waiting(
      <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="task-needs-data">
        {t("task.needsData")}
      </Alert>,
      t("task.chooseDataFirst"),
    );
  }
  if (data.isError) {
    return waiting(<ErrorNotice title={t("task.dataUnreadable")} error={data.error} />, t("task.dataUnreadableReason"));
  }
  if (draft.isError) {
    return waiting(
      <ErrorNotice title={t("task.taskUnloadable")} error={draft.error} />,
      t("task.taskUnloadableReason"),
    );
  }
  if (!data.data || !draft.data) return null;
  return (
    <TaskEditor
      data={data.data}
      saved={draft.data.design}
      savedReady={draft.data.batch?.ready ?? null}
      setUpOnOtherData={draft.data.setUpOnOtherData ?? false}
      back={back}
      onContinue={onContinue}
    />
  );
}

function TaskEditor({
  data,
  saved,
  savedReady,
  setUpOnOtherData,
  back,
  onContinue,
}: {
  back: { label: string; onClick: () => void; testId: string };
  onContinue: () => void;
  data: TaskData;
  saved: TaskDesign | null;
  /** The batch set up earlier (before a restart), if any. */
  savedReady: ReadyBatch | null;
  /** A batch was set up on data step 1 no longer has: it must be set up again. */
  setUpOnOtherData: boolean;
}) {
  const { t } = useTranslation(["wizard", "common"]);
  const practising = useConnection().data?.mode === "practice";
  const uploaded = useDataDraft().data?.ready ?? false;
  const templates = useTaskTemplates();
  const [design, setDesign] = useState<TaskDesign | null>(saved);
  // The saved design the editor opened with (a later read of the draft is another object).
  const [openedWith] = useState(saved);
  // Bumped when a template or a blank task replaces the design, so the editors start
  // from the new text instead of keeping their own.
  const [generation, setGeneration] = useState(0);
  const [notes, setNotes] = useState<Sentence[]>([]);
  const [layoutNotes, setLayoutNotes] = useState<Sentence[]>([]);
  const [columnChoices, setColumnChoices] = useState<ColumnChoice[]>([]);
  const [checked, setChecked] = useState<CheckedDesign | null>(null);
  const [pendingReplace, setPendingReplace] = useState<(() => void) | null>(null);
  const [progress, setProgress] = useState<SetupProgress | null>(null);

  const replace = (next: TaskDesign, template?: AppliedTemplate) => {
    setDesign(next);
    setNotes(template?.notes ?? []);
    setLayoutNotes(template?.layoutNotes ?? []);
    setColumnChoices(template?.columnChoices ?? []);
    setGeneration((value) => value + 1);
  };
  const applied = (template: AppliedTemplate | null) => {
    if (template) replace(template.design, template);
  };
  // Replacing a task the researcher has worked on asks first.
  const confirmThen = (action: () => void) => {
    if (design && (design.questions.length > 0 || design.title.trim())) {
      setPendingReplace(() => action);
    } else {
      action();
    }
  };

  const applyTemplate = useApplyTemplate({ onSuccess: (template) => applied(template) });
  const openFile = useOpenTaskTemplate({ onSuccess: applied });
  const saveFile = useSaveTaskTemplate();
  const cancelSetup = useCancelSetup();
  const blank = () =>
    replace({
      title: "",
      introduction: "",
      steps: "",
      dataRows: defaultDataRows(data.columns),
      questions: [],
      tasksPerGroup: 1,
      checks: noChecks,
    });

  // Save and check the design once typing pauses, and on leaving the step.
  const autosave = useAutosave(design, useSaveTaskDesign({ onSuccess: setChecked }), SAVE_DELAY_MS);

  const setUp = useSetUpBatch(setProgress, {
    onMutate: () => setProgress(null),
    onSuccess: (outcome) => {
      if (outcome.outcome === "ready") {
        onContinue();
      } else if (outcome.outcome === "invalid") {
        setChecked((previous) => ({
          introductionHtml: previous?.introductionHtml ?? "",
          stepsHtml: previous?.stepsHtml ?? "",
          issues: outcome.issues,
        }));
      }
    },
  });

  if (!design) {
    return (
      <Stack gap="lg">
        <TaskStart
          templates={templates.data ?? []}
          onBlank={blank}
          onTemplate={(id) => applyTemplate.mutate(id)}
          onOpenFile={() => openFile.mutate()}
          busy={applyTemplate.isPending || openFile.isPending}
        />
        {templates.isError && <ErrorNotice title={t("task.couldNotListTemplates")} error={templates.error} />}
        {applyTemplate.isError && <ErrorNotice title={t("task.couldNotUseTemplate")} error={applyTemplate.error} />}
        {openFile.isError && <ErrorNotice title={t("task.couldNotOpenTemplateFile")} error={openFile.error} />}
        <StepActions
          back={back}
          label={t("task.continueToStudy")}
          onContinue={onContinue}
          blockedBy={t("task.startFirst")}
          busy={false}
          testId="continue-to-study"
        />
      </Stack>
    );
  }

  const issues = checked?.issues ?? [];
  const detailError = (field: string) => {
    const issue = issues.find((found) => found.section === "details" && found.field === field);
    return issue ? say(issue.message) : undefined;
  };
  const tasksPerGroupIssue = issues.find((issue) => issue.section === "setup" && issue.field === "tasksPerGroup");
  const setupIssue = tasksPerGroupIssue ? say(tasksPerGroupIssue.message) : undefined;
  const ready = setUp.data ? (setUp.data.outcome === "ready" ? setUp.data : null) : savedReady;
  // Continue goes straight on only with a batch set up from this very design (the one
  // set up here, or the saved one it opened with); any edit since sets up again.
  const setUpFrom = setUp.data ? (setUp.data.outcome === "ready" ? setUp.variables : null) : savedReady ? openedWith : null;
  const needsSetUp = !ready || setUpFrom !== design;
  const problems = setUp.isPending ? 0 : issues.length;
  const continueBlocker = !uploaded
    ? t("task.uploadFirst")
    : problems > 0
      ? t("task.fixProblems", { count: problems })
      : null;
  const update = (change: Partial<TaskDesign>) => setDesign((current) => (current ? { ...current, ...change } : current));
  // A design saved before checks existed has none.
  const checks = design.checks ?? noChecks;

  return (
    <Stack gap="lg" data-testid="task-editor">
      <Group justify="space-between">
        <AutosaveState autosave={autosave} />
        <Group gap="xs">
          <Menu position="bottom-end">
            <Menu.Target>
              <Button
                variant="default"
                leftSection={<IconTemplate size={18} aria-hidden />}
                rightSection={<IconChevronDown size={14} aria-hidden />}
                data-testid="template-menu"
              >
                {t("task.templates")}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t("task.startAgainFrom")}</Menu.Label>
              <Menu.Item onClick={() => confirmThen(blank)}>{t("task.blankTask")}</Menu.Item>
              {(templates.data ?? []).map((template) => (
                <Menu.Item
                  key={template.id}
                  onClick={() => confirmThen(() => applyTemplate.mutate(template.id))}
                  data-testid={`restart-${template.id}`}
                >
                  {template.name}
                </Menu.Item>
              ))}
              <Menu.Item
                leftSection={<IconFileImport size={16} aria-hidden />}
                onClick={() => confirmThen(() => openFile.mutate())}
                data-testid="restart-from-file"
              >
                {t("task.templateFile")}
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
                onClick={() =>
                  saveFile.mutate({ name: design.title.trim() || translate("wizard:task.templateFileName"), design })
                }
                data-testid="save-template"
              >
                {t("task.saveAsTemplate")}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <AutosaveError autosave={autosave} />
      {applyTemplate.isError && <ErrorNotice title={t("task.couldNotUseTemplate")} error={applyTemplate.error} />}
      {openFile.isError && <ErrorNotice title={t("task.couldNotOpenTemplateFile")} error={openFile.error} />}
      {saveFile.isError && <ErrorNotice title={t("task.couldNotSaveTemplateFile")} error={saveFile.error} />}
      {saveFile.data && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => saveFile.reset()}>
          {t("task.savedAs", { fileName: saveFile.data })}
        </Alert>
      )}
      <TemplateColumnChoices
        choices={columnChoices}
        columns={data.columns}
        rows={design.dataRows}
        onRowsChange={(dataRows) => update({ dataRows })}
        onChoicesChange={setColumnChoices}
      />
      {[...layoutNotes, ...notes].length > 0 && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInfoCircle aria-hidden />}
          withCloseButton
          closeButtonLabel={t("task.closeNotes")}
          onClose={() => {
            setNotes([]);
            setLayoutNotes([]);
          }}
          data-testid="template-notes"
        >
          {[...layoutNotes, ...notes].map(say).map((note) => (
            <Text key={note} size="sm">
              {note}
            </Text>
          ))}
        </Alert>
      )}

      <Tabs defaultValue="edit" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="edit" leftSection={<IconPencil size={16} aria-hidden />} data-testid="tab-edit">
            {t("task.edit")}
          </Tabs.Tab>
          <Tabs.Tab value="preview" leftSection={<IconEye size={16} aria-hidden />} data-testid="tab-preview">
            {t("task.preview")}
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="edit" pt="md">
          <Stack gap="lg" key={generation}>
            <Section title={t("task.told")}>
              <TextInput
                label={t("task.title")}
                description={t("task.titleDescription")}
                value={design.title}
                onChange={(event) => update({ title: event.currentTarget.value })}
                error={detailError("title")}
                data-testid="task-title"
              />
              <RichTextField
                label={t("task.introduction")}
                description={t("task.introductionDescription")}
                value={design.introduction}
                onChange={(introduction) => update({ introduction })}
                error={detailError("introduction")}
              />
              <RichTextField
                label={t("task.steps")}
                description={t("task.stepsDescription")}
                value={design.steps}
                onChange={(steps) => update({ steps })}
                error={detailError("steps")}
              />
            </Section>

            <Section title={t("task.seeOfEachRow")}>
              {!data.typed && (
                <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="untyped-layout">
                  {t("task.untypedLayout")}
                </Alert>
              )}
              <DataLayoutEditor
                columns={data.columns}
                rows={design.dataRows}
                onChange={(dataRows) => {
                  update({ dataRows });
                  // The researcher has taken the layout in hand: what the template said
                  // about its columns is answered.
                  setLayoutNotes([]);
                }}
                issues={issues}
              />
            </Section>

            <Section title={t("task.questions")}>
              <QuestionsBuilder
                questions={design.questions}
                onChange={(questions) => update({ questions })}
                issues={issues}
              />
            </Section>
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="preview" pt="md">
          <ParticipantPreview
            design={design}
            columns={data.columns}
            rows={data.preview.rows.map((row) => row.cells)}
            introductionHtml={checked?.introductionHtml ?? ""}
            stepsHtml={checked?.stepsHtml ?? ""}
          />
        </Tabs.Panel>
      </Tabs>

      <Section title={t("task.assignments")}>
        <TasksPerGroupField
          value={design.tasksPerGroup}
          onChange={(tasksPerGroup) => update({ tasksPerGroup })}
          rowCount={rowsToLabel(checks, data.columns, data.rowCount)}
          knownRows={data.rowCount - rowsToLabel(checks, data.columns, data.rowCount)}
          hasTaskGroupColumn={data.hasTaskGroups}
          error={setupIssue}
        />
        <Divider />
        <Title order={4} size="h5">
          {t("task.checks")}
        </Title>
        <QualityChecksField
          value={checks}
          onChange={(changed) => update({ checks: changed })}
          columns={data.columns}
          rowCount={data.rowCount}
          questions={design.questions}
          tasksPerGroup={design.tasksPerGroup}
          hasTaskGroupColumn={data.hasTaskGroups}
          issues={issues}
        />
        {setUpOnOtherData && !setUp.data && (
          <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="batch-on-old-data">
            {t("task.oldData")}
          </Alert>
        )}
        <SetupPanel
          ready={needsSetUp ? null : ready}
          progress={progress}
          pending={setUp.isPending}
          error={setUp.error}
          problems={problems}
          practising={practising}
          onCancel={() => cancelSetup.mutate()}
        />
      </Section>

      <StepActions
        back={back}
        label={
          needsSetUp
            ? t("task.setUpAndContinue", { where: t(`common:where.${practising ? "practice" : "prolific"}`) })
            : t("task.continueToStudy")
        }
        onContinue={() => (needsSetUp ? setUp.mutate(design) : onContinue())}
        blockedBy={continueBlocker}
        busy={setUp.isPending}
        testId="continue-to-study"
      />

      <Modal
        opened={pendingReplace !== null}
        onClose={() => setPendingReplace(null)}
        title={t("task.replaceTitle")}
        centered
      >
        <Stack>
          <Text size="sm">
            {t("task.replaceExplained")}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPendingReplace(null)}>
              {t("task.keep")}
            </Button>
            <Button
              color="red"
              onClick={() => {
                pendingReplace?.();
                setPendingReplace(null);
              }}
              data-testid="confirm-replace"
            >
              {t("task.replace")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Stack gap="md">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}
