//! The sample spreadsheets in the engine's `samples/` (see its README): the tests'
//! inputs, and the ones offered in practice mode.

use std::path::PathBuf;

/// Where the sample `name` is.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/samples")
        .join(name)
}

/// The bytes of the sample `name`.
pub fn bytes(name: &str) -> Vec<u8> {
    let path = path(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}
