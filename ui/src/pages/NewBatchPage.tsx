import { Button, Group, Stack, Stepper, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconArrowLeft } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

import type { HeldFile } from "../backend";
import { useTranslation } from "../i18n";
import { useDataDraft, useStartNewBatch, useStudyContext, useTaskDraft } from "../queries";
import { openedFileOf } from "../shell/OpenedFiles";
import { DataStep } from "../wizard/DataStep";
import { PublishedBatch } from "../wizard/PublishedBatch";
import { StudyStep } from "../wizard/StudyStep";
import { TaskStep } from "../wizard/TaskStep";

export function NewBatchPage() {
  const { t } = useTranslation("pages");
  const draft = useDataDraft();
  const task = useTaskDraft();
  const batchReady = Boolean(task.data?.batch?.ready);
  // Only a batch set up has a step 3 (and so, perhaps, a published study).
  const study = useStudyContext(batchReady);
  // Bumped when a new batch is started: the wizard opens afresh on its first step.
  const [generation, setGeneration] = useState(0);
  const started = () => setGeneration((value) => value + 1);

  // A file opened with Batchdesk arrives with the navigation here: the wizard opens
  // afresh on its data step with that file (a batch in progress keeps its task; a
  // published one makes way for a new batch). Taken once per navigation.
  const location = useLocation();
  const navigate = useNavigate();
  const arrived = openedFileOf(location.state);
  const [openedFile, setOpenedFile] = useState<HeldFile | null>(null);
  const [seenNavigation, setSeenNavigation] = useState<string | null>(null);
  if (arrived && location.key !== seenNavigation) {
    setSeenNavigation(location.key);
    setOpenedFile(arrived);
    setGeneration((value) => value + 1);
  }
  // Going back to this entry later must not open the file again.
  useEffect(() => {
    if (arrived) void navigate(location.pathname, { replace: true, state: null });
  }, [arrived, location.pathname, navigate]);

  // Waits for what decides the first view once only: a batch set up later (step 2's
  // Continue) must not take the wizard off the screen while step 3 loads.
  const [opened, setOpened] = useState(false);
  const loading = draft.isPending || task.isPending || (batchReady && study.isPending);
  if (!opened && !loading) setOpened(true);
  if (!opened) return null;
  const launched = batchReady ? study.data?.launched : null;
  const makingWay = Boolean(openedFile && launched?.published);
  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap="xs">
        <Title order={2}>{t("newBatch.title")}</Title>
        <Text c="dimmed">{t("newBatch.intro")}</Text>
      </Stack>
      {makingWay && openedFile ? (
        <MakeWayForOpenedFile file={openedFile} onStarted={started} />
      ) : launched?.published ? (
        // Published: New batch no longer reopens it, it offers the ways to a new one.
        <PublishedBatch launched={launched} taskTitle={study.data?.taskTitle ?? ""} onStarted={started} />
      ) : (
        // Coming back to a batch whose data is uploaded opens on the task.
        <Wizard
          key={generation}
          firstStep={draft.data?.ready && !openedFile ? 1 : 0}
          onStarted={started}
          openedFile={openedFile}
          onOpenedFileTaken={() => setOpenedFile(null)}
        />
      )}
    </Stack>
  );
}

/** A file opened while the wizard shows a published batch: a new batch is started for it. */
function MakeWayForOpenedFile({ file, onStarted }: { file: HeldFile; onStarted: () => void }) {
  const { t } = useTranslation("pages");
  const start = useStartNewBatch(onStarted);
  const { mutate, isIdle } = start;
  useEffect(() => {
    if (isIdle) mutate("empty");
  }, [isIdle, mutate]);
  return (
    <Text c="dimmed" aria-live="polite" data-testid="opening-file">
      {t("newBatch.openingFile", { fileName: file.fileName })}
    </Text>
  );
}

function Wizard({
  firstStep,
  onStarted,
  openedFile,
  onOpenedFileTaken,
}: {
  firstStep: number;
  onStarted: () => void;
  openedFile: HeldFile | null;
  onOpenedFileTaken: () => void;
}) {
  const { t } = useTranslation("pages");
  const [step, setActive] = useState(firstStep);
  // In a narrow window the three steps keep to one line: their labels alone.
  const roomy = useMediaQuery("(min-width: 1100px)", true);
  const describe = (text: string) => (roomy ? text : undefined);
  // Only earlier steps can be gone back to: the others say so to assistive technology
  // (they are out of the tab order), and the one open is the current step.
  const stepState = (index: number) => ({
    "aria-disabled": index > step || undefined,
    "aria-current": index === step ? ("step" as const) : undefined,
  });
  return (
    <Stepper active={step} onStepClick={setActive} size="sm" allowNextStepsSelect={false}>
      <Stepper.Step label={t("newBatch.stepData")} description={describe(t("newBatch.stepDataDescription"))} data-testid="step-data" {...stepState(0)}>
        <DataStep onContinue={() => setActive(1)} openedFile={openedFile} onOpenedFileTaken={onOpenedFileTaken} />
      </Stepper.Step>
      <Stepper.Step label={t("newBatch.stepTask")} description={describe(t("newBatch.stepTaskDescription"))} data-testid="step-task" {...stepState(1)}>
        <TaskStep onBack={() => setActive(0)} onContinue={() => setActive(2)} />
      </Stepper.Step>
      <Stepper.Step
        label={t("newBatch.stepStudy")}
        description={describe(t("newBatch.stepStudyDescription"))}
        data-testid="step-study"
        {...stepState(2)}
      >
        <Stack gap="lg">
          <StudyStep onEditStep={setActive} onNewBatch={onStarted} />
          <Group>
            <Button
              variant="default"
              leftSection={<IconArrowLeft size={18} aria-hidden />}
              onClick={() => setActive(1)}
              data-testid="back-to-task"
            >
              {t("newBatch.backToTask")}
            </Button>
          </Group>
        </Stack>
      </Stepper.Step>
    </Stepper>
  );
}
