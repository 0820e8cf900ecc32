import type { AppInfo } from "../backend";

export const appInfo: AppInfo = {
  version: "0.1.0",
  flavour: "test",
  identifier: "io.batchdesk.desktop.test",
  dataDir: "/home/researcher/.local/share/io.batchdesk.desktop.test",
  storeSchemaVersion: 1,
};
