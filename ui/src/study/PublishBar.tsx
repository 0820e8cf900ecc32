import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconAlertTriangle, IconFlask, IconRocket } from "@tabler/icons-react";
import { useId, useState } from "react";

import { Trans, useTranslation } from "../i18n";
import { money, type PriceQuote, type TestRunAvailability } from "./settings";

export type PublishBarProps = {
  /** Practice mode: the confirmation says nothing real is spent. */
  practising?: boolean;
  quote: PriceQuote | null;
  /** Why publishing cannot happen now, in plain words (the shortfall, an issue…). */
  blockedBy: string | null;
  busy: boolean;
  /** Publishes exactly what `confirmed` priced, at its total. */
  onPublish: (confirmed: PriceQuote) => void;
  onSaveDraft: () => void;
  testRun: TestRunAvailability;
  /** `email` for the test participant the first time; `null` once one is registered. */
  onTestRun: (email: string | null) => void;
  /** The places, repeated in the confirmation (an addition to the agreed props). */
  places: number;
};

/**
 * Publishing, saving a draft, and a test run. The Publish button names the exact total;
 * publishing asks once more in a dialog that repeats the total and the places, and only
 * its "Publish now" publishes. The dialog keeps the total it was opened with: if the
 * quote changes underneath, "Publish now" waits until the researcher has seen the new one.
 */
export function PublishBar({
  quote,
  blockedBy,
  busy,
  onPublish,
  onSaveDraft,
  testRun,
  onTestRun,
  places,
  practising = false,
}: PublishBarProps) {
  const { t } = useTranslation("study");
  const reasonId = useId();
  const [confirming, setConfirming] = useState<PriceQuote | null>(null);
  const reason = blockedBy ?? (quote === null ? t("publish.costUnknown") : null);
  const total = quote ? money(quote.total, quote.currency) : null;
  const totalChanged =
    confirming !== null && (quote === null || quote.total !== confirming.total || quote.currency !== confirming.currency);
  // Same total, other terms (a title, the audience…): still not what was confirmed.
  const termsChanged = confirming !== null && quote !== null && quote.fingerprint !== confirming.fingerprint;
  const changed = totalChanged || termsChanged;
  const close = () => setConfirming(null);

  return (
    <Stack gap="md" data-testid="publish-bar">
      <Stack gap={6}>
        <Group>
          <Button
            size="md"
            leftSection={<IconRocket size={18} aria-hidden />}
            disabled={reason !== null}
            loading={busy}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => setConfirming(quote)}
            data-testid="publish"
          >
            {total ? t("publish.publishFor", { total }) : t("publish.publish")}
          </Button>
          <Button variant="default" size="md" onClick={onSaveDraft} disabled={busy} data-testid="save-draft">
            {t("publish.saveDraft")}
          </Button>
        </Group>
        {reason && (
          <Text size="sm" c="red.8" id={reasonId} data-testid="publish-blocked">
            {reason}
          </Text>
        )}
      </Stack>

      <Paper withBorder p="md" component="section" aria-label={t("publish.testRun.title")}>
        <Title order={4} mb={4}>
          {t("publish.testRun.title")}
        </Title>
        {testRun.available ? (
          <TestRunStart participantEmail={testRun.participantEmail} busy={busy} onTestRun={onTestRun} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="test-run-unavailable">
            {testRun.reason ?? t("publish.testRun.unavailable")}
          </Text>
        )}
      </Paper>

      <Modal
        opened={confirming !== null}
        onClose={close}
        title={confirming ? t("publish.confirm.title", { total: money(confirming.total, confirming.currency) }) : ""}
        centered
      >
        {confirming && (
          <Stack gap="md">
            <Text data-testid="confirm-summary">
              <Trans
                t={t}
                i18nKey={practising ? "publish.confirm.summaryPractice" : "publish.confirm.summary"}
                values={{ total: money(confirming.total, confirming.currency), places: t("count.places", { count: places }) }}
                components={{ strong: <strong /> }}
              />
            </Text>
            {practising && (
              <Text size="sm" c="dimmed" data-testid="confirm-practice">
                {t("publish.confirm.practice")}
              </Text>
            )}
            {(changed || blockedBy !== null) && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                {totalChanged
                  ? t("publish.confirm.totalChanged")
                  : termsChanged
                    ? t("publish.confirm.termsChanged")
                    : blockedBy}
              </Alert>
            )}
            <Group justify="flex-end">
              {/* Focus starts on the safe choice, so a stray Enter never publishes. */}
              <Button variant="default" onClick={close} data-autofocus>
                {t("publish.confirm.notYet")}
              </Button>
              <Button
                disabled={changed || blockedBy !== null || busy}
                onClick={() => {
                  close();
                  onPublish(confirming);
                }}
                data-testid="publish-now"
              >
                {t("publish.confirm.publishNow")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

/** A plain check before asking Prolific: something before and after one "@", a dot after it. */
const looksLikeEmail = (text: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text.trim());

/**
 * Starting a test run. The first time, it asks for the email of a test participant
 * account: Prolific makes one only for an address it has never seen, so never the
 * researcher's own. Once made, that participant takes every test run.
 */
function TestRunStart({
  participantEmail,
  busy,
  onTestRun,
}: {
  participantEmail: string | null;
  busy: boolean;
  onTestRun: (email: string | null) => void;
}) {
  const { t } = useTranslation("study");
  const [email, setEmail] = useState("");
  const ready = participantEmail !== null || looksLikeEmail(email);
  return (
    <Stack gap={6} align="flex-start">
      <Text size="sm">
        {t("publish.testRun.intro")}
      </Text>
      {participantEmail === null ? (
        <TextInput
          label={t("publish.testRun.email.label")}
          description={t("publish.testRun.email.description")}
          placeholder={t("publish.testRun.email.placeholder")}
          type="email"
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          w="100%"
          maw={420}
          data-testid="test-participant-email"
        />
      ) : (
        <Text size="sm" data-testid="test-participant">
          <Trans t={t} i18nKey="publish.testRun.participant" values={{ email: participantEmail }} components={{ strong: <strong /> }} />
        </Text>
      )}
      <Button
        variant="light"
        leftSection={<IconFlask size={18} aria-hidden />}
        onClick={() => onTestRun(participantEmail === null ? email.trim() : null)}
        disabled={busy || !ready}
        data-testid="start-test-run"
      >
        {t("publish.testRun.start")}
      </Button>
    </Stack>
  );
}
