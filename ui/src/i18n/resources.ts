/** The English catalogue, one namespace per area of the app (see `index.ts`). */
import common from "./en/common.json";
import connect from "./en/connect.json";
import pages from "./en/pages.json";
import results from "./en/results.json";
import shell from "./en/shell.json";
import study from "./en/study.json";
import task from "./en/task.json";
import wizard from "./en/wizard.json";

export const resources = {
  en: { common, connect, pages, results, shell, study, task, wizard },
} as const;

export type Namespace = keyof (typeof resources)["en"];
export const namespaces = Object.keys(resources.en) as Namespace[];
export const defaultNamespace: Namespace = "common";
