import { Text } from "@mantine/core";

import { PlaceholderSection } from "./PlaceholderSection";

export function BatchesPage() {
  return (
    <PlaceholderSection
      title="Batches"
      intro="Every batch and study you launch or draft, with its progress and results."
    >
      <Text>No batches yet. The batches you launch or save as drafts will be listed here.</Text>
    </PlaceholderSection>
  );
}
