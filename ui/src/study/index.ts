/** Wizard step 3's building blocks ("Who, how many, how much"), for the container that wires them to the back end. */
export * from "./settings";
export * from "./audience";
export { AudienceEditor, type AudienceEditorProps } from "./AudienceEditor";
export { CostPanel, type CostPanelProps } from "./CostPanel";
export { EligibilityCount, type EligibilityCountProps } from "./EligibilityCount";
export { LaunchProgress, type LaunchProgressProps, type LaunchStage } from "./LaunchProgress";
export { MoneyInput, type MoneyInputProps } from "./MoneyInput";
export { PublishBar, type PublishBarProps } from "./PublishBar";
export { type EditSection, ReviewPanel, type ReviewPanelProps } from "./ReviewPanel";
export { StudySettingsForm, type StudySettingsFormProps } from "./StudySettingsForm";
