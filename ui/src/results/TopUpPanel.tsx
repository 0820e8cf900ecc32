import { Alert, Anchor, Button, Group, Loader, Modal, NumberInput, Paper, Slider, Stack, Text, Title } from "@mantine/core";
import { IconArrowsSplit, IconCircleCheck } from "@tabler/icons-react";
import { useState } from "react";

import type { BackendError, LaunchOutcome, TopUpPlan, TopUpProgress, TopUpRequest, TopUpView } from "../backend";
import { ErrorNotice } from "../shell/ErrorNotice";
import { count, money } from "../study/settings";
import { percent } from "./format";

/** Most people a second round adds to each item (Rust's `top_up::MOST_PEOPLE`). */
const MOST_PEOPLE = 20;

/**
 * A second round for a finished study's uncertain items: the items whose consensus
 * confidence (the consensus panel's, from the Dawid-Skene model) is below what the
 * researcher asks for go to more people, who did not take part before.
 * The plan (how many items, how many places, the exact cost) is shown before anything is
 * spent; the round is published only from the confirmation dialog, at that cost. Once it
 * runs, the panel links to its study and says how the confidence on those items moved.
 */
export function TopUpPanel({
  view,
  onPlan,
  onLaunch,
  onOpenStudy,
}: {
  /** The round started for this study, or `null`. */
  view: TopUpView | null;
  onPlan: (request: TopUpRequest) => Promise<TopUpPlan>;
  onLaunch: (plan: TopUpPlan, onProgress: (step: TopUpProgress) => void) => Promise<LaunchOutcome>;
  onOpenStudy: (studyId: string) => void;
}) {
  const [thresholdTyped, setThreshold] = useState<number | string>(70);
  // As typed: empty while the researcher retypes it.
  const [people, setPeople] = useState<number | string>(3);
  const [plan, setPlan] = useState<TopUpPlan | null>(null);
  const [planning, setPlanning] = useState(false);
  const [planError, setPlanError] = useState<BackendError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [step, setStep] = useState<TopUpProgress | null>(null);
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<BackendError | null>(null);

  const round = view?.study ?? null;
  if (round?.published && view) {
    return (
      <Paper withBorder p="md" data-testid="top-up-panel">
        <Stack gap="xs">
          <Title order={4}>Second round for uncertain items</Title>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} data-testid="top-up-running">
            <Text size="sm">
              {count(view.items.length, "item", "items")} went to {count(view.peoplePerItem, "more person", "more people")}{" "}
              each, none of whom took part in this study. Their answers are counted in these results.{" "}
              <Anchor component="button" onClick={() => onOpenStudy(round.studyId)} data-testid="top-up-study-link">
                Open the second round&apos;s study
              </Anchor>
            </Text>
            {view.meanBefore !== null && (
              <Text size="sm" mt={4} data-testid="top-up-agreement">
                Mean consensus confidence on those items: {percent(view.meanBefore)} when they were chosen
                {view.meanNow !== null ? `, ${percent(view.meanNow)} now.` : "."}
              </Text>
            )}
          </Alert>
        </Stack>
      </Paper>
    );
  }

  const thresholdPercent =
    typeof thresholdTyped === "number" && thresholdTyped >= 0 && thresholdTyped <= 100 ? thresholdTyped : null;
  const peoplePerItem = typeof people === "number" && people >= 1 && people <= MOST_PEOPLE ? people : null;
  const findItems = async () => {
    if (peoplePerItem === null || thresholdPercent === null) return;
    const request: TopUpRequest = { threshold: thresholdPercent / 100, peoplePerItem };
    setPlanning(true);
    setPlanError(null);
    try {
      setPlan(await onPlan(request));
    } catch (error) {
      setPlan(null);
      setPlanError(error as BackendError);
    } finally {
      setPlanning(false);
    }
  };
  const launch = async () => {
    if (!plan) return;
    setLaunching(true);
    setLaunchError(null);
    try {
      await onLaunch(plan, setStep);
      setConfirming(false);
    } catch (error) {
      setLaunchError(error as BackendError);
    } finally {
      setLaunching(false);
      setStep(null);
    }
  };
  // A plan is for the choices it was made with: changing one asks again.
  const change = (apply: () => void) => {
    apply();
    setPlan(null);
  };
  const quote = plan?.quote ?? null;
  const short = quote !== null && quote.shortfall > 0;

  return (
    <Paper withBorder p="md" data-testid="top-up-panel">
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={4}>Second round for uncertain items</Title>
          <Text size="sm" c="dimmed">
            Send the items the consensus is least sure of to more people, who did not take part before. Their answers
            join these results. Confidence is the one the consensus panel shows: given how reliable each person was,
            how likely the item&apos;s most likely answer is right. Known-answer items are certain and never sent.
          </Text>
        </Stack>
        {view && !round?.published && (
          <Text size="sm" data-testid="top-up-unfinished">
            A second round was started but not published yet. Confirm it again to carry on where it stopped: nothing
            is made or spent twice.
          </Text>
        )}
        <Stack gap={4} maw={420}>
          <Text size="sm" fw={500} id="top-up-threshold-label">
            Items whose consensus confidence is below {thresholdPercent ?? "–"} %
          </Text>
          <Slider
            min={0}
            max={100}
            step={5}
            value={thresholdPercent ?? 0}
            onChange={(value) => change(() => setThreshold(value))}
            label={(value) => `${value} %`}
            aria-labelledby="top-up-threshold-label"
            thumbLabel="Consensus confidence below which an item gets a second round, in percent"
            data-testid="top-up-threshold-slider"
          />
        </Stack>
        <Group align="flex-end">
          <NumberInput
            label="Consensus confidence below (%)"
            min={0}
            max={100}
            clampBehavior="strict"
            allowDecimal={false}
            value={thresholdTyped}
            onChange={(value) => change(() => setThreshold(value))}
            error={thresholdPercent === null ? "From 0 to 100" : undefined}
            w={170}
            data-testid="top-up-threshold"
          />
          <NumberInput
            label="More people per item"
            min={1}
            max={MOST_PEOPLE}
            clampBehavior="strict"
            allowDecimal={false}
            value={people}
            onChange={(value) => change(() => setPeople(value))}
            error={peoplePerItem === null ? `From 1 to ${MOST_PEOPLE}` : undefined}
            w={170}
            data-testid="top-up-people"
          />
          <Button
            variant="default"
            onClick={() => void findItems()}
            loading={planning}
            disabled={peoplePerItem === null || thresholdPercent === null}
            data-testid="top-up-plan"
          >
            Find uncertain items
          </Button>
        </Group>
        {planError && <ErrorNotice title="The uncertain items could not be found" error={planError} />}
        {plan && plan.items.length === 0 && (
          <Text size="sm" data-testid="top-up-nothing">
            No item is below {Math.round((plan.threshold ?? 0) * 100)} %: of {count(plan.judgedItems, "item", "items")} judged, none needs a
            second round at this level.
          </Text>
        )}
        {plan && quote && (
          <Stack gap="xs" data-testid="top-up-plan-summary">
            <Text size="sm">
              <strong data-testid="top-up-item-count">{count(plan.items.length, "item", "items")}</strong> of{" "}
              {plan.judgedItems.toLocaleString()} are below {Math.round((plan.threshold ?? 0) * 100)} %: {count(plan.taskGroups, "group", "groups")}{" "}
              of items × {count(plan.peoplePerItem, "person", "people")} = {count(plan.places, "place", "places")}.
            </Text>
            {checksWords(plan) && (
              <Text size="sm" data-testid="top-up-checks">
                {checksWords(plan)}
              </Text>
            )}
            <Text size="sm">
              Exact cost: <strong data-testid="top-up-total">{money(quote.total, quote.currency)}</strong> (rewards{" "}
              {money(quote.rewards, quote.currency)}, Prolific&apos;s fees and tax {money(quote.feesAndTax, quote.currency)}
              ).
            </Text>
            {short && (
              <Alert color="orange" variant="light" data-testid="top-up-shortfall">
                Your balance ({money(quote.available, quote.currency)}) is {money(quote.shortfall, quote.currency)} short of
                this total. Add funds on Prolific, or ask for fewer people or items.
              </Alert>
            )}
            <Group>
              <Button
                leftSection={<IconArrowsSplit size={18} aria-hidden />}
                disabled={short}
                onClick={() => {
                  setLaunchError(null);
                  setConfirming(true);
                }}
                data-testid="top-up-review"
              >
                Run a second round…
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <Modal
        opened={confirming && plan !== null && quote !== null}
        onClose={() => !launching && setConfirming(false)}
        title="Publish the second round?"
        closeOnEscape={!launching}
        closeOnClickOutside={!launching}
      >
        {plan && quote && (
          <Stack gap="sm" data-testid="top-up-confirm">
            <Text size="sm">
              {count(plan.items.length, "item", "items")} go to {count(plan.peoplePerItem, "more person", "more people")}{" "}
              each ({count(plan.places, "place", "places")}), at the same reward as this study. Everyone who took part in
              this study is kept out.
            </Text>
            {checksWords(plan) && <Text size="sm">{checksWords(plan)}</Text>}
            <Text size="sm">
              Publishing takes <strong>{money(quote.total, quote.currency)}</strong> from your balance, once.
            </Text>
            {launching && (
              <Group gap="sm" aria-live="polite" data-testid="top-up-progress">
                <Loader size="xs" aria-hidden />
                <Text size="sm">{progressWords(step)}</Text>
              </Group>
            )}
            {launchError && <ErrorNotice title="The second round was not published" error={launchError} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)} disabled={launching}>
                Not now
              </Button>
              <Button onClick={() => void launch()} loading={launching} data-testid="top-up-confirm-button">
                Publish for {money(quote.total, quote.currency)}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}

/** Where the launch of a second round is, in words. */
export function progressWords(step: TopUpProgress | null): string {
  switch (step?.step) {
    case "writing_rows":
      return `Writing the ${step.rows.toLocaleString()} rows…`;
    case "uploading":
      return step.sent_percent == null ? "Uploading the rows…" : `Uploading the rows: ${step.sent_percent} %`;
    case "copying_batch":
      return "Copying the batch…";
    case "setting_up":
      return "Prolific is setting up the copy…";
    case "keeping_people_out":
      return "Keeping this study's people out…";
    case "launching":
      return step.stage === "publishing" ? "Publishing…" : step.stage === "done" ? "Published." : "Creating the study…";
    default:
      return "Getting ready…";
  }
}

/**
 * What each group of the round carries besides its items, as the study's groups did,
 * in plain words; `null` when the study mixed nothing in.
 */
export function checksWords(plan: TopUpPlan): string | null {
  const parts = [
    plan.knownPerGroup > 0 ? count(plan.knownPerGroup, "known-answer item", "known-answer items") : null,
    plan.checksPerGroup > 0 ? count(plan.checksPerGroup, "attention check", "attention checks") : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  return `Each group also carries ${parts.join(" and ")}, as this study's groups did, so the new people are judged the same way: ${count(plan.tasks, "task", "tasks")} in all, included in the cost.`;
}
