import { Button, Group, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconX } from "@tabler/icons-react";

import { Trans, useTranslation } from "../i18n";
import { useHourlyRates } from "../queries";
import { money } from "./settings";

export type RateNoteProps = {
  reward: number;
  estimatedMinutes: number;
  currency: string;
  recommendedHourly: number | null;
  minimumHourly: number | null;
  /** Sets the reward that pays the recommended rate. */
  onUseRecommended: (reward: number) => void;
};

type Verdict = { color: string; icon: typeof IconX; words: string };

/**
 * What the reward comes to per hour, compared with Prolific's minimum and recommended
 * rates, in colour, icon and words (never colour alone). Rust works the rate out (its
 * rules, the ones it checks the settings by) for what is typed, at each key press.
 */
export function RateNote({
  reward,
  estimatedMinutes,
  currency,
  recommendedHourly,
  minimumHourly,
  onUseRecommended,
}: RateNoteProps) {
  const { t } = useTranslation("study");
  const rates = useHourlyRates(reward, estimatedMinutes, recommendedHourly).data;
  if (!rates) return <div aria-live="polite" data-testid="rate-note" />;
  const rate = rates.hourly;
  const perHour = (amount: number) => t("rate.perHour", { amount: money(amount, currency) });
  let verdict: Verdict;
  if (minimumHourly !== null && rate < minimumHourly) {
    verdict = {
      color: "red",
      icon: IconX,
      words: t("rate.belowMinimum", { rate: perHour(minimumHourly) }),
    };
  } else if (recommendedHourly !== null && rate < recommendedHourly) {
    verdict = {
      color: "orange",
      icon: IconAlertTriangle,
      words: t("rate.belowRecommended", { rate: perHour(recommendedHourly) }),
    };
  } else if (recommendedHourly !== null) {
    verdict = {
      color: "teal",
      icon: IconCircleCheck,
      words: t("rate.atRecommended", { rate: perHour(recommendedHourly) }),
    };
  } else if (reward === 0) {
    verdict = { color: "red", icon: IconX, words: t("rate.noReward") };
  } else {
    verdict = {
      color: "gray",
      icon: IconInfoCircle,
      words:
        minimumHourly !== null
          ? t("rate.atMinimum", { rate: perHour(minimumHourly) })
          : t("rate.recommendedUnknown"),
    };
  }
  const Icon = verdict.icon;
  const recommendedReward = rates.recommendedReward;
  return (
    <div aria-live="polite" data-testid="rate-note">
      <Text size="sm" data-testid="hourly-rate">
        <Trans
          t={t}
          i18nKey="rate.thatIs"
          values={{ rate: perHour(rate), minutes: estimatedMinutes }}
          components={{ strong: <strong /> }}
        />
      </Text>
      <Group gap={6} wrap="nowrap" align="flex-start" c={verdict.color} data-testid="rate-verdict" data-color={verdict.color}>
        <Icon size={18} aria-hidden style={{ flexShrink: 0 }} />
        <Text size="sm" c="inherit" fw={500}>
          {verdict.words}
        </Text>
      </Group>
      {recommendedReward !== null && rate < (recommendedHourly ?? 0) && (
        <Button variant="subtle" size="compact-sm" mt={4} onClick={() => onUseRecommended(recommendedReward)}>
          {t("rate.useRecommended", { reward: money(recommendedReward, currency) })}
        </Button>
      )}
    </div>
  );
}
