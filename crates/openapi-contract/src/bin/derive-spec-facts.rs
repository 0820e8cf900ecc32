//! Derives the machine-readable facts of Prolific's OpenAPI spec: paths, methods,
//! parameters, status codes, schemas, enums, formats, required fields, defaults. Every
//! annotation written for people (descriptions, summaries, titles, examples, tags,
//! external docs, `x-` extensions) is left out, so the repository carries Prolific's
//! facts and none of its prose. See `spec/README.md` for when to run it.
//!
//! Usage: `cargo run -p batchdesk-openapi-contract --bin derive-spec-facts -- SPEC.yaml OUT.json`

#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use serde_json::{Map, Value};

use batchdesk_openapi_contract::derive::facts;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = arguments.as_slice() else {
        eprintln!("usage: derive-spec-facts SPEC.yaml OUT.json");
        return ExitCode::from(2);
    };
    let spec: Value = match std::fs::read_to_string(input)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_norway::from_str(&text).map_err(|error| error.to_string()))
    {
        Ok(spec) => spec,
        Err(error) => {
            eprintln!("reading {input}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut text = match serde_json::to_string_pretty(&facts(&spec)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("writing the facts: {error}");
            return ExitCode::FAILURE;
        }
    };
    text.push('\n');
    if let Err(error) = std::fs::write(output, &text) {
        eprintln!("writing {output}: {error}");
        return ExitCode::FAILURE;
    }
    let paths = spec["paths"].as_object().map_or(0, Map::len);
    println!("{paths} paths written to {output} ({} bytes)", text.len());
    ExitCode::SUCCESS
}
