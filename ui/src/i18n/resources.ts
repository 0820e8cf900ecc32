/**
 * The English catalogue, one namespace per area of the app (see `index.ts`). `errors` and
 * `checks` hold the sentences Rust decides (its errors, the design's and the settings'
 * issues, the CSV doctor's findings): Rust names their entries and values (`Text`), the
 * UI says them with `say`, and a Rust test keeps the two sides in step.
 */
import checks from "./en/checks.json";
import common from "./en/common.json";
import connect from "./en/connect.json";
import errors from "./en/errors.json";
import pages from "./en/pages.json";
import results from "./en/results.json";
import shell from "./en/shell.json";
import study from "./en/study.json";
import task from "./en/task.json";
import wizard from "./en/wizard.json";

export const resources = {
  en: { checks, common, connect, errors, pages, results, shell, study, task, wizard },
} as const;

export type Namespace = keyof (typeof resources)["en"];
export const namespaces = Object.keys(resources.en) as Namespace[];
export const defaultNamespace: Namespace = "common";
