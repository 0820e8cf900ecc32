/** Shared test data for the task step's components (used by tests only). */
import type { DataColumn } from "./design";

export const columns: DataColumn[] = [
  { name: "review", hidden: false, isTaskGroup: false, imageUrls: null },
  { name: "photo", hidden: false, isTaskGroup: false, imageUrls: { https: 50, http: 0, notLinks: 0, allHttps: true } },
  { name: "META_source", hidden: true, isTaskGroup: false, imageUrls: null },
  { name: "chart", hidden: false, isTaskGroup: false, imageUrls: { https: 47, http: 2, notLinks: 1, allHttps: false } },
  { name: "META_TASK_GROUP_ID", hidden: true, isTaskGroup: true, imageUrls: null },
];
