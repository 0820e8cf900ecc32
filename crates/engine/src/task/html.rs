//! The task's HTML (introduction, steps) kept to the basic formatting Prolific accepts.
//! Everything that could run or load something (scripts, event handlers, styles,
//! images, frames, `javascript:` links) is removed, whether it came from the editor,
//! a template file a colleague sent, or a pasted web page.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "code",
        "a",
    ]
    .into_iter()
    .collect();
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .url_schemes(["https", "http", "mailto"].into_iter().collect())
        // A relative link would point inside Prolific's page; nothing here needs one.
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// `html` with only basic formatting and safe links left.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Whether `html` shows no text at all (an empty editor gives `<p></p>`).
pub fn is_blank(html: &str) -> bool {
    let text = Builder::empty().clean(html).to_string();
    // Entities such as &nbsp; survive as text; they are blank too.
    text.replace("&nbsp;", " ").trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_basic_formatting_and_safe_links() {
        let html = "<h2>Read</h2><p><strong>Bold</strong>, <em>it</em>, <u>u</u></p>\
                    <ul><li>one</li></ul><a href=\"https://example.org/help\">help</a>";
        let cleaned = clean(html);
        assert!(cleaned.contains("<h2>Read</h2>"));
        assert!(cleaned.contains("<strong>Bold</strong>"));
        assert!(cleaned.contains("<ul><li>one</li></ul>"));
        assert!(cleaned.contains("href=\"https://example.org/help\""));
        assert!(cleaned.contains("rel=\"noopener noreferrer\""));
    }

    #[test]
    fn removes_everything_that_could_run() {
        let html = "<p onclick=\"steal()\">Hi<img src=x onerror=\"steal()\"></p>\
                    <script>steal()</script><a href=\"javascript:steal()\">x</a>\
                    <iframe src=\"https://evil.example\"></iframe><style>p{}</style>\
                    <a href=\"data:text/html,hi\">d</a><!-- hidden -->";
        let cleaned = clean(html);
        for forbidden in [
            "onclick",
            "onerror",
            "<img",
            "<script",
            "steal",
            "javascript:",
            "<iframe",
            "<style",
            "data:",
            "hidden",
        ] {
            assert!(
                !cleaned.contains(forbidden),
                "{forbidden} left in {cleaned}"
            );
        }
        assert!(cleaned.contains("Hi"));
    }

    #[test]
    fn an_empty_editor_is_blank() {
        assert!(is_blank(""));
        assert!(is_blank("<p></p>"));
        assert!(is_blank("<p> &nbsp; </p><p><br></p>"));
        assert!(!is_blank("<p>Label each review.</p>"));
    }
}
