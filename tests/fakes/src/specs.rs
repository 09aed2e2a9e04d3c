//! The official contracts the fakes check against, loaded once per test process.
//!
//! They live in `tests/fakes/specs/` (copies with their licences; see its README) so that CI,
//! which clones this repository alone, has them. `SNAG_FAKES_SPECS` points elsewhere, e.g. at
//! `../shared/specs` to check a newer copy.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// The folder of spec files.
pub fn specs_dir() -> PathBuf {
    match std::env::var_os("SNAG_FAKES_SPECS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/specs")),
    }
}

/// A file in the spec folder, e.g. `webhooks/test-vectors.json`.
pub fn spec_path(relative: &str) -> PathBuf {
    specs_dir().join(relative)
}

pub(crate) fn read_text(relative: &str) -> String {
    let path = spec_path(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read spec {}: {e}", path.display()))
}

pub(crate) fn read_json(relative: &str) -> Value {
    serde_json::from_str(&read_text(relative))
        .unwrap_or_else(|e| panic!("spec {relative} is not JSON: {e}"))
}

/// The ADF JSON Schema (draft-04), compiled once.
pub(crate) fn adf_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema = read_json("jira/adf-full.schema.json");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&schema)
            .expect("the ADF schema compiles")
    })
}

/// Checks an ADF document; the error lists the first few violations.
pub(crate) fn check_adf(document: &Value) -> Result<(), String> {
    let errors: Vec<String> = adf_validator()
        .iter_errors(document)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}
