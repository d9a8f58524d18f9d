//! The engine's rules, one small pair of documents each: how operations
//! are matched, what is compared, and which differences are known, drift
//! or stale. Then mutants of our spec, which must never make it panic.

use serde_json::{Value, json};
use upstream_diff::{Report, Verdict, compare_trees, render};

#[path = "../../codegen/tests/mutator/mod.rs"]
mod mutator;

/// A document with these `paths` and component `schemas`.
fn document(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// An operation answering 200 with `schema`.
fn answering(schema: Value) -> Value {
    json!({
        "operationId": "x",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    })
}

/// Every finding as `place: what [known|drift]`.
fn findings(report: &Report) -> Vec<String> {
    report
        .operations
        .iter()
        .flat_map(|op| &op.findings)
        .map(|finding| {
            let verdict = match &finding.verdict {
                Verdict::Drift => "drift".to_owned(),
                Verdict::Known(reason) => format!("known: {reason}"),
            };
            format!("{}: {} [{verdict}]", finding.place, finding.what)
        })
        .collect()
}

const ENV: &str = "/api/environments/{project_id}/things/";
const PROJECTS: &str = "/api/projects/{project_id}/things/";
const ENV_SPELLED: &str = "/api/environments/{environment_id}/things/";

#[test]
fn the_exact_path_wins_and_every_twin_is_named() {
    let ours = document(json!({ ENV: {"get": answering(json!({}))} }), json!({}));
    let op = json!({"get": answering(json!({}))});
    let theirs = document(
        json!({ PROJECTS: op.clone(), ENV: op.clone(), ENV_SPELLED: op }),
        json!({}),
    );
    let report = compare_trees(&ours, &theirs);
    let matched = report.operations[0].matched.as_ref().unwrap();
    assert_eq!((matched.path.as_str(), matched.exact), (ENV, true));
    let twins: Vec<&str> = report.operations[0]
        .twins
        .iter()
        .map(|twin| twin.path.as_str())
        .collect();
    assert_eq!(twins, [ENV_SPELLED, PROJECTS]);
    assert_eq!(report.drift(), 0);
}

#[test]
fn without_the_exact_path_a_twin_matches_and_nothing_is_drift_only_when_none_does() {
    let parameter = |name: &str| json!([{"name": name, "in": "path", "required": true, "schema": {"type": "string"}}]);
    let mut ours_op = answering(json!({}));
    ours_op["parameters"] = parameter("project_id");
    let ours = document(json!({ ENV: {"get": ours_op} }), json!({}));
    let mut spelled = answering(json!({}));
    spelled["parameters"] = parameter("environment_id");
    let theirs = document(json!({ ENV_SPELLED: {"get": spelled} }), json!({}));
    let report = compare_trees(&ours, &theirs);
    let matched = report.operations[0].matched.as_ref().unwrap();
    assert_eq!((matched.path.as_str(), matched.exact), (ENV_SPELLED, false));
    assert_eq!(
        findings(&report),
        Vec::<String>::new(),
        "project_id and environment_id are one parameter"
    );

    let elsewhere = document(
        json!({"/api/other/": {"get": answering(json!({}))}}),
        json!({}),
    );
    let report = compare_trees(&ours, &elsewhere);
    assert!(report.operations[0].matched.is_none());
    assert_eq!(report.operations[0].looked_at.len(), 4);
    assert_eq!(report.drift(), 1, "an operation PostHog lacks is drift");
    assert!(render(&report, "ours", "theirs").contains("PostHog's schema has no `GET` here"));
}

#[test]
fn parameters_differ_by_presence_requirement_and_type() {
    let ours_op = json!({
        "operationId": "x",
        "parameters": [
            {"name": "a", "in": "query", "required": true, "schema": {"type": "string"}},
            {"name": "b", "in": "query", "schema": {"type": "integer", "format": "int64"}},
            {"name": "c", "in": "query", "schema": {"type": "string"}, "x-upstream-departure": "because c"},
            {"name": "d", "in": "query", "schema": {"type": "integer"}}
        ],
        "responses": {"200": {"description": "ok"}}
    });
    let their_op = json!({
        "parameters": [
            {"name": "a", "in": "query", "schema": {"type": "string"}},
            {"name": "b", "in": "query", "schema": {"type": "integer"}},
            {"name": "d", "in": "query", "schema": {"type": "string"}},
            {"name": "e", "in": "header", "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok"}}
    });
    let report = compare_trees(
        &document(json!({ ENV: {"get": ours_op} }), json!({})),
        &document(json!({ ENV: {"get": their_op} }), json!({})),
    );
    assert_eq!(
        findings(&report),
        [
            "parameter `a` (query): ours is required, PostHog's optional [drift]",
            "parameter `c` (query): only in ours (optional, `string`) [known: because c]",
            "parameter `d` (query): type: ours `integer`, PostHog's `string` [drift]",
            "parameter `e` (header): only in PostHog's (optional, `string`) [drift]",
        ],
        "an integer's format is no difference"
    );
    assert_eq!((report.drift(), report.known()), (3, 1));
}

#[test]
fn request_properties_ignore_what_posthog_never_reads() {
    let body = |schema: &str| {
        json!({"operationId": "x", "requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}},
               "responses": {"200": {"description": "ok"}}})
    };
    let ours = document(
        json!({ ENV: {"post": body("Create")} }),
        json!({"Create": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string"},
            "name": {"type": "string", "nullable": true},
            "folder": {"type": "string"},
            "query": {"type": "object", "properties": {"kind": {"type": "string"}}}
        }}}),
    );
    let theirs = document(
        json!({ ENV: {"post": body("Thing")} }),
        json!({"Thing": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer", "readOnly": true},
            "kind": {"type": "string", "readOnly": true},
            "name": {"type": "string"},
            "folder": {"type": "string", "writeOnly": true},
            "query": {"oneOf": [{"type": "object"}, {"type": "string"}]},
            "extra": {"type": "boolean"}
        }}}),
    );
    assert_eq!(
        findings(&compare_trees(&ours, &theirs)),
        [
            "request body `kind`: ours is required, PostHog's optional; PostHog's alone marks it read-only [drift]",
            "request body `folder`: PostHog's alone marks it write-only [drift]",
            "request body `query`: type: ours `object`, PostHog's `one of 2 schemas` [drift]",
            "request body `extra`: only in PostHog's (optional, `boolean`) [drift]",
        ],
        "read-only `id` is no part of a request; nullability is not compared in requests; below two types nothing more"
    );
}

#[test]
fn response_properties_are_compared_through_arrays_and_objects() {
    let ours = document(
        json!({ ENV: {"get": answering(json!({"$ref": "#/components/schemas/Page"}))} }),
        json!({
            "Page": {"type": "object", "required": ["results"], "properties": {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
            }},
            "Item": {"type": "object", "required": ["id", "owner"], "properties": {
                "id": {"type": "integer", "format": "int64"},
                "owner": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/User"}],
                          "x-upstream-departure": "synthetic items have none"},
                "when": {"type": "string", "format": "date-time"}
            }},
            "User": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}
        }),
    );
    let theirs = document(
        json!({ ENV: {"get": answering(json!({"$ref": "#/components/schemas/Page"}))} }),
        json!({
            "Page": {"type": "object", "required": ["results"], "properties": {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
            }},
            "Item": {"type": "object", "required": ["id", "owner"], "properties": {
                "id": {"type": "integer"},
                "owner": {"allOf": [{"$ref": "#/components/schemas/User"}], "readOnly": true},
                "when": {"type": "string"},
                "secret": {"type": "string", "writeOnly": true}
            }},
            "User": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}
        }),
    );
    assert_eq!(
        findings(&compare_trees(&ours, &theirs)),
        [
            "response 200 `results[].owner`: ours is nullable, PostHog's not nullable [known: synthetic items have none]",
            "response 200 `results[].owner.email`: ours is required, PostHog's optional; type: ours `string`, PostHog's `string (email)` [drift]",
            "response 200 `results[].when`: type: ours `string (date-time)`, PostHog's `string` [drift]",
        ],
        "write-only `secret` is no part of a response"
    );
}

#[test]
fn bodies_statuses_scopes_and_deprecation_are_the_operations_to_declare() {
    let ours_op = json!({
        "operationId": "x",
        "security": [{"Key": ["x:read"]}],
        "x-upstream-departure": "the server does otherwise",
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"description": "no"}
        }
    });
    let their_op = json!({
        "deprecated": true,
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "ok"}, "201": {"description": "made"}, "405": {"description": "no"}}
    });
    let report = compare_trees(
        &document(json!({ ENV: {"post": ours_op} }), json!({})),
        &document(json!({ ENV: {"post": their_op} }), json!({})),
    );
    let known = "[known: the server does otherwise]";
    assert_eq!(
        findings(&report),
        [
            format!("request body: ours sends none; PostHog's takes `object` {known}"),
            format!("status 201: a success only PostHog's documents {known}"),
            format!("status 405: an error status only PostHog's documents {known}"),
            format!("response 200: ours has a body (`object`); PostHog's documents none {known}"),
            format!("scopes: ours `x:read`; PostHog's none {known}"),
            format!("`deprecated`: PostHog marks it deprecated; ours does not {known}"),
        ],
        "ours documenting 401 is no difference"
    );
    assert_eq!(report.drift(), 0);
}

#[test]
fn a_declaration_no_difference_needs_is_stale_and_drift() {
    let mut ours_op = answering(json!({"type": "object", "properties": {
        "a": {"type": "string", "x-upstream-departure": "a differs"}
    }}));
    ours_op["x-upstream-departure"] = json!("the operation differs");
    let theirs_op = answering(json!({"type": "object", "properties": {"a": {"type": "string"}}}));
    let report = compare_trees(
        &document(json!({ ENV: {"get": ours_op} }), json!({})),
        &document(json!({ ENV: {"get": theirs_op} }), json!({})),
    );
    let stale: Vec<(&str, &str)> = report.operations[0]
        .stale
        .iter()
        .map(|s| (s.place.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        stale,
        [
            ("the operation", "the operation differs"),
            ("response 200 `a`", "a differs")
        ]
    );
    assert_eq!(report.drift(), 2);
    assert!(
        render(&report, "o", "t").contains("- **stale** response 200 `a`: declares a departure")
    );
}

#[test]
fn posthogs_other_methods_on_our_paths_are_listed_and_may_be_declared() {
    let ours = document(
        json!({
            ENV: {"x-upstream-departure": {"put": "PATCH does it", "head": "no such"}, "get": answering(json!({}))},
        }),
        json!({}),
    );
    let theirs = document(
        json!({
            ENV: {"get": answering(json!({})), "put": answering(json!({})), "delete": answering(json!({}))},
            PROJECTS: {"delete": answering(json!({}))},
            "/api/environments/{project_id}/elsewhere/": {"post": answering(json!({}))}
        }),
        json!({}),
    );
    let report = compare_trees(&ours, &theirs);
    let left: Vec<(String, &str, Vec<String>, &Verdict)> = report
        .left_out
        .iter()
        .map(|l| {
            (
                l.method.clone(),
                l.path.as_str(),
                l.twins.clone(),
                &l.verdict,
            )
        })
        .collect();
    assert_eq!(
        left,
        [
            (
                "PUT".to_owned(),
                ENV,
                vec![],
                &Verdict::Known("PATCH does it".into())
            ),
            (
                "DELETE".to_owned(),
                ENV,
                vec![PROJECTS.to_owned()],
                &Verdict::Drift
            ),
        ],
        "only the paths our spec covers"
    );
    assert_eq!(report.stale.len(), 1, "PostHog has no HEAD there");
    assert_eq!(report.drift(), 2);
}

#[test]
fn the_report_is_markdown_with_the_verdict_first() {
    let ours = document(json!({ ENV: {"get": answering(json!({}))} }), json!({}));
    let theirs = document(
        json!({ ENV: {"get": answering(json!({})), "put": answering(json!({}))} }),
        json!({}),
    );
    let report = compare_trees(&ours, &theirs);
    let markdown = render(&report, "spec/openapi.yaml", "posthog.yaml");
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "## Upstream drift: `spec/openapi.yaml` against `posthog.yaml`",
            "",
            "**1 drift, 0 known departures; 1 of 1 operations matched (1 on the exact path); 1 PostHog operation on these paths not in the spec**"
        ]
    );
    assert!(markdown.contains(&format!("#### `GET {ENV}` (`x`)\n")));
    assert!(markdown.contains("No differences."));
    assert!(markdown.contains(&format!("- **drift** `PUT {ENV}` (`x`): not in the spec\n")));
    assert_eq!(
        markdown,
        render(
            &compare_trees(&ours, &theirs),
            "spec/openapi.yaml",
            "posthog.yaml"
        )
    );
}

#[test]
fn a_document_without_paths_is_refused_naming_the_file() {
    let spec = codegen::parse(
        "schema.json",
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .unwrap();
    assert!(upstream_diff::check_document(&spec).is_ok());
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
    let error = codegen::parse("schema.yaml", text).unwrap_err();
    assert!(
        error.to_string().starts_with("schema.yaml#/paths: "),
        "{error}"
    );
}

/// Mutants of our spec, compared both ways with the committed spec, and
/// rendered: the engine reads whatever codegen parses, so none may panic.
#[test]
fn no_mutant_of_the_spec_makes_the_engine_panic() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
            .unwrap();
    let committed = codegen::parse("spec/openapi.yaml", &text).unwrap();
    let count = std::env::var("UPSTREAM_DIFF_MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(400u64);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut parsed = 0;
    let mut failures = Vec::new();
    for index in 0..count {
        let seed = mutator::mutant_seed(0x0dd5_eed5, index);
        let (mutant, edits) = mutator::mutate(&text, seed);
        let Ok(spec) = codegen::parse("mutant.yaml", &mutant) else {
            continue;
        };
        parsed += 1;
        let outcome = std::panic::catch_unwind(|| {
            let one = compare_trees(spec.tree(), committed.tree());
            let other = compare_trees(committed.tree(), spec.tree());
            render(&one, "a", "b").len() + render(&other, "b", "a").len()
        });
        if outcome.is_err() {
            failures.push(format!("seed {seed:#x}: {}", edits.join("; ")));
        }
    }
    std::panic::set_hook(hook);
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
    assert!(
        parsed * 4 >= count,
        "only {parsed} of {count} mutants parsed"
    );
}
