import { Alert, Button, Group, Loader, Modal, NumberInput, Stack, Table, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import {
  IconAlertTriangle,
  IconChecks,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconUserPlus,
} from "@tabler/icons-react";
import { useEffect, useEffectEvent, useState } from "react";

import { useTranslation } from "../i18n";
import { formatMinorUnits, formatNumber } from "../format";
import { errorMessage } from "./words";
import type { ApproveOutcome, PlacesQuote, StudyCommand, StudyProgress } from "../backend";

export type StudyActionsProps = {
  progress: StudyProgress;
  onAction: (action: StudyCommand) => Promise<unknown>;
  onQuotePlaces: (extra: number) => Promise<PlacesQuote>;
  /** Makes the change `quote` shows (from its people per item to its target, at its cost). */
  onAddPlaces: (quote: PlacesQuote) => Promise<unknown>;
  onApproveAll: () => Promise<ApproveOutcome>;
};

type Dialog = "stop" | "add" | "approve" | null;
type Busy = StudyCommand | "add" | "approve" | null;

/** How long the number of extra people must stay unchanged before its cost is asked for. */
export const QUOTE_DEBOUNCE_MS = 300;

/** A whole number of extra people per item of at least 1, or null. */
function extraPlaces(value: string | number): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : null;
}

/**
 * What the researcher can do with a running study: pause, resume, stop, add people and
 * approve everything awaiting review. Only the actions Prolific allows now are offered;
 * the ones that spend money or cannot be undone ask first and say why.
 */
export function StudyActions({ progress, onAction, onQuotePlaces, onAddPlaces, onApproveAll }: StudyActionsProps) {
  const { t } = useTranslation("results");
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const waiting = progress.submissions.awaitingReview;

  const open = (next: Dialog) => {
    setDialogError(null);
    setError(null);
    setDone(null);
    setDialog(next);
  };
  const close = () => {
    if (busy === null) setDialog(null);
  };

  /** Runs `call` with `which` busy; errors go inline (in the dialog when one is open). */
  async function run<T>(which: Busy, call: () => Promise<T>, inDialog: boolean): Promise<T | undefined> {
    setBusy(which);
    setError(null);
    setDialogError(null);
    setDone(null);
    try {
      return await call();
    } catch (failure) {
      (inDialog ? setDialogError : setError)(errorMessage(failure));
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  const simple = async (action: "pause" | "resume") => {
    await run(action, () => onAction(action), false);
  };

  const stop = async () => {
    const result = await run("stop", () => onAction("stop").then(() => true), true);
    if (result) {
      setDialog(null);
      setDone(t("actions.stopped"));
    }
  };

  const approve = async () => {
    const outcome = await run("approve", onApproveAll, true);
    if (outcome) {
      setDialog(null);
      setDone(t("actions.approved", { count: outcome.approved }));
    }
  };

  const add = async (quote: PlacesQuote) => {
    const result = await run("add", () => onAddPlaces(quote).then(() => true), true);
    if (result) {
      setDialog(null);
      const extra = quote.targetPerItem - quote.currentPerItem;
      setDone(t("actions.added", { count: extra }));
    }
  };

  const nothing = !progress.canPause && !progress.canResume && !progress.canStop && !progress.canAddPlaces && !progress.canApprove;
  const anyBusy = busy !== null;

  return (
    <Stack gap="sm" component="section" aria-label={t("actions.region")} data-testid="study-actions">
      {nothing ? (
        <Text size="sm" c="dimmed">
          {t("actions.nothing")}
        </Text>
      ) : (
        <Group gap="sm">
          {progress.canPause && (
            <Button
              variant="default"
              leftSection={<IconPlayerPause size={18} aria-hidden />}
              loading={busy === "pause"}
              disabled={anyBusy && busy !== "pause"}
              onClick={() => void simple("pause")}
            >
              {t("actions.pause")}
            </Button>
          )}
          {progress.canResume && (
            <Button
              variant="default"
              leftSection={<IconPlayerPlay size={18} aria-hidden />}
              loading={busy === "resume"}
              disabled={anyBusy && busy !== "resume"}
              onClick={() => void simple("resume")}
            >
              {t("actions.resume")}
            </Button>
          )}
          {progress.canAddPlaces && (
            <Button
              variant="default"
              leftSection={<IconUserPlus size={18} aria-hidden />}
              disabled={anyBusy}
              onClick={() => open("add")}
            >
              {t("actions.addPeople")}
            </Button>
          )}
          {progress.canApprove && (
            <Button
              leftSection={<IconChecks size={18} aria-hidden />}
              disabled={anyBusy || waiting === 0}
              loading={busy === "approve"}
              onClick={() => open("approve")}
              data-testid="approve-all"
            >
              {t("actions.approveAll", { count: waiting })}
            </Button>
          )}
          {progress.canStop && (
            <Button
              color="red"
              variant="light"
              leftSection={<IconPlayerStop size={18} aria-hidden />}
              disabled={anyBusy}
              loading={busy === "stop"}
              onClick={() => open("stop")}
            >
              {t("actions.stop")}
            </Button>
          )}
        </Group>
      )}

      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="action-error">
          {error}
        </Alert>
      )}
      <div role="status" aria-live="polite">
        {done && (
          <Text size="sm" c="teal.8" data-testid="action-done">
            {done}
          </Text>
        )}
      </div>

      <Modal opened={dialog === "stop"} onClose={close} title={t("actions.stopDialog.title")} centered>
        <Stack gap="md">
          <Text>
            {t("actions.stopDialog.body")}
          </Text>
          <DialogError message={dialogError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy === "stop"} data-autofocus>
              {t("actions.stopDialog.keep")}
            </Button>
            <Button color="red" loading={busy === "stop"} onClick={() => void stop()}>
              {t("actions.stopDialog.stop")}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={dialog === "approve"} onClose={close} title={t("actions.approveDialog.title")} centered>
        <Stack gap="md">
          <Text data-testid="approve-question">
            {t("actions.approveDialog.question", { count: waiting })}
          </Text>
          <DialogError message={dialogError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy === "approve"} data-autofocus>
              {t("actions.approveDialog.notYet")}
            </Button>
            <Button loading={busy === "approve"} onClick={() => void approve()} data-testid="approve-and-pay">
              {t("actions.approveDialog.approve")}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={dialog === "add"} onClose={close} title={t("actions.addPeople")} centered>
        {dialog === "add" && (
          <AddPlaces
            places={progress.places}
            onQuotePlaces={onQuotePlaces}
            onConfirm={(quote) => void add(quote)}
            onCancel={close}
            busy={busy === "add"}
            error={dialogError}
          />
        )}
      </Modal>
    </Stack>
  );
}

function DialogError({ message }: { message: string | null }) {
  return message ? (
    <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="dialog-error">
      {message}
    </Alert>
  ) : null;
}

type Quoted = { extra: number; quote: PlacesQuote | null; error: string | null };

/** The "Add people" dialog's body: how many more, what that costs, and confirm. */
function AddPlaces({
  places,
  onQuotePlaces,
  onConfirm,
  onCancel,
  busy,
  error,
}: {
  places: number;
  onQuotePlaces: (extra: number) => Promise<PlacesQuote>;
  /** The quote shown: the change from its people per item to its target, at its cost. */
  onConfirm: (quote: PlacesQuote) => void;
  onCancel: () => void;
  busy: boolean;
  error: string | null;
}) {
  const { t } = useTranslation("results");
  const [value, setValue] = useState<string | number>(1);
  const [settled] = useDebouncedValue(value, QUOTE_DEBOUNCE_MS);
  const [quoted, setQuoted] = useState<Quoted | null>(null);
  const extra = extraPlaces(value);
  const settledExtra = extraPlaces(settled);

  // The latest callback, without asking again each time the parent passes a new one.
  const askQuote = useEffectEvent((extra: number) => onQuotePlaces(extra));
  useEffect(() => {
    if (settledExtra === null) return;
    let current = true;
    askQuote(settledExtra).then(
      (quote) => current && setQuoted({ extra: settledExtra, quote, error: null }),
      (failure: unknown) => current && setQuoted({ extra: settledExtra, quote: null, error: errorMessage(failure) }),
    );
    return () => {
      current = false;
    };
  }, [settledExtra]);

  // Only a quote for the number now in the box counts.
  const answer = quoted !== null && extra !== null && quoted.extra === extra ? quoted : null;
  const shown = answer?.quote ?? null;
  const quoting = extra !== null && answer === null;

  return (
    <Stack gap="md">
      <Text size="sm">
        {t("actions.add.intro", { places: t("count.places", { count: places }) })}
      </Text>
      <NumberInput
        label={t("actions.add.label")}
        description={t("actions.add.description")}
        min={1}
        allowDecimal={false}
        allowNegative={false}
        value={value}
        onChange={setValue}
        error={value !== "" && extra === null ? t("actions.add.wholeNumber") : undefined}
        maw={220}
        data-autofocus
      />
      <div aria-live="polite" data-testid="places-quote">
        {quoting ? (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t("actions.add.working")}</Text>
          </Group>
        ) : answer?.error ? (
          <Text size="sm" c="red.8" role="alert">
            {answer.error}
          </Text>
        ) : shown ? (
          <Stack gap="xs">
            <Table variant="vertical" withTableBorder maw={420}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t("actions.add.extraCost")}</Table.Th>
                  <Table.Td ta="right" data-testid="extra-cost">
                    {formatMinorUnits(shown.extraCostMinor, shown.currency)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t("actions.add.available")}</Table.Th>
                  <Table.Td ta="right" data-testid="quote-available">
                    {formatMinorUnits(shown.available, shown.currency)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t("actions.add.extraPlaces")}</Table.Th>
                  <Table.Td ta="right" data-testid="extra-places">
                    {formatNumber(shown.extraPlaces)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t("actions.add.afterwards")}</Table.Th>
                  <Table.Td ta="right">{formatNumber(shown.newTotal)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {!shown.affordable && (
              <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="not-affordable">
                {t("actions.add.notAffordable")}
              </Alert>
            )}
          </Stack>
        ) : null}
      </div>
      <DialogError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={busy}>
          {t("actions.add.cancel")}
        </Button>
        <Button
          disabled={extra === null || shown === null || !shown.affordable}
          loading={busy}
          onClick={() => extra !== null && shown !== null && onConfirm(shown)}
          data-testid="confirm-add"
        >
          {extra !== null && shown
            ? t("actions.add.confirm", { places: t("count.places", { count: shown.extraPlaces }), cost: formatMinorUnits(shown.extraCostMinor, shown.currency) })
            : t("actions.addPeople")}
        </Button>
      </Group>
    </Stack>
  );
}
