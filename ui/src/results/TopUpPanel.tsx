import { Alert, Anchor, Button, Group, Loader, Modal, NumberInput, Paper, Slider, Stack, Text, Title } from "@mantine/core";
import { IconArrowsSplit, IconCircleCheck } from "@tabler/icons-react";
import { useState } from "react";

import type { BackendError, LaunchOutcome, TopUpPlan, TopUpProgress, TopUpRequest, TopUpView } from "../backend";
import { t as translate, Trans, useTranslation } from "../i18n";
import { ErrorNotice } from "../shell/ErrorNotice";
import { money } from "../study/settings";
import { formatNumber, formatPercent } from "../format";

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
  const { t } = useTranslation("results");
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
          <Title order={4}>{t("topUp.title")}</Title>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} data-testid="top-up-running">
            <Text size="sm">
              {t("topUp.running.went", {
                items: t("count.items", { count: view.items.length }),
                people: t("topUp.morePeople", { count: view.peoplePerItem }),
              })}{" "}
              <Anchor component="button" onClick={() => onOpenStudy(round.studyId)} data-testid="top-up-study-link">
                {t("topUp.running.open")}
              </Anchor>
            </Text>
            {view.meanBefore !== null && (
              <Text size="sm" mt={4} data-testid="top-up-agreement">
                {view.meanNow !== null
                  ? t("topUp.running.agreementNow", { before: formatPercent(view.meanBefore), now: formatPercent(view.meanNow) })
                  : t("topUp.running.agreement", { before: formatPercent(view.meanBefore) })}
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
          <Title order={4}>{t("topUp.title")}</Title>
          <Text size="sm" c="dimmed">
            {t("topUp.intro")}
          </Text>
        </Stack>
        {view && !round?.published && (
          <Text size="sm" data-testid="top-up-unfinished">
            {t("topUp.unfinished")}
          </Text>
        )}
        <Stack gap={4} maw={420}>
          <Text size="sm" fw={500} id="top-up-threshold-label">
            {t("topUp.threshold.label", { threshold: thresholdPercent === null ? "–" : formatNumber(thresholdPercent) })}
          </Text>
          <Slider
            min={0}
            max={100}
            step={5}
            value={thresholdPercent ?? 0}
            onChange={(value) => change(() => setThreshold(value))}
            label={(value) => t("topUp.threshold.value", { value })}
            aria-labelledby="top-up-threshold-label"
            thumbLabel={t("topUp.threshold.thumb")}
            data-testid="top-up-threshold-slider"
          />
        </Stack>
        <Group align="flex-end">
          <NumberInput
            label={t("topUp.threshold.input")}
            min={0}
            max={100}
            clampBehavior="strict"
            allowDecimal={false}
            value={thresholdTyped}
            onChange={(value) => change(() => setThreshold(value))}
            error={thresholdPercent === null ? t("topUp.range", { min: 0, max: 100 }) : undefined}
            w={170}
            data-testid="top-up-threshold"
          />
          <NumberInput
            label={t("topUp.people")}
            min={1}
            max={MOST_PEOPLE}
            clampBehavior="strict"
            allowDecimal={false}
            value={people}
            onChange={(value) => change(() => setPeople(value))}
            error={peoplePerItem === null ? t("topUp.range", { min: 1, max: MOST_PEOPLE }) : undefined}
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
            {t("topUp.find")}
          </Button>
        </Group>
        {planError && <ErrorNotice title={t("topUp.findFailed")} error={planError} />}
        {plan && plan.items.length === 0 && (
          <Text size="sm" data-testid="top-up-nothing">
            {t("topUp.nothing", {
              threshold: Math.round((plan.threshold ?? 0) * 100),
              items: t("count.items", { count: plan.judgedItems }),
            })}
          </Text>
        )}
        {plan && quote && (
          <Stack gap="xs" data-testid="top-up-plan-summary">
            <Text size="sm">
              <Trans
                t={t}
                i18nKey="topUp.plan.summary"
                values={{
                  items: t("count.items", { count: plan.items.length }),
                  judged: plan.judgedItems,
                  threshold: Math.round((plan.threshold ?? 0) * 100),
                  groups: t("topUp.plan.groups", { count: plan.taskGroups }),
                  people: t("count.people", { count: plan.peoplePerItem }),
                  places: t("count.places", { count: plan.places }),
                }}
                components={{ count: <strong data-testid="top-up-item-count" /> }}
              />
            </Text>
            {checksWords(plan) && (
              <Text size="sm" data-testid="top-up-checks">
                {checksWords(plan)}
              </Text>
            )}
            <Text size="sm">
              <Trans
                t={t}
                i18nKey="topUp.plan.cost"
                values={{
                  total: money(quote.total, quote.currency),
                  rewards: money(quote.rewards, quote.currency),
                  fees: money(quote.feesAndTax, quote.currency),
                }}
                components={{ total: <strong data-testid="top-up-total" /> }}
              />
            </Text>
            {short && (
              <Alert color="orange" variant="light" data-testid="top-up-shortfall">
                {t("topUp.plan.shortfall", {
                  available: money(quote.available, quote.currency),
                  shortfall: money(quote.shortfall, quote.currency),
                })}
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
                {t("topUp.plan.run")}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <Modal
        opened={confirming && plan !== null && quote !== null}
        onClose={() => !launching && setConfirming(false)}
        title={t("topUp.confirm.title")}
        closeOnEscape={!launching}
        closeOnClickOutside={!launching}
      >
        {plan && quote && (
          <Stack gap="sm" data-testid="top-up-confirm">
            <Text size="sm">
              {t("topUp.confirm.body", {
                items: t("count.items", { count: plan.items.length }),
                people: t("topUp.morePeople", { count: plan.peoplePerItem }),
                places: t("count.places", { count: plan.places }),
              })}
            </Text>
            {checksWords(plan) && <Text size="sm">{checksWords(plan)}</Text>}
            <Text size="sm">
              <Trans
                t={t}
                i18nKey="topUp.confirm.takes"
                values={{ total: money(quote.total, quote.currency) }}
                components={{ strong: <strong /> }}
              />
            </Text>
            {launching && (
              <Group gap="sm" aria-live="polite" data-testid="top-up-progress">
                <Loader size="xs" aria-hidden />
                <Text size="sm">{progressWords(step)}</Text>
              </Group>
            )}
            {launchError && <ErrorNotice title={t("topUp.confirm.failed")} error={launchError} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)} disabled={launching}>
                {t("topUp.confirm.notNow")}
              </Button>
              <Button onClick={() => void launch()} loading={launching} data-testid="top-up-confirm-button">
                {t("topUp.confirm.publish", { total: money(quote.total, quote.currency) })}
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
    case "writingRows":
      return translate("results:topUp.progress.writingRows", { count: step.rows });
    case "uploading":
      return step.sentPercent == null
        ? translate("results:topUp.progress.uploading")
        : translate("results:topUp.progress.uploadingPercent", { percent: step.sentPercent });
    case "copyingBatch":
      return translate("results:topUp.progress.copyingBatch");
    case "settingUp":
      return translate("results:topUp.progress.settingUp");
    case "keepingPeopleOut":
      return translate("results:topUp.progress.keepingOut");
    case "launching":
      return step.stage === "publishing"
        ? translate("results:topUp.progress.publishing")
        : step.stage === "done"
          ? translate("results:topUp.progress.published")
          : translate("results:topUp.progress.creating");
    default:
      return translate("results:topUp.progress.ready");
  }
}

/**
 * What each group of the round carries besides its items, as the study's groups did,
 * in plain words; `null` when the study mixed nothing in.
 */
export function checksWords(plan: TopUpPlan): string | null {
  const parts = [
    plan.knownPerGroup > 0 ? translate("results:topUp.checks.known", { count: plan.knownPerGroup }) : null,
    plan.checksPerGroup > 0 ? translate("results:topUp.checks.checks", { count: plan.checksPerGroup }) : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  return translate("results:topUp.checks.carries", {
    parts: parts.join(translate("results:overview.numbers.and")),
    count: plan.tasks,
  });
}
