import { Alert, Button, Code, Group, List, PasswordInput, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";

import { Trans, useTranslation } from "../i18n";
import { useAppInfo, useConnectProlific } from "../queries";

const PROLIFIC_SITE = "app.prolific.com";
const TOKENS_PAGE = "app.prolific.com/researcher/tokens/";

/**
 * Explains where a Prolific API token comes from and what it allows, takes it once, and
 * hands it to Rust, which checks it with Prolific and keeps it in the OS keychain.
 */
export function ConnectForm({ onCancel, onConnected }: { onCancel?: () => void; onConnected?: () => void }) {
  const { t } = useTranslation("connect");
  const [token, setToken] = useState("");
  const connect = useConnectProlific();
  const unusualAddress = useAppInfo().data?.unusualApiAddress ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate(token, {
      onSuccess: () => {
        setToken("");
        onConnected?.();
      },
    });
  };

  return (
    <form onSubmit={submit} aria-label={t("formLabel")}>
      <Stack gap="md">
        {unusualAddress && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="connect-unusual-address">
            {t("unusualAddress", { address: unusualAddress })}
          </Alert>
        )}
        <Stack gap={6}>
          <Text fw={600}>{t("createTitle")}</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              <Trans
                t={t}
                i18nKey="createSignIn"
                values={{ site: PROLIFIC_SITE, page: TOKENS_PAGE }}
                components={{ code: <Code />, b: <b /> }}
              />
            </List.Item>
            <List.Item>
              <Trans t={t} i18nKey="createChoose" components={{ b: <b /> }} />
            </List.Item>
          </List>
        </Stack>
        <Stack gap={6}>
          <Text fw={600}>{t("allowsTitle")}</Text>
          <Text size="sm">
            {t("allows")}
          </Text>
        </Stack>
        <PasswordInput
          // Keyboard users can show the token they pasted, to check it, like anyone else.
          visibilityToggleButtonProps={{ tabIndex: 0 }}
          label={t("pasteLabel")}
          value={token}
          onChange={(event) => setToken(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          data-testid="token-input"
          required
        />
        {connect.isError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="connect-error">
            {connect.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={connect.isPending}>
              {t("back")}
            </Button>
          )}
          <Button type="submit" loading={connect.isPending} disabled={token.trim() === ""} data-testid="connect-submit">
            {t("connect")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
