import { Alert } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import type { BackendError } from "../backend";

/** A back-end error in plain words, with its code in small print for support. */
export function ErrorNotice({ title, error }: { title: string; error: BackendError }) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle aria-hidden />} role="alert">
      {error.message}
    </Alert>
  );
}
