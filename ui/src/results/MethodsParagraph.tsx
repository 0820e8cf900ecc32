import { Button, CopyButton, Group, Loader, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";

import { useStudyMethods } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

const two = (value: number | null | undefined) => (value === null || value === undefined ? "–" : value.toFixed(2));

/**
 * What to say in a paper's methods section: a paragraph written from the study and its
 * results (pay per hour, agreement with a bootstrap interval, how labels were made,
 * checks and exclusions), to copy as it is or adapt, with the agreement figures as a table.
 * It is read only when asked for: the bootstrap takes a moment on a large study.
 */
export function MethodsParagraph({ studyId, version }: { studyId: string; version: string }) {
  const [asked, setAsked] = useState(false);
  const methods = useStudyMethods(studyId, version, asked);
  return (
    <Stack gap="sm" component="section" aria-labelledby="methods-title" data-testid="methods">
      <Group justify="space-between">
        <Title order={4} id="methods-title">
          For your paper
        </Title>
        {!asked && (
          <Button variant="light" size="xs" onClick={() => setAsked(true)} data-testid="methods-write">
            Write the methods paragraph
          </Button>
        )}
      </Group>
      {asked && methods.isPending && (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm">Measuring agreement over 1,000 resamples of the items…</Text>
        </Group>
      )}
      {methods.isError && <ErrorNotice title="The methods paragraph could not be written" error={methods.error} />}
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
                  {copied ? "Copied" : "Copy the paragraph"}
                </Button>
              )}
            </CopyButton>
            <Text size="xs" c="dimmed">
              Written from this download; check it against your own design before you use it.
            </Text>
          </Group>
          {methods.data.agreement.length > 0 && (
            <Table withTableBorder fz="sm" data-testid="methods-agreement">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Question</Table.Th>
                  <Table.Th ta="right">Items</Table.Th>
                  <Table.Th ta="right">Krippendorff’s alpha</Table.Th>
                  <Table.Th ta="right">95% interval</Table.Th>
                  <Table.Th ta="right">Pairs agreeing</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {methods.data.agreement.map((row) => (
                  <Table.Tr key={row.question}>
                    <Table.Td>{row.question}</Table.Td>
                    <Table.Td ta="right">{row.itemsRated.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{two(row.alpha)}</Table.Td>
                    <Table.Td ta="right">
                      {row.interval ? `${two(row.interval.low)} to ${two(row.interval.high)}` : "–"}
                    </Table.Td>
                    <Table.Td ta="right">
                      {row.percentAgreement === null ? "–" : `${Math.round(row.percentAgreement * 100)}%`}
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
