import "i18next";

import type { resources } from "./resources";

// Typed keys: `t("pages:notFound.title")` type-checks only if the English catalogue has it.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: (typeof resources)["en"];
    returnNull: false;
  }
}
