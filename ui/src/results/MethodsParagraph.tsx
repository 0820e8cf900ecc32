import { Button, CopyButton, Group, Loader, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";

import { useTranslation } from "../i18n";
import { useStudyMethods } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatNumber, formatPercent } from "../format";
import { twoDecimals as two } from "./heat";

/**
 * What to say in a paper's methods section: a paragraph written from the study and its
 * results (pay per hour, agreement with a bootstrap interval, how labels were made,
 * checks and exclusions), to copy as it is or adapt, with the agreement figures as a table.
 * It is read only when asked for: the bootstrap takes a moment on a large study.
 */
export function MethodsParagraph({ studyId, version }: { studyId: string; version: string }) {
  const { t } = useTranslation("results");
  const [asked, setAsked] = useState(false);
  const methods = useStudyMethods(studyId, version, asked);
  return (
    <Stack gap="sm" component="section" aria-labelledby="methods-title" data-testid="methods">
      <Group justify="space-between">
        <Title order={4} id="methods-title">
          {t("methods.title")}
        </Title>
        {!asked && (
          <Button variant="light" size="xs" onClick={() => setAsked(true)} data-testid="methods-write">
            {t("methods.write")}
          </Button>
        )}
      </Group>
      {asked && methods.isPending && (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t("methods.measuring", { resamples: 1000 })}</Text>
        </Group>
      )}
      {methods.isError && <ErrorNotice title={t("methods.failed")} error={methods.error} />}
      {methods.data && (
        <>
          <Paper withBorder p="md">
            <Text size="sm" data-testid="methods-paragraph" style={{ userSelect: "text" }}>
              {methods.data.paragraph}
            </Text>
          </Paper>
          <Group>
            <CopyButton value={methods.data.paragraph}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                  onClick={copy}
                  data-testid="methods-copy"
                >
                  {copied ? t("methods.copied") : t("methods.copy")}
                </Button>
              )}
            </CopyButton>
            <Text size="xs" c="dimmed">
              {t("methods.check")}
            </Text>
          </Group>
          {methods.data.agreement.length > 0 && (
            <Table withTableBorder fz="sm" data-testid="methods-agreement">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("methods.table.question")}</Table.Th>
                  <Table.Th ta="right">{t("methods.table.items")}</Table.Th>
                  <Table.Th ta="right">{t("methods.table.alpha")}</Table.Th>
                  <Table.Th ta="right">{t("methods.table.interval")}</Table.Th>
                  <Table.Th ta="right">{t("methods.table.pairs")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {methods.data.agreement.map((row) => (
                  <Table.Tr key={row.question}>
                    <Table.Td>{row.question}</Table.Td>
                    <Table.Td ta="right">{formatNumber(row.itemsRated)}</Table.Td>
                    <Table.Td ta="right">{two(row.alpha)}</Table.Td>
                    <Table.Td ta="right">
                      {row.interval ? t("alphaIntervals.range", { low: two(row.interval.low), high: two(row.interval.high) }) : "–"}
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatPercent(row.percentAgreement)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
