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
import { formatMinorUnits } from "../format";
import { useTranslation } from "../i18n";
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
  const { t } = useTranslation(["pages", "common"]);
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
              {practising ? t("account.modePractice") : t("account.modeProlific")}
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
            <Button onClick={connectModal.open}>{t("account.connect")}</Button>
          ) : (
            <Button variant="default" onClick={() => practice.mutate()} loading={practice.isPending}>
              {t("account.switchToPractice")}
            </Button>
          )}
          <Button variant="default" color="red" onClick={confirmModal.open} data-testid="sign-out">
            {practising ? t("account.leavePractice") : t("account.signOut")}
          </Button>
        </Group>
      </Group>
      {(signOut.isError || practice.isError) && (
        <Stack mt="md">
          {signOut.isError && <ErrorNotice title={t("account.couldNotSignOut")} error={signOut.error} />}
          {practice.isError && <ErrorNotice title={t("account.couldNotStartPractice")} error={practice.error} />}
        </Stack>
      )}
      <Modal opened={connecting} onClose={connectModal.close} title={t("account.connect")} size="lg">
        <ConnectForm onCancel={connectModal.close} onConnected={connectModal.close} />
      </Modal>
      <Modal opened={confirming} onClose={confirmModal.close} title={practising ? t("account.leavePracticeQuestion") : t("account.signOutQuestion")}>
        <Text size="sm">
          {practising ? t("account.leavePracticeExplained") : t("account.signOutExplained")}
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={confirmModal.close}>
            {t("common:cancel")}
          </Button>
          <Button
            color="red"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: confirmModal.close })}
            data-testid="confirm-sign-out"
          >
            {practising ? t("account.leavePractice") : t("account.signOut")}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

function NewProjectForm({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("pages");
  const [title, setTitle] = useState("");
  const create = useCreateProject(workspaceId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(title.trim(), { onSuccess: () => setTitle("") });
  };
  return (
    <form onSubmit={submit} aria-label={t("account.createProject")}>
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t("account.newProject")}
          placeholder={t("account.newProjectPlaceholder")}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          style={{ flex: 1 }}
          error={create.isError ? create.error.message : undefined}
        />
        <Button type="submit" variant="light" loading={create.isPending} disabled={title.trim() === ""}>
          {t("account.createProjectButton")}
        </Button>
      </Group>
    </form>
  );
}

function WorkspaceCard({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("pages");
  const details = useWorkspaceDetails(workspaceId);
  const chooseProject = useChooseProject(workspaceId);
  if (details.isPending) {
    return <Loader size="sm" role="status" aria-label={t("account.loadingWorkspace")} />;
  }
  if (details.isError) {
    return <ErrorNotice title={t("account.couldNotLoadWorkspace")} error={details.error} />;
  }
  const { availableBalance, totalBalance, currencyCode, projects, chosenProject } = details.data;
  return (
    <Stack gap="lg">
      <Card withBorder padding="lg">
        <Text size="sm" c="dimmed">
          {t("account.available")}
        </Text>
        <Text fz={32} fw={700} data-testid="account-balance">
          {formatMinorUnits(availableBalance, currencyCode)}
        </Text>
        {totalBalance !== availableBalance && (
          <Text size="sm" c="dimmed">
            {t("account.totalBalance", { total: formatMinorUnits(totalBalance, currencyCode) })}
          </Text>
        )}
      </Card>
      <Card withBorder padding="lg">
        <Radio.Group
          label={t("account.projectForNewStudies")}
          value={chosenProject ?? null}
          onChange={(projectId) => chooseProject.mutate(projectId)}
        >
          <Stack gap="xs" mt="xs" mb="md">
            {projects.length === 0 && (
              <Text size="sm" c="dimmed" data-testid="projects-empty">
                {t("account.noProjects")}
              </Text>
            )}
            {projects.map((project) => (
              <Radio key={project.id} value={project.id} label={project.title} />
            ))}
          </Stack>
        </Radio.Group>
        {chooseProject.isError && <ErrorNotice title={t("account.couldNotChooseProject")} error={chooseProject.error} />}
        <NewProjectForm workspaceId={workspaceId} />
      </Card>
    </Stack>
  );
}

export function AccountPage() {
  const { t } = useTranslation("pages");
  const connection = useConnection();
  const workspaces = useWorkspaces();
  const chooseWorkspace = useChooseWorkspace();
  const connected = connection.data;

  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>{t("account.title")}</Title>
        <Text c="dimmed">{t("account.intro")}</Text>
      </Stack>
      {connected && <WhoCard connected={connected} />}
      {workspaces.isPending && <Loader size="sm" role="status" aria-label={t("account.loadingWorkspaces")} />}
      {workspaces.isError && <ErrorNotice title={t("account.couldNotLoadWorkspaces")} error={workspaces.error} />}
      {workspaces.data && (
        <>
          <Select
            label={t("account.workspace")}
            description={t("account.workspaceDescription")}
            data={workspaces.data.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.title }))}
            value={workspaces.data.chosen}
            onChange={(workspaceId) => workspaceId && chooseWorkspace.mutate(workspaceId)}
            allowDeselect={false}
            data-testid="account-workspace"
          />
          {workspaces.data.possiblyTruncated && (
            <Text size="sm" c="orange">
              {t("account.moreWorkspaces")}
            </Text>
          )}
          {workspaces.data.chosen && <WorkspaceCard workspaceId={workspaces.data.chosen} />}
        </>
      )}
      <Card withBorder padding="lg" component="section" aria-label={t("account.about")}>
        <AboutBatchdesk />
      </Card>
      <AppSettingsCard />
    </Stack>
  );
}
