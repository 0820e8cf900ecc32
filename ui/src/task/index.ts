/** Wizard step 2's building blocks, for the container that wires them to the back end. */
export * from "./design";
export { DataLayoutEditor, type DataLayoutEditorProps } from "./DataLayoutEditor";
export { ParticipantPreview, type ParticipantPreviewProps } from "./ParticipantPreview";
export { QuestionsBuilder, type QuestionsBuilderProps } from "./QuestionsBuilder";
export { RichTextField, type RichTextFieldProps } from "./RichTextField";
export { TasksPerGroupField, type TasksPerGroupFieldProps } from "./TasksPerGroupField";
