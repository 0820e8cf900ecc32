import { MantineProvider } from "@mantine/core";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { RichTextField } from "./RichTextField";

// ProseMirror measures the selection to scroll it into view; jsdom has no layout.
beforeAll(() => {
  const noRect = () => new DOMRect(0, 0, 0, 0);
  const noRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = noRect;
  Range.prototype.getClientRects = noRects;
  document.elementFromPoint = () => null;
});

function Field({ initial = "", onChange }: { initial?: string; onChange: (html: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <RichTextField
      label="Introduction"
      description="What participants read first."
      value={value}
      onChange={(html) => {
        setValue(html);
        onChange(html);
      }}
    />
  );
}

describe("RichTextField", () => {
  it("offers the basic formatting tools and nothing that takes HTML", async () => {
    render(
      <MantineProvider>
        <Field onChange={() => undefined} />
      </MantineProvider>,
    );
    const toolbar = screen.getByRole("toolbar", { name: "Formatting for Introduction" });
    for (const name of [
      "Bold",
      "Italic",
      "Underline",
      "Heading",
      "Subheading",
      "Bulleted list",
      "Numbered list",
      "Add a link",
      "Remove the link",
      "Clear formatting",
    ]) {
      expect(within(toolbar).getByRole("button", { name })).toBeInTheDocument();
    }
    const box = await screen.findByRole("textbox", { name: "Introduction" });
    expect(box).toHaveAccessibleDescription("What participants read first.");
    expect(screen.queryByRole("button", { name: /source|html|image/i })).not.toBeInTheDocument();
  });

  it("reports what is typed as HTML", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(
      <MantineProvider>
        <Field onChange={onChange} />
      </MantineProvider>,
    );
    const box = await screen.findByRole("textbox", { name: "Introduction" });
    await user.click(box);
    // jsdom's selection is too rough for key-by-key typing into ProseMirror; a paste is
    // one input and goes through the same update path.
    await user.paste("Read each review");
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith("<p>Read each review</p>"));
    await user.keyboard("{Control>}a{/Control}");
    await user.click(screen.getByRole("button", { name: "Bold" }));
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith("<p><strong>Read each review</strong></p>"));
  });

  it("shows a value given from outside and its error", async () => {
    render(
      <MantineProvider>
        <RichTextField label="Steps" value="<p><strong>Read</strong> then answer</p>" onChange={() => undefined} error="Say what to do." />
      </MantineProvider>,
    );
    const box = await screen.findByRole("textbox", { name: "Steps" });
    expect(box.querySelector("strong")).toHaveTextContent("Read");
    expect(box).toHaveAttribute("aria-invalid", "true");
    expect(box).toHaveAccessibleDescription("Say what to do.");
  });
});

describe("RichTextField content", () => {
  it("keeps only basic HTML: no images, styles or script links survive", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(
      <MantineProvider>
        <Field
          initial={'<p style="color:red">Hi<img src="x"><a href="javascript:alert(1)">there</a></p><pre>code</pre>'}
          onChange={onChange}
        />
      </MantineProvider>,
    );
    const box = await screen.findByRole("textbox", { name: "Introduction" });
    expect(box.querySelector("img, pre, [style], a[href^='javascript']")).toBeNull();
    await user.click(box);
    await user.paste("!");
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    const html = onChange.mock.lastCall?.[0] as string;
    expect(html).not.toMatch(/<img|style=|javascript:|<pre/);
  });
});
