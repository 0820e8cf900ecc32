/** The English catalogue, one namespace per area of the app (see `index.ts`). */
import common from "./en/common.json";
import pages from "./en/pages.json";
import results from "./en/results.json";
import study from "./en/study.json";

export const resources = {
  en: { common, pages, results, study },
} as const;

export type Namespace = keyof (typeof resources)["en"];
export const namespaces = Object.keys(resources.en) as Namespace[];
export const defaultNamespace: Namespace = "common";
