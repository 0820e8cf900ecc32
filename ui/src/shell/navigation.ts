import { IconHome, IconListDetails, IconSquarePlus, IconUserCircle } from "@tabler/icons-react";

import { t } from "../i18n";

/** The app's sections, in navigation order. `shortcut` is the digit used with Ctrl/Cmd; `label()` its name. */
export const sections = [
  { path: "/", label: () => t("shell:sections.home"), icon: IconHome, shortcut: "1" },
  { path: "/new", label: () => t("shell:sections.newBatch"), icon: IconSquarePlus, shortcut: "2" },
  { path: "/batches", label: () => t("shell:sections.batches"), icon: IconListDetails, shortcut: "3" },
  { path: "/account", label: () => t("shell:sections.account"), icon: IconUserCircle, shortcut: "4" },
] as const;
