import { Alert, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
import { money, type PriceQuote } from "./settings";

export type CostPanelProps = { quote: PriceQuote | null; loading: boolean };

/**
 * The exact cost from Prolific's cost calculator, split into what participants get and
 * what Prolific charges, next to what the workspace has. When the balance falls short it
 * says by how much and what to do, so the researcher is never left guessing.
 */
export function CostPanel({ quote, loading }: CostPanelProps) {
  const { t } = useTranslation("study");
  const m = (amount: number) => money(amount, quote?.currency ?? "GBP");
  return (
    <Stack gap="sm" data-testid="cost" aria-busy={loading}>
      <Group gap="sm">
        <Title order={3}>{t("cost.title")}</Title>
        {loading && quote && (
          <Group gap={6} aria-live="polite">
            <Loader size="xs" aria-hidden />
            <Text size="sm" c="dimmed">
              {t("cost.updating")}
            </Text>
          </Group>
        )}
      </Group>
      {quote === null ? (
        <Group gap="sm" aria-live="polite" data-testid="cost-pending">
          {loading && <Loader size="sm" aria-hidden />}
          <Text size="sm">
            {loading ? t("cost.working") : t("cost.pending")}
          </Text>
        </Group>
      ) : (
        <>
          <Table variant="vertical" layout="fixed" maw={520} withTableBorder data-testid="cost-table">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" w="60%">{t("cost.rewards")}</Table.Th>
                <Table.Td ta="right" data-testid="cost-rewards">{m(quote.rewards)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t("cost.fees")}</Table.Th>
                <Table.Td ta="right" data-testid="cost-fees">{m(quote.feesAndTax)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t("cost.total")}</Table.Th>
                <Table.Td ta="right" fw={700} data-testid="cost-total">
                  {m(quote.total)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t("cost.available")}</Table.Th>
                <Table.Td ta="right" data-testid="cost-available">{m(quote.available)}</Table.Td>
              </Table.Tr>
              {quote.shortfall === 0 && (
                <Table.Tr>
                  <Table.Th scope="row">{t("cost.left")}</Table.Th>
                  <Table.Td ta="right" data-testid="cost-left">{m(quote.available - quote.total)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          {quote.shortfall > 0 && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle aria-hidden />}
              title={t("cost.shortfall.title", { amount: m(quote.shortfall) })}
              role="alert"
              data-testid="shortfall"
            >
              {t("cost.shortfall.body", { amount: m(quote.shortfall) })}
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            {t("cost.note")}
          </Text>
        </>
      )}
    </Stack>
  );
}
