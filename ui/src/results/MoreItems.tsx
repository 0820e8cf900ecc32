import { Button, Group } from "@mantine/core";

import type { BackendError } from "../backend";
import { useTranslation } from "../i18n";
import { ITEM_PAGE } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

export type MoreItemsProps = {
  list: {
    items: unknown[];
    remaining: number;
    loading: boolean;
    error: BackendError | null;
    showMore: () => void;
    showFewer: () => void;
  };
  /** How many items the list starts with: past them, "Show fewer" goes back. */
  first: number;
  testId: string;
};

/** Under a list of items that comes a page at a time: "Show N more", "Show fewer", and a read failing. */
export function MoreItems({ list, first, testId }: MoreItemsProps) {
  const { t } = useTranslation("results");
  const next = Math.min(ITEM_PAGE, list.remaining);
  return (
    <>
      {list.error && <ErrorNotice title={t("moreItems.couldNotRead")} error={list.error} />}
      {(next > 0 || list.items.length > first) && (
        <Group>
          {next > 0 && (
            <Button variant="light" size="xs" onClick={list.showMore} loading={list.loading} data-testid={testId}>
              {t("moreItems.showMore", { count: next })}
            </Button>
          )}
          {list.items.length > first && (
            <Button variant="subtle" size="xs" onClick={list.showFewer}>
              {t("moreItems.showFewer")}
            </Button>
          )}
        </Group>
      )}
    </>
  );
}
