import { Alert, Button, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { Component, type ErrorInfo, type ReactNode } from "react";

import { t } from "../i18n";

type Props = { children: ReactNode };
type State = { error: Error | null };

/**
 * Keeps a screen's failure to that screen: the navigation stays, the researcher reads
 * what happened in plain words and can try again or go elsewhere (the layout gives each
 * address a boundary of its own, so leaving the screen clears it). Without it, one
 * render error would leave a blank window.
 */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("a screen failed to render", error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        color="red"
        variant="light"
        role="alert"
        icon={<IconAlertTriangle aria-hidden />}
        title={t("shell:screenFailed.title")}
        data-testid="screen-failed"
      >
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t("shell:screenFailed.text")}</Text>
          <Button variant="light" size="xs" onClick={() => this.setState({ error: null })}>
            {t("shell:screenFailed.retry")}
          </Button>
        </Stack>
      </Alert>
    );
  }
}
