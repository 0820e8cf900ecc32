import { Alert, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { money, type PriceQuote } from "./settings";

export type CostPanelProps = { quote: PriceQuote | null; loading: boolean };

/**
 * The exact cost from Prolific's cost calculator, split into what participants get and
 * what Prolific charges, next to what the workspace has. When the balance falls short it
 * says by how much and what to do, so the researcher is never left guessing.
 */
export function CostPanel({ quote, loading }: CostPanelProps) {
  const m = (amount: number) => money(amount, quote?.currency ?? "GBP");
  return (
    <Stack gap="sm" data-testid="cost" aria-busy={loading}>
      <Group gap="sm">
        <Title order={3}>Cost</Title>
        {loading && quote && (
          <Group gap={6} aria-live="polite">
            <Loader size="xs" aria-hidden />
            <Text size="sm" c="dimmed">
              Updating…
            </Text>
          </Group>
        )}
      </Group>
      {quote === null ? (
        <Group gap="sm" aria-live="polite" data-testid="cost-pending">
          {loading && <Loader size="sm" aria-hidden />}
          <Text size="sm">
            {loading
              ? "Working out the exact cost with Prolific…"
              : "The exact cost appears here once the reward and people per item are set."}
          </Text>
        </Group>
      ) : (
        <>
          <Table variant="vertical" layout="fixed" maw={520} withTableBorder data-testid="cost-table">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" w="60%">Rewards for participants</Table.Th>
                <Table.Td ta="right" data-testid="cost-rewards">{m(quote.rewards)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Prolific's service fee and VAT</Table.Th>
                <Table.Td ta="right" data-testid="cost-fees">{m(quote.feesAndTax)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Total</Table.Th>
                <Table.Td ta="right" fw={700} data-testid="cost-total">
                  {m(quote.total)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Available in your workspace</Table.Th>
                <Table.Td ta="right" data-testid="cost-available">{m(quote.available)}</Table.Td>
              </Table.Tr>
              {quote.shortfall === 0 && (
                <Table.Tr>
                  <Table.Th scope="row">Left after publishing</Table.Th>
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
              title={`Your workspace is ${m(quote.shortfall)} short`}
              role="alert"
              data-testid="shortfall"
            >
              Add at least {m(quote.shortfall)} to your workspace on Prolific (Workspace → Add funds), or lower the reward or
              people per item. Nothing can be published until the balance covers the total.
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            The total comes from Prolific's cost calculator. Publishing sets it aside from your workspace's balance.
          </Text>
        </>
      )}
    </Stack>
  );
}
