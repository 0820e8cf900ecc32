import { IconHome, IconListDetails, IconSquarePlus, IconUserCircle } from "@tabler/icons-react";

/** The app's sections, in navigation order. `shortcut` is the digit used with Ctrl/Cmd. */
export const sections = [
  { path: "/", label: "Home", icon: IconHome, shortcut: "1" },
  { path: "/new", label: "New batch", icon: IconSquarePlus, shortcut: "2" },
  { path: "/batches", label: "Batches", icon: IconListDetails, shortcut: "3" },
  { path: "/account", label: "Account", icon: IconUserCircle, shortcut: "4" },
] as const;
