//! The CSV doctor (filled in by issue 6): reads a researcher's file as a stream, works out
//! its encoding and dialect, and explains in plain words what would stop Prolific from
//! using it, with one-click fixes where they are safe. This module holds its vocabulary.

use serde::Serialize;

/// How the bytes of a file are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// Excel's "Unicode text" export.
    Utf16Le,
    Utf16Be,
    /// Windows-1252, the superset of Latin-1 that older Excel versions write.
    Windows1252,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
    Pipe,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Worth knowing; nothing to do.
    Note,
    /// Prolific will accept the file, but the result may not be what the researcher wants.
    Warning,
    /// Prolific would refuse the file or mangle it: fix before uploading.
    Problem,
}

/// One thing the doctor noticed, said in one or two plain sentences with what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier the UI may branch on (for example to offer a fix).
    pub code: &'static str,
    pub message: String,
    /// One-based line numbers the finding concerns, when it concerns lines.
    pub lines: Vec<u64>,
}
