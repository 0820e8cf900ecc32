import { Alert, Card, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconCircleCheck, IconInfoCircle } from "@tabler/icons-react";
import { useRef, useState } from "react";
import { useNavigate } from "react-router";

import type { CheckedSettings, LaunchStage, StudyContext, StudySettings } from "../backend";
import {
  useAudienceSize,
  useConnection,
  useLaunchStudy,
  usePilotView,
  usePriceQuote,
  useSaveStudySettings,
  useStudyContext,
  useTestRun,
} from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatMinorUnits } from "../format";
import { say, t as translate, useTranslation } from "../i18n";
import { PilotPanel } from "../study/PilotPanel";
import { AutosaveError, AutosaveState, useAutosave } from "./autosave";
import { PublishedBatch } from "./PublishedBatch";
import {
  AudienceEditor,
  CostPanel,
  type EditSection,
  LaunchProgress,
  PublishBar,
  ReviewPanel,
  StudySettingsForm,
} from "../study";

/** How long editing may pause before the settings are saved, priced and counted. */
const SETTLE_MS = 500;

/**
 * Wizard step 3: the study's settings, its audience, the exact price next to the
 * balance, a review of everything, and the launch. Money moves here, so the total on
 * the Publish button is the cost calculator's, and publishing asks once more.
 */
export function StudyStep({
  onEditStep,
  onNewBatch,
}: {
  onEditStep: (step: 0 | 1) => void;
  /** A new batch was started from the published one. */
  onNewBatch: () => void;
}) {
  const { t } = useTranslation("wizard");
  const context = useStudyContext();
  if (context.isPending) {
    return (
      <Group gap="sm" aria-live="polite">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{t("study.asking")}</Text>
      </Group>
    );
  }
  if (context.isError) {
    return <ErrorNotice title={t("study.couldNotOpen")} error={context.error} />;
  }
  if (context.data.launched?.published) {
    return <PublishedBatch launched={context.data.launched} taskTitle={context.data.taskTitle} onStarted={onNewBatch} />;
  }
  return <StudyEditor context={context.data} onEditStep={onEditStep} />;
}

function StudyEditor({ context, onEditStep }: { context: StudyContext; onEditStep: (step: 0 | 1) => void }) {
  const { t } = useTranslation("wizard");
  const navigate = useNavigate();
  const practising = useConnection().data?.mode === "practice";
  const [settings, setSettings] = useState<StudySettings>(context.settings);
  const [checked, setChecked] = useState<CheckedSettings>({ facts: context.facts, issues: context.issues });
  const [stage, setStage] = useState<LaunchStage | null>(null);
  // A pilot first, unless the researcher turns it off; once a pilot runs, the full
  // study waits until its choices are applied.
  const [withPilot, setWithPilot] = useState(true);
  const pilot = usePilotView();
  const pilotRunning = pilot.data?.study?.published ?? false;
  // The choices are applied for one pilot: another pilot asks for them again.
  const pilotStudyId = pilot.data?.study?.studyId ?? null;
  const [appliedFor, setAppliedFor] = useState<string | null>(null);
  const pilotApplied = appliedFor !== null && appliedFor === pilotStudyId;
  const settingsCard = useRef<HTMLDivElement>(null);
  const audienceCard = useRef<HTMLDivElement>(null);

  // Saved (and so checked, and the pilot priced again) once editing pauses, and on leaving.
  const autosave = useAutosave(settings, useSaveStudySettings({ onSuccess: setChecked }), SETTLE_MS);
  const settled = autosave.settled ?? settings;

  const eligibility = useAudienceSize(settled.filters);
  // The quote names (by its fingerprint) the exact terms it priced; a launch is confirmed with it.
  const quote = usePriceQuote(settled, checked.facts.assignments);

  // `confirmed` is the quote the researcher confirmed (publish), or null (a draft).
  const launch = useLaunchStudy(setStage, {
    onMutate: () => setStage(null),
    // Published: follow it fill on its own page.
    onSuccess: (outcome) => {
      if (outcome.published) void navigate(`/batches/${encodeURIComponent(outcome.studyId)}`);
    },
  });
  const testRun = useTestRun();

  const edit = (section: EditSection) => {
    if (section === "data") onEditStep(0);
    else if (section === "task") onEditStep(1);
    else (section === "settings" ? settingsCard : audienceCard).current?.scrollIntoView({ block: "start" });
  };

  const changed = settings !== settled;
  const price = quote.data ?? null;
  const blockedBy = blockReason(checked, price, quote.isFetching || changed);
  const pilotHoldsBack = pilotRunning
    ? pilotApplied
      ? null
      : t("study.applyPilotFirst")
    : withPilot
      ? t("study.publishPilotFirst")
      : null;
  const count = eligibility.data ?? null;

  return (
    <Stack gap="lg" data-testid="study-step">
      <AutosaveState autosave={autosave} />
      <AutosaveError autosave={autosave} />
      <Card withBorder padding="lg" ref={settingsCard}>
        <Stack gap="md">
          <StudySettingsForm
            settings={settings}
            onChange={setSettings}
            facts={checked.facts}
            projects={context.projects}
            issues={checked.issues}
          />
        </Stack>
      </Card>

      <Card withBorder padding="lg" ref={audienceCard}>
        <Stack gap="md">
          <Title order={3} size="h4">
            {t("study.whoCanTakePart")}
          </Title>
          <AudienceEditor
            filters={settings.filters}
            onChange={(filters) => setSettings((current) => ({ ...current, filters }))}
            options={context.filters}
            eligibility={{
              count: count?.count ?? null,
              fewerThan25: count?.fewerThan25 ?? false,
              checking: eligibility.isFetching || settings.filters !== settled.filters,
            }}
          />
          {eligibility.isError && <ErrorNotice title={t("study.couldNotCount")} error={eligibility.error} />}
        </Stack>
      </Card>

      <Card withBorder padding="lg">
        <Stack gap="md">
          <Title order={3} size="h4">
            {t("study.price")}
          </Title>
          <CostPanel quote={changed ? null : price} loading={quote.isFetching || changed} />
          {quote.isError && <ErrorNotice title={t("study.couldNotPrice")} error={quote.error} />}
        </Stack>
      </Card>

      <Card withBorder padding="lg">
        <Stack gap="md">
          <Title order={3} size="h4">
            {t("study.review")}
          </Title>
          <ReviewPanel
            settings={settings}
            facts={checked.facts}
            quote={price}
            eligibility={{
              count: count?.count ?? null,
              fewerThan25: count?.fewerThan25 ?? false,
              checking: eligibility.isFetching,
            }}
            taskTitle={context.taskTitle}
            rows={context.rows}
            onEdit={edit}
            projects={context.projects}
            options={context.filters}
          />
        </Stack>
      </Card>

      <PilotPanel
        enabled={withPilot}
        onEnabledChange={setWithPilot}
        blockedBy={blockedBy}
        currency={price?.currency ?? checked.facts.currency}
        onSettingsChanged={setSettings}
        applied={pilotApplied}
        onApplied={() => setAppliedFor(pilotStudyId)}
      />

      <PublishBar
        quote={price}
        blockedBy={blockedBy ?? pilotHoldsBack}
        busy={launch.isPending || testRun.isPending}
        onPublish={(confirmed) => launch.mutate({ settings, confirmed })}
        onSaveDraft={() => launch.mutate({ settings, confirmed: null })}
        testRun={context.testRun}
        onTestRun={(email) => testRun.mutate(email)}
        places={checked.facts.places}
        practising={practising}
      />
      <LaunchProgress stage={launch.isPending || launch.isSuccess ? stage : null} studyId={launch.data?.studyId ?? null} />
      {launch.isError && <ErrorNotice title={t("study.couldNotLaunch")} error={launch.error} />}
      {launch.data && !launch.data.published && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="draft-saved">
          {t("study.draftSaved")}
        </Alert>
      )}
      {testRun.isError && <ErrorNotice title={t("study.couldNotTestRun")} error={testRun.error} />}
      {testRun.data && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} data-testid="test-run-ready">
          {testRun.data.url ? t("study.testRunReadyAt", { url: testRun.data.url }) : t("study.testRunReady")}
        </Alert>
      )}
    </Stack>
  );
}

/** Why Publish is held back, in plain words; `null` when it can go. */
function blockReason(
  checked: CheckedSettings,
  quote: { total: number; shortfall: number; currency: string } | null,
  pricing: boolean,
): string | null {
  const [first] = checked.issues;
  if (first) return translate("wizard:study.fixFirst", { problem: say(first.message) });
  if (pricing || !quote) return translate("wizard:study.pricing");
  if (quote.shortfall > 0) {
    return translate("wizard:study.shortfall", { amount: formatMinorUnits(quote.shortfall, quote.currency) });
  }
  return null;
}
