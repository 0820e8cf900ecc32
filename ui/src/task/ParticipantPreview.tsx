import { Button, Card, Divider, Group, SimpleGrid, Stack, Text, Title, Typography } from "@mantine/core";
import { IconChevronLeft, IconChevronRight } from "@tabler/icons-react";
import { useState } from "react";

import { useTranslation } from "../i18n";
import { DataCell } from "./DataCell";
import type { DataColumn, TaskDesign } from "./design";
import { PreviewQuestion } from "./PreviewQuestion";

export type ParticipantPreviewProps = {
  design: TaskDesign;
  columns: DataColumn[];
  /** Cells of real data rows, in `columns` order. */
  rows: string[][];
  /** The design's introduction, ALREADY SANITIZED by Rust (ammonia). */
  introductionHtml: string;
  /** The design's steps, ALREADY SANITIZED by Rust (ammonia). */
  stepsHtml: string;
};

/**
 * The task as a participant sees it, filled with the researcher's own rows: title,
 * introduction and steps, the row's data laid out per `dataRows`, then the questions as
 * real controls whose answers go nowhere. Flip through rows to check different data.
 */
export function ParticipantPreview({ design, columns, rows, introductionHtml, stepsHtml }: ParticipantPreviewProps) {
  const { t } = useTranslation("task");
  const [current, setCurrent] = useState(0);
  // Fewer rows than before (a new file): stay on the last one rather than on nothing.
  const index = Math.min(current, Math.max(rows.length - 1, 0));
  const row = rows[index] ?? [];
  const byName = new Map(columns.map((column, at) => [column.name, { column, at }]));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Button
          variant="default"
          leftSection={<IconChevronLeft size={16} aria-hidden />}
          disabled={index === 0}
          onClick={() => setCurrent(index - 1)}
          data-testid="previous-row"
        >
          {t("preview.previousRow")}
        </Button>
        <Text size="sm" aria-live="polite" data-testid="row-position">
          {rows.length === 0 ? t("preview.noRows") : t("preview.rowOf", { number: index + 1, count: rows.length })}
        </Text>
        <Button
          variant="default"
          rightSection={<IconChevronRight size={16} aria-hidden />}
          disabled={index >= rows.length - 1}
          onClick={() => setCurrent(index + 1)}
          data-testid="next-row"
        >
          {t("preview.nextRow")}
        </Button>
      </Group>

      <Card withBorder padding="xl" component="article" aria-label={t("preview.label")}>
        <Stack gap="lg">
          <Title order={2} size="h3">
            {design.title || t("preview.noTitle")}
          </Title>
          {/* Safe to render as HTML only because Rust sanitized it (ammonia) before it
              reached the UI; never pass the researcher's raw text or a CSV cell here. */}
          <Typography data-testid="introduction">
            <div dangerouslySetInnerHTML={{ __html: introductionHtml }} />
          </Typography>
          <Typography data-testid="steps">
            <div dangerouslySetInnerHTML={{ __html: stepsHtml }} />
          </Typography>

          {design.dataRows.length > 0 && <Divider />}
          {design.dataRows.map((layoutRow, at) => (
            <SimpleGrid key={at} cols={layoutRow.columns.length > 1 ? 2 : 1} spacing="lg" data-testid="data-row">
              {layoutRow.columns.map((name) => {
                const found = byName.get(name);
                return <DataCell key={name} column={found?.column} name={name} cell={found ? (row[found.at] ?? "") : ""} />;
              })}
            </SimpleGrid>
          ))}

          {design.questions.length > 0 && <Divider />}
          {/* Keyed by row: each row starts with empty answers, as for a participant. */}
          <Stack gap="lg" key={index}>
            {design.questions.map((question, at) => (
              <PreviewQuestion key={question.key} question={question} number={at + 1} />
            ))}
          </Stack>
        </Stack>
      </Card>
    </Stack>
  );
}
