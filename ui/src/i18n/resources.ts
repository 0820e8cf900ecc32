/** The English catalogue, one namespace per area of the app (see `index.ts`). */
import common from "./en/common.json";
import pages from "./en/pages.json";

export const resources = {
  en: { common, pages },
} as const;

export type Namespace = keyof (typeof resources)["en"];
export const namespaces = Object.keys(resources.en) as Namespace[];
export const defaultNamespace: Namespace = "common";
