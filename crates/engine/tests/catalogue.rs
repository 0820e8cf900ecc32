//! Rust's sentences and the UI's catalogue agree: every `text!("…")` in the Rust sources
//! names an entry of Rust's namespaces, and every entry there is said by some Rust code.
//! The sources are read, so every build flavour is covered.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use batchdesk_engine::text;
use batchdesk_test_support::sources::{rust_files, workspace};
use std::collections::BTreeSet;

const SOURCES: [&str; 4] = [
    "crates/engine/src",
    "crates/practice-server/src",
    "crates/prolific-client/src",
    "src-tauri/src",
];

/// Every key named as `text!("…"` or `Text::new("…"` in the Rust sources (the macro's
/// own definition, which names no literal, is skipped).
fn keys_said() -> BTreeSet<String> {
    let workspace = workspace();
    let mut said = BTreeSet::new();
    for source in SOURCES {
        let files = rust_files(&workspace.join(source));
        assert!(
            !files.is_empty(),
            "{source} has no sources: the path is wrong"
        );
        for file in files {
            let code = std::fs::read_to_string(&file).unwrap();
            for opening in ["text!(", "Text::new("] {
                for (at, _) in code.match_indices(opening) {
                    // Examples in comments are not sentences.
                    let line_start = code[..at].rfind('\n').map_or(0, |newline| newline + 1);
                    if code[line_start..at].trim_start().starts_with("//") {
                        continue;
                    }
                    // A literal key, on the same line or the next.
                    let Some(rest) = code[at + opening.len()..].trim_start().strip_prefix('"')
                    else {
                        continue;
                    };
                    said.insert(rest[..rest.find('"').unwrap()].to_owned());
                }
            }
        }
    }
    said
}

#[test]
fn every_sentence_rust_says_is_in_the_catalogue() {
    let said = keys_said();
    assert!(said.len() > 5, "found only {said:?}: the scan is wrong");
    let unknown: Vec<&String> = said.iter().filter(|key| !text::known(key)).collect();
    assert!(unknown.is_empty(), "not in the catalogue: {unknown:?}");
}

#[test]
fn every_entry_of_rusts_namespaces_is_said() {
    let said = keys_said();
    let unused: Vec<String> = text::catalogue_keys()
        .into_iter()
        .filter(|key| {
            // A plural form is said through its key without the form.
            let base = ["_zero", "_one", "_two", "_few", "_many", "_other"]
                .iter()
                .find_map(|form| key.strip_suffix(form))
                .unwrap_or(key);
            !said.contains(base)
        })
        .collect();
    assert!(
        unused.is_empty(),
        "in the catalogue but said by no Rust code: {unused:?}"
    );
}
