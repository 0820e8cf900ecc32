import { Button, Group, Paper, Table, Title } from "@mantine/core";
import { IconPencil } from "@tabler/icons-react";
import { type ReactNode, useId } from "react";

import { useTranslation } from "../i18n";

export type ReviewSectionProps = {
  title: string;
  /** The words after "Edit" for screen readers: "Edit your data" (the title when not given). */
  editName?: string;
  onEdit?: () => void;
  /** Label and value pairs, shown as a two-column table. */
  rows: [string, ReactNode][];
};

/** One part of the review: its facts, and an Edit button that goes back to it. */
export function ReviewSection({ title, editName, onEdit, rows }: ReviewSectionProps) {
  const { t } = useTranslation("study");
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={4} id={id}>
          {title}
        </Title>
        {onEdit && (
          <Button
            variant="light"
            size="compact-sm"
            leftSection={<IconPencil size={16} aria-hidden />}
            aria-label={t("review.editNamed", { name: editName ?? title })}
            onClick={onEdit}
          >
            {t("review.edit")}
          </Button>
        )}
      </Group>
      <Table variant="vertical" layout="fixed">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w="35%">
                {label}
              </Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
