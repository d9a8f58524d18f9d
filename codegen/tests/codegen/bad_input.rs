//! Bad input: each class of mistake in a spec, and the error that says
//! what it is and where (a line and column, or a JSON pointer).

use codegen::{Error, Settings, generate, load, parse, validate};
use expect_test::expect;

use crate::{committed_spec, document, failure, message, unindent};

/// How many problems an `Error::Invalid` reports.
fn problem_count(error: &Error) -> usize {
    let Error::Invalid { problems, .. } = error else {
        panic!("expected Error::Invalid, got {error:?}");
    };
    problems.len()
}

#[test]
fn missing_file_names_the_path() {
    let error = load("no/such/spec.yaml").unwrap_err();
    assert!(matches!(error, Error::Read { .. }), "{error:?}");
    // The middle is the operating system's own words for the failure.
    let message = error.to_string();
    assert!(
        message.starts_with("no/such/spec.yaml: cannot read the spec: "),
        "{message}"
    );
    assert!(message.ends_with("; check the path"), "{message}");
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: [unclosed
          version: '1'
        "#,
    ));
    // The parser notices on line 4, where the flow sequence should have ended.
    assert!(matches!(error, Error::Yaml { line: 4, .. }), "{error:?}");
    expect![[r#"
        bad.yaml:4:10: did not find expected ',' or ']' at line 4 column 10, while parsing a flow sequence at line 3 column 10
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn wrong_shape_names_line_and_column() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: '1'
        paths:
          - not a map
        "#,
    ));
    assert!(matches!(error, Error::Yaml { line: 6, .. }), "{error:?}");
    expect![[r#"
        bad.yaml:6:3: paths: invalid type: sequence, expected struct Paths at line 6 column 3
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_key_names_its_line_and_column() {
    // openapiv3 panicked on this one ("somehow this parsed successfully the
    // second time"); the typed parse must never see a duplicate key.
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: first
            operationId: second
            responses:
              '200':
                description: ok
        "#,
    ));
    assert!(matches!(error, Error::Yaml { .. }), "{error:?}");
    // Line 9, column 7: the second `operationId`.
    expect![[r#"
        bad.yaml:9:7: paths./a/.get: duplicate key `operationId`: this mapping already has one, and YAML allows each key once; remove or rename one at line 9 column 7
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_keys_are_found_at_every_depth_and_as_numbers() {
    let title_twice = unindent(
        r#"
        openapi: 3.0.3
        info:
          title: x
          title: t
          version: '1'
        paths: {}
        "#,
    );
    let property_twice = unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Thing:
              type: object
              properties:
                id:
                  type: integer
                id:
                  type: string
        "#,
    );
    // `200` is a number, `'200'` text: the same key to OpenAPI.
    let status_twice = document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              200:
                description: ok
              '200':
                description: ok
        "#,
    );
    let messages: Vec<String> = [title_twice, property_twice, status_twice]
        .iter()
        .map(|text| {
            let error = failure(text);
            assert!(matches!(error, Error::Yaml { .. }), "{error:?}");
            message(&error)
        })
        .collect();
    // Each names the second key: line 4, line 11, line 12.
    expect![[r#"
        bad.yaml:4:3: info: duplicate key `title`: this mapping already has one, and YAML allows each key once; remove or rename one at line 4 column 3
        bad.yaml:11:9: components.schemas.Thing.properties: duplicate key `id`: this mapping already has one, and YAML allows each key once; remove or rename one at line 11 column 9
        bad.yaml:12:9: paths./a/.get.responses: duplicate key `200`: this mapping already has one, and YAML allows each key once; remove or rename one at line 12 column 9
    "#]]
    .assert_eq(&messages.concat());
}

#[test]
fn a_value_of_the_wrong_type_names_its_place() {
    // YAML reads `1.0` as a number; OpenAPI wants the version as text.
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: 1.0
        paths: {}
        "#,
    ));
    expect![[r#"
        bad.yaml#/info: this is not the shape OpenAPI 3.0 gives this object: invalid type: floating point `1.0`, expected a string; see the OpenAPI 3.0.3 specification
          --> bad.yaml:2:1
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn empty_file_is_reported_as_empty() {
    let messages: Vec<String> = ["", "\n\n", "# only a comment\n"]
        .into_iter()
        .map(|text| {
            let error = failure(text);
            assert!(matches!(error, Error::Empty { .. }), "{text:?}: {error:?}");
            message(&error)
        })
        .collect();
    expect![[r#"
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
    "#]]
    .assert_eq(&messages.concat());
}

#[test]
fn openapi_3_1_is_not_supported() {
    let error = failure(&document("{}").replace("openapi: 3.0.3", "openapi: 3.1.0"));
    assert!(
        matches!(&error, Error::UnsupportedVersion { version, .. } if version == "3.1.0"),
        "{error:?}"
    );
    expect![[r#"
        bad.yaml#/openapi: OpenAPI version `3.1.0` is not supported; progenitor reads 3.0.x only, so write `openapi: 3.0.3`
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_document_without_paths_says_so() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        "#,
    ));
    expect![[r#"
        bad.yaml#/paths: the document has no `paths`, so it describes no operation; add `paths:` with the API's operations (`paths: {}` for none)
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_file_that_is_not_openapi_says_so() {
    let error = failure("title: hello\n");
    expect![[r#"
        bad.yaml#: no `openapi` field, so this is not an OpenAPI document; start it with `openapi: 3.0.3`
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn missing_operation_id_points_at_the_operation() {
    let error = failure(&document(
        r#"
        /things/:
          get:
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1things~1/get: operation has no `operationId`; add a unique snake_case one (it becomes the Rust method name)
          --> bad.yaml:7:5
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: things
            responses:
              '200':
                description: ok
        /b/:
          get:
            operationId: things
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1b~1/get/operationId: `operationId: things` is already used at #/paths/~1a~1/get; give each operation its own
          --> bad.yaml:14:7
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn operation_ids_that_become_one_rust_name_name_each_other() {
    let spec = spec_file!("clashing_operation_ids.yaml");
    let error = validate(&spec).unwrap_err();
    assert_eq!(problem_count(&error), 2, "{error}");
    expect![[r#"
        specs/clashing_operation_ids.yaml#/paths/~1b~1/get/operationId: `operationId: key_get` and `operationId: key.get` at #/paths/~1a~1/get both become the Rust method `Client::key_get`; rename one of them
          --> specs/clashing_operation_ids.yaml:16:7
        specs/clashing_operation_ids.yaml#/paths/~1c~1/get/operationId: `operationId: new` becomes the Rust method `Client::new`, which progenitor's client already has; rename the operation
          --> specs/clashing_operation_ids.yaml:22:7
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_retry_declaration_must_be_a_boolean() {
    let error = failure(&document(
        r#"
        /a/:
          post:
            operationId: a
            x-idempotent: sometimes
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1/post/x-idempotent: `x-idempotent: "sometimes"` is not a boolean; write `true` if repeating the operation is harmless (the client then retries it after server errors and timeouts), else `false`
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}

/// A `default` response and a property named `example` are spec, not the
/// data a schema's `default:` or `example:` holds: their `$ref`s are
/// checked. A `$ref` inside an example is data and is not.
#[test]
fn refs_under_names_that_are_also_data_keywords_are_checked() {
    let spec = spec_file!("refs_under_data_keywords.yaml");
    let error = validate(&spec).unwrap_err();
    assert_eq!(problem_count(&error), 2, "{error}");
    expect![[r#"
        specs/refs_under_data_keywords.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/example/$ref: `$ref: #/components/schemas/Gone` points at nothing; fix the name or add the target
          --> specs/refs_under_data_keywords.yaml:22:21
        specs/refs_under_data_keywords.yaml#/paths/~1a~1/get/responses/default/$ref: `$ref: #/components/responses/Missing` points at nothing; fix the name or add the target
          --> specs/refs_under_data_keywords.yaml:26:11
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_departure_must_give_a_reason() {
    let spec = spec_file!("departures_without_reasons.yaml");
    let error = validate(&spec).unwrap_err();
    assert_eq!(problem_count(&error), 4, "{error}");
    expect![[r#"
        specs/departures_without_reasons.yaml#/paths/~1a~1/x-upstream-departure/fetch: `fetch` here must be a lowercase HTTP method (`put`, `delete`, …) whose value says why the spec leaves out PostHog's operation, in words
          --> specs/departures_without_reasons.yaml:10:5
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/x-upstream-departure: `x-upstream-departure: ""` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:13:7
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/parameters/0/x-upstream-departure: `x-upstream-departure: 3` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:18:11
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/p/x-upstream-departure: `x-upstream-departure: ["x"]` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:28:21
    "#]]
    .assert_eq(&message(&error));
    // A reason anywhere, and a mapping of methods on a path item, is fine.
    let fine = document(
        r#"
        /a/:
          x-upstream-departure: {put: PATCH does it}
          get:
            operationId: a
            x-upstream-departure: because
            responses:
              '200':
                description: ok
        "#,
    );
    validate(&parse("fine.yaml", &fine).unwrap()).expect("reasons validate");
}

#[test]
fn dangling_ref_points_at_the_ref() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Missing'
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` points at nothing; fix the name or add the target
          --> bad.yaml:15:17
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn refs_inside_example_values_are_data() {
    let text = document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Thing'
                    example:
                      $ref: not a reference
        "#,
    );
    validate(&parse("ok.yaml", &text).unwrap()).unwrap();
}

#[test]
fn undeclared_path_parameter_is_named() {
    let error = failure(&document(
        r#"
        /a/{id}/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get: path `/a/{id}/` uses `{id}`, but the operation declares no path parameter `id`; add it to `parameters` with `in: path`
          --> bad.yaml:7:5
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn path_parameter_missing_from_the_path_is_named() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: a
            parameters:
              - name: id
                in: path
                required: true
                schema:
                  type: string
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1/get/parameters: path parameter `id` does not appear in path `/a/`; add `{id}` to the path or remove the parameter
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}

/// Each problem is followed by where it sits in the YAML, rustc-style.
#[test]
fn every_problem_is_reported_at_once() {
    let error = failure(&document(
        r#"
        /a/{id}/:
          get:
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Nope'
        "#,
    ));
    assert_eq!(problem_count(&error), 3, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get: operation has no `operationId`; add a unique snake_case one (it becomes the Rust method name)
          --> bad.yaml:7:5
        bad.yaml#/paths/~1a~1{id}~1/get: path `/a/{id}/` uses `{id}`, but the operation declares no path parameter `id`; add it to `parameters` with `in: path`
          --> bad.yaml:7:5
        bad.yaml#/paths/~1a~1{id}~1/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Nope` points at nothing; fix the name or add the target
          --> bad.yaml:14:17
    "#]]
    .assert_eq(&message(&error));
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

/// Leaving an operation out is for what progenitor cannot take, never for a
/// mistake `validate` reports: `generate` alone still reports it as one.
#[test]
fn leaving_out_never_hides_a_spec_error() {
    let text = document(
        r#"
        /a/{id}/:
          get:
            operationId: a
            parameters:
              - name: id
                in: path
                schema:
                  type: string
            responses:
              '200':
                description: ok
        "#,
    );
    let spec = parse("bad.yaml", &text).unwrap();
    let error = generate(&spec, &Settings::default()).unwrap_err();
    assert_eq!(problem_count(&error), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get/parameters: path parameter `id` is not `required: true`; OpenAPI requires it of every path parameter (a path without it does not match), so add it
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}
