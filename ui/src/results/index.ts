/** The results screens' building blocks (after launch); props in, callbacks out. */
export { BatchesList, type BatchesListProps, type BatchSort } from "./BatchesList";
export { DownloadsMenu, type DownloadsMenuProps } from "./DownloadsMenu";
export { PhaseBadge, ProgressPanel, type ProgressPanelProps } from "./ProgressPanel";
export { ResponsesTable, type ResponsesTableProps } from "./ResponsesTable";
export { ResultsOverview, type ResultsOverviewProps } from "./ResultsOverview";
export { StudyActions, type StudyActionsProps } from "./StudyActions";
