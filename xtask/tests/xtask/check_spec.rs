//! `cargo xtask check-spec FILE` on a small spec of our own: gzipped JSON
//! in, codegen's warning and the compiled scratch crate out. Compiling the
//! scratch crate also proves codegen's runtime shim still provides what
//! generated code names.

use std::path::Path;
use std::process::Command;

use super::workspace_root;

/// One operation with a list and a map query parameter (the CLI and mock
/// rewrites), an integer enum (typify's hand-written `JsonSchema`), enum
/// values that clash in Rust, and a default that does not fit its schema.
fn small_spec() -> serde_json::Value {
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Small", "version": "1"},
        "paths": {"/things/": {"get": {
            "operationId": "things_list",
            "parameters": [
                {"name": "id__in", "in": "query", "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}},
                {"name": "props", "in": "query", "schema": {"type": "object", "additionalProperties": {}}}
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
        }}},
        "components": {"schemas": {
            "Level": {"type": "integer", "enum": [21, 37]},
            "Tz": {"type": "string", "enum": ["Etc/GMT+1", "Etc/GMT-1"]},
            "Thing": {"type": "object", "properties": {
                "level": {"$ref": "#/components/schemas/Level"},
                "tz": {"$ref": "#/components/schemas/Tz"},
                "count": {"type": "integer", "default": "many"}
            }}
        }}
    })
}

fn check_spec(file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("check-spec")
        .arg(file)
        .arg("--root")
        .arg(workspace_root())
        .output()
        .expect("xtask runs")
}

#[test]
fn a_gzipped_json_spec_generates_compiles_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("small.json");
    std::fs::write(&json, small_spec().to_string()).unwrap();
    let status = Command::new("gzip").arg(&json).status().expect("gzip runs");
    assert!(status.success());
    let output = check_spec(&dir.path().join("small.json.gz"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("codegen: client, mocks and CLI for 1 operations"),
        "{stdout}"
    );
    assert!(stdout.contains("codegen warnings: 1\n"), "{stdout}");
    assert!(
        stdout.contains("small.json.gz#/components/schemas/Thing/properties/count: warning: its `default: \"many\"` does not fit"),
        "{stdout}"
    );
    assert!(stdout.contains("cargo check: compiles in "), "{stdout}");
    assert!(
        stdout.contains("rustc errors: 0\nrustc warnings: 0\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("peak memory of cargo and rustc together "),
        "{stdout}"
    );
}

#[test]
fn a_spec_that_does_not_generate_fails_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("broken.yaml");
    std::fs::write(&yaml, "openapi: 3.0.3\ninfo:\n  title: t\n  title: u\n").unwrap();
    let output = check_spec(&yaml);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.yaml:4:3: "), "{stderr}");
    assert!(stderr.contains("duplicate key `title`"), "{stderr}");

    let missing = check_spec(&dir.path().join("missing.yaml.gz"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("`gzip -dc` failed"));
}
