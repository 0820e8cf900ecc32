//! No crate of the workspace has import circles between its top-level modules: module A
//! using `crate::b` while B uses `crate::a` (directly or around a longer loop) means
//! neither can be read, tested or moved without the other. The check reads the sources,
//! so it covers every build flavour; `use` lines inside doc comments and `#[cfg(test)]`
//! modules do not count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use batchdesk_test_support::sources::{rust_files, workspace};
use std::path::Path;

const CRATES: [&str; 4] = [
    "crates/engine/src",
    "crates/practice-server/src",
    "crates/prolific-client/src",
    "src-tauri/src",
];

#[test]
fn no_crate_has_a_circle_between_its_modules() {
    let workspace = workspace();
    let mut circles = Vec::new();
    for source in CRATES {
        let uses = module_uses(&workspace.join(source));
        assert!(
            !uses.is_empty(),
            "{source} has no modules: the path is wrong"
        );
        for circle in circles_in(&uses) {
            circles.push(format!("{source}: {}", circle.join(" ↔ ")));
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// For each top-level module of the crate at `source`, the other top-level modules its
/// code names through `crate::`.
fn module_uses(source: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(source) {
        let relative = file.strip_prefix(source).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let named = uses.entry(module.clone()).or_default();
        for line in code
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
        {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let other = &rest[..end];
                if !other.is_empty() && other != module {
                    named.insert(other.to_owned());
                }
            }
        }
    }
    uses
}

/// The groups of modules that reach each other (Tarjan's strongly connected components
/// of more than one module).
fn circles_in(uses: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        uses: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        circles: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, module: &'a str) {
            let at = self.index.len();
            self.index.insert(module, at);
            self.low.insert(module, at);
            self.stack.push(module);
            for other in self.uses.get(module).into_iter().flatten() {
                if !self.uses.contains_key(other) {
                    continue; // a name that is not a module (a macro, a constant in lib.rs)
                }
                if !self.index.contains_key(other.as_str()) {
                    self.visit(other);
                    let low = self.low[module].min(self.low[other.as_str()]);
                    self.low.insert(module, low);
                } else if self.stack.contains(&other.as_str()) {
                    let low = self.low[module].min(self.index[other.as_str()]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    group.push(member.to_owned());
                    if member == module {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.circles.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        uses,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        circles: Vec::new(),
    };
    for module in uses.keys() {
        if !walk.index.contains_key(module.as_str()) {
            walk.visit(module);
        }
    }
    walk.circles
}

#[test]
fn a_circle_is_found() {
    let uses = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
        ("d".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]);
    assert_eq!(circles_in(&uses), vec![vec!["a", "b", "c"]]);
}
