import { Button, Group, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconX } from "@tabler/icons-react";

import { hourlyRate, money, rewardForHourly } from "./settings";

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
 * rates, in colour, icon and words (never colour alone). Worked out here from what is
 * typed, so it changes with each key press, not when Rust next answers.
 */
export function RateNote({
  reward,
  estimatedMinutes,
  currency,
  recommendedHourly,
  minimumHourly,
  onUseRecommended,
}: RateNoteProps) {
  const rate = hourlyRate(reward, estimatedMinutes);
  const perHour = (amount: number) => `${money(amount, currency)}/h`;
  let verdict: Verdict;
  if (minimumHourly !== null && rate < minimumHourly) {
    verdict = {
      color: "red",
      icon: IconX,
      words: `Below Prolific's minimum of ${perHour(minimumHourly)}: Prolific will not accept this.`,
    };
  } else if (recommendedHourly !== null && rate < recommendedHourly) {
    verdict = {
      color: "orange",
      icon: IconAlertTriangle,
      words: `Below Prolific's recommended ${perHour(recommendedHourly)}. Prolific accepts it, but people may be slower to take part.`,
    };
  } else if (recommendedHourly !== null) {
    verdict = {
      color: "teal",
      icon: IconCircleCheck,
      words: `At or above Prolific's recommended ${perHour(recommendedHourly)}.`,
    };
  } else if (reward === 0) {
    verdict = { color: "red", icon: IconX, words: "Set a reward: participants must be paid." };
  } else {
    verdict = {
      color: "gray",
      icon: IconInfoCircle,
      words:
        minimumHourly !== null
          ? `At or above Prolific's minimum of ${perHour(minimumHourly)}.`
          : "Prolific's recommended rate is not known yet.",
    };
  }
  const Icon = verdict.icon;
  const recommendedReward = recommendedHourly !== null ? rewardForHourly(recommendedHourly, estimatedMinutes) : null;
  return (
    <div aria-live="polite" data-testid="rate-note">
      <Text size="sm" data-testid="hourly-rate">
        That is <strong>{perHour(rate)}</strong> for a {estimatedMinutes}-minute assignment.
      </Text>
      <Group gap={6} wrap="nowrap" align="flex-start" c={verdict.color} data-testid="rate-verdict" data-color={verdict.color}>
        <Icon size={18} aria-hidden style={{ flexShrink: 0 }} />
        <Text size="sm" c="inherit" fw={500}>
          {verdict.words}
        </Text>
      </Group>
      {recommendedReward !== null && rate < (recommendedHourly ?? 0) && (
        <Button variant="subtle" size="compact-sm" mt={4} onClick={() => onUseRecommended(recommendedReward)}>
          Pay the recommended rate ({money(recommendedReward, currency)} per submission)
        </Button>
      )}
    </div>
  );
}
