import { Group, Loader, Paper, Text } from "@mantine/core";
import { IconAlertTriangle, IconUsers } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
import type { Eligibility } from "./settings";

export type EligibilityCountProps = { eligibility: Eligibility };

/**
 * How many people on Prolific match the audience, large and always in the same place,
 * announced to screen readers as it changes. Prolific answers 0 for "fewer than 25": it
 * holds small numbers back for privacy, so 0 never means nobody.
 */
export function EligibilityCount({ eligibility }: EligibilityCountProps) {
  const { t } = useTranslation("study");
  const { count, checking } = eligibility;
  const few = eligibility.fewerThan25 || count === 0;
  let headline: string;
  let detail: string;
  if (count === null && !few) {
    headline = checking ? t("eligibility.counting") : t("eligibility.unknown");
    detail = t("eligibility.unknownDetail");
  } else if (few) {
    headline = t("eligibility.few");
    detail = t("eligibility.fewDetail");
  } else {
    headline = t("eligibility.about", { count: count ?? 0 });
    detail = t("eligibility.aboutDetail");
  }
  const Icon = few ? IconAlertTriangle : IconUsers;
  return (
    <Paper withBorder p="md" role="status" aria-live="polite" aria-busy={checking} data-testid="eligibility">
      <Group gap="sm" wrap="nowrap">
        {checking && count === null && !few ? (
          <Loader size="sm" aria-hidden />
        ) : (
          <Icon size={28} aria-hidden color={few ? "var(--mantine-color-orange-7)" : undefined} />
        )}
        <div>
          <Text size="lg" fw={700} c={few ? "orange.8" : undefined} data-testid="eligibility-headline">
            {headline}
          </Text>
          <Text size="sm" c="dimmed">
            {detail}
            {checking && (count !== null || few) && ` ${t("eligibility.checkingAgain")}`}
          </Text>
        </div>
      </Group>
    </Paper>
  );
}
