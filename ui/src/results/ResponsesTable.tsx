import { Alert, Box, Button, Group, SegmentedControl, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconAlertTriangle, IconSearch } from "@tabler/icons-react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";

import { t as translate, useTranslation } from "../i18n";
import { errorMessage, isChoice } from "./words";
import { answerText, labelsOf, optionText } from "./labels";
import type { ResultRow, ResultsSummary, RowsPage, RowsQuery } from "../backend";

export type ResponsesTableProps = {
  summary: ResultsSummary;
  fetchRows: (query: RowsQuery) => Promise<RowsPage>;
};

/** Rows asked for at once. */
export const PAGE_SIZE = 200;
/** Every row is this tall, so the virtualizer never measures. */
export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 40;
const FILTER_DEBOUNCE_MS = 300;

/** `tooltip`: the header's title when it says more than the column's title. */
type Column = { key: string; title: string; width: number; cell: (row: ResultRow) => string; tooltip?: string };

type Filters = { participant: string | null; questionId: string | null; answer: string | null; byItem: boolean };

/** The pages fetched for one set of filters (`key`), and the total they reported. */
type Cache = { key: string; pages: ReadonlyMap<number, ResultRow[]>; total: number | null };

const noPages: ReadonlyMap<number, ResultRow[]> = new Map();
const noRows: ResultRow[] = [];

const cellStyle = (width: number): CSSProperties => ({
  width,
  minWidth: width,
  maxWidth: width,
  padding: "0 10px",
  overflow: "hidden",
  textOverflow: "ellipsis",
  whiteSpace: "nowrap",
  lineHeight: `${ROW_HEIGHT}px`,
});

/** Rows read to size the columns to what they hold. */
const SAMPLE_ROWS = 100;

/**
 * A column's width for its title and the `sample` rows' cells (about 8 px a character, 9
 * in the bold title), between `min` and `max`; `fallback` before any row has come.
 */
function fitted(
  title: string,
  cell: (row: ResultRow) => string,
  sample: readonly ResultRow[],
  [min, fallback, max]: [number, number, number],
): number {
  if (sample.length === 0) return fallback;
  const longest = Math.max(title.length * 9, ...sample.map((row) => cell(row).length * 8));
  return Math.round(Math.min(max, Math.max(min, longest + 24)));
}

/**
 * The table's columns: the item as participants saw it (the data columns they were
 * shown, in their order), then the answers, then the IDs when asked for, then the rest
 * of the researcher's data (columns participants did not see). Each is as wide as the
 * `sample` rows need, within bounds, so short columns leave room for the answers.
 */
export function tableColumns(
  summary: ResultsSummary,
  byItem: boolean,
  showIds: boolean,
  sample: readonly ResultRow[] = [],
): Column[] {
  const { dataColumns } = summary;
  const shown = summary.shownColumns.filter((index) => index >= 0 && index < dataColumns.length);
  const unseen = dataColumns.map((_, index) => index).filter((index) => !shown.includes(index));
  const dataColumn = (index: number, bounds: [number, number, number], seen: boolean): Column => {
    const title = dataColumns[index] ?? "";
    const cell = (row: ResultRow) => row.data[index] ?? "";
    const tooltip = translate(seen ? "results:responses.columns.shown" : "results:responses.columns.unseen", { title });
    return { key: `data-${index}`, title, width: fitted(title, cell, sample, bounds), cell, tooltip };
  };
  return [
    ...shown.map((index) => dataColumn(index, [80, 320, 420], true)),
    ...summary.questions.map((question, i) => {
      const title = byItem ? translate("results:responses.columns.majority", { title: question.title }) : question.title;
      // Choices read as participants read them (the rows carry the options' values).
      const labels = labelsOf(question);
      const cell = (row: ResultRow) => answerText(row.answers[i] ?? "", labels);
      return { key: `answer-${question.id}`, title, width: fitted(title, cell, sample, [110, 220, 300]), cell };
    }),
    ...(showIds
      ? [
          { key: "task", title: translate("results:responses.columns.task"), width: 150, cell: (row: ResultRow) => row.taskId },
          ...(byItem
            ? []
            : [
                {
                  key: "participant",
                  title: translate("results:responses.columns.participant"),
                  width: 190,
                  cell: (row: ResultRow) => row.participantId,
                },
              ]),
        ]
      : []),
    ...unseen.map((index) => dataColumn(index, [70, 180, 240], false)),
  ];
}

/**
 * Every response, one row per item and person, in a table that only draws the rows in
 * view and fetches them page by page as they scroll in, so 100 000 rows stay smooth.
 * Choices show the option labels participants read; the filters ask for their values.
 * Each row leads with the item as participants saw it, then the answers; Prolific's task
 * and participant IDs are shown on demand. Filters narrow it by participant, or by the
 * answer to a choice question. "Majority per item" shows each item once with each
 * question's majority answer and its support (for numbers, their mean).
 */
export function ResponsesTable({ summary, fetchRows }: ResponsesTableProps) {
  const { t } = useTranslation("results");
  const [participantText, setParticipantText] = useState("");
  const [participant] = useDebouncedValue(participantText.trim(), FILTER_DEBOUNCE_MS);
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [byItem, setByItem] = useState(false);
  const [showIds, setShowIds] = useState(false);
  /** The first rows received in each mode, to size the columns by (kept across filters). */
  const [sample, setSample] = useState<{ byItem: boolean; rows: ResultRow[] } | null>(null);

  const filters: Filters = {
    participant: participant === "" || byItem ? null : participant,
    questionId: questionId !== null && answer !== null ? questionId : null,
    answer: questionId !== null ? answer : null,
    byItem,
  };
  const key = JSON.stringify(filters);
  const unfiltered = filters.participant === null && filters.answer === null;

  const [cache, setCache] = useState<Cache>({ key, pages: noPages, total: null });
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  /** Pages asked for and not answered yet, as `key#page`. */
  const pending = useRef(new Set<string>());
  const currentKey = useRef(key);

  const pages = cache.key === key ? cache.pages : noPages;
  const knownTotal = cache.key === key ? cache.total : null;
  // Before the first page answers, the summary's count is a good guess for all rows.
  const total = knownTotal ?? (unfiltered ? (byItem ? summary.analysis.itemCount : summary.rowCount) : null);
  const rowCount = total ?? 0;

  const sampleRows = sample?.byItem === byItem ? sample.rows : noRows;
  const columns = useMemo(
    () => tableColumns(summary, byItem, showIds, sampleRows),
    [summary, byItem, showIds, sampleRows],
  );
  const width = columns.reduce((sum, column) => sum + column.width, 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The app is not built with React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // A new filter starts from the top, with nothing cached.
  useEffect(() => {
    currentKey.current = key;
    pending.current.clear();
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [key]);

  const request = useEffectEvent((page: number) => {
    const id = `${key}#${page}`;
    if (pages.has(page) || pending.current.has(id)) return;
    pending.current.add(id);
    const asked = key;
    fetchRows({ offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...filters }).then(
      (answer) => {
        pending.current.delete(id);
        if (currentKey.current !== asked) return;
        if (answer.rows.length > 0) {
          setSample((was) => (was?.byItem === filters.byItem ? was : { byItem: filters.byItem, rows: answer.rows.slice(0, SAMPLE_ROWS) }));
        }
        setCache((was) => {
          const next = new Map(was.key === asked ? was.pages : noPages);
          next.set(page, answer.rows);
          return { key: asked, pages: next, total: answer.total };
        });
      },
      (failure: unknown) => {
        pending.current.delete(id);
        if (currentKey.current === asked) setError(errorMessage(failure));
      },
    );
  });

  // Ask for the pages the visible rows need (and the first page, to learn the total).
  useEffect(() => {
    if (error !== null) return;
    if (total === null || rowCount === 0) {
      if (knownTotal === null) request(0);
      return;
    }
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page += 1) {
      request(page);
    }
  }, [first, last, key, total, rowCount, knownTotal, error, attempt]);

  const choiceQuestions = summary.questions.filter((q) => isChoice(q.kind));
  // Each option as participants read it; the filter asks for its value.
  const answerLabels = labelsOf(summary.questions.find((q) => q.id === questionId));
  const answerOptions =
    summary.analysis.questions
      .find((q) => q.questionId === questionId)
      ?.distribution.map((o) => ({ value: o.value, label: optionText(o.value, answerLabels) })) ?? [];
  const setFilter = (apply: () => void) => {
    setError(null);
    apply();
  };

  return (
    <Stack gap="sm" data-testid="responses">
      <SegmentedControl
        aria-label={t("responses.rows")}
        value={byItem ? "items" : "answers"}
        onChange={(value) => setFilter(() => setByItem(value === "items"))}
        data={[
          { value: "answers", label: t("responses.everyAnswer") },
          { value: "items", label: t("responses.majority") },
        ]}
        w="fit-content"
        data-testid="rows-mode"
      />
      <Group gap="sm" align="flex-end">
        <TextInput
          label={t("responses.participant.label")}
          placeholder={t("responses.participant.placeholder")}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={participantText}
          onChange={(event) => {
            const { value } = event.currentTarget;
            setFilter(() => setParticipantText(value));
          }}
          w={240}
          disabled={byItem}
          description={byItem ? t("responses.participant.everyAnswerOnly") : undefined}
          data-testid="filter-participant"
        />
        {choiceQuestions.length > 0 && (
          <>
            <Select
              label={t("responses.question.label")}
              placeholder={t("responses.question.any")}
              data={choiceQuestions.map((q) => ({ value: q.id, label: q.title }))}
              value={questionId}
              onChange={(value) =>
                setFilter(() => {
                  setQuestionId(value);
                  setAnswer(null);
                })
              }
              clearable
              w={260}
              data-testid="filter-question"
            />
            <Select
              label={t("responses.answer.label")}
              placeholder={questionId ? t("responses.answer.any") : t("responses.answer.questionFirst")}
              data={answerOptions}
              value={answer}
              onChange={(value) => setFilter(() => setAnswer(value))}
              disabled={questionId === null}
              clearable
              w={220}
              data-testid="filter-answer"
            />
          </>
        )}
        <Switch
          label={t("responses.showIds")}
          checked={showIds}
          onChange={(event) => setShowIds(event.currentTarget.checked)}
          mb={8}
          data-testid="show-ids"
        />
        <Text size="sm" c="dimmed" ml="auto" aria-live="polite" data-testid="responses-total">
          {total === null ? t("responses.counting") : t("count.rows", { count: total })}
        </Text>
      </Group>

      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="responses-error">
          <Group justify="space-between" gap="sm">
            <span>{error}</span>
            <Button
              size="xs"
              variant="light"
              color="red"
              onClick={() => {
                setError(null);
                setAttempt((n) => n + 1);
              }}
            >
              {t("responses.tryAgain")}
            </Button>
          </Group>
        </Alert>
      )}

      <Box
        ref={scrollRef}
        h={480}
        style={{ overflow: "auto", border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}
        tabIndex={0}
        role="table"
        aria-label={t("responses.name")}
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length}
        data-testid="responses-table"
      >
        <div style={{ width, minWidth: "100%" }}>
          <div
            role="rowgroup"
            style={{
              position: "sticky",
              top: 0,
              zIndex: 1,
              height: HEADER_HEIGHT,
              background: "var(--mantine-color-body)",
              borderBottom: "1px solid var(--mantine-color-default-border)",
            }}
          >
            <div role="row" aria-rowindex={1} style={{ display: "flex", height: HEADER_HEIGHT, fontWeight: 600 }}>
              {columns.map((column) => (
                <div
                  key={column.key}
                  role="columnheader"
                  title={column.tooltip ?? column.title}
                  style={{ ...cellStyle(column.width), lineHeight: `${HEADER_HEIGHT}px` }}
                >
                  {column.title}
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup" style={{ position: "relative", height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = pages.get(Math.floor(item.index / PAGE_SIZE))?.[item.index % PAGE_SIZE];
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-busy={row ? undefined : true}
                  data-testid={row ? "response-row" : "response-row-placeholder"}
                  data-index={item.index}
                  style={{
                    position: "absolute",
                    top: 0,
                    left: 0,
                    display: "flex",
                    height: ROW_HEIGHT,
                    width: "100%",
                    transform: `translateY(${item.start - HEADER_HEIGHT}px)`,
                    borderBottom: "1px solid var(--mantine-color-default-border)",
                    background: item.index % 2 === 1 ? "var(--mantine-color-default-hover)" : undefined,
                  }}
                >
                  {columns.map((column) => {
                    const text = row ? column.cell(row) : "…";
                    return (
                      <div key={column.key} role="cell" title={row ? text : undefined} style={cellStyle(column.width)}>
                        {text}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </Box>
      {total === 0 && (
        <Text size="sm" data-testid="responses-empty">
          {unfiltered ? t("responses.none") : t("responses.noMatch")}
        </Text>
      )}
    </Stack>
  );
}
