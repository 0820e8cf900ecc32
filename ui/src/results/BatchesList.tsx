import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconArrowRight, IconListDetails, IconSearch, IconSquarePlus } from "@tabler/icons-react";
import { useId, useState } from "react";

import { t as translate, useTranslation } from "../i18n";
import { EmptyState } from "../shell/EmptyState";

import { formatDate, formatNumber, percentOf } from "../format";
import { tallyKeys, tallyText } from "./words";
import { Meter } from "./Meter";
import { moneyWords } from "./moneyWords";
import { PhaseBadge } from "./ProgressPanel";
import type { StudyPhase, StudyProgress, WorkspaceBatch } from "../backend";

export type BatchesListProps = {
  studies: StudyProgress[];
  otherBatches: WorkspaceBatch[];
  onOpen: (studyId: string) => void;
  /** Opens the New batch wizard, where the batch set up there but not launched waits. */
  onContinueDraft: () => void;
  /** Opens the New batch wizard to start a first batch (offered while there is none). */
  onStartBatch: () => void;
};

export type BatchSort = "newest" | "oldest" | "title" | "progress" | "status";

const sortOrder: BatchSort[] = ["newest", "oldest", "title", "progress", "status"];

/** The ways to sort, with their names, in the order offered. */
export function sorts(): { value: BatchSort; label: string }[] {
  return sortOrder.map((value) => ({ value, label: translate(`results:batches.sort.${value}`) }));
}

/** Phases in the order "sort by status" lists them: what needs the researcher first. */
const phaseOrder: StudyPhase[] = ["awaitingReview", "collecting", "paused", "scheduled", "draft", "completed", "stopped"];

const time = (study: StudyProgress) => {
  const when = Date.parse(study.createdAt ?? study.publishedAt ?? "");
  return Number.isNaN(when) ? 0 : when;
};

/** `studies` sorted by `sort` (a new array; ties keep their order). */
export function sortStudies(studies: StudyProgress[], sort: BatchSort): StudyProgress[] {
  const byTitle = (a: StudyProgress, b: StudyProgress) => a.title.localeCompare(b.title);
  const compare: Record<BatchSort, (a: StudyProgress, b: StudyProgress) => number> = {
    newest: (a, b) => time(b) - time(a),
    oldest: (a, b) => time(a) - time(b),
    title: byTitle,
    progress: (a, b) => percentOf(b.placesTaken, b.places) - percentOf(a.placesTaken, a.places) || byTitle(a, b),
    status: (a, b) => phaseOrder.indexOf(a.phase) - phaseOrder.indexOf(b.phase) || time(b) - time(a),
  };
  return [...studies].sort(compare[sort]);
}

/** Studies whose title or internal name contains `search`, ignoring case and accents. */
export function searchStudies(studies: StudyProgress[], search: string): StudyProgress[] {
  const fold = (text: string) =>
    text
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLocaleLowerCase();
  const wanted = fold(search.trim());
  if (wanted === "") return studies;
  return studies.filter((study) => fold(study.title).includes(wanted) || fold(study.internalName).includes(wanted));
}

/**
 * The studies launched with Batchdesk, to search, sort and open, and below them the
 * workspace's other batches (made on Prolific's site) so nothing seems to be missing.
 */
export function BatchesList({
  studies,
  otherBatches: workspaceBatches,
  onOpen,
  onContinueDraft,
  onStartBatch,
}: BatchesListProps) {
  const { t } = useTranslation("results");
  const drafted = workspaceBatches.find((batch) => batch.inNewBatch);
  const otherBatches = workspaceBatches.filter((batch) => !batch.inNewBatch);
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<BatchSort>("newest");
  const otherId = useId();
  const shown = sortStudies(searchStudies(studies, search), sort);

  return (
    <Stack gap="lg" data-testid="batches-list">
      <Stack gap="sm" component="section" aria-label={t("batches.yours")}>
        {studies.length > 0 && (
          <Group gap="sm" align="flex-end">
            <TextInput
              label={t("batches.search.label")}
              placeholder={t("batches.search.placeholder")}
              leftSection={<IconSearch size={16} aria-hidden />}
              value={search}
              onChange={(event) => setSearch(event.currentTarget.value)}
              w={280}
              data-testid="batches-search"
            />
            <Select
              label={t("batches.sortBy")}
              data={sorts()}
              value={sort}
              onChange={(value) => value && setSort(value)}
              allowDeselect={false}
              w={240}
              data-testid="batches-sort"
            />
            <Text size="sm" c="dimmed" aria-live="polite" data-testid="batches-count">
              {shown.length === studies.length
                ? t("batches.count", { count: studies.length })
                : t("batches.countShown", { shown: shown.length, count: studies.length })}
            </Text>
          </Group>
        )}
        {studies.length === 0 ? (
          <EmptyState
            icon={IconListDetails}
            title={t("batches.empty.title")}
            data-testid="batches-empty"
            action={
              // A batch already set up is continued from its own notice below.
              !drafted && (
                <Button leftSection={<IconSquarePlus size={18} aria-hidden />} onClick={onStartBatch}>
                  {t("batches.empty.start")}
                </Button>
              )
            }
          >
            {t("batches.empty.body")}
          </EmptyState>
        ) : shown.length === 0 ? (
          <EmptyState
            icon={IconSearch}
            title={t("batches.noMatch.title")}
            data-testid="batches-no-match"
            action={
              <Button variant="default" onClick={() => setSearch("")}>
                {t("batches.noMatch.clear")}
              </Button>
            }
          >
            {t("batches.noMatch.body", { search: search.trim() })}
          </EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {shown.map((study) => (
              <StudyCard key={study.studyId} study={study} onOpen={onOpen} />
            ))}
          </SimpleGrid>
        )}
      </Stack>

      {drafted && (
        <Alert variant="light" color="blue" title={t("batches.drafted.title")} data-testid="drafted-batch">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {drafted.taskCount !== null
                ? t("batches.drafted.bodyWithTasks", { name: drafted.name || t("batches.noName"), count: drafted.taskCount })
                : t("batches.drafted.body", { name: drafted.name || t("batches.noName") })}
            </Text>
            <Button size="xs" onClick={onContinueDraft} data-testid="continue-draft">
              {t("batches.drafted.continue")}
            </Button>
          </Group>
        </Alert>
      )}

      <Stack gap="xs" component="section" aria-labelledby={otherId}>
        <Title order={3} id={otherId}>
          {t("batches.other.title")}
        </Title>
        {otherBatches.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="other-batches-empty">
            {t("batches.other.none")}
          </Text>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {t("batches.other.intro")}
            </Text>
            <Table.ScrollContainer minWidth={480}>
              <Table withTableBorder striped data-testid="other-batches">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("batches.other.name")}</Table.Th>
                    <Table.Th>{t("batches.other.status")}</Table.Th>
                    <Table.Th>{t("batches.other.created")}</Table.Th>
                    <Table.Th ta="right">{t("batches.other.tasks")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {otherBatches.map((batch) => (
                    <Table.Tr key={batch.batchId} data-testid="other-batch">
                      <Table.Td>{batch.name || t("batches.noName")}</Table.Td>
                      <Table.Td>{batch.status}</Table.Td>
                      <Table.Td>{formatDate(batch.createdAt) ?? t("batches.notKnown")}</Table.Td>
                      <Table.Td ta="right">{batch.taskCount === null ? t("batches.notKnown") : formatNumber(batch.taskCount)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Stack>
  );
}

function StudyCard({ study, onOpen }: { study: StudyProgress; onOpen: (studyId: string) => void }) {
  const { t } = useTranslation("results");
  const titleId = useId();
  const created = formatDate(study.createdAt);
  const published = formatDate(study.publishedAt);
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={titleId}
      data-testid="study-card"
      data-study-id={study.studyId}
      // A click anywhere on the card opens it; the "Open" button is the keyboard's way in.
      onClick={() => onOpen(study.studyId)}
      style={{ cursor: "pointer" }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4} id={titleId}>
              {study.title}
            </Title>
            {study.internalName && (
              <Text size="sm" c="dimmed">
                {study.internalName}
              </Text>
            )}
          </div>
          <PhaseBadge phase={study.phase} />
        </Group>
        <Meter
          label={t("batches.card.places")}
          value={study.placesTaken}
          max={study.places}
          detail={t("batches.card.partOf", { part: study.placesTaken, whole: study.places })}
          data-testid="progress-places"
        />
        <Group gap="lg">
          <Text size="sm" data-testid="card-answers">
            {study.answersExpected === null
              ? t("batches.card.answers", { answers: formatNumber(study.answersReceived) })
              : t("batches.card.answers", {
                  answers: t("batches.card.partOf", { part: study.answersReceived, whole: study.answersExpected }),
                })}
          </Text>
          <Text size="sm" data-testid="card-cost">
            {t("batches.card.money", { summary: moneyWords(study).summary })}
          </Text>
        </Group>
        {study.submissions.total > 0 && (
          <Text size="xs" c="dimmed" data-testid="card-submissions">
            {t("batches.card.submissions", {
              tallies: tallyKeys
                .filter((key) => study.submissions[key] > 0)
                .map((key) => tallyText(key, study.submissions[key]))
                .join(t("separator")),
            })}
          </Text>
        )}
        <Group justify="space-between" align="center">
          <Text size="xs" c="dimmed" data-testid="card-dates">
            {created ? t("batches.card.created", { date: created }) : t("batches.card.createdUnknown")}
            {t("separator")}
            {published ? t("batches.card.published", { date: published }) : t("batches.card.notPublished")}
          </Text>
          <Button
            size="xs"
            rightSection={<IconArrowRight size={14} aria-hidden />}
            aria-label={t("batches.card.openNamed", { title: study.title })}
            onClick={(event) => {
              event.stopPropagation();
              onOpen(study.studyId);
            }}
          >
            {t("batches.card.open")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
