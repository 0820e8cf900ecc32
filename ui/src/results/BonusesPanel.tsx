import { Alert, Button, Group, Modal, Stack, Table, Text, Textarea } from "@mantine/core";
import { IconAlertTriangle, IconGift } from "@tabler/icons-react";
import { useState } from "react";

import type { BonusPaid, BonusQuote, PendingBonus } from "../backend";
import { useTranslation } from "../i18n";
import {
  usePayBonuses,
  usePendingBonuses,
  usePutBonusesAside,
  useRefreshPendingBonuses,
  useSetUpBonuses,
  useWorkspaceDetails,
  useWorkspaces,
} from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { MoneyInput } from "../study/MoneyInput";
import { money } from "../study/settings";
import { type ReadBonusTable, readBonusTable } from "./bonusTable";

/**
 * Bonuses for the people chosen: an amount each, then Prolific's total with its fee (set
 * up, nothing paid), then paid at that total once. Set-ups not paid yet (the app closed
 * in between, say) stay listed to pay or put aside.
 */
export function BonusesPanel({ studyId, chosen, onPaid }: { studyId: string; chosen: string[]; onPaid: () => void }) {
  const { t } = useTranslation("results");
  const pending = usePendingBonuses(studyId);
  const workspaces = useWorkspaces();
  const details = useWorkspaceDetails(workspaces.data?.chosen);
  const currency = details.data?.currencyCode ?? "GBP";
  const [open, setOpen] = useState<"each" | "table" | null>(null);
  const [amount, setAmount] = useState(100);
  const [table, setTable] = useState("");
  const fromTable = readBonusTable(table, currency);
  const rows =
    open === "table" ? fromTable.rows : chosen.map((participantId) => ({ participantId, amount }));
  const [paidNote, setPaidNote] = useState<BonusPaid | null>(null);
  const refresh = useRefreshPendingBonuses(studyId);
  const setUp = useSetUpBonuses(studyId);
  const close = () => {
    setOpen(null);
    setUp.reset();
  };
  const people = t("count.people", { count: chosen.length });
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconGift size={16} aria-hidden />}
          disabled={chosen.length === 0}
          onClick={() => setOpen("each")}
          data-testid="bonus-open"
        >
          {chosen.length > 0 ? t("bonuses.payPeople", { people }) : t("bonuses.payThem")}
        </Button>
        <Button variant="subtle" size="xs" onClick={() => setOpen("table")} data-testid="bonus-table-open">
          {t("bonuses.fromTableOpen")}
        </Button>
      </Group>
      {paidNote && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setPaidNote(null)} data-testid="bonus-paid">
          {t(paidNote.alreadyPaid ? "bonuses.alreadyPaid" : "bonuses.paid", {
            total: money(paidNote.total, paidNote.currency),
            people: t("count.people", { count: paidNote.people }),
          })}
        </Alert>
      )}
      {(pending.data ?? []).map((waiting) => (
        <PendingRow
          key={waiting.quote.bulkBonusId}
          studyId={studyId}
          pending={waiting}
          onDone={(paid) => {
            if (paid) setPaidNote(paid);
            void refresh();
          }}
        />
      ))}
      <Modal
        opened={open !== null}
        onClose={close}
        title={open === "table" ? t("bonuses.fromTable") : t("bonuses.forPeople", { people })}
        size={open === "table" ? "lg" : "md"}
        data-testid="bonus-dialog"
      >
        <Stack gap="md">
          {!setUp.data ? (
            <>
              {open === "table" ? (
                <>
                  <Textarea
                    label={t("bonuses.table.label")}
                    description={t("bonuses.table.description", { currency })}
                    autosize
                    minRows={5}
                    value={table}
                    onChange={(event) => setTable(event.currentTarget.value)}
                    data-testid="bonus-table"
                  />
                  <Text size="sm" data-testid="bonus-table-read">
                    {fromTable.rows.length > 0
                      ? t("bonuses.table.readWithSum", {
                          count: fromTable.rows.length,
                          sum: money(
                            fromTable.rows.reduce((sum, row) => sum + row.amount, 0),
                            currency,
                          ),
                        })
                      : t("bonuses.table.read", { count: fromTable.rows.length })}
                  </Text>
                  {fromTable.problems.length > 0 && (
                    <Alert color="orange" variant="light" data-testid="bonus-table-problems">
                      {fromTable.problems.map((problem) => (
                        <Text key={problem} size="sm">
                          {problem}
                        </Text>
                      ))}
                    </Alert>
                  )}
                </>
              ) : (
                <MoneyInput
                  label={t("bonuses.each.label")}
                  description={t("bonuses.each.description")}
                  currency={currency}
                  value={amount}
                  onChange={setAmount}
                  data-testid="bonus-amount"
                />
              )}
              {setUp.isError && <ErrorNotice title={t("bonuses.setUpFailed")} error={setUp.error} />}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t("bonuses.cancel")}
                </Button>
                <Button
                  disabled={rows.length === 0 || rows.some((row) => row.amount <= 0) || fromTableBlocked(open, fromTable)}
                  loading={setUp.isPending}
                  onClick={() => setUp.mutate(rows)}
                  data-testid="bonus-set-up"
                >
                  {t("bonuses.workOut")}
                </Button>
              </Group>
            </>
          ) : (
            <ConfirmPay
              studyId={studyId}
              quote={setUp.data}
              onCancel={close}
              onPaid={(paid) => {
                setPaidNote(paid);
                setOpen(null);
                setUp.reset();
                setTable("");
                void refresh();
                onPaid();
              }}
            />
          )}
        </Stack>
      </Modal>
    </Stack>
  );
}

/** A table with lines that cannot be read is fixed before anything is set up. */
function fromTableBlocked(open: "each" | "table" | null, read: ReadBonusTable) {
  return open === "table" && read.problems.length > 0;
}

/** The set-up's total, and Pay at exactly that total. */
function ConfirmPay({
  studyId,
  quote,
  onCancel,
  onPaid,
}: {
  studyId: string;
  quote: BonusQuote;
  onCancel: () => void;
  onPaid: (paid: BonusPaid) => void;
}) {
  const { t } = useTranslation("results");
  const pay = usePayBonuses(studyId, { onSuccess: onPaid });
  const line = (label: string, minor: number) => (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td ta="right">{money(minor, quote.currency)}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="md" data-testid="bonus-confirm">
      <Table withTableBorder>
        <Table.Tbody>
          {line(t("bonuses.confirm.bonuses", { count: quote.rows.length }), quote.amount)}
          {line(t("bonuses.confirm.fee"), quote.fees)}
          {line(t("bonuses.confirm.vat"), quote.vat)}
          <Table.Tr>
            <Table.Td fw={700}>{t("bonuses.confirm.total")}</Table.Td>
            <Table.Td ta="right" fw={700} data-testid="bonus-total">
              {money(quote.total, quote.currency)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="sm" c={quote.affordable ? "dimmed" : "red"}>
        {t("bonuses.confirm.available", { available: availableOf(quote) })}{" "}
        {quote.affordable ? t("bonuses.confirm.final") : t("bonuses.confirm.notEnough")}
      </Text>
      {pay.isError && <ErrorNotice title={t("bonuses.confirm.failed")} error={pay.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t("bonuses.confirm.notNow")}
        </Button>
        <Button
          disabled={!quote.affordable}
          loading={pay.isPending}
          onClick={() => pay.mutate(quote)}
          data-testid="bonus-pay"
        >
          {t("bonuses.confirm.pay", { total: money(quote.total, quote.currency) })}
        </Button>
      </Group>
    </Stack>
  );
}

/** A set-up not paid yet: pay it (asking first) or put it aside; an unclear one says so. */
function PendingRow({
  studyId,
  pending,
  onDone,
}: {
  studyId: string;
  pending: PendingBonus;
  onDone: (paid: BonusPaid | null) => void;
}) {
  const { t } = useTranslation("results");
  const [confirming, setConfirming] = useState(false);
  const aside = usePutBonusesAside(studyId, { onSuccess: () => onDone(null) });
  const { quote } = pending;
  const people = t("count.people", { count: quote.rows.length });
  if (pending.unclear) {
    return (
      <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="bonus-unclear">
        {t("bonuses.pending.unclear", { total: money(quote.total, quote.currency), people })}
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" icon={<IconGift aria-hidden />} data-testid="bonus-pending">
      <Stack gap="xs">
        <Text size="sm">
          {t("bonuses.pending.waiting", { total: money(quote.total, quote.currency), people })}
        </Text>
        {!confirming ? (
          <Group gap="xs">
            <Button size="xs" onClick={() => setConfirming(true)} data-testid="bonus-pending-pay">
              {t("bonuses.pending.pay", { total: money(quote.total, quote.currency) })}
            </Button>
            <Button size="xs" variant="subtle" loading={aside.isPending} onClick={() => aside.mutate(pending.quote.bulkBonusId)}>
              {t("bonuses.pending.putAside")}
            </Button>
          </Group>
        ) : (
          <ConfirmPay
            studyId={studyId}
            quote={quote}
            onCancel={() => setConfirming(false)}
            onPaid={(paid) => {
              setConfirming(false);
              onDone(paid);
            }}
          />
        )}
        {aside.isError && <ErrorNotice title={t("bonuses.pending.asideFailed")} error={aside.error} />}
      </Stack>
    </Alert>
  );
}

/** The balance a set-up was quoted against; set-ups recorded before its amount was kept have only its English text. */
function availableOf(quote: BonusQuote): string {
  return quote.available == null ? quote.availableText : money(quote.available, quote.currency);
}
