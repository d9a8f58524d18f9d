//! The codegen library end to end: one test per class of bad input, each
//! asserting the error kind and that the message names the place; then the
//! committed spec, which must validate and generate deterministically; then
//! `codegen::reading` against what progenitor actually emits.

use std::path::Path;

use codegen::{Error, Settings, generate, load, parse, reading, validate};

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

/// Parses, validates and generates `text` as our spec is generated (warnings
/// denied), expecting generation to fail.
fn generation_failure(text: &str) -> Error {
    let spec = parse("bad.yaml", text).expect("parses");
    validate(&spec).expect("validates");
    let mut settings = Settings::default();
    settings.deny_warnings = true;
    generate(&spec, &settings).expect_err("generation should fail")
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
fn duplicate_key_names_its_line_and_column() {
    // openapiv3 panicked on this one ("somehow this parsed successfully the
    // second time"); the typed parse must never see a duplicate key.
    let text = document(
        "  /a/:\n    get:\n      operationId: first\n      operationId: second\n      responses:\n        '200':\n          description: ok\n",
    );
    let error = failure(&text);
    let Error::Yaml {
        line,
        column,
        message,
        ..
    } = &error
    else {
        panic!("expected a YAML error, got {error:?}");
    };
    assert_eq!((*line, *column), (9, 7), "{error}");
    assert!(message.contains("duplicate key `operationId`"), "{message}");
    assert!(error.to_string().starts_with("bad.yaml:9:7: "), "{error}");
}

#[test]
fn duplicate_keys_are_found_at_every_depth_and_as_numbers() {
    for (text, expected_line) in [
        (
            document("  {}\n").replace("info:\n", "info:\n  title: x\n"),
            4,
        ),
        (
            document("  {}\n").replace(
                "        id:\n          type: integer\n",
                "        id:\n          type: integer\n        id:\n          type: string\n",
            ),
            14,
        ),
        (
            document(
                "  /a/:\n    get:\n      operationId: a\n      responses:\n        200:\n          description: ok\n        '200':\n          description: ok\n",
            ),
            12,
        ),
    ] {
        let error = failure(&text);
        assert!(
            matches!(&error, Error::Yaml { line, message, .. } if *line == expected_line && message.contains("duplicate key")),
            "{text}\n{error:?}"
        );
    }
}

#[test]
fn a_value_of_the_wrong_type_names_its_place() {
    // YAML reads `1.0` as a number; OpenAPI wants the version as text.
    let error = failure(&document("  {}\n").replace("version: '1'", "version: 1.0"));
    let message = error.to_string();
    assert!(
        message
            .starts_with("bad.yaml#/info: this is not the shape OpenAPI 3.0 gives this object: "),
        "{message}"
    );
    assert!(message.ends_with("\n  --> bad.yaml:2:1"), "{message}");
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
fn a_document_without_paths_says_so() {
    let error = parse(
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("bad.yaml#/paths: the document has no `paths`"),
        "{error}"
    );
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

/// Settings that deny warnings, as `cargo xtask gen` uses for our spec.
fn strict() -> Settings {
    let mut settings = Settings::default();
    settings.deny_warnings = true;
    settings
}

/// progenitor makes a Rust name of any operationId; codegen names each it
/// changed, and our spec, whose warnings are errors, still gets snake_case.
#[test]
fn an_operation_id_that_is_not_snake_case_is_renamed_with_a_warning() {
    let text = document(
        "  /a/:
    get:
      operationId: meta/root
      responses:
        '200':
          description: ok
  /b/:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
  /c/:
    get:
      operationId: plain_name
      responses:
        '200':
          description: ok
",
    );
    let spec = parse("names.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "names.yaml#/paths/~1a~1/get/operationId: warning: `meta/root` is not a Rust name, so progenitor names the operation `Client::meta_root` (builder `MetaRoot`); use that name in Rust, or make the operationId snake_case\n  --> names.yaml:8:7",
            "names.yaml#/paths/~1b~1/get/operationId: warning: `listThings` is not a Rust name, so progenitor names the operation `Client::list_things` (builder `ListThings`); use that name in Rust, or make the operationId snake_case\n  --> names.yaml:14:7",
        ]
    );
    assert!(
        generated
            .warnings
            .iter()
            .all(|warning| warning.kind == codegen::WarningKind::Renamed)
    );
    let client = compact(&generated.client);
    for (id, method, builder) in [
        ("meta/root", "meta_root", "MetaRoot"),
        ("listThings", "list_things", "ListThings"),
    ] {
        assert_eq!(reading::method_name(id), method);
        assert_eq!(reading::builder_name(id), builder);
        assert!(
            client.contains(&format!("pubfn{method}(&self)->builder::{builder}<'_>")),
            "{id}"
        );
    }
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(
        error.to_string().starts_with(
            "names.yaml#/paths/~1a~1/get/operationId: warning: `meta/root` is not a Rust name"
        ),
        "{error}"
    );
}

#[test]
fn operation_ids_that_become_one_rust_name_name_each_other() {
    let error = failure(&document(
        "  /a/:
    get:
      operationId: key.get
      responses:
        '200':
          description: ok
  /b/:
    get:
      operationId: key_get
      responses:
        '200':
          description: ok
  /c/:
    get:
      operationId: new
      responses:
        '200':
          description: ok
",
    ));
    assert_eq!(
        problems(&error),
        [
            "#/paths/~1b~1/get/operationId: `operationId: key_get` and `operationId: key.get` at #/paths/~1a~1/get both become the Rust method `Client::key_get`; rename one of them",
            "#/paths/~1c~1/get/operationId: `operationId: new` becomes the Rust method `Client::new`, which progenitor's client already has; rename the operation",
        ]
    );
}

#[test]
fn a_retry_declaration_must_be_a_boolean() {
    let error = failure(&document(
        "  /a/:\n    post:\n      operationId: a\n      x-idempotent: sometimes\n      responses:\n        '200':\n          description: ok\n",
    ));
    let problems = problems(&error);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("#/paths/~1a~1/post/x-idempotent: `x-idempotent: \"sometimes\"` is not a boolean; write `true`"),
        "{problems:?}"
    );
    assert!(error.to_string().contains("--> bad.yaml:9:7"), "{error}");
}

/// A `default` response and a property named `example` are spec, not the
/// data a schema's `default:` or `example:` holds: their `$ref`s are
/// checked. A `$ref` inside an example is data and is not.
#[test]
fn refs_under_names_that_are_also_data_keywords_are_checked() {
    let error = failure(&document(
        "  /a/:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  example:\n                    $ref: '#/components/schemas/Gone'\n              example:\n                $ref: not-checked\n        default:\n          $ref: '#/components/responses/Missing'\n",
    ));
    let problems = problems(&error);
    assert_eq!(
        problems,
        [
            "#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/example/$ref: `$ref: #/components/schemas/Gone` points at nothing; fix the name or add the target",
            "#/paths/~1a~1/get/responses/default/$ref: `$ref: #/components/responses/Missing` points at nothing; fix the name or add the target",
        ]
    );
}

#[test]
fn a_departure_must_give_a_reason() {
    let error = failure(&document(
        "  /a/:\n    x-upstream-departure: {put: left out, fetch: no}\n    get:\n      operationId: a\n      x-upstream-departure: ''\n      parameters:\n        - name: q\n          in: query\n          schema: {type: string}\n          x-upstream-departure: 3\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  p:\n                    x-upstream-departure: [x]\n",
    ));
    let problems = problems(&error);
    let pointers: Vec<&str> = problems
        .iter()
        .map(|p| p.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1a~1/x-upstream-departure/fetch",
            "#/paths/~1a~1/get/x-upstream-departure",
            "#/paths/~1a~1/get/parameters/0/x-upstream-departure",
            "#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/p/x-upstream-departure",
        ],
        "{problems:?}"
    );
    assert!(problems[1].contains("gives no reason"), "{problems:?}");
    // A reason anywhere, and a mapping of methods on a path item, is fine.
    let fine = document(
        "  /a/:\n    x-upstream-departure: {put: PATCH does it}\n    get:\n      operationId: a\n      x-upstream-departure: because\n      responses:\n        '200':\n          description: ok\n",
    );
    validate(&parse("fine.yaml", &fine).unwrap()).expect("reasons validate");
}

/// The departures speak to `upstream-diff` only: the committed spec
/// without any, with its own, and with one on every object that has a
/// description (operations, parameters, properties, schemas, responses)
/// generates byte for byte the same.
#[test]
fn departures_never_change_the_generated_code() {
    let committed = committed_spec();
    // The committed spec's declarations, and their continuation lines, gone.
    let mut bare = String::new();
    let mut inside: Option<usize> = None;
    for line in committed.text().lines() {
        let indent = line.len() - line.trim_start().len();
        if inside.is_some_and(|at| indent > at || line.trim().is_empty()) {
            continue;
        }
        inside = None;
        if line.trim_start().starts_with("x-upstream-departure:") {
            inside = Some(indent);
            continue;
        }
        bare.push_str(line);
        bare.push('\n');
    }
    assert!(
        bare.len() < committed.text().len(),
        "the spec declares departures"
    );
    assert!(
        !bare
            .lines()
            .any(|line| line.trim_start().starts_with("x-upstream-departure:"))
    );
    let mut declared = 0;
    let annotated: String = bare
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if trimmed.starts_with("description: ") && !indent.is_empty() {
                declared += 1;
                format!("{indent}x-upstream-departure: because {declared}\n{line}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert!(declared > 100, "{declared}");
    let without = generate(
        &parse("spec/openapi.yaml", &bare).expect("the bare spec parses"),
        &Settings::default(),
    )
    .unwrap();
    let annotated = parse("spec/openapi.yaml", &annotated).expect("the annotated spec parses");
    validate(&annotated).expect("the annotated spec validates");
    for spec in [&committed, &annotated] {
        let with = generate(spec, &Settings::default()).unwrap();
        assert!(with.client == without.client, "the client differs");
        assert!(with.httpmock == without.httpmock, "the mocks differ");
        assert!(with.cli == without.cli, "the CLI differs");
    }
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
        .position(|line| line == "  /api/projects/{project_id}/query/draft_sql/:")
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
fn successes_with_different_bodies_are_returned_raw_with_a_warning() {
    let text = document(
        "  /two/:\n    get:\n      operationId: two\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n        '204':\n          description: empty\n",
    );
    let spec = parse("two.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let [warning] = generated.warnings.as_slice() else {
        panic!("{:?}", generated.warnings);
    };
    assert_eq!(warning.pointer, "#/paths/~1two~1/get/responses");
    assert!(
        warning
            .message
            .starts_with("its successes have different bodies (200: JSON `Thing`, 204: none)"),
        "{warning}"
    );
    assert!(
        compact(&generated.client).contains(
            "pubasyncfnsend(self)->Result<crate::ResponseValue<ByteStream>,crate::Error>"
        ),
        "{}",
        generated.client
    );
    // Our spec's warnings are errors: the place is named all the same.
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("two.yaml#/paths/~1two~1/get/responses: warning: its successes"),
        "{error}"
    );
}

/// What progenitor cannot take even after `prepare` is left out, with a
/// warning that names it and says why; the rest is generated.
#[test]
fn an_operation_progenitor_cannot_take_is_left_out_with_a_warning() {
    let text = document(
        "  /fine/:\n    get:\n      operationId: fine\n      responses:\n        '200':\n          description: ok\n  /broken/:\n    get:\n      operationId: broken\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {}\n",
    );
    let spec = parse("some.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "some.yaml#/paths/~1broken~1/get: warning: left out of the client, the mocks and the CLI: progenitor cannot generate this operation (a JSON media type has no `schema`; add one (`{}` accepts any JSON) (progenitor: not yet implemented: media type encoding, no schema: MediaType))\n  --> some.yaml:13:5"
        ]
    );
    assert_eq!(generated.warnings[0].kind, codegen::WarningKind::LeftOut);
    for (output, fine) in [
        (&generated.client, "pub fn fine(&self)"),
        (&generated.httpmock, "fn fine<F>(&self"),
        (&generated.cli, "CliCommand::Fine =>"),
    ] {
        assert!(output.contains(fine), "{output}");
        assert!(!output.to_lowercase().contains("broken"), "{output}");
    }
}

/// Leaving an operation out is for what progenitor cannot take, never for a
/// mistake `validate` reports: `generate` alone still reports it as one.
#[test]
fn leaving_out_never_hides_a_spec_error() {
    let text = document(
        "  /a/{id}/:\n    get:\n      operationId: a\n      parameters:\n        - name: id\n          in: path\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\n",
    );
    let spec = parse("bad.yaml", &text).unwrap();
    let error = generate(&spec, &Settings::default()).unwrap_err();
    assert_eq!(
        problems(&error),
        [
            "#/paths/~1a~1{id}~1/get/parameters: path parameter `id` is not `required: true`; OpenAPI requires it of every path parameter (a path without it does not match), so add it"
        ]
    );
}

/// The culprit is the operation that fails, not one before it whose piece
/// of the document has a shape of its own (here, types that are all
/// newtypes, so no builders).
#[test]
fn the_culprit_is_the_operation_that_fails_not_the_first() {
    let text = document(
        "  /first/{name}:\n    get:\n      operationId: first\n      parameters:\n        - name: name\n          in: path\n          required: true\n          schema:\n            $ref: '#/components/schemas/Name'\n      responses:\n        '204':\n          description: done\n  /second/:\n    get:\n      operationId: second\n      x-dropshot-websocket: {}\n      responses:\n        '200':\n          description: not an upgrade\n",
    )
    .replace("    Thing:\n", "    Name:\n      type: string\n      pattern: '^[a-z]+$'\n    Thing:\n");
    let error = generation_failure(&text);
    let Error::Generator {
        culprit, message, ..
    } = &error
    else {
        panic!("expected a generator error, got {error:?}");
    };
    assert_eq!(
        culprit.as_deref(),
        Some("#/paths/~1second~1/get"),
        "{error}"
    );
    assert!(
        message.contains("websocket endpoint \"second\" must include an explicit 101"),
        "{message}"
    );
}

/// `json_body_schema` answers `None` for the commands without a body, with
/// a catch-all arm that rustc calls unreachable when every command has one.
#[test]
fn a_cli_whose_every_command_takes_a_body_has_no_unreachable_arm() {
    let with_body = "  /a/:\n    post:\n      operationId: make\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/Thing'\n      responses:\n        '204':\n          description: done\n";
    let without_body = "  /b/:\n    get:\n      operationId: look\n      responses:\n        '204':\n          description: done\n";
    for (paths, catch_all) in [
        (with_body.to_owned(), false),
        (format!("{with_body}{without_body}"), true),
    ] {
        let spec = parse("cli.yaml", &document(&paths)).unwrap();
        let cli = compact(&generate(&spec, &strict()).unwrap().cli);
        let schema_fn = cli
            .split("pubfnjson_body_schema")
            .nth(1)
            .expect("the CLI has json_body_schema");
        assert_eq!(schema_fn.contains("_=>None"), catch_all, "{schema_fn}");
    }
}

/// A command's JSON body is `--json-body` with the flags set over it, each
/// under the body's own name for its field (`_in_folder`, not the flag's
/// `in-folder`); a field progenitor gives no flag (an object) gets one that
/// takes JSON; a required field's flag is required unless `--json-body` is
/// given, in a group the usage line shows; and `--help` leaves out the
/// paragraphs that cite code.
#[test]
fn cli_bodies_are_the_file_with_the_flags_over_it() {
    let paths = "  /things/{id}/:\n    post:\n      operationId: make\n      summary: Make a thing\n      description: |-\n        Makes a thing.\n\n        The view is `make` (server/things.py).\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [kind, shape]\n              properties:\n                kind: {type: string, description: Its kind.}\n                _in_folder: {type: string, description: Where it goes.}\n                shape: {type: object, description: Its shape., properties: {sides: {type: integer}}}\n      responses:\n        '204':\n          description: done\n";
    let spec = parse("cli.yaml", &document(paths)).unwrap();
    let cli = generate(&spec, &strict()).unwrap().cli;
    let flat = compact(&cli);
    for expected in [
        // Flags set the body's fields by their JSON names.
        r#"matches.get_one::<::std::string::String>("in-folder"){fields.insert("_in_folder".to_owned(),::serde_json::to_value(value)?);}"#,
        r#"matches.get_one::<::std::string::String>("kind"){fields.insert("kind".to_owned()"#,
        // The object gets a flag that takes JSON or a file.
        r#"::clap::Arg::new("shape").long("shape").value_name("JSON|FILE").value_parser(parse_json_argument)"#,
        r#"matches.get_one::<::serde_json::Value>("shape"){fields.insert("shape".to_owned()"#,
        // Required unless the file is given, as groups the usage line shows.
        r#"::clap::ArgGroup::new("kind-or-json-body").args(["kind","json-body"]).required(true).multiple(true)"#,
        r#"::clap::ArgGroup::new("shape-or-json-body").args(["shape","json-body"]).required(true).multiple(true)"#,
        // The body is read from JSON, checked, then typed.
        "ifletSome(mutbody)=Self::json_body(CliCommand::Make,matches)?{self.config.check_json_body(CliCommand::Make,matches,&mutbody)?;request=request.body(json_body_as::<types::MakeBody>(body,matches)?);}",
        // `--help` is the summary and the paragraph that cites no code.
        r#".about("Make a thing").long_about("Make a thing\n\nMakes a thing.\n\nNot safe to repeat"#,
    ] {
        assert!(
            flat.contains(&compact(expected)),
            "{expected}\nnot in:\n{cli}"
        );
    }
    for absent in [
        "required_unless_present",
        "body_map",
        "server/things.py",
        "\"XXX\"",
    ] {
        assert!(!flat.contains(absent), "{absent} in:\n{cli}");
    }
    // `--json-body` is required only when a required field has no flag.
    let json_body = flat
        .split(r#"::clap::Arg::new("json-body")"#)
        .nth(1)
        .unwrap();
    assert!(json_body.contains(".required(false)"), "{json_body}");
}

/// typify gives builders to structs with fields, none to newtypes: a
/// spec whose only types are newtypes has no builder module, and that is
/// no sign of progenitor's output changing shape.
#[test]
fn a_spec_whose_types_are_all_newtypes_generates() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{name}:\n    get:\n      operationId: a\n      parameters:\n        - {name: name, in: path, required: true, schema: {$ref: '#/components/schemas/Name'}}\n      responses:\n        '204': {description: done}\ncomponents:\n  schemas:\n    Name: {type: string, pattern: '^[a-z]+$'}\n";
    let spec = parse("names.yaml", text).unwrap();
    let generated = generate(&spec, &strict()).unwrap();
    assert!(
        generated
            .client
            .contains("pub struct Name(::std::string::String);"),
        "{}",
        generated.client
    );
}

/// progenitor reads every operation before it writes any, so the whole
/// document can fail on the second operation while the first, alone, fails
/// later for a reason of its own. Each is blamed for its own failure.
#[test]
fn each_operation_is_blamed_for_its_own_failure() {
    let text = document(
        "  /first/:\n    get:\n      operationId: first\n      responses:\n        '101':\n          description: upgraded\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n  /second/:\n    get:\n      operationId: second\n      parameters:\n        - name: session\n          in: cookie\n          schema:\n            type: string\n      responses:\n        '204':\n          description: done\n",
    );
    let spec = parse("two.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let error = generation_failure(&text);
    assert!(
        matches!(&error, Error::Generator { culprit: Some(culprit), message, .. }
            if culprit == "#/paths/~1second~1/get" && message.contains("cookie parameters are not supported")),
        "{error}"
    );
    let generated = generate(&spec, &Settings::default()).unwrap();
    let reasons: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .filter(|warning| warning.kind == codegen::WarningKind::LeftOut)
        .map(|warning| (warning.pointer.as_str(), warning.message.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, "#/paths/~1second~1/get");
    assert!(reasons[0].1.contains("cookie parameters"), "{reasons:?}");
    assert_eq!(reasons[1].0, "#/paths/~1first~1/get");
    assert!(
        reasons[1].1.contains("response_types.len() <= 1"),
        "{reasons:?}"
    );
}

/// dropshot's websocket endpoints: the `101` (or the `default` progenitor
/// takes for it) reaches progenitor, and the method returns the upgraded
/// connection.
#[test]
fn a_dropshot_websocket_endpoint_is_generated() {
    let text = document(
        "  /stream/:\n    get:\n      operationId: stream\n      x-dropshot-websocket: {}\n      responses:\n        '101':\n          description: upgrading\n        4XX:\n          description: failed\n  /old-stream/:\n    get:\n      operationId: old_stream\n      x-dropshot-websocket: {}\n      responses:\n        default:\n          description: ''\n          content:\n            '*/*':\n              schema: {}\n",
    );
    let spec = parse("ws.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let generated = generate(&spec, &strict()).unwrap();
    assert!(generated.uses_websockets);
    let client = compact(&generated.client);
    for builder in ["Stream", "OldStream"] {
        assert!(
            client.contains(&format!("{builder}<'a>{{pub(crate)fnnew")),
            "{builder}"
        );
    }
    assert_eq!(
        client
            .matches(
                "pubasyncfnsend(self)->Result<crate::ResponseValue<reqwest::Upgraded>,crate::Error>"
            )
            .count(),
        2,
        "{}",
        generated.client
    );
    assert!(
        client.contains("101u16=>ResponseValue::upgrade(response).await"),
        "{}",
        generated.client
    );
}

#[test]
fn a_schema_progenitor_cannot_take_is_loosened_with_a_warning() {
    // typify panics (`todo!`) on a `not` of an object.
    let text = document("  {}\n").replace(
        "    Thing:\n",
        "    Odd:\n      not:\n        type: object\n        properties:\n          a:\n            type: string\n    Thing:\n",
    ).replace(
        "        id:\n          type: integer\n",
        "        id:\n          type: integer\n        odd:\n          $ref: '#/components/schemas/Odd'\n",
    );
    let spec = parse("odd.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let [warning] = generated.warnings.as_slice() else {
        panic!("{:?}", generated.warnings);
    };
    assert_eq!(warning.pointer, "#/components/schemas/Odd");
    assert_eq!(warning.location, Some((9, 5)));
    assert!(
        warning.message.contains("unhandled not schema"),
        "{warning}"
    );
    assert!(
        warning
            .message
            .contains("loosened it to `serde_json::Value`"),
        "{warning}"
    );
    assert!(
        generated
            .client
            .contains("pub struct Odd(pub ::serde_json::Value);"),
        "{}",
        generated.client
    );

    let mut strict = Settings::default();
    strict.deny_warnings = true;
    let error = generate(&spec, &strict).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("odd.yaml#/components/schemas/Odd: warning: "),
        "{error}"
    );
}

#[test]
fn enum_values_with_one_rust_name_get_names_of_codegens_choosing() {
    let text = document("  {}\n").replace(
        "    Thing:\n",
        "    Tz:\n      type: string\n      enum: [Etc/GMT+1, Etc/GMT-1, UTC, a-b, a_b]\n    Thing:\n",
    );
    let spec = parse("ok.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let compact: String = generated.client.split_whitespace().collect();
    for (value, name) in [
        ("Etc/GMT+1", "EtcGmtPlus1"),
        ("Etc/GMT-1", "EtcGmtMinus1"),
        ("UTC", "Utc"),
        ("a-b", "AMinusB"),
        ("a_b", "AB"),
    ] {
        assert!(
            compact.contains(&format!("#[serde(rename=\"{value}\")]{name},")),
            "{value} → {name}"
        );
        assert!(compact.contains(&format!("Self::{name}=>f.write_str(\"{value}\")")));
        assert!(compact.contains(&format!("\"{value}\"=>Ok(Self::{name})")));
    }
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
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
            "    #[serde(untagged)]\n    pub enum {open} {{\n        /// A value this client knows.\n        Known({known}),\n        /// A value this client does not know yet, as PostHog sent it.\n        Other(::std::string::String),\n    }}"
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
    let spec = committed_spec();
    let operations = reading::count_operations(spec.tree());
    let client = generate(&spec, &Settings::default()).unwrap().client;
    assert_eq!(client.matches("pub async fn send(").count(), operations);
    assert_eq!(client.matches("crate::call::send(").count(), operations);
    assert!(compact(&client).contains(
        "crate::call::send(&super::operations::SESSION_RECORDING_PLAYLISTS_LIST,self.client,self,Self::send_untyped).await"
    ));
}

#[test]
fn every_operation_is_described_with_its_retry_safety() {
    let spec = committed_spec();
    let client = compact(&generate(&spec, &Settings::default()).unwrap().client);
    for operation in reading::operations(spec.tree()) {
        let id = operation.id().unwrap();
        let described = format!(
            "pubconst{}:crate::Operation=crate::Operation::new(\"{id}\",\"{}\",\"{}\",{});",
            reading::operation_const_name(id),
            operation.method.to_uppercase(),
            operation.path,
            operation.is_idempotent()
        );
        assert!(client.contains(&described), "{described}");
    }
    // The create is the one operation here not safe to repeat.
    assert!(client.contains(
        "crate::Operation::new(\"session_recording_playlists_create\",\"POST\",\"/api/projects/{project_id}/session_recording_playlists/\",false)"
    ));
}

#[test]
fn an_undeclared_operation_is_as_safe_as_its_method() {
    use serde_json::json;
    for (method, declared, idempotent) in [
        ("get", None, true),
        ("put", None, true),
        ("delete", None, true),
        ("post", None, false),
        ("patch", None, false),
        ("post", Some(json!(true)), true),
        ("get", Some(json!(false)), false),
    ] {
        assert_eq!(
            reading::is_idempotent(method, declared.as_ref()),
            idempotent,
            "{method} {declared:?}"
        );
    }
}

#[test]
fn usage_sketches_are_not_doctests() {
    let spec = committed_spec();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    assert!(!client.contains("```ignore"));
    assert_eq!(
        client.matches("```text").count(),
        reading::count_operations(spec.tree()),
        "one sketch per operation"
    );
}

// `codegen::reading`, checked against progenitor's output: each reading is what
// the generated client does, not only what the module says.

/// `text` without white space and trailing commas, so a check does not
/// depend on where prettyplease breaks lines.
fn compact(text: &str) -> String {
    let joined: String = text.split_whitespace().collect();
    joined.replace(",)", ")").replace(",}", "}")
}

#[test]
fn every_operation_gets_the_method_and_builder_the_rules_name() {
    let spec = committed_spec();
    let client = compact(&generate(&spec, &Settings::default()).unwrap().client);
    let operations: Vec<_> = reading::operations(spec.tree()).collect();
    assert!(!operations.is_empty());
    for operation in operations {
        let id = operation.id().expect("validated specs have ids");
        let (method, builder) = (reading::method_name(id), reading::builder_name(id));
        let signature = format!("pubfn{method}(&self)->builder::{builder}<'_>");
        assert!(client.contains(&signature), "no `{signature}` for {id}");
        assert!(
            client.contains(&format!("pubstruct{builder}<'a>{{")),
            "no builder `{builder}` for {id}"
        );
    }
}

#[test]
fn every_component_schema_gets_the_type_the_rules_name() {
    let spec = committed_spec();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    let names: Vec<_> = reading::component_schemas(spec.tree()).collect();
    assert!(!names.is_empty());
    for (name, _) in names {
        let rust = reading::type_name(name);
        assert!(
            [format!("pub struct {rust} "), format!("pub enum {rust} ")]
                .iter()
                .any(|item| client.contains(item)),
            "no type `{rust}` for the schema `{name}`"
        );
    }
}

#[test]
fn an_operation_under_every_method_is_generated_and_counted() {
    let path_item: String = reading::METHODS
        .iter()
        .map(|method| {
            format!("    {method}:\n      operationId: do_{method}\n      responses:\n        '204':\n          description: done\n")
        })
        .collect();
    let spec = parse("all.yaml", &document(&format!("  /things/:\n{path_item}"))).unwrap();
    validate(&spec).unwrap();
    assert_eq!(
        reading::count_operations(spec.tree()),
        reading::METHODS.len()
    );
    // `generate` fails when the operations it counts and the `send()`s
    // progenitor emits differ.
    let client = compact(&generate(&spec, &Settings::default()).unwrap().client);
    for method in reading::METHODS {
        assert!(
            client.contains(&format!(
                "pubfn{}(",
                reading::method_name(&format!("do_{method}"))
            )),
            "no method for `{method}`"
        );
    }
}

#[test]
fn the_client_sees_every_success_response_and_no_error_response() {
    let problem = "    Problem:\n      type: object\n      properties:\n        detail:\n          type: string\n";
    let text = document(
        "  /created/:\n    post:\n      operationId: create\n      responses:\n        '201':\n          description: made\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n        '400':\n          description: bad\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Problem'\n  /listed/:\n    get:\n      operationId: list\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n        default:\n          description: failed\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Problem'\n",
    ) + problem;
    let spec = parse("statuses.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let client = compact(&generated.client);
    let untyped = "asyncfnsend_untyped(self)->Result<ResponseValue<types::Thing>,Error<()>>";
    assert_eq!(client.matches(untyped).count(), 2, "{}", generated.client);
    // The mocks still answer with the error bodies.
    assert!(
        compact(&generated.httpmock).contains("value:&types::Problem"),
        "{}",
        generated.httpmock
    );
}

#[test]
fn an_open_enum_is_known_or_other_whichever_branch_comes_first() {
    let text = document("  {}\n").replace(
        "    Thing:\n",
        "    Letter:\n      type: string\n      enum: [a, b]\n    TextFirst:\n      anyOf:\n        - type: string\n        - $ref: '#/components/schemas/Letter'\n    Thing:\n",
    );
    let spec = parse("open.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let open = reading::component_schema(spec.tree(), "TextFirst").unwrap();
    assert_eq!(
        reading::open_enum(spec.tree(), open).map(|open| open.name),
        Some("Letter")
    );
    let client = compact(&generate(&spec, &Settings::default()).unwrap().client);
    assert!(
        client.contains(
            "pubenumTextFirst{///Avaluethisclientknows.Known(Letter),\
             ///Avaluethisclientdoesnotknowyet,asPostHogsentit.Other(::std::string::String)}"
        ),
        "{client}"
    );
}

#[test]
fn codegen_blames_itself_for_its_own_bugs() {
    let error = Error::Internal {
        path: "spec/openapi.yaml".into(),
        message: "typed errors were added to 9 of 10 operations".into(),
    };
    let message = error.to_string();
    assert!(
        message.starts_with(
            "spec/openapi.yaml: internal error in codegen, not a problem in the spec: typed errors"
        ),
        "{message}"
    );
    assert!(!message.contains("progenitor cannot"), "{message}");
}

#[test]
fn warnings_are_reported_or_denied() {
    let text = document("  {}\n").replace(
        "          type: integer\n",
        "          type: integer\n          default: many\n",
    );
    let spec = parse("warn.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warn.yaml#/components/schemas/Thing/properties/id: warning: its `default: \"many\"` does not fit the schema, so codegen ignores it; fix or remove the default\n  --> warn.yaml:12:9"
        ]
    );

    let mut strict = Settings::default();
    strict.deny_warnings = true;
    let error = generate(&spec, &strict).unwrap_err();
    assert!(matches!(&error, Error::Warnings { warnings, .. } if warnings.len() == 1));
    let message = error.to_string();
    assert!(message.starts_with(&warnings[0]), "{message}");
    assert!(
        message.ends_with(
            "\nwarn.yaml: codegen warnings are errors for this spec; change the places they name"
        ),
        "{message}"
    );
}

#[test]
fn the_committed_spec_generates_without_warnings() {
    let generated = generate(&committed_spec(), &Settings::default()).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

/// `reading::field_is_option` says what the generator does: for every shape
/// of property, required or not, the generated field is `Option<_>`
/// exactly when `field_is_option` says so.
#[test]
fn a_fields_rust_type_is_what_field_is_option_says() {
    let shapes = [
        ("boolean", "{type: boolean}"),
        ("nullable", "{type: boolean, nullable: true}"),
        ("defaulted", "{type: boolean, default: true}"),
        (
            "nullable_defaulted",
            "{type: boolean, nullable: true, default: true}",
        ),
        ("string_defaulted", "{type: string, default: x}"),
        ("unfit_default", "{type: integer, default: nope}"),
        (
            "implied_default",
            "{type: string, enum: [only], default: only}",
        ),
        ("array", "{type: array, items: {type: string}}"),
        (
            "array_defaulted",
            "{type: array, items: {type: string}, default: []}",
        ),
        (
            "map",
            "{type: object, additionalProperties: {type: string}}",
        ),
        ("free_object", "{type: object}"),
        (
            "inline_struct",
            "{type: object, properties: {a: {type: string}}}",
        ),
        ("reference", "{$ref: '#/components/schemas/Kind'}"),
        ("array_reference", "{$ref: '#/components/schemas/Names'}"),
        (
            "nullable_wrapper",
            "{nullable: true, allOf: [{$ref: '#/components/schemas/Kind'}]}",
        ),
        ("wrapper", "{allOf: [{$ref: '#/components/schemas/Kind'}]}"),
    ];
    let mut properties = String::new();
    let mut required = Vec::new();
    for (name, schema) in shapes {
        properties.push_str(&format!(
            "        opt_{name}: {schema}\n        req_{name}: {schema}\n"
        ));
        required.push(format!("req_{name}"));
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Shapes'}}\ncomponents:\n  schemas:\n    Kind: {{type: string, enum: [a, b]}}\n    Names: {{type: array, items: {{type: string}}}}\n    Shapes:\n      type: object\n      required: [{}]\n      properties:\n{properties}",
        required.join(", ")
    );
    let spec = parse("shapes.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    let start = client
        .find("pub struct Shapes {")
        .expect("the struct is generated");
    let body = &client[start..start + client[start..].find("\n    }\n").unwrap()];
    let tree = spec.tree();
    let schema = &tree["components"]["schemas"]["Shapes"];
    let mut checked = 0;
    for (name, property) in schema["properties"].as_object().unwrap() {
        let declaration = format!("pub {name}: ");
        let at = body
            .find(&declaration)
            .unwrap_or_else(|| panic!("no field {name} in:\n{body}"));
        let field_type = &body[at + declaration.len()..];
        let generated_option = field_type.starts_with("::std::option::Option<");
        let is_required = required.contains(name);
        assert_eq!(
            reading::field_is_option(tree, is_required, property),
            generated_option,
            "{name}: `field_is_option` and the generated field `{}` disagree",
            field_type.lines().next().unwrap_or_default()
        );
        checked += 1;
    }
    assert_eq!(checked, 2 * shapes.len());
}
