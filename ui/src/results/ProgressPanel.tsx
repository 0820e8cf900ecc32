import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";

import { Trans, useTranslation } from "../i18n";
import { formatClock, formatDateTime, formatMinorUnits, formatNumber } from "../format";
import { phaseColor, phaseLabel, tallyKeys, tallyText } from "./words";
import { Meter } from "./Meter";
import { moneyWords } from "./moneyWords";
import type { StudyPhase, StudyProgress } from "../backend";

export type ProgressPanelProps = { progress: StudyProgress };

/** The phase as a coloured badge in plain words. */
export function PhaseBadge({ phase }: { phase: StudyPhase }) {
  return (
    // Never squeezed into an ellipsis by a long title beside it.
    <Badge color={phaseColor[phase]} variant="light" size="lg" miw="max-content" style={{ flexShrink: 0 }} data-testid="study-phase">
      {phaseLabel(phase)}
    </Badge>
  );
}

/**
 * How far a launched study has come: its phase, places filled, answers received,
 * submissions by status, where its money is (set aside, paid, returned), and when it
 * last changed.
 */
export function ProgressPanel({ progress }: ProgressPanelProps) {
  const { t } = useTranslation("results");
  const { submissions } = progress;
  const tallies = tallyKeys.filter((key) => submissions[key] > 0);
  const created = formatDateTime(progress.createdAt);
  const published = formatDateTime(progress.publishedAt);
  const checked = formatClock(progress.checkedAt);

  return (
    <Paper withBorder p="md" component="section" aria-label={t("progress.region")} data-testid="progress-panel">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3}>{progress.title}</Title>
            {progress.internalName && (
              <Text size="sm" c="dimmed">
                {progress.internalName}
              </Text>
            )}
          </div>
          <PhaseBadge phase={progress.phase} />
        </Group>

        <Meter
          label={t("progress.places")}
          value={progress.placesTaken}
          max={progress.places}
          detail={t("partOf", { part: progress.placesTaken, whole: progress.places })}
          data-testid="progress-places"
        />
        {progress.answersExpected !== null && progress.answersExpected > 0 ? (
          <Meter
            label={t("progress.answers")}
            value={progress.answersReceived}
            max={progress.answersExpected}
            detail={t("partOf", { part: progress.answersReceived, whole: progress.answersExpected })}
            color="teal"
            data-testid="progress-answers"
            detailTestId="answers-received"
          />
        ) : (
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={500}>
              {t("progress.answers")}
            </Text>
            <Text size="sm" c="dimmed" data-testid="answers-received">
              {formatNumber(progress.answersReceived)}
            </Text>
          </Group>
        )}

        <div>
          <Text size="sm" fw={500}>
            {t("progress.submissions")}
          </Text>
          {tallies.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="submission-tallies">
              {t("progress.nobody")}
            </Text>
          ) : (
            <Group gap="xs" mt={4} data-testid="submission-tallies">
              {tallies.map((key) => (
                <Badge key={key} variant="default" radius="sm" tt="none" fw={500} data-testid={`tally-${key}`}>
                  {tallyText(key, submissions[key])}
                </Badge>
              ))}
            </Group>
          )}
        </div>

        <StudyMoneyLines progress={progress} />

        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Text size="sm" data-testid="reward-per-person">
            <Trans
              t={t}
              i18nKey="progress.reward"
              values={{ reward: formatMinorUnits(progress.rewardPerPerson, progress.currency) }}
              components={{ strong: <strong /> }}
            />
          </Text>
          <Text size="sm" data-testid="created-at">
            {t("progress.created", { date: created ?? t("progress.notKnown") })}
          </Text>
          <Text size="sm" data-testid="published-at">
            {t("progress.published", { date: published ?? t("progress.notYet") })}
          </Text>
        </SimpleGrid>
        <Text size="xs" c="dimmed" data-testid="checked-at">
          {/* Batchdesk keeps checking; the time is that of the last change it saw. */}
          {checked ? t("progress.updated", { time: checked }) : t("progress.notChecked")}
          {submissions.total > 0 && `${t("separator")}${t("progress.inAll", { count: submissions.total })}`}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Where the study's money is, line by line, with what to know about it. */
function StudyMoneyLines({ progress }: ProgressPanelProps) {
  const { t } = useTranslation("results");
  const { lines, notes } = moneyWords(progress);
  return (
    <div data-testid="study-money">
      <Text size="sm" fw={500}>
        {t("progress.money")}
      </Text>
      {lines.length > 0 && (
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={0} fz="sm" mt={4}>
          <Table.Tbody>
            {lines.map((line) => (
              <Table.Tr key={line.key} data-testid={`money-${line.key}`}>
                <Table.Th scope="row" fw={400} pr="md" w="1%" style={{ whiteSpace: "nowrap" }}>
                  {line.label}
                </Table.Th>
                <Table.Td>
                  <strong>{line.amount}</strong>
                  {line.detail && (
                    <Text span size="sm" c="dimmed">
                      {" "}
                      {t("progress.moneyDetail", { detail: line.detail })}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {notes.map((note) => (
        <Text key={note} size="xs" c="dimmed" mt={4} data-testid="money-note">
          {note}
        </Text>
      ))}
    </div>
  );
}
