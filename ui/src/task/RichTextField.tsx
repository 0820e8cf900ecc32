// The editor's styles, loaded with the editor's own screen (after the core styles).
import "@mantine/tiptap/styles.css";

import { Input } from "@mantine/core";
import { useId } from "@mantine/hooks";
import { Link, RichTextEditor } from "@mantine/tiptap";
import { useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useMemo, useRef } from "react";

import { t as translate, useTranslation } from "../i18n";

export type RichTextFieldProps = {
  label: string;
  description?: string;
  /** Basic HTML: paragraphs, bold, italic, underline, lists, headings and links. */
  value: string;
  onChange: (html: string) => void;
  error?: string;
};

// Plain names for the toolbar buttons (they are the buttons' accessible names too).
const toolbarLabels = () => ({
  boldControlLabel: translate("task:richText.bold"),
  italicControlLabel: translate("task:richText.italic"),
  underlineControlLabel: translate("task:richText.underline"),
  bulletListControlLabel: translate("task:richText.bulletList"),
  orderedListControlLabel: translate("task:richText.orderedList"),
  h2ControlLabel: translate("task:richText.heading"),
  h3ControlLabel: translate("task:richText.subheading"),
  linkControlLabel: translate("task:richText.link"),
  unlinkControlLabel: translate("task:richText.unlink"),
  clearFormattingControlLabel: translate("task:richText.clearFormatting"),
  linkEditorInputLabel: translate("task:richText.linkAddress"),
  linkEditorInputPlaceholder: "https://example.org",
  linkEditorSave: translate("task:richText.linkSave"),
});

// Made once: a new array on every render would make useEditor reconfigure the editor.
const extensions = [
  StarterKit.configure({
    heading: { levels: [2, 3] },
    code: false,
    codeBlock: false,
    blockquote: false,
    horizontalRule: false,
    strike: false,
    // Mantine's Link below adds the Ctrl/Cmd+K shortcut to StarterKit's link.
    link: false,
  }),
  Link.configure({
    openOnClick: false,
    isAllowedUri: (url) => /^(https?:\/\/|mailto:)/i.test(url.trim()),
  }),
];

/**
 * A rich-text editor for the task's introduction and steps. Only what Prolific calls
 * "basic HTML" can be made: StarterKit's code, code blocks, quotes and rules are off, and
 * no extension that adds styles, colours or images is loaded. Links may only go to web
 * or mail addresses. Rust sanitizes the result again before anything shows or is sent.
 */
export function RichTextField({ label, description, value, onChange, error }: RichTextFieldProps) {
  const { t } = useTranslation("task");
  const labels = toolbarLabels();
  const id = useId();
  const labelId = `${id}-label`;
  const describedBy = [description && `${id}-description`, error && `${id}-error`].filter(Boolean).join(" ");
  // The latest onChange, so the editor (made once) never calls a stale callback.
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // The editable area is a div, so it is named and described through ARIA. useEditor
  // passes changed options on to the editor, so these follow the error as it comes and goes.
  const editorProps = useMemo(
    () => ({
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(error ? { "aria-invalid": "true" } : {}),
      },
    }),
    [labelId, describedBy, error],
  );

  const editor = useEditor({
    extensions,
    content: value,
    editorProps,
    // An editor holding only an empty paragraph is an empty field, not "<p></p>".
    onUpdate: ({ editor: current }) => onChangeRef.current(current.isEmpty ? "" : current.getHTML()),
  });

  // A value set from outside (a template, a restored draft) replaces the content, without
  // echoing back through onChange.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const current = editor.isEmpty ? "" : editor.getHTML();
    if (value !== current) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);

  return (
    <Input.Wrapper id={id} label={label} labelElement="div" description={description} error={error}>
      <RichTextEditor editor={editor} labels={labels} mt={4}>
        <RichTextEditor.Toolbar role="toolbar" aria-label={t("richText.formattingFor", { label })}>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.H2 />
            <RichTextEditor.H3 />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.ClearFormatting />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content />
      </RichTextEditor>
    </Input.Wrapper>
  );
}
