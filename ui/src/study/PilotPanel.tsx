import { Alert, Badge, Button, Checkbox, Group, List, Loader, Modal, Paper, Stack, Switch, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconTestPipe } from "@tabler/icons-react";
import { useState } from "react";

import type { PilotProgress, PilotReport, PilotView, PriceQuote, StudySettings } from "../backend";
import { formatNumber, formatPercent } from "../format";
import { say, t as translate, Trans, useTranslation } from "../i18n";
import {
  useCancelPilot,
  useContinueAfterPilot,
  useLaunchPilot,
  usePilotReport,
  usePilotView,
  usePreparePilot,
  useRunAnotherPilot,
} from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { money } from "./settings";

/** Where the pilot stands, for the publish bar: what it holds back and why. */
export type PilotGate = {
  /** Why the full study cannot be published yet, in plain words; `null` when it can. */
  holdsBack: string | null;
};

/**
 * The pilot before the full spend. Off, it says what is skipped. On, with nothing run
 * yet, one button prepares the pilot's batch (free), prices it, and asks for the pilot's
 * exact total before publishing it. Once the pilot runs, its report fills in, and the
 * researcher chooses how the full study continues (estimate and reward from the pilot,
 * the pilot's people kept out); the full study is then published from the publish bar,
 * with its own confirmation.
 */
export function PilotPanel({
  enabled,
  onEnabledChange,
  blockedBy,
  currency,
  onSettingsChanged,
  applied,
  onApplied,
}: {
  enabled: boolean;
  onEnabledChange: (enabled: boolean) => void;
  /** Why nothing can be published yet (a setting to fix…), or `null`. */
  blockedBy: string | null;
  currency: string;
  /** The full study's settings as the pilot's choices left them. */
  onSettingsChanged: (settings: StudySettings) => void;
  applied: boolean;
  onApplied: () => void;
}) {
  const { t } = useTranslation("study");
  const view = usePilotView();
  if (view.isPending) {
    return (
      <Group gap="sm">
        <Loader size="xs" aria-hidden />
        <Text size="sm">{t("pilot.lookingUp")}</Text>
      </Group>
    );
  }
  if (view.isError) return <ErrorNotice title={t("pilot.lookUpFailed")} error={view.error} />;
  const pilot = view.data;
  const running = pilot.study?.published ?? false;
  return (
    <Paper withBorder p="lg" component="section" aria-label={t("pilot.region")} data-testid="pilot-panel">
      <Stack gap="md">
        <Group justify="space-between" align="center">
          <Title order={3} size="h4">
            {t("pilot.title")}
          </Title>
          {!running && (
            <Switch
              label={t("pilot.switch")}
              checked={enabled}
              onChange={(event) => onEnabledChange(event.currentTarget.checked)}
              data-testid="pilot-switch"
            />
          )}
        </Group>
        {running ? (
          <PilotRunning
            currency={currency}
            onSettingsChanged={onSettingsChanged}
            applied={applied}
            onApplied={onApplied}
          />
        ) : enabled ? (
          <PilotStart pilot={pilot} blockedBy={blockedBy} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="pilot-off">
            {t("pilot.off")}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function progressText(step: PilotProgress | null): string {
  switch (step?.step) {
    case "writingRows":
      return translate("study:pilot.progress.writingRows", { count: step.rows });
    case "uploading":
      return step.sentPercent == null
        ? translate("study:pilot.progress.uploading")
        : translate("study:pilot.progress.uploadingPercent", { percent: formatPercent(step.sentPercent / 100) });
    case "copyingBatch":
      return translate("study:pilot.progress.copyingBatch");
    case "settingUp":
      return translate("study:pilot.progress.settingUp");
    case "ready":
      return translate("study:pilot.progress.ready");
    default:
      return translate("study:pilot.progress.preparing");
  }
}

/** Prepare (free), price, confirm, publish: the pilot's own path to money. */
function PilotStart({ pilot, blockedBy }: { pilot: PilotView; blockedBy: string | null }) {
  const { t } = useTranslation("study");
  const [step, setStep] = useState<PilotProgress | null>(null);
  const [confirming, setConfirming] = useState<PriceQuote | null>(null);
  const priced = usePreparePilot(setStep, { onMutate: () => setStep(null), onSuccess: setConfirming });
  const cancel = useCancelPilot();
  const launch = useLaunchPilot();
  const { plan } = pilot;
  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="pilot-plan">
        {t("pilot.plan", {
          people: t("count.people", { count: plan.people }),
          rows: t("count.rows", { count: plan.rows }),
          taskGroups: t("count.taskGroups", { count: plan.taskGroups }),
        })}
      </Text>
      {pilot.total !== null && (
        <Text size="sm" data-testid="pilot-cost">
          <Trans
            t={t}
            i18nKey="pilot.cost"
            values={{ total: money(pilot.total, pilot.currency ?? "GBP") }}
            components={{ strong: <strong /> }}
          />
        </Text>
      )}
      <Group>
        <Button
          leftSection={<IconTestPipe size={18} aria-hidden />}
          onClick={() => priced.mutate()}
          loading={priced.isPending || launch.isPending}
          disabled={blockedBy !== null}
          data-testid="pilot-start"
        >
          {t("pilot.price")}
        </Button>
        {blockedBy && (
          <Text size="sm" c="dimmed">
            {blockedBy}
          </Text>
        )}
      </Group>
      {priced.isPending && (
        <Group gap="sm" aria-live="polite" data-testid="pilot-progress">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{progressText(step)}</Text>
          <Button size="compact-sm" variant="subtle" onClick={() => cancel.mutate()} data-testid="pilot-cancel">
            {t("pilot.cancel")}
          </Button>
        </Group>
      )}
      {priced.isError && priced.error.code === "cancelled" && (
        <Text size="sm" c="dimmed" data-testid="pilot-cancelled">
          {t("pilot.cancelled")}
        </Text>
      )}
      {priced.isError && priced.error.code !== "cancelled" && (
        <ErrorNotice title={t("pilot.prepareFailed")} error={priced.error} />
      )}
      {launch.isError && <ErrorNotice title={t("pilot.publishFailed")} error={launch.error} />}
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming ? t("pilot.confirm.title", { total: money(confirming.total, confirming.currency) }) : ""}
        centered
      >
        {confirming && (
          <Stack gap="md">
            <Text data-testid="pilot-confirm-summary">
              <Trans
                t={t}
                i18nKey="pilot.confirm.summary"
                values={{
                  total: money(confirming.total, confirming.currency),
                  places: t("count.places", { count: plan.people }),
                }}
                components={{ strong: <strong /> }}
              />
            </Text>
            {confirming.shortfall > 0 && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                {t("pilot.confirm.shortfall", { amount: money(confirming.shortfall, confirming.currency) })}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)} data-autofocus>
                {t("pilot.confirm.notYet")}
              </Button>
              <Button
                disabled={confirming.shortfall > 0 || launch.isPending}
                onClick={() => {
                  const confirmed = confirming;
                  setConfirming(null);
                  launch.mutate(confirmed);
                }}
                data-testid="pilot-publish-now"
              >
                {t("pilot.confirm.publish")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

/** The pilot under way or done: its report, then the choices for the full study. */
function PilotRunning({
  currency,
  onSettingsChanged,
  applied,
  onApplied,
}: {
  currency: string;
  onSettingsChanged: (settings: StudySettings) => void;
  applied: boolean;
  onApplied: () => void;
}) {
  const { t } = useTranslation("study");
  // Followed until every place has a finished submission.
  const report = usePilotReport();
  if (report.isPending) {
    return (
      <Group gap="sm" aria-live="polite">
        <Loader size="xs" aria-hidden />
        <Text size="sm">{t("pilot.reading")}</Text>
      </Group>
    );
  }
  if (report.isError) return <ErrorNotice title={t("pilot.readFailed")} error={report.error} />;
  return (
    <Stack gap="md">
      <PilotReportView report={report.data} currency={currency} />
      <ContinueChoices report={report.data} onSettingsChanged={onSettingsChanged} applied={applied} onApplied={onApplied} />
    </Stack>
  );
}

const severityColour = { good: "teal", warning: "orange", problem: "red" } as const;

/** Minutes as the report shows them: whole from 10 up, else to one decimal ("31", "4.5"). */
function minutes(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const digits = value >= 10 ? 0 : 1;
  return formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function PilotReportView({ report, currency }: { report: PilotReport; currency: string }) {
  const { t } = useTranslation("study");
  const m = (amount: number) => money(amount, currency);
  const left = report.returned + report.timedOut;
  return (
    <Stack gap="sm" data-testid="pilot-report">
      <Group gap="sm">
        <Badge color={report.complete ? "teal" : "blue"} variant="light" data-testid="pilot-status">
          {report.complete ? t("pilot.report.finished") : t("pilot.report.running")}
        </Badge>
        <Text size="sm" data-testid="pilot-counts">
          {t("pilot.report.counts", {
            finished: report.finished,
            people: t("count.people", { count: report.places }),
            working: report.working > 0 ? t("pilot.report.working", { count: report.working }) : "",
            left: left > 0 ? t("pilot.report.left", { count: left }) : "",
          })}
        </Text>
      </Group>
      {report.time && (
        <Text size="sm" data-testid="pilot-time">
          <Trans
            t={t}
            i18nKey="pilot.report.time"
            values={{
              median: minutes(report.time.medianMinutes),
              fastest: minutes(report.time.fastestMinutes),
              slowest: minutes(report.time.slowestMinutes),
              estimate: report.estimatedMinutes,
            }}
            components={{ strong: <strong /> }}
          />
          {report.hourlyAtMedian !== null && ` ${t("pilot.report.pays", { amount: m(report.hourlyAtMedian) })}`}
        </Text>
      )}
      <List spacing="xs" listStyleType="none" data-testid="pilot-findings">
        {report.findings.map((finding) => (
          <List.Item key={finding.title.key}>
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <Badge color={severityColour[finding.severity]} variant="light" miw={48}>
                {t(`pilot.severity.${finding.severity}`)}
              </Badge>
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {say(finding.title)}
                </Text>
                <Text size="sm" c="dimmed">
                  {say(finding.advice)}
                </Text>
              </Stack>
            </Group>
          </List.Item>
        ))}
      </List>
      {report.results && report.results.questions.length > 0 && (
        <Stack gap={6} data-testid="pilot-answers">
          <Title order={4} size="h5">
            {t("pilot.report.answers")}
          </Title>
          {report.results.questions.map((question) => {
            const analysis = report.results?.analysis.questions.find((item) => item.questionId === question.id);
            const samples = report.samples.find((sample) => sample.question === question.title);
            return (
              <Stack gap={2} key={question.id}>
                <Text size="sm" fw={500}>
                  {question.title}
                </Text>
                {analysis && analysis.distribution.length > 0 && (
                  <Text size="sm" c="dimmed">
                    {analysis.distribution
                      .map((option) => t("pilot.report.optionCount", { option: option.value, count: option.count }))
                      .join(t("pilot.report.optionSeparator"))}
                  </Text>
                )}
                {analysis?.numbers?.median != null && (
                  <Text size="sm" c="dimmed">
                    {analysis.numbers.unit
                      ? t("pilot.report.medianWithUnit", {
                          median: analysis.numbers.median,
                          unit: analysis.numbers.unit,
                          count: analysis.numbers.count,
                        })
                      : t("pilot.report.median", { median: analysis.numbers.median, count: analysis.numbers.count })}
                  </Text>
                )}
                {samples && samples.answers.length > 0 && (
                  <List size="sm" c="dimmed">
                    {samples.answers.map((answer, index) => (
                      <List.Item key={index}>{t("pilot.report.quoted", { answer })}</List.Item>
                    ))}
                  </List>
                )}
              </Stack>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}

/**
 * Stop here: when the pilot showed a problem, nothing more is spent. The researcher fixes
 * the task (step 2) or the settings (above) and runs a fresh pilot, confirmed again.
 */
function AnotherPilot() {
  const { t } = useTranslation("study");
  const again = useRunAnotherPilot();
  return (
    <Stack gap={6} align="flex-start">
      <Text size="sm" c="dimmed">
        {t("pilot.again.intro")}
      </Text>
      <Button variant="default" onClick={() => again.mutate()} loading={again.isPending} data-testid="pilot-again">
        {t("pilot.again.button")}
      </Button>
      {again.isError && <ErrorNotice title={t("pilot.again.failed")} error={again.error} />}
    </Stack>
  );
}

function ContinueChoices({
  report,
  onSettingsChanged,
  applied,
  onApplied,
}: {
  report: PilotReport;
  onSettingsChanged: (settings: StudySettings) => void;
  applied: boolean;
  onApplied: () => void;
}) {
  const { t } = useTranslation("study");
  const suggestion = report.suggestion;
  const [adopt, setAdopt] = useState(true);
  const [exclude, setExclude] = useState(true);
  // The full study's settings come back changed, and are priced again.
  const apply = useContinueAfterPilot({
    onSuccess: (settings) => {
      onSettingsChanged(settings);
      onApplied();
    },
  });
  return (
    <Stack gap="sm" data-testid="pilot-continue">
      <Title order={4} size="h5">
        {t("pilot.continue.title")}
      </Title>
      {suggestion ? (
        <Checkbox
          checked={adopt}
          onChange={(event) => setAdopt(event.currentTarget.checked)}
          label={t("pilot.continue.adopt", {
            estimate: t("count.minutes", { count: suggestion.estimatedMinutes }),
            reward: money(suggestion.reward, report.currency),
            hourly: money(suggestion.hourly, report.currency),
          })}
          data-testid="pilot-adopt"
        />
      ) : (
        <Text size="sm" c="dimmed">
          {t("pilot.continue.noSuggestion")}
        </Text>
      )}
      <Checkbox
        checked={exclude}
        onChange={(event) => setExclude(event.currentTarget.checked)}
        label={t("pilot.continue.exclude.label")}
        description={t("pilot.continue.exclude.description")}
        data-testid="pilot-exclude"
      />
      <Text size="sm" c="dimmed">
        {t("pilot.continue.apart")}
      </Text>
      <Group>
        <Button variant="light" onClick={() => apply.mutate({ adoptSuggestion: adopt && suggestion !== null, excludePilotPeople: exclude })} loading={apply.isPending} data-testid="pilot-apply">
          {applied ? t("pilot.continue.applyAgain") : t("pilot.continue.apply")}
        </Button>
      </Group>
      {apply.isError && <ErrorNotice title={t("pilot.continue.failed")} error={apply.error} />}
      {applied && !apply.isPending && !apply.isError && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} data-testid="pilot-applied">
          {t("pilot.continue.applied")}
        </Alert>
      )}
      {!applied && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {t("pilot.continue.notApplied")}
        </Alert>
      )}
      <AnotherPilot />
    </Stack>
  );
}
