import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";

import { useTranslation } from "../i18n";
import { useOpenInBrowser } from "../queries";
import { ErrorNotice } from "./ErrorNotice";

/** The kinds of link the system browser (or mail app) is asked to open; Rust checks again. */
const OPENABLE = new Set(["http:", "https:", "mailto:"]);

/**
 * Where a click on `target` would take the window when that is away from the app: the
 * link's address, or `null` for the app's own links (its routes are `#/…` on the app's own
 * origin) and for clicks that are not on a link.
 */
export function linkAwayFromApp(target: EventTarget | null, here: Location = window.location): URL | null {
  if (!(target instanceof Element)) {
    return null;
  }
  const anchor = target.closest("a[href]");
  const href = anchor?.getAttribute("href");
  if (!anchor || href === null || href === undefined) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(href, here.href);
  } catch {
    return null;
  }
  // Compared by scheme and host: `tauri://localhost` has no web origin to compare.
  const ownPage = url.protocol === here.protocol && url.host === here.host;
  return ownPage ? null : url;
}

/** What the question names: the site's host, or the address an email would go to. */
export function linkDestination(url: URL): string {
  return url.protocol === "mailto:" ? decodeURIComponent(url.pathname) : url.host;
}

/**
 * Keeps the app's window on the app. Any click on a link that leads elsewhere (a link in
 * the participant preview's task text, say, or one with `target="_blank"`) is stopped,
 * and the researcher is asked whether to open it in their browser instead. Rust refuses
 * such navigation and new windows too; this is the plain question in front of that.
 */
export function ExternalLinkGuard() {
  const { t } = useTranslation(["shell", "common"]);
  const [link, setLink] = useState<URL | null>(null);
  const open = useOpenInBrowser();
  const { reset } = open;

  useEffect(() => {
    const intercept = (event: MouseEvent) => {
      const url = linkAwayFromApp(event.target);
      if (!url) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      // Links of other kinds (file:, javascript:) are never followed and never offered.
      if (OPENABLE.has(url.protocol)) {
        reset();
        setLink(url);
      }
    };
    // Capturing, so the page's own handlers never see the click first; "auxclick" is a
    // middle click, which would otherwise ask for a new window.
    document.addEventListener("click", intercept, true);
    document.addEventListener("auxclick", intercept, true);
    return () => {
      document.removeEventListener("click", intercept, true);
      document.removeEventListener("auxclick", intercept, true);
    };
  }, [reset]);

  const close = () => setLink(null);
  const destination = link ? linkDestination(link) : "";
  const isEmail = link?.protocol === "mailto:";

  return (
    <Modal
      opened={link !== null}
      onClose={close}
      title={isEmail ? t("externalLink.writeTo", { destination }) : t("externalLink.openHost", { destination })}
      data-testid="external-link-question"
    >
      <Stack>
        <Text size="sm">
          {isEmail ? t("externalLink.emailIntro") : t("externalLink.webIntro")}
        </Text>
        <Text size="sm" c="dimmed" style={{ wordBreak: "break-all" }} data-testid="external-link-address">
          {link?.href}
        </Text>
        {open.isError && <ErrorNotice title={t("externalLink.couldNotOpen")} error={open.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="external-link-cancel">
            {t("common:cancel")}
          </Button>
          <Button
            data-testid="external-link-open"
            loading={open.isPending}
            onClick={() => {
              if (link) {
                open.mutate(link.href, { onSuccess: close });
              }
            }}
          >
            {isEmail ? t("externalLink.openMail") : t("externalLink.openBrowser")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
