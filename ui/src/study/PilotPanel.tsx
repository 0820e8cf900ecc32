import { Alert, Badge, Button, Checkbox, Group, List, Loader, Modal, Paper, Stack, Switch, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconTestPipe } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import {
  backend,
  type BackendError,
  type LaunchOutcome,
  type PilotProgress,
  type PilotReport,
  type PilotView,
  type PriceQuote,
  type StudySettings,
} from "../backend";
import { ErrorNotice } from "../shell/ErrorNotice";
import { count, money } from "./settings";

export const pilotKey = ["account", "pilot"] as const;
const reportKey = ["account", "pilot-report"] as const;

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
  const view = useQuery<PilotView, BackendError>({ queryKey: pilotKey, queryFn: backend.pilotView });
  if (view.isPending) {
    return (
      <Group gap="sm">
        <Loader size="xs" aria-hidden />
        <Text size="sm">Looking for this batch's pilot…</Text>
      </Group>
    );
  }
  if (view.isError) return <ErrorNotice title="The pilot could not be looked up" error={view.error} />;
  const pilot = view.data;
  const running = pilot.study?.published ?? false;
  return (
    <Paper withBorder p="lg" component="section" aria-label="Pilot" data-testid="pilot-panel">
      <Stack gap="md">
        <Group justify="space-between" align="center">
          <Title order={3} size="h4">
            A pilot before the full spend
          </Title>
          {!running && (
            <Switch
              label="Start with a pilot"
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
            Without a pilot the whole study is published at once. A pilot costs little and shows how long the task really
            takes, whether people understand it and what their answers look like, before the full amount is spent.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function progressText(step: PilotProgress | null): string {
  switch (step?.step) {
    case "writing_rows":
      return `Copying the first ${count(step.rows, "row", "rows")} for the pilot…`;
    case "uploading":
      return step.sent_percent == null ? "Sending the pilot's rows…" : `Sending the pilot's rows (${step.sent_percent}%)…`;
    case "copying_batch":
      return "Copying your task for the pilot…";
    case "setting_up":
      return "Setting up the pilot's batch…";
    case "ready":
      return "The pilot is ready to price.";
    default:
      return "Preparing the pilot…";
  }
}

/** Prepare (free), price, confirm, publish: the pilot's own path to money. */
function PilotStart({ pilot, blockedBy }: { pilot: PilotView; blockedBy: string | null }) {
  const client = useQueryClient();
  const [step, setStep] = useState<PilotProgress | null>(null);
  const [confirming, setConfirming] = useState<PriceQuote | null>(null);
  const priced = useMutation<PriceQuote, BackendError, void>({
    mutationFn: async () => {
      setStep(null);
      await backend.preparePilot(setStep);
      return backend.pilotQuote();
    },
    onSuccess: setConfirming,
    onSettled: () => client.invalidateQueries({ queryKey: pilotKey }),
  });
  const launch = useMutation<LaunchOutcome, BackendError, PriceQuote>({
    mutationFn: (confirmed) => backend.launchPilot(confirmed, () => undefined),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: pilotKey });
      void client.invalidateQueries({ queryKey: reportKey });
    },
  });
  const { plan } = pilot;
  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="pilot-plan">
        {count(plan.people, "person", "people")} take your task first, on the first {count(plan.rows, "row", "rows")} (
        {count(plan.taskGroups, "task group", "task groups")}), before anything else is spent. You then see how long it
        really took, what it paid per hour and what came back, and choose how the full study goes on.
      </Text>
      {pilot.total !== null && (
        <Text size="sm" data-testid="pilot-cost">
          The pilot costs <strong>{money(pilot.total, pilot.currency ?? "GBP")}</strong> (rewards, fees and tax), asked
          once more before it is published.
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
          Price the pilot
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
          <Button size="compact-sm" variant="subtle" onClick={() => void backend.cancelPilot()} data-testid="pilot-cancel">
            Cancel
          </Button>
        </Group>
      )}
      {priced.isError && priced.error.code === "cancelled" && (
        <Text size="sm" c="dimmed" data-testid="pilot-cancelled">
          Preparing the pilot was stopped. Nothing was spent; pricing it again carries on where it stopped.
        </Text>
      )}
      {priced.isError && priced.error.code !== "cancelled" && (
        <ErrorNotice title="The pilot could not be prepared" error={priced.error} />
      )}
      {launch.isError && <ErrorNotice title="The pilot could not be published" error={launch.error} />}
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming ? `Publish the pilot for ${money(confirming.total, confirming.currency)}?` : ""}
        centered
      >
        {confirming && (
          <Stack gap="md">
            <Text data-testid="pilot-confirm-summary">
              Publishing the pilot sets aside <strong>{money(confirming.total, confirming.currency)}</strong> (rewards,
              fees and tax) for <strong>{count(plan.people, "place", "places")}</strong>. The full study is not published:
              you decide on it after the pilot.
            </Text>
            {confirming.shortfall > 0 && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                Your balance is {money(confirming.shortfall, confirming.currency)} short of the pilot's total.
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)} data-autofocus>
                Not yet
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
                Publish the pilot
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
  const report = useQuery<PilotReport, BackendError>({
    queryKey: reportKey,
    queryFn: backend.pilotReport,
    // Followed until every place has a finished submission.
    refetchInterval: (query) => (query.state.data?.complete ? false : 5000),
  });
  if (report.isPending) {
    return (
      <Group gap="sm" aria-live="polite">
        <Loader size="xs" aria-hidden />
        <Text size="sm">Reading what the pilot brought back…</Text>
      </Group>
    );
  }
  if (report.isError) return <ErrorNotice title="The pilot's report could not be read" error={report.error} />;
  return (
    <Stack gap="md">
      <PilotReportView report={report.data} currency={currency} />
      <ContinueChoices report={report.data} onSettingsChanged={onSettingsChanged} applied={applied} onApplied={onApplied} />
    </Stack>
  );
}

const severityColour = { good: "teal", warning: "orange", problem: "red" } as const;
const severityLabel = { good: "Fine", warning: "Check", problem: "Fix" } as const;

function minutes(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

export function PilotReportView({ report, currency }: { report: PilotReport; currency: string }) {
  const m = (amount: number) => money(amount, currency);
  return (
    <Stack gap="sm" data-testid="pilot-report">
      <Group gap="sm">
        <Badge color={report.complete ? "teal" : "blue"} variant="light" data-testid="pilot-status">
          {report.complete ? "Pilot finished" : "Pilot running"}
        </Badge>
        <Text size="sm" data-testid="pilot-counts">
          {report.finished} of {count(report.places, "person", "people")} finished
          {report.working > 0 ? `, ${report.working} still working` : ""}
          {report.returned + report.timedOut > 0 ? `, ${report.returned + report.timedOut} left` : ""}.
        </Text>
      </Group>
      {report.time && (
        <Text size="sm" data-testid="pilot-time">
          Time taken: <strong>{minutes(report.time.medianMinutes)} minutes</strong> (median; fastest{" "}
          {minutes(report.time.fastestMinutes)}, slowest {minutes(report.time.slowestMinutes)}) against your estimate of{" "}
          {report.estimatedMinutes}.
          {report.hourlyAtMedian !== null && <> That pays {m(report.hourlyAtMedian)} an hour.</>}
        </Text>
      )}
      <List spacing="xs" listStyleType="none" data-testid="pilot-findings">
        {report.findings.map((finding) => (
          <List.Item key={finding.title}>
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <Badge color={severityColour[finding.severity]} variant="light" miw={48}>
                {severityLabel[finding.severity]}
              </Badge>
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {finding.title}
                </Text>
                <Text size="sm" c="dimmed">
                  {finding.advice}
                </Text>
              </Stack>
            </Group>
          </List.Item>
        ))}
      </List>
      {report.results && report.results.questions.length > 0 && (
        <Stack gap={6} data-testid="pilot-answers">
          <Title order={4} size="h5">
            Answers
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
                    {analysis.distribution.map((option) => `${option.value}: ${option.count}`).join(" · ")}
                  </Text>
                )}
                {analysis?.numbers?.median != null && (
                  <Text size="sm" c="dimmed">
                    Median {analysis.numbers.median}
                    {analysis.numbers.unit ? ` ${analysis.numbers.unit}` : ""} from {analysis.numbers.count} answers
                  </Text>
                )}
                {samples && samples.answers.length > 0 && (
                  <List size="sm" c="dimmed">
                    {samples.answers.map((answer, index) => (
                      <List.Item key={index}>“{answer}”</List.Item>
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
  const client = useQueryClient();
  const again = useMutation<PilotView, BackendError, void>({
    mutationFn: backend.runAnotherPilot,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: pilotKey });
      client.removeQueries({ queryKey: reportKey });
    },
  });
  return (
    <Stack gap={6} align="flex-start">
      <Text size="sm" c="dimmed">
        Did the pilot show a problem? Nothing more is spent: fix the task (step 2) or the settings above, then run a
        fresh pilot. Its people, like this pilot's, are kept out of the full study.
      </Text>
      <Button variant="default" onClick={() => again.mutate()} loading={again.isPending} data-testid="pilot-again">
        Run another pilot
      </Button>
      {again.isError && <ErrorNotice title="A new pilot could not be started" error={again.error} />}
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
  const client = useQueryClient();
  const suggestion = report.suggestion;
  const [adopt, setAdopt] = useState(true);
  const [exclude, setExclude] = useState(true);
  const apply = useMutation<StudySettings, BackendError, void>({
    mutationFn: () => backend.continueAfterPilot({ adoptSuggestion: adopt && suggestion !== null, excludePilotPeople: exclude }),
    onSuccess: (settings) => {
      onSettingsChanged(settings);
      onApplied();
      void client.invalidateQueries({ queryKey: ["account", "price"] });
    },
  });
  return (
    <Stack gap="sm" data-testid="pilot-continue">
      <Title order={4} size="h5">
        Continue to the full study
      </Title>
      {suggestion ? (
        <Checkbox
          checked={adopt}
          onChange={(event) => setAdopt(event.currentTarget.checked)}
          label={`Use what the pilot showed: an estimate of ${count(suggestion.estimatedMinutes, "minute", "minutes")} and a reward of ${money(suggestion.reward, report.currency)} per person (${money(suggestion.hourly, report.currency)} an hour for the time people took)`}
          data-testid="pilot-adopt"
        />
      ) : (
        <Text size="sm" c="dimmed">
          The pilot suggests no change to the estimate or the reward.
        </Text>
      )}
      <Checkbox
        checked={exclude}
        onChange={(event) => setExclude(event.currentTarget.checked)}
        label="Keep the pilot's participants out of the full study"
        description="They are put in a participant group on Prolific, and the full study's audience leaves that group out."
        data-testid="pilot-exclude"
      />
      <Text size="sm" c="dimmed">
        The pilot's answers stay apart, on the pilot's own results page (Batches).
      </Text>
      <Group>
        <Button variant="light" onClick={() => apply.mutate()} loading={apply.isPending} data-testid="pilot-apply">
          {applied ? "Apply again" : "Apply to the full study"}
        </Button>
      </Group>
      {apply.isError && <ErrorNotice title="The full study's settings could not be changed" error={apply.error} />}
      {applied && !apply.isPending && !apply.isError && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} data-testid="pilot-applied">
          The full study's settings now hold your choices. Check the price below, then publish the full study.
        </Alert>
      )}
      {!applied && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          The full study is published only when you say so, below, at a total you confirm.
        </Alert>
      )}
      <AnotherPilot />
    </Stack>
  );
}
