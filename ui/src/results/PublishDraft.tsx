import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconRocket } from "@tabler/icons-react";
import { useState } from "react";

import type { BackendError, PriceQuote } from "../backend";
import { Trans, useTranslation } from "../i18n";
import { ErrorNotice } from "../shell/ErrorNotice";
import { money } from "../study/settings";

/**
 * Publishing a draft study from its page, as carefully as the wizard does: the price is
 * asked for first and shown next to the balance, and only "Publish now" in the dialog
 * spends, at exactly the total shown (Rust refuses if the price changed meanwhile).
 */
export function PublishDraft({
  onQuote,
  onPublish,
}: {
  onQuote: () => Promise<PriceQuote>;
  /** Publishes at the confirmed quote (its total and the terms it priced). */
  onPublish: (confirmed: PriceQuote) => Promise<unknown>;
}) {
  const { t } = useTranslation("results");
  const [quote, setQuote] = useState<PriceQuote | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure as BackendError);
    } finally {
      setBusy(false);
    }
  };
  const total = quote ? money(quote.total, quote.currency) : "";
  return (
    <Stack gap="sm">
      <Group>
        <Button
          leftSection={<IconRocket size={18} aria-hidden />}
          onClick={() => void run(async () => setQuote(await onQuote()))}
          loading={busy && quote === null}
          data-testid="publish-draft"
        >
          {t("publishDraft.open")}
        </Button>
        <Text size="sm" c="dimmed">
          {t("publishDraft.note")}
        </Text>
      </Group>
      {error && <ErrorNotice title={t("publishDraft.failed")} error={error} />}
      <Modal opened={quote !== null} onClose={() => setQuote(null)} title={t("publishDraft.title", { total })} centered>
        {quote && (
          <Stack gap="sm" data-testid="publish-draft-confirm">
            <Text size="sm">
              <Trans
                t={t}
                i18nKey="publishDraft.summary"
                values={{
                  rewards: money(quote.rewards, quote.currency),
                  fees: money(quote.feesAndTax, quote.currency),
                  total,
                  available: money(quote.available, quote.currency),
                }}
                components={{ strong: <strong /> }}
              />
            </Text>
            {quote.shortfall > 0 && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                {t("publishDraft.shortfall", { amount: money(quote.shortfall, quote.currency) })}
              </Alert>
            )}
            <Group justify="flex-end">
              {/* Focus starts on the safe choice, so a stray Enter never publishes. */}
              <Button variant="default" onClick={() => setQuote(null)} data-autofocus>
                {t("publishDraft.notYet")}
              </Button>
              <Button
                disabled={quote.shortfall > 0 || busy}
                loading={busy}
                onClick={() =>
                  void run(async () => {
                    try {
                      await onPublish(quote);
                    } finally {
                      // Closed either way: a refusal (the price changed) shows beside the button.
                      setQuote(null);
                    }
                  })
                }
                data-testid="publish-draft-now"
              >
                {t("publishDraft.publishNow")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
