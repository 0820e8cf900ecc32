import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type FormEvent, useState } from "react";

import type { Connected } from "../backend";
import { ConnectForm } from "../connect/ConnectForm";
import { formatMinorUnits } from "../money";
import {
  useChooseProject,
  useChooseWorkspace,
  useConnection,
  useCreateProject,
  useSignOut,
  useStartPractice,
  useWorkspaceDetails,
  useWorkspaces,
} from "../queries";
import { AboutBatchdesk } from "../shell/AboutBatchdesk";
import { AppSettingsCard } from "../shell/AppSettings";
import { ErrorNotice } from "../shell/ErrorNotice";
import { unusualAddressSentence } from "../shell/UnusualAddressBanner";

function WhoCard({ connected }: { connected: Connected }) {
  const [connecting, connectModal] = useDisclosure(false);
  const [confirming, confirmModal] = useDisclosure(false);
  const signOut = useSignOut();
  const practice = useStartPractice();
  const practising = connected.mode === "practice";

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Text fw={700} data-testid="account-name">
              {connected.name}
            </Text>
            <Badge color={practising ? "yellow" : "teal"} variant="light">
              {practising ? "Practice" : "Prolific"}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {connected.email}
          </Text>
          {connected.unusualAddress && (
            <Text size="sm" c="orange.8" fw={600} data-testid="unusual-address">
              {unusualAddressSentence(connected.unusualAddress)}
            </Text>
          )}
        </Stack>
        <Group gap="xs">
          {practising ? (
            <Button onClick={connectModal.open}>Connect my Prolific account</Button>
          ) : (
            <Button variant="default" onClick={() => practice.mutate()} loading={practice.isPending}>
              Switch to practice
            </Button>
          )}
          <Button variant="default" color="red" onClick={confirmModal.open} data-testid="sign-out">
            {practising ? "Leave practice" : "Sign out"}
          </Button>
        </Group>
      </Group>
      {(signOut.isError || practice.isError) && (
        <Stack mt="md">
          {signOut.isError && <ErrorNotice title="Could not sign out" error={signOut.error} />}
          {practice.isError && <ErrorNotice title="Could not start practice" error={practice.error} />}
        </Stack>
      )}
      <Modal opened={connecting} onClose={connectModal.close} title="Connect my Prolific account" size="lg">
        <ConnectForm onCancel={connectModal.close} onConnected={connectModal.close} />
      </Modal>
      <Modal opened={confirming} onClose={confirmModal.close} title={practising ? "Leave practice?" : "Sign out?"}>
        <Text size="sm">
          {practising
            ? "The practice server stops. You can come back to practice at any time."
            : "Batchdesk deletes your API token from this computer’s keychain. Your studies and balance on Prolific are not affected; connect again with a token to continue."}
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={confirmModal.close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: confirmModal.close })}
            data-testid="confirm-sign-out"
          >
            {practising ? "Leave practice" : "Sign out"}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

function NewProjectForm({ workspaceId }: { workspaceId: string }) {
  const [title, setTitle] = useState("");
  const create = useCreateProject(workspaceId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(title.trim(), { onSuccess: () => setTitle("") });
  };
  return (
    <form onSubmit={submit} aria-label="Create a project">
      <Group align="flex-end" gap="xs">
        <TextInput
          label="New project"
          placeholder="For example: Sentiment pilot"
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          style={{ flex: 1 }}
          error={create.isError ? create.error.message : undefined}
        />
        <Button type="submit" variant="light" loading={create.isPending} disabled={title.trim() === ""}>
          Create project
        </Button>
      </Group>
    </form>
  );
}

function WorkspaceCard({ workspaceId }: { workspaceId: string }) {
  const details = useWorkspaceDetails(workspaceId);
  const chooseProject = useChooseProject(workspaceId);
  if (details.isPending) {
    return <Loader size="sm" role="status" aria-label="Loading the workspace" />;
  }
  if (details.isError) {
    return <ErrorNotice title="Could not load this workspace" error={details.error} />;
  }
  const { availableBalance, totalBalance, currencyCode, projects, chosenProject } = details.data;
  return (
    <Stack gap="lg">
      <Card withBorder padding="lg">
        <Text size="sm" c="dimmed">
          Available to spend
        </Text>
        <Text fz={32} fw={700} data-testid="account-balance">
          {formatMinorUnits(availableBalance, currencyCode)}
        </Text>
        {totalBalance !== availableBalance && (
          <Text size="sm" c="dimmed">
            {formatMinorUnits(totalBalance, currencyCode)} in total; the rest is set aside for
            studies already running.
          </Text>
        )}
      </Card>
      <Card withBorder padding="lg">
        <Radio.Group
          label="Project for new studies"
          value={chosenProject ?? null}
          onChange={(projectId) => chooseProject.mutate(projectId)}
        >
          <Stack gap="xs" mt="xs" mb="md">
            {projects.length === 0 && (
              <Text size="sm" c="dimmed" data-testid="projects-empty">
                This workspace has no projects yet. Create one below: your new studies go into it.
              </Text>
            )}
            {projects.map((project) => (
              <Radio key={project.id} value={project.id} label={project.title} />
            ))}
          </Stack>
        </Radio.Group>
        {chooseProject.isError && <ErrorNotice title="Could not choose the project" error={chooseProject.error} />}
        <NewProjectForm workspaceId={workspaceId} />
      </Card>
    </Stack>
  );
}

export function AccountPage() {
  const connection = useConnection();
  const workspaces = useWorkspaces();
  const chooseWorkspace = useChooseWorkspace();
  const connected = connection.data;

  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>Account</Title>
        <Text c="dimmed">Who Batchdesk works as, where studies are created, and what you can spend.</Text>
      </Stack>
      {connected && <WhoCard connected={connected} />}
      {workspaces.isPending && <Loader size="sm" role="status" aria-label="Loading workspaces" />}
      {workspaces.isError && <ErrorNotice title="Could not load your workspaces" error={workspaces.error} />}
      {workspaces.data && (
        <>
          <Select
            label="Workspace"
            description="Studies are created and paid for in this workspace."
            data={workspaces.data.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.title }))}
            value={workspaces.data.chosen}
            onChange={(workspaceId) => workspaceId && chooseWorkspace.mutate(workspaceId)}
            allowDeselect={false}
            data-testid="account-workspace"
          />
          {workspaces.data.possiblyTruncated && (
            <Text size="sm" c="orange">
              Prolific may have more workspaces than it listed here.
            </Text>
          )}
          {workspaces.data.chosen && <WorkspaceCard workspaceId={workspaces.data.chosen} />}
        </>
      )}
      <Card withBorder padding="lg" component="section" aria-label="About Batchdesk">
        <AboutBatchdesk />
      </Card>
      <AppSettingsCard />
    </Stack>
  );
}
