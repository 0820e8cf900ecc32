import { Alert, Button, Code, Group, List, PasswordInput, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";

import { useAppInfo, useConnectProlific } from "../queries";
import { unusualAddressSentence } from "../shell/UnusualAddressBanner";

/**
 * Explains where a Prolific API token comes from and what it allows, takes it once, and
 * hands it to Rust, which checks it with Prolific and keeps it in the OS keychain.
 */
export function ConnectForm({ onCancel, onConnected }: { onCancel?: () => void; onConnected?: () => void }) {
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
    <form onSubmit={submit} aria-label="Connect your Prolific account">
      <Stack gap="md">
        {unusualAddress && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="connect-unusual-address">
            {unusualAddressSentence(unusualAddress, "This copy of Batchdesk connects to")}. The token you paste is
            sent there, and kept for that address only.
          </Alert>
        )}
        <Stack gap={6}>
          <Text fw={600}>1. Create a token on Prolific</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              Sign in at <Code>app.prolific.com</Code> and open <b>Settings → API tokens</b> (the
              page is <Code>app.prolific.com/researcher/tokens/</Code>).
            </List.Item>
            <List.Item>Choose <b>Create API token</b>, name it “Batchdesk”, and copy it.</List.Item>
          </List>
        </Stack>
        <Stack gap={6}>
          <Text fw={600}>2. What it allows</Text>
          <Text size="sm">
            The token can do everything your Prolific account can, including publishing studies
            that spend your balance. Batchdesk keeps it in this computer’s keychain, never in a
            file, and uses it only to talk to Prolific. You can delete it on Prolific at any time.
          </Text>
        </Stack>
        <PasswordInput
          // Keyboard users can show the token they pasted, to check it, like anyone else.
          visibilityToggleButtonProps={{ tabIndex: 0 }}
          label="3. Paste your API token"
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
              Back
            </Button>
          )}
          <Button type="submit" loading={connect.isPending} disabled={token.trim() === ""} data-testid="connect-submit">
            Connect
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
