import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconRocket } from "@tabler/icons-react";
import { useState } from "react";

import type { BackendError, PriceQuote } from "../backend";
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
          Publish this draft…
        </Button>
        <Text size="sm" c="dimmed">
          Publishing spends money: you see the exact total first.
        </Text>
      </Group>
      {error && <ErrorNotice title="The study could not be published" error={error} />}
      <Modal opened={quote !== null} onClose={() => setQuote(null)} title={`Publish for ${total}?`} centered>
        {quote && (
          <Stack gap="sm" data-testid="publish-draft-confirm">
            <Text size="sm">
              Rewards {money(quote.rewards, quote.currency)}, Prolific&apos;s fees and tax{" "}
              {money(quote.feesAndTax, quote.currency)}: <strong>{total}</strong> in all, from your balance of{" "}
              {money(quote.available, quote.currency)}.
            </Text>
            {quote.shortfall > 0 && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                Your balance is {money(quote.shortfall, quote.currency)} short of the total. Add funds to the workspace
                on Prolific first.
              </Alert>
            )}
            <Group justify="flex-end">
              {/* Focus starts on the safe choice, so a stray Enter never publishes. */}
              <Button variant="default" onClick={() => setQuote(null)} data-autofocus>
                Not yet
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
                Publish now
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
