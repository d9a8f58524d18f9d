//! The codegen library end to end: one test per class of bad input, each
//! asserting the error kind and that the message names the place; then the
//! committed spec, which must validate and generate deterministically.

use std::path::Path;

use codegen::{Error, Settings, generate, load, parse, validate};

/// A minimal valid document around the given `paths:` body.
fn document(paths: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{paths}components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id:\n          type: integer\n"
    )
}

/// Parses and validates `text` as `bad.yaml`, expecting a failure.
fn failure(text: &str) -> Error {
    match parse("bad.yaml", text).and_then(|spec| validate(&spec).map(|()| spec)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(error) => error,
    }
}

/// Parses, validates and generates `text`, expecting generation to fail.
fn generation_failure(text: &str) -> Error {
    let spec = parse("bad.yaml", text).expect("parses");
    validate(&spec).expect("validates");
    generate(&spec, &Settings::default()).expect_err("generation should fail")
}

#[test]
fn missing_file_names_the_path() {
    let error = load("no/such/spec.yaml").unwrap_err();
    assert!(matches!(error, Error::Read { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("no/such/spec.yaml: cannot read the spec"),
        "{message}"
    );
    assert!(message.contains("check the path"), "{message}");
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let error = failure("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: '1'\n");
    let Error::Yaml { line, column, .. } = &error else {
        panic!("expected a YAML error, got {error:?}");
    };
    assert_eq!(*line, 4, "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("bad.yaml:{line}:{column}: ")),
        "{error}"
    );
}

#[test]
fn wrong_shape_names_line_and_column() {
    let error =
        failure("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  - not a map\n");
    let Error::Yaml { line, .. } = &error else {
        panic!("expected a YAML error, got {error:?}");
    };
    assert_eq!(*line, 6, "{error}");
    assert!(error.to_string().contains("bad.yaml:6:"), "{error}");
}

#[test]
fn empty_file_is_reported_as_empty() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let error = failure(text);
        assert!(matches!(error, Error::Empty { .. }), "{text:?}: {error:?}");
        assert!(
            error
                .to_string()
                .starts_with("bad.yaml:1:1: the spec is empty"),
            "{error}"
        );
    }
}

#[test]
fn openapi_3_1_is_not_supported() {
    let error = failure(&document("  {}\n").replace("3.0.3", "3.1.0"));
    assert!(
        matches!(&error, Error::UnsupportedVersion { version, .. } if version == "3.1.0"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("bad.yaml#/openapi: OpenAPI version `3.1.0` is not supported"),
        "{message}"
    );
    assert!(message.contains("write `openapi: 3.0.3`"), "{message}");
}

#[test]
fn a_file_that_is_not_openapi_says_so() {
    let error = failure("title: hello\n");
    assert!(
        error.to_string().contains("bad.yaml#: no `openapi` field"),
        "{error}"
    );
}

/// The problems of an `Error::Invalid`, as `pointer: message` lines.
fn problems(error: &Error) -> Vec<String> {
    let Error::Invalid { problems, .. } = error else {
        panic!("expected Error::Invalid, got {error:?}");
    };
    problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer, p.message))
        .collect()
}

#[test]
fn missing_operation_id_points_at_the_operation() {
    let error = failure(&document(
        "  /things/:\n    get:\n      responses:\n        '200':\n          description: ok\n",
    ));
    let problems = problems(&error);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("#/paths/~1things~1/get: operation has no `operationId`"),
        "{problems:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("bad.yaml#/paths/~1things~1/get: "),
        "{error}"
    );
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let error = failure(&document(
        "  /a/:\n    get:\n      operationId: things\n      responses:\n        '200':\n          description: ok\n  /b/:\n    get:\n      operationId: things\n      responses:\n        '200':\n          description: ok\n",
    ));
    let problems = problems(&error);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("#/paths/~1b~1/get/operationId: `operationId: things` is already used at #/paths/~1a~1/get"), "{problems:?}");
}

#[test]
fn operation_id_must_be_snake_case() {
    let error = failure(&document(
        "  /a/:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: ok\n",
    ));
    assert!(problems(&error)[0].contains("is not snake_case"), "{error}");
}

#[test]
fn dangling_ref_points_at_the_ref() {
    let error = failure(&document(
        "  /a/:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n",
    ));
    let problems = problems(&error);
    assert_eq!(
        problems,
        [
            "#/paths/~1a~1/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` points at nothing; fix the name or add the target"
        ]
    );
}

#[test]
fn refs_inside_example_values_are_data() {
    let spec = parse(
        "ok.yaml",
        &document(
            "  /a/:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n              example:\n                $ref: not a reference\n",
        ),
    )
    .unwrap();
    validate(&spec).unwrap();
}

#[test]
fn undeclared_path_parameter_is_named() {
    let error = failure(&document(
        "  /a/{id}/:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n",
    ));
    assert_eq!(
        problems(&error),
        [
            "#/paths/~1a~1{id}~1/get: path `/a/{id}/` uses `{id}`, but the operation declares no path parameter `id`; add it to `parameters` with `in: path`"
        ]
    );
}

#[test]
fn path_parameter_missing_from_the_path_is_named() {
    let error = failure(&document(
        "  /a/:\n    get:\n      operationId: a\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\n",
    ));
    assert_eq!(
        problems(&error),
        [
            "#/paths/~1a~1/get/parameters: path parameter `id` does not appear in path `/a/`; add `{id}` to the path or remove the parameter"
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let error = failure(&document(
        "  /a/{id}/:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Nope'\n",
    ));
    assert_eq!(problems(&error).len(), 3, "{error}");
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines.len(),
        6,
        "a problem line and its location each: {message}"
    );
    // Each problem is followed by where it sits in the YAML, rustc-style.
    assert!(
        lines[0].starts_with("bad.yaml#/paths/~1a~1{id}~1/get: operation has no `operationId`")
    );
    assert_eq!(lines[1], "  --> bad.yaml:7:5");
    assert!(lines[4].starts_with(
        "bad.yaml#/paths/~1a~1{id}~1/get/responses/200/content/application~1json/schema/$ref: "
    ));
    assert_eq!(lines[5], "  --> bad.yaml:14:17");
}

#[test]
fn problems_in_the_committed_spec_would_point_at_their_line() {
    let spec = committed_spec();
    let broken = spec
        .text()
        .replacen("      operationId: query_draft_sql\n", "", 1);
    let error = parse("spec/openapi.yaml", &broken)
        .and_then(|spec| validate(&spec))
        .unwrap_err();
    let expected_line = broken
        .lines()
        .position(|line| line == "  /api/environments/{project_id}/query/draft_sql/:")
        .unwrap()
        + 2;
    assert!(
        error
            .to_string()
            .ends_with(&format!("\n  --> spec/openapi.yaml:{expected_line}:5")),
        "{error}"
    );
}

#[test]
fn progenitor_panic_on_json_without_schema_names_the_operation() {
    let error = generation_failure(&document(
        "  /fine/:\n    get:\n      operationId: fine\n      responses:\n        '200':\n          description: ok\n  /broken/:\n    get:\n      operationId: broken\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {}\n",
    ));
    let Error::Generator {
        culprit, message, ..
    } = &error
    else {
        panic!("expected a generator error, got {error:?}");
    };
    assert_eq!(
        culprit.as_deref(),
        Some("#/paths/~1broken~1/get"),
        "{error}"
    );
    assert!(message.contains("no schema"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with("bad.yaml#/paths/~1broken~1/get: progenitor cannot generate code"),
        "{error}"
    );
    assert!(
        error.to_string().ends_with("\n  --> bad.yaml:13:5"),
        "{error}"
    );
}

#[test]
fn progenitor_panic_on_two_success_bodies_names_the_operation() {
    let error = generation_failure(&document(
        "  /two/:\n    get:\n      operationId: two\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n        '204':\n          description: empty\n",
    ));
    assert!(
        matches!(&error, Error::Generator { culprit: Some(c), .. } if c == "#/paths/~1two~1/get"),
        "{error:?}"
    );
}

#[test]
fn generator_failure_in_a_schema_names_the_schema() {
    let text = document("  {}\n").replace(
        "    Thing:\n",
        "    Clash:\n      type: string\n      enum: [a-b, a_b]\n    Thing:\n",
    );
    let error = generation_failure(&text);
    assert!(
        matches!(&error, Error::Generator { culprit: Some(c), .. } if c == "#/components/schemas/Clash"),
        "{error:?}"
    );
}

fn committed_spec() -> codegen::Spec {
    load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
        .expect("the committed spec loads")
}

#[test]
fn committed_spec_validates_and_generates_deterministically() {
    let spec = committed_spec();
    validate(&spec).expect("the committed spec is valid");
    let first = generate(&spec, &Settings::default()).unwrap();
    let second = generate(&spec, &Settings::default()).unwrap();
    assert_eq!(first, second);
    assert_eq!(
        first.client.lines().next(),
        Some(
            "// @generated by `cargo xtask gen` from spec/openapi.yaml. Do not edit: change the spec and regenerate."
        )
    );
}

#[test]
fn scopes_reach_the_method_docs() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    let list_docs = client
        .split("pub fn session_recording_playlists_list(")
        .next()
        .and_then(|before| before.rsplit("/**").next())
        .unwrap();
    assert!(
        list_docs.contains("Required API key scope: `session_recording_playlist:read`."),
        "{list_docs}"
    );
    assert!(client.contains("Required API key scope: `session_recording_playlist:write`."));
}

#[test]
fn open_enums_keep_unknown_values() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    for (open, known) in [
        ("PlaylistType", "KnownPlaylistType"),
        ("RoleAtOrganization", "KnownRoleAtOrganization"),
    ] {
        let expected = format!(
            "    #[serde(untagged)]\n    pub enum {open} {{\n        Known({known}),\n        Other(::std::string::String),\n    }}"
        );
        assert!(client.contains(&expected), "missing:\n{expected}");
    }
}

#[test]
fn settings_change_the_output() {
    let spec = committed_spec();
    let mut settings = Settings::default();
    settings.spec_label = "elsewhere.yaml".into();
    settings.timeout_secs = 7;
    let client = generate(&spec, &settings).unwrap().client;
    assert!(client.starts_with("// @generated by `cargo xtask gen` from elsewhere.yaml."));
    assert!(client.contains("from_secs(7u64)"));
}

#[test]
fn mocks_and_cli_come_from_the_same_spec() {
    let generated = generate(&committed_spec(), &Settings::default()).unwrap();
    for text in [&generated.httpmock, &generated.cli] {
        assert!(text.starts_with("// @generated by `cargo xtask gen` from spec/openapi.yaml."));
    }
    assert!(generated.httpmock.contains("pub trait MockServerExt"));
    assert!(
        generated
            .httpmock
            .contains("fn session_recording_playlists_list<F>")
    );
    // Mocks can answer with the documented errors, unlike the client view.
    assert!(
        generated
            .httpmock
            .contains("pub fn not_found(self, value: &types::ErrorResponse)")
    );
    assert!(generated.cli.contains("pub enum CliCommand"));
    assert!(
        generated
            .cli
            .contains("fn error(&self, value: &crate::Error);")
    );
    assert!(
        !generated.cli.contains("todo!()"),
        "every operation has a success shape"
    );
}

#[test]
fn json_schema_derives_only_with_the_cli_feature() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    assert!(client.contains("#[cfg_attr(feature = \"cli\", derive(schemars::JsonSchema))]"));
    assert!(
        !client.lines().any(|line| line.contains("derive(")
            && line.contains("JsonSchema")
            && !line.contains("cfg_attr")),
        "an ungated JsonSchema derive"
    );
}

#[test]
fn every_send_returns_the_crate_error() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    assert_eq!(client.matches("pub async fn send(").count(), 10);
    assert_eq!(client.matches("crate::error::typed(").count(), 10);
    let compact: String = client.split_whitespace().collect();
    assert!(compact.contains(
        "crate::error::typed(\"session_recording_playlists_list\",self.send_untyped().await"
    ));
}

#[test]
fn usage_sketches_are_not_doctests() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    assert!(!client.contains("```ignore"));
    assert_eq!(
        client.matches("```text").count(),
        10,
        "one sketch per operation"
    );
}
