//! The CSV doctor on arbitrary bytes: inspecting (from memory and from a file), the
//! preview and the fix must never panic, and what they promise must hold: both ways of
//! inspecting agree, and a fixed copy is UTF-8 text without NUL characters that the
//! doctor can read again.

#![no_main]

use batchdesk_engine::csv_doctor::{
    FixOptions, InspectOptions, fix, inspect, inspect_reader, preview,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let from_memory = inspect_reader(data, &InspectOptions::default());

    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("input.csv");
    std::fs::write(&path, data).expect("the input file");
    let from_file = inspect(&path, &InspectOptions::default());
    match (&from_memory, &from_file) {
        (Ok(memory), Ok(file)) => assert_eq!(memory, file),
        (Err(memory), Err(file)) => assert_eq!(memory.code(), file.code()),
        _ => panic!("memory {from_memory:?} but file {from_file:?}"),
    }
    if let Ok(report) = &from_file {
        drop(preview(&path, report, 10));
    }

    let fixed = folder.path().join("fixed.csv");
    if fix(&path, &fixed, &FixOptions::default()).is_ok() {
        let bytes = std::fs::read(&fixed).expect("the fixed copy");
        let text = std::str::from_utf8(&bytes).expect("the fixed copy is UTF-8");
        assert!(!text.contains('\0'), "the fixed copy has no NUL characters");
        assert!(!text.starts_with('\u{feff}'), "nor a byte order mark");
        if let Ok(report) = inspect(&fixed, &InspectOptions::default()) {
            drop(preview(&fixed, &report, 10));
        }
    }
});
