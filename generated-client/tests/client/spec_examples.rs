//! Every example in the spec is true of the generated client, so a reviewer
//! can trust the examples a spec change shows them.
//!
//! The test walks the spec and finds each `example` and each named
//! `examples` entry (inline, or a `$ref` to `components/examples`) of every
//! request body and response, whether that body is written inline or is a
//! `$ref` to `components`. Each one is deserialized into the generated type
//! the client uses at that place, serialized back, and compared with the
//! example as JSON. Which type belongs to which place is the spec's to
//! say: the component schema its media type references, named as the
//! generator names it (`codegen::reading::type_name`). [`check`] only lists
//! the generated types it can name; an example whose type is not listed,
//! or whose media type has no `$ref`, fails the test. Every response that has a
//! body must have an example; an example on a parameter or a header fails
//! too, since nothing here would check it.
//!
//! The one difference allowed: a member whose value is `null` in the
//! example may be missing after the round trip, because optional fields are
//! `Option`s, which read `null` as `None` and write `None` by leaving the
//! field out. Anything else (a field dropped or added, a value changed, an
//! array reordered) fails.
//!
//! Examples on single schema properties (`example: 123`) are Redocly's to
//! check (`no-invalid-schema-examples`): they have no generated type of
//! their own.

use std::any::type_name;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::spec;

/// Where in an operation an example sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    RequestBody,
    Response(u16),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RequestBody => f.write_str("request body"),
            Self::Response(status) => write!(f, "response {status}"),
        }
    }
}

/// One example found in the spec.
#[derive(Debug)]
struct Example {
    operation: String,
    place: Place,
    /// The generated type of its place: the Rust name of the schema its
    /// media type references, if it references one.
    type_name: Option<String>,
    /// `example`, or `examples/<name>`.
    name: String,
    value: Value,
}

impl fmt::Display for Example {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.operation, self.place, self.name)
    }
}

/// Checks `example` against the generated type the spec gives its place.
fn check(example: &Example) -> Result<(), String> {
    let value = &example.value;
    let Some(name) = example.type_name.as_deref() else {
        return Err(
            "its media type has no `schema: {$ref: ...}`, so no generated type is known; reference a component schema"
                .to_owned(),
        );
    };
    macro_rules! round_trip_as {
        ($($ty:ident),* $(,)?) => {
            match name {
                $(stringify!($ty) => round_trip::<posthog_api::types::$ty>(value),)*
                other => Err(format!(
                    "`types::{other}` is not listed in `check` in {}; add it",
                    file!()
                )),
            }
        };
    }
    round_trip_as!(
        CheckAuthForAsyncResponse,
        DraftSqlResponse,
        ErrorResponse,
        PaginatedSessionRecordingPlaylistList,
        QueryUpgradeRequest,
        QueryUpgradeResponse,
        RecordingAddedResponse,
        RecordingRemovedResponse,
        SessionRecordingPlaylist,
        SessionRecordingPlaylistCreate,
        SessionRecordingPlaylistUpdate,
        SessionRecordingsPage,
    )
}

/// Deserializes `example` as `T`, serializes it back, and compares.
fn round_trip<T: DeserializeOwned + Serialize>(example: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(example.clone())
        .map_err(|error| format!("does not deserialize into {}: {error}", type_name::<T>()))?;
    let back = serde_json::to_value(&typed)
        .map_err(|error| format!("{} does not serialize: {error}", type_name::<T>()))?;
    let mut found = Vec::new();
    differences(example, &back, "", &mut found);
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} changes it: {}",
            type_name::<T>(),
            found.join("; ")
        ))
    }
}

/// Pushes onto `found` each way `after` differs from `example` at JSON
/// pointer `at`, except the one allowed: a `null` member left out.
fn differences(example: &Value, after: &Value, at: &str, found: &mut Vec<String>) {
    match (example, after) {
        (Value::Object(example), Value::Object(after)) => {
            for (key, value) in example {
                let here = format!("{at}/{key}");
                match after.get(key) {
                    Some(value_after) => differences(value, value_after, &here, found),
                    None if value.is_null() => {}
                    None => found.push(format!("{here} is dropped")),
                }
            }
            for key in after.keys().filter(|key| !example.contains_key(*key)) {
                found.push(format!("{at}/{key} is added"));
            }
        }
        (Value::Array(example), Value::Array(after)) if example.len() == after.len() => {
            for (index, (value, value_after)) in example.iter().zip(after).enumerate() {
                differences(value, value_after, &format!("{at}/{index}"), found);
            }
        }
        _ if example == after => {}
        _ => found.push(format!(
            "{} becomes {after}",
            if at.is_empty() { "/" } else { at }
        )),
    }
}

/// What walking a spec found: the examples, and what is wrong or missing.
#[derive(Default)]
struct Walk {
    examples: Vec<Example>,
    problems: Vec<String>,
}

fn walk(spec: &Value) -> Walk {
    let mut walk = Walk::default();
    for operation in spec::operations(spec) {
        let id = spec::id(&operation);
        for parameter in &operation.parameters {
            walk.refuse_examples(spec, &format!("{id} parameter"), parameter.node);
        }
        if let Some(body) = operation.request_body {
            walk.body(spec, &id, Place::RequestBody, body.node);
        }
        for response in &operation.responses {
            let status = response.status;
            match status.parse() {
                Ok(status) => walk.body(spec, &id, Place::Response(status), response.node),
                Err(_) => walk.problems.push(format!(
                    "{id}: response `{status}` is not a status code; teach {} about it",
                    file!()
                )),
            }
        }
    }
    walk
}

impl Walk {
    /// Collects the examples of one request body or response.
    fn body(&mut self, spec: &Value, operation: &str, place: Place, node: &Value) {
        let at = format!("{operation} {place}");
        let node = match spec::resolve(spec, node) {
            Ok(node) => node,
            Err(error) => return self.problems.push(format!("{at}: {error}")),
        };
        let headers = node.get("headers").and_then(Value::as_object);
        for (name, header) in headers.into_iter().flatten() {
            self.refuse_examples(spec, &format!("{at} header `{name}`"), header);
        }
        for (media_type, content) in node["content"].as_object().into_iter().flatten() {
            let found = self.media_type(spec, operation, place, media_type, content);
            if found == 0 && matches!(place, Place::Response(_)) {
                self.problems.push(format!(
                    "{at} ({media_type}) has a body but no example; add one (the docs show one)"
                ));
            }
        }
    }

    /// Collects the examples of one media type; returns how many it has.
    fn media_type(
        &mut self,
        spec: &Value,
        operation: &str,
        place: Place,
        media_type: &str,
        content: &Value,
    ) -> usize {
        let mut found: Vec<(String, Result<&Value, String>)> = Vec::new();
        if let Some(value) = content.get("example") {
            found.push(("example".to_owned(), Ok(value)));
        }
        let named = content.get("examples").and_then(Value::as_object);
        for (name, example) in named.into_iter().flatten() {
            let value = spec::resolve(spec, example).and_then(|example| {
                example.get("value").ok_or_else(|| {
                    "has no inline `value` (externalValue is not checked)".to_owned()
                })
            });
            found.push((format!("examples/{name}"), value));
        }
        for (name, value) in &found {
            let at = format!("{operation} {place} ({name})");
            match value {
                Ok(_) if media_type != "application/json" => self
                    .problems
                    .push(format!("{at}: examples of {media_type} are not checked")),
                Ok(value) => self.examples.push(Example {
                    operation: operation.to_owned(),
                    place,
                    type_name: content
                        .get("schema")
                        .and_then(codegen::reading::referenced_schema)
                        .map(codegen::reading::type_name),
                    name: name.clone(),
                    value: (*value).clone(),
                }),
                Err(error) => self.problems.push(format!("{at}: {error}")),
            }
        }
        found.len()
    }

    /// Records a problem when a parameter or header carries an example.
    fn refuse_examples(&mut self, spec: &Value, at: &str, node: &Value) {
        match spec::resolve(spec, node) {
            Ok(node) if node.get("example").is_some() || node.get("examples").is_some() => {
                let name = node["name"].as_str().map(|name| format!(" `{name}`"));
                self.problems.push(format!(
                    "{at}{} has an example that nothing checks; add a check to {}",
                    name.unwrap_or_default(),
                    file!()
                ));
            }
            Ok(_) => {}
            Err(error) => self.problems.push(format!("{at}: {error}")),
        }
    }
}

#[test]
fn every_spec_example_round_trips_through_its_generated_type() {
    let walk = walk(&spec::load());
    assert!(
        !walk.examples.is_empty(),
        "no examples found in {}",
        spec::SPEC_PATH
    );
    let failures: Vec<String> = walk
        .examples
        .iter()
        .filter_map(|example| check(example).err().map(|why| format!("{example}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} examples in {} are not true of the generated types:\n{}",
        failures.len(),
        walk.examples.len(),
        spec::SPEC_PATH,
        failures.join("\n")
    );
    println!("checked {} spec examples", walk.examples.len());
}

#[test]
fn every_response_body_has_an_example_and_every_example_is_checked() {
    let walk = walk(&spec::load());
    assert!(walk.problems.is_empty(), "{}", walk.problems.join("\n"));
}

/// An example of `type_name` at `place` of `operation`.
fn example(operation: &str, place: Place, type_name: Option<&str>, value: Value) -> Example {
    Example {
        operation: operation.to_owned(),
        place,
        type_name: type_name.map(str::to_owned),
        name: "example".to_owned(),
        value,
    }
}

/// The spec's own playlist example, as the retrieve operation shows it.
fn spec_playlist_example() -> Value {
    walk(&spec::load())
        .examples
        .into_iter()
        .find(|found| {
            found.operation == "session_recording_playlists_retrieve"
                && found.place == Place::Response(200)
        })
        .expect("the spec has a playlist example")
        .value
}

#[test]
fn a_value_the_type_cannot_hold_fails() {
    let mut playlist = spec_playlist_example();
    playlist["id"] = json!("seventeen");
    let why = check(&example(
        "session_recording_playlists_retrieve",
        Place::Response(200),
        Some("SessionRecordingPlaylist"),
        playlist,
    ))
    .unwrap_err();
    assert!(why.contains("does not deserialize into"), "{why}");
}

#[test]
fn a_field_the_type_does_not_have_fails() {
    // Write-only: the generated response type rightly has no such field.
    let mut playlist = spec_playlist_example();
    playlist["_create_in_folder"] = json!("Unfiled/Replay");
    let why = check(&example(
        "session_recording_playlists_retrieve",
        Place::Response(200),
        Some("SessionRecordingPlaylist"),
        playlist,
    ))
    .unwrap_err();
    assert!(why.contains("/_create_in_folder is dropped"), "{why}");
}

#[test]
fn a_left_out_null_is_the_only_difference_allowed() {
    let mut found = Vec::new();
    differences(
        &json!({"a": null, "b": [1, 2]}),
        &json!({"b": [1, 2]}),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");

    differences(
        &json!({"a": 0, "b": [1, 2], "c": {"d": 1}}),
        &json!({"b": [2, 1], "c": {"d": 1, "e": null}}),
        "",
        &mut found,
    );
    assert_eq!(
        found,
        [
            "/a is dropped",
            "/b/0 becomes 2",
            "/b/1 becomes 1",
            "/c/e is added"
        ]
    );
}

#[test]
fn an_example_without_a_known_generated_type_fails() {
    let unlisted = example("x", Place::Response(200), Some("Archive"), json!({}));
    let why = check(&unlisted).unwrap_err();
    assert!(why.contains("`types::Archive` is not listed"), "{why}");
    let inline = example("x", Place::RequestBody, None, json!({}));
    let why = check(&inline).unwrap_err();
    assert!(why.contains("no `schema: {$ref: ...}`"), "{why}");
}

/// Which type checks an example is the spec's say: the schema its media
/// type references.
#[test]
fn the_walk_takes_each_examples_type_from_the_schema_it_references() {
    let walk = walk(&spec::load());
    let types: std::collections::BTreeSet<(String, String, Option<String>)> = walk
        .examples
        .iter()
        .map(|found| {
            (
                found.operation.clone(),
                found.place.to_string(),
                found.type_name.clone(),
            )
        })
        .collect();
    for expected in [
        (
            "session_recording_playlists_create",
            "request body",
            "SessionRecordingPlaylistCreate",
        ),
        (
            "session_recording_playlists_create",
            "response 201",
            "SessionRecordingPlaylist",
        ),
        (
            "session_recording_playlists_list",
            "response 200",
            "PaginatedSessionRecordingPlaylistList",
        ),
    ] {
        let expected = (
            expected.0.to_owned(),
            expected.1.to_owned(),
            Some(expected.2.to_owned()),
        );
        assert!(types.contains(&expected), "{expected:?} not in {types:?}");
    }
}

#[test]
fn the_walk_finds_named_and_referenced_examples_and_reports_missing_ones() {
    let spec = json!({
        "paths": {"/x/": {"get": {
            "operationId": "x",
            "parameters": [{"name": "q", "in": "query", "example": "y"}],
            "responses": {
                "200": {"$ref": "#/components/responses/Ok"},
                "404": {"description": "none", "content": {"application/json": {"schema": {}}}}
            }
        }}},
        "components": {
            "responses": {"Ok": {"description": "ok", "content": {"application/json": {
                "examples": {
                    "shared": {"$ref": "#/components/examples/Shared"},
                    "inline": {"value": {"b": 2}}
                }
            }}}},
            "examples": {"Shared": {"value": {"a": 1}}}
        }
    });
    let mut walk = walk(&spec);
    // Sorted: the order of a JSON object's keys is serde_json's feature
    // `preserve_order`, which this crate's users need not have.
    let mut found: Vec<String> = walk
        .examples
        .iter()
        .map(|example| format!("{example} = {}", example.value))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            r#"x response 200 (examples/inline) = {"b":2}"#,
            r#"x response 200 (examples/shared) = {"a":1}"#
        ]
    );
    walk.problems.sort();
    assert_eq!(walk.problems.len(), 2, "{:?}", walk.problems);
    assert!(walk.problems[0].contains("x parameter `q` has an example that nothing checks"));
    assert!(
        walk.problems[1].contains("x response 404 (application/json) has a body but no example")
    );
}
