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
/// Then one of each shape real specs bring that progenitor's output did
/// not compile with, or that progenitor does not take, each where
/// `codegen` rewrites it (its unit tests say how): an operationId that is
/// not a Rust name, a parameter called `client`, a value-or-list parameter,
/// a parameter of a nullable component, successes of different bodies, an
/// inline error body, a dropshot websocket and a paginated list, a body of
/// a `Copy` type, bodies of `*/*`, `image/png` and `multipart/form-data`,
/// and a nullable component titled like another.
fn small_spec() -> serde_json::Value {
    let json =
        |schema: serde_json::Value| serde_json::json!({"application/json": {"schema": schema}});
    let thing = serde_json::json!({"$ref": "#/components/schemas/Thing"});
    let done = serde_json::json!({"204": {"description": "done"}});
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Small", "version": "1"},
        "paths": {
            "/things/": {"get": {
                "operationId": "things_list",
                "parameters": [
                    {"name": "id__in", "in": "query", "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}},
                    {"name": "props", "in": "query", "schema": {"type": "object", "additionalProperties": {}}}
                ],
                "responses": {"200": {"description": "ok", "content": json(thing.clone())}}
            }},
            "/meta/root": {"get": {
                "operationId": "meta/root",
                "parameters": [
                    {"name": "client", "in": "query", "required": true, "schema": {"type": "boolean"}},
                    {"name": "id", "in": "query", "schema": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
                    {"name": "guid", "in": "query", "schema": {"$ref": "#/components/schemas/Guid"}}
                ],
                "responses": {
                    "200": {"description": "found", "content": json(thing.clone())},
                    "204": {"description": "nothing"},
                    "404": {"description": "missing", "content": json(serde_json::json!({"type": "object", "properties": {"message": {"type": "string"}}}))}
                }
            }},
            "/stream": {"get": {
                "operationId": "stream",
                "x-dropshot-websocket": {},
                "responses": {"101": {"description": "upgrading"}, "4XX": {"description": "refused"}}
            }},
            "/pages": {"get": {
                "operationId": "pages",
                "x-dropshot-pagination": {"required": []},
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"nullable": true, "type": "integer", "format": "uint32", "minimum": 1}},
                    {"name": "page_token", "in": "query", "schema": {"nullable": true, "type": "string"}}
                ],
                "responses": {"200": {"description": "a page", "content": json(serde_json::json!({"$ref": "#/components/schemas/ThingPage"}))}}
            }},
            "/state": {"put": {
                "operationId": "state_put",
                "requestBody": {"required": true, "content": json(serde_json::json!({"$ref": "#/components/schemas/State"}))},
                "responses": {"200": {"description": "the state", "content": json(serde_json::json!({"$ref": "#/components/schemas/State"}))}}
            }},
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {"required": true, "content": {"*/*": {"schema": {"type": "string"}}}},
                    "responses": done.clone()
                },
                "put": {
                    "operationId": "picture",
                    "requestBody": {"required": true, "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}},
                    "responses": done.clone()
                },
                "patch": {
                    "operationId": "form",
                    "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                    "responses": done
                }
            }
        },
        "components": {"schemas": {
            "Level": {"type": "integer", "enum": [21, 37]},
            "Tz": {"type": "string", "enum": ["Etc/GMT+1", "Etc/GMT-1"]},
            "State": {"type": "string", "enum": ["on", "off"]},
            "Guid": {"type": "string", "nullable": true},
            "Owner": {"title": "Thing", "type": "object", "nullable": true, "properties": {"name": {"type": "string"}}},
            "Thing": {"type": "object", "properties": {
                "level": {"$ref": "#/components/schemas/Level"},
                "tz": {"$ref": "#/components/schemas/Tz"},
                "owner": {"$ref": "#/components/schemas/Owner"},
                "count": {"type": "integer", "default": "many"}
            }},
            "ThingPage": {"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": thing},
                "next_page": {"nullable": true, "type": "string"}
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
        stdout.contains("codegen: client, mocks and CLI for 7 of 8 operations (1 left out) in "),
        "{stdout}"
    );
    assert!(
        stdout.contains("codegen warnings: 6 (1 operations left out, 3 loosened, 1 defaults ignored, 1 operations renamed)\n"),
        "{stdout}"
    );
    for warning in [
        "small.json.gz#/paths/~1upload/patch: warning: left out of the client, the mocks and the CLI: its request body is `multipart/form-data`, whose parts progenitor cannot send",
        "small.json.gz#/paths/~1upload/post/requestBody/content/*~1*: warning: progenitor cannot type a `*/*` body, so codegen sends it as raw bytes",
        "small.json.gz#/paths/~1upload/put/requestBody/content/image~1png: warning: progenitor cannot type a `image/png` body, so codegen sends it as raw bytes (the method takes a `reqwest::Body`) with `Content-Type: image/png`",
        "small.json.gz#/paths/~1meta~1root/get/responses: warning: its successes have different bodies (200: JSON `Thing`, 204: none)",
        "small.json.gz#/components/schemas/Thing/properties/count: warning: its `default: \"many\"` does not fit",
        "small.json.gz#/paths/~1meta~1root/get/operationId: warning: `meta/root` is not a Rust name, so progenitor names the operation `Client::meta_root`",
    ] {
        assert!(stdout.contains(warning), "{warning}\n{stdout}");
    }
    let generated =
        std::fs::read_to_string(workspace_root().join("target/check-spec/crate/src/generated.rs"))
            .unwrap();
    assert!(
        generated.contains("from_static(\"image/png\")"),
        "{generated}"
    );
    let cli = std::fs::read_to_string(
        workspace_root().join("target/check-spec/crate/src/generated_cli.rs"),
    )
    .unwrap();
    assert!(!cli.contains("todo!()"), "{cli}");
    assert!(
        cli.contains("`stream` opens a websocket, which the command line cannot hold"),
        "{cli}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("check-spec summary: ")
            && summary.contains(": operations=8 left_out=1 loosened=3 renamed=1 codegen_s=")
            && summary.ends_with(" result=compiles"),
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
