//! **The responses the client reads.** The client's view of an operation
//! keeps what progenitor turns into a successful `send()` and nothing
//! else; every other answer reaches the hand-written error type unread.
//! progenitor reads as a success (progenitor-impl 0.15, `method.rs`,
//! `is_success_or_default`) a 2xx, the `101` of a websocket upgrade, and a
//! `default`, which on an endpoint marked `x-dropshot-websocket` it takes
//! for the `101`. So the view keeps, of each operation's responses:
//!
//! - every 2xx, and a `101` (dropshot's websocket endpoints, whose method
//!   returns the upgraded connection);
//! - when the operation documents neither, its `default`: as the `101` of a
//!   websocket endpoint, else as `2XX`, which is what a lone `default`
//!   means (dropshot's free-form responses); left as `default`, progenitor
//!   would also take every error for a success;
//! - when there is none of these either, an empty `204`, so its method
//!   returns `()` rather than a raw byte stream (PostHog's DELETE, which
//!   always answers 405).
//!
//! **Every type the mocks name, the client has.** The typed mocks see the
//! whole spec and name the client's `types::…`; the inline schema of a
//! response the client does not read typed (an error, a success it returns
//! unparsed) would become a type of the mocks' only, and the mocks would
//! not compile. Such a schema, when typify makes a type of it, becomes a
//! component schema both see ([`share_unread_response_types`]).
//!
//! **One body per method.** A method returns one type, so progenitor stops
//! at an operation whose successes differ in body (`200` with JSON, `204`
//! without). Such an operation's successes all become raw bodies
//! (`ResponseValue<ByteStream>`), which the caller parses, with a warning.

use serde_json::{Map, Value, json};

use super::Note;
use crate::WarningKind;
use crate::culprit::unescape;
use crate::error::pointer_join;
use crate::reading::{self, operations_mut};

/// The statuses of `responses` the client reads (see the module docs):
/// its 2xx and `101`, else its `default`.
fn read_by_client(responses: &Map<String, Value>) -> Vec<&str> {
    let read: Vec<&str> = responses
        .keys()
        .map(String::as_str)
        .filter(|status| reading::is_success(status) || *status == "101")
        .collect();
    if read.is_empty() && responses.contains_key("default") {
        vec!["default"]
    } else {
        read
    }
}

/// Moves the inline schema of every response the client does not read
/// typed into `#/components/schemas`, when typify would make a type of it
/// (see the module docs), and points the response at it. An operation's
/// own response is named `<method name> <status> response`; a shared one
/// (`#/components/responses/X`) `X`, numbered when the name is taken.
/// Returns the names of the component schemas it made.
pub(super) fn share_unread_response_types(tree: &mut Value) -> Vec<String> {
    let shared_responses = tree
        .pointer("/components/responses")
        .cloned()
        .unwrap_or_default();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut shared_unread = std::collections::BTreeSet::new();
    let ids: Vec<Option<String>> = reading::operations(tree)
        .map(|operation| operation.id().map(str::to_owned))
        .collect();
    for (id, operation) in ids.into_iter().zip(operations_mut(tree)) {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let typed: Vec<String> = {
            let read = read_by_client(responses);
            let mut read_only: Map<String, Value> = Map::new();
            for status in &read {
                read_only.insert((*status).to_owned(), responses[*status].clone());
            }
            if different_bodies(&read_only, &shared_responses, &[]).is_some() {
                Vec::new()
            } else {
                read.into_iter().map(str::to_owned).collect()
            }
        };
        for (status, response) in responses.iter_mut() {
            if typed.contains(status) {
                continue;
            }
            if let Some(name) = response
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|target| target.strip_prefix("#/components/responses/"))
            {
                shared_unread.insert(name.to_owned());
            } else if let Some(id) = &id {
                let name = format!("{} {status} response", reading::method_name(id));
                hoist(response, &name, &mut hoisted);
            }
        }
    }
    if let Some(shared) = tree
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in shared.iter_mut() {
            if shared_unread.contains(name) {
                hoist(response, name, &mut hoisted);
            }
        }
    }
    if hoisted.is_empty() {
        return Vec::new();
    }
    let components = tree
        .as_object_mut()
        .map(|document| document.entry("components").or_insert_with(|| json!({})));
    let Some(schemas) = components
        .and_then(Value::as_object_mut)
        .map(|components| components.entry("schemas").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let mut made = Vec::new();
    for (name, schema) in hoisted {
        made.push(name.clone());
        schemas.insert(name, schema);
    }
    made
}

/// Moves the inline JSON schemas of `response` that typify would make a
/// type of into `hoisted`, under names based on `name`.
fn hoist(response: &mut Value, name: &str, hoisted: &mut Vec<(String, Value)>) {
    for (media_type, media) in response
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        let is_json =
            media_type == "application/json" || media_type.starts_with("application/json;");
        let Some(schema) = media.get_mut("schema").filter(|_| is_json) else {
            continue;
        };
        if schema.get("$ref").is_some() || !makes_a_type(schema) {
            continue;
        }
        let component = std::iter::once(name.to_owned())
            .chain((2..).map(|k| format!("{name} {k}")))
            .find(|candidate| {
                !hoisted
                    .iter()
                    .any(|(taken, _)| reading::type_name(taken) == reading::type_name(candidate))
            })
            .unwrap_or_default();
        let moved = std::mem::replace(
            schema,
            json!({ "$ref": pointer_join("#/components/schemas", &component) }),
        );
        hoisted.push((component, moved));
    }
}

/// Whether typify makes a named type of `schema` or of a schema inside it:
/// an object with properties, an enum, a union.
fn makes_a_type(schema: &Value) -> bool {
    let mut found = false;
    crate::walk::each_object(schema, "#", &mut |object, _| {
        found |= ["properties", "enum", "allOf", "anyOf", "oneOf"]
            .iter()
            .any(|key| object.contains_key(*key));
    });
    found
}

/// Rewrites every operation of `tree` to the responses the client reads
/// (see the module docs); warns where it gave a body up. `made` are the
/// component schemas [`share_unread_response_types`] made, which the
/// spec's author does not know by name.
pub(super) fn keep_what_the_client_reads(tree: &mut Value, made: &[String]) -> Vec<Note> {
    let shared = tree
        .pointer("/components/responses")
        .cloned()
        .unwrap_or_default();
    let pointers: Vec<String> = reading::operations(tree)
        .map(|operation| pointer_join(&pointer_join("#/paths", operation.path), operation.method))
        .collect();
    let mut notes = Vec::new();
    for (pointer, operation) in pointers.into_iter().zip(operations_mut(tree)) {
        let websocket = operation.contains_key(reading::WEBSOCKET_EXTENSION);
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let default = responses.remove("default");
        responses.retain(|status, _| reading::is_success(status) || status == "101");
        if responses.is_empty() {
            match default {
                Some(default) => {
                    let status = if websocket { "101" } else { "2XX" };
                    responses.insert(status.into(), default);
                }
                None => {
                    responses.insert(
                        "204".into(),
                        json!({ "description": "No success documented." }),
                    );
                }
            }
        }
        if let Some(bodies) = different_bodies(responses, &shared, made) {
            for response in responses.values_mut() {
                let description = resolved(response, &shared)
                    .get("description")
                    .cloned()
                    .unwrap_or_else(|| json!(""));
                *response = json!({
                    "description": description,
                    "content": { "*/*": { "schema": {} } },
                });
            }
            notes.push(Note {
                pointer: pointer_join(&pointer, "responses"),
                kind: WarningKind::Loosened,
                message: format!(
                    "its successes have different bodies ({bodies}) and a Rust method returns one type, so codegen returns each unparsed (`ResponseValue<ByteStream>`): parse it yourself"
                ),
            });
        }
    }
    notes
}

/// `response` with a `$ref` into `#/components/responses` followed.
fn resolved<'a>(response: &'a Value, shared: &'a Value) -> &'a Value {
    response
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.strip_prefix("#/components/responses/"))
        .and_then(|name| shared.get(name))
        .unwrap_or(response)
}

/// What body progenitor reads from a response: JSON of a schema, the
/// upgraded connection, raw bytes, or none.
#[derive(Debug, PartialEq)]
enum Body<'a> {
    Json(Option<&'a Value>),
    Upgrade,
    Raw,
    None,
}

impl Body<'_> {
    /// The body in words: a JSON body of a component schema of the spec
    /// names it (not one `prepare` made of an inline schema, in `made`).
    fn describe(&self, made: &[String]) -> String {
        match self {
            Body::Json(Some(schema)) => match reading::referenced_schema(schema) {
                Some(name) if !made.iter().any(|made| *made == unescape(name)) => {
                    format!("JSON `{}`", unescape(name))
                }
                _ => "JSON".into(),
            },
            Body::Json(None) => "JSON".into(),
            Body::Upgrade => "an upgraded connection".into(),
            Body::Raw => "raw bytes".into(),
            Body::None => "none".into(),
        }
    }
}

/// `status: body` for each of `responses` when their bodies are not all
/// alike (progenitor-impl 0.15 compares the types it made of them; the
/// same schema makes the same type), else `None`.
fn different_bodies(
    responses: &Map<String, Value>,
    shared: &Value,
    made: &[String],
) -> Option<String> {
    let bodies: Vec<(&String, Body)> = responses
        .iter()
        .map(|(status, response)| (status, body(status, resolved(response, shared))))
        .collect();
    let first = &bodies.first()?.1;
    // An upgrade stays one whatever its content, so raw bodies would not
    // make it alike the others.
    if bodies.iter().all(|(_, body)| body == first)
        || bodies.iter().any(|(_, body)| *body == Body::Upgrade)
    {
        return None;
    }
    let listed: Vec<String> = bodies
        .iter()
        .map(|(status, body)| format!("{status}: {}", body.describe(made)))
        .collect();
    Some(listed.join(", "))
}

fn body<'a>(status: &str, response: &'a Value) -> Body<'a> {
    let content = response.get("content").and_then(Value::as_object);
    let json = content.into_iter().flatten().find(|(media_type, _)| {
        *media_type == "application/json" || media_type.starts_with("application/json;")
    });
    match json {
        Some((_, media)) => Body::Json(media.get("schema")),
        None if status == "101" => Body::Upgrade,
        None if content.is_some_and(|content| !content.is_empty()) => Body::Raw,
        None => Body::None,
    }
}

#[cfg(test)]
mod tests {
    use super::keep_what_the_client_reads;
    use serde_json::json;

    #[test]
    fn the_client_keeps_successes_the_upgrade_and_a_lone_default() {
        let error = json!({"description": "no", "content": {"application/json": {"schema": {}}}});
        let free_form = json!({"description": "", "content": {"*/*": {"schema": {}}}});
        let mut tree = json!({"paths": {"/a": {
            "get": {"responses": {"200": {"description": "ok"}, "404": error, "default": error}},
            "put": {"x-dropshot-websocket": {}, "responses": {"101": {"description": "up"}, "4XX": error}},
            "post": {"x-dropshot-websocket": {}, "responses": {"default": free_form}},
            "patch": {"responses": {"default": free_form}},
            "delete": {"responses": {"405": error}}
        }}});
        assert!(keep_what_the_client_reads(&mut tree, &[]).is_empty());
        let statuses = |method: &str| -> Vec<String> {
            tree["paths"]["/a"][method]["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(statuses("get"), ["200"]);
        assert_eq!(statuses("put"), ["101"]);
        assert_eq!(statuses("post"), ["101"]);
        assert_eq!(statuses("patch"), ["2XX"]);
        assert_eq!(statuses("delete"), ["204"]);
        assert_eq!(tree["paths"]["/a"]["patch"]["responses"]["2XX"], free_form);
    }

    #[test]
    fn successes_with_different_bodies_become_raw_with_a_warning() {
        let thing = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}, "description": "a thing"});
        let mut tree = json!({
            "paths": {"/a": {
                "get": {"responses": {"200": thing, "204": {"description": "none"}}},
                "put": {"responses": {"200": thing, "201": {"$ref": "#/components/responses/Thing"}}}
            }},
            "components": {"responses": {"Thing": thing}}
        });
        let notes = keep_what_the_client_reads(&mut tree, &[]);
        let [note] = notes.as_slice() else {
            panic!("{notes:?}");
        };
        assert_eq!(note.pointer, "#/paths/~1a/get/responses");
        assert!(
            note.message
                .starts_with("its successes have different bodies (200: JSON `Thing`, 204: none)"),
            "{}",
            note.message
        );
        let raw = |description: &str| json!({"description": description, "content": {"*/*": {"schema": {}}}});
        assert_eq!(
            tree["paths"]["/a"]["get"]["responses"],
            json!({"200": raw("a thing"), "204": raw("none")})
        );
        assert_eq!(tree["paths"]["/a"]["put"]["responses"]["200"], thing);
    }
}
