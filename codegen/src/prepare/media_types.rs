//! **Request bodies progenitor can send.** progenitor sends a body of one
//! media type, of one of four kinds (progenitor-impl 0.15, `method.rs`,
//! `BodyContentType` and `get_body_param`): JSON (`application/json`),
//! a form (`application/x-www-form-urlencoded`), text (`text/plain`,
//! `text/x-markdown`, whose schema must be a plain string) and raw bytes
//! (`application/octet-stream`, whose schema must be a binary string). Any
//! other body stops the whole run. So every body becomes one of those:
//!
//! - **One media type.** A body offering several (Django REST Framework
//!   lists JSON, form and multipart for every write) keeps the first of
//!   `application/json`, `*/*` (any type, so JSON too), form, plain text and
//!   octet-stream that it offers: the server takes any of them, so sending
//!   one is the same request.
//! - **JSON by another name.** `*/*` alone, with a schema that is not a
//!   string, is sent as JSON. A `…+json` type (`application/merge-patch+json`)
//!   is typed as JSON and sent with its own `Content-Type`, which the
//!   generated `send()` sets ([`Bodies::content_types`],
//!   `rewrite::restore_content_types`).
//! - **Untyped bytes.** A body of another type whose schema is a string
//!   (`*/*` with `type: string`, `image/png`, `application/zip`) is sent as
//!   raw bytes: progenitor's octet-stream body, with the body's own
//!   `Content-Type` restored the same way. Text and octet-stream bodies whose
//!   schema carries more than progenitor accepts (a `format`, a `pattern`, a
//!   length) lose it. Each is a warning.
//! - **Left out.** A body that is none of these (`multipart/form-data`,
//!   whose parts and boundary progenitor cannot write; a structured body of
//!   an unknown type) cannot be sent: its operation is left out of the
//!   client, the mocks and the CLI, with a warning.
//!
//! **No `encoding` on JSON.** OpenAPI defines `encoding` for form and
//! multipart bodies only; on JSON it means nothing, and progenitor panics
//! on it, so it is dropped there.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Note;
use crate::WarningKind;
use crate::error::pointer_join;
use crate::reading::{self, operations_mut};

/// Media types progenitor can send, most preferred first, and what each is
/// sent as.
const SENDABLE: [(&str, &str); 6] = [
    ("application/json", "application/json"),
    ("*/*", "application/json"),
    (
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded",
    ),
    ("text/plain", "text/plain"),
    ("text/x-markdown", "text/x-markdown"),
    ("application/octet-stream", "application/octet-stream"),
];

/// What [`plan_bodies`] did.
#[derive(Debug, Default)]
pub(super) struct Bodies {
    /// Warnings: bodies sent untyped or loosened, operations left out.
    pub(super) notes: Vec<Note>,
    /// `(path, method)` of each operation whose body cannot be sent.
    pub(super) left_out: Vec<(String, &'static str)>,
    /// The `Content-Type` each operation's `send()` must set in place of
    /// the one progenitor sets, by the operation's Rust method name
    /// ([`reading::method_name`]).
    pub(super) content_types: BTreeMap<String, String>,
}

/// Makes every request body in `tree` one progenitor can send (see the
/// module docs), drops `encoding` from JSON bodies and responses, and says
/// which operations cannot be sent at all. The operations stay in `tree`;
/// the caller leaves them out.
pub(super) fn plan_bodies(tree: &mut Value) -> Bodies {
    let mut bodies = Bodies::default();
    // Component bodies are rewritten once, where they are; each operation
    // that uses one then reads the result.
    let mut component_plans = BTreeMap::new();
    let components = tree.pointer_mut("/components/requestBodies");
    for (name, body) in components
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        let plan = plan_body(body);
        component_plans.insert(name.clone(), plan);
    }
    let places: Vec<(String, &'static str, Option<String>)> = reading::operations(tree)
        .map(|operation| {
            (
                operation.path.to_owned(),
                operation.method,
                operation.id().map(reading::method_name),
            )
        })
        .collect();
    for ((path, method, rust_name), operation) in places.into_iter().zip(operations_mut(tree)) {
        let pointer = pointer_join(&pointer_join("#/paths", &path), method);
        for response in operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|responses| responses.values_mut())
        {
            drop_json_encoding(response);
        }
        let Some(body) = operation.get_mut("requestBody") else {
            continue;
        };
        let ((offered, plan), at) = match reading::referenced_body(body) {
            Some(name) => match component_plans.get(name) {
                Some(plan) => (plan.clone(), format!("#/components/requestBodies/{name}")),
                None => continue,
            },
            None => (plan_body(body), pointer_join(&pointer, "requestBody")),
        };
        let offered = pointer_join(&pointer_join(&at, "content"), &offered);
        let mut warn = |kind, message| {
            bodies.notes.push(Note {
                pointer: offered.clone(),
                kind,
                message,
            });
        };
        match plan {
            Plan::Send | Plan::Json { content_type: None } => {}
            Plan::Json {
                content_type: Some(content_type),
            } => {
                if let Some(name) = rust_name {
                    bodies.content_types.insert(name, content_type);
                }
            }
            Plan::Raw {
                content_type,
                message,
            } => {
                warn(WarningKind::Loosened, message);
                if let Some(name) = rust_name
                    && content_type != "application/octet-stream"
                {
                    bodies.content_types.insert(name, content_type);
                }
            }
            Plan::Loosened { message, .. } => warn(WarningKind::Loosened, message),
            Plan::LeaveOut { reason } => {
                bodies.notes.push(Note {
                    pointer: pointer.clone(),
                    kind: WarningKind::LeftOut,
                    message: format!(
                        "left out of the client, the mocks and the CLI: its request body {reason} (at {offered})"
                    ),
                });
                bodies.left_out.push((path, method));
            }
        }
    }
    for response in tree
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|responses| responses.values_mut())
    {
        drop_json_encoding(response);
    }
    bodies
}

/// What is done with one request body.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// progenitor sends it as it is (now).
    Send,
    /// Typed and sent as JSON; `content_type` replaces progenitor's
    /// `application/json` when the body's own type is another name for it.
    Json { content_type: Option<String> },
    /// Sent as raw bytes (progenitor's octet-stream body) with
    /// `Content-Type: content_type`: no longer typed, so with a warning.
    Raw {
        content_type: String,
        message: String,
    },
    /// Sent, with its schema loosened to a string of `format` (`""`: none),
    /// as progenitor accepts it.
    Loosened {
        format: &'static str,
        message: String,
    },
    /// Cannot be sent.
    LeaveOut { reason: String },
}

/// Rewrites `body` (a Request Body object) into one progenitor sends, and
/// says how, with the media type it offered (the key of its `content`).
fn plan_body(body: &mut Value) -> (String, Plan) {
    let Some(Value::Object(content)) = body.get_mut("content") else {
        return (String::new(), Plan::Send);
    };
    if content.len() > 1
        && let Some((offered, sent)) = SENDABLE
            .iter()
            .find(|(offered, _)| content.contains_key(*offered))
        && let Some(media) = content.get(*offered).cloned()
    {
        content.clear();
        content.insert((*sent).to_owned(), media);
    }
    let Some((offered, media)) = content
        .iter()
        .next()
        .map(|(offered, media)| (offered.clone(), media.clone()))
    else {
        return (String::new(), Plan::Send);
    };
    if content.len() > 1 {
        let offers: Vec<String> = content.keys().map(|key| format!("`{key}`")).collect();
        let reason = format!(
            "offers {} only, none of which progenitor can send (JSON, a form, text or raw bytes)",
            offers.join(", ")
        );
        return (offered, Plan::LeaveOut { reason });
    }
    let plan = plan_media(&offered, &media);
    match &plan {
        Plan::Json { .. } => {
            content.clear();
            content.insert("application/json".into(), media);
        }
        Plan::Raw { .. } => {
            content.clear();
            content.insert(
                "application/octet-stream".into(),
                json!({ "schema": raw_schema(&media, "binary") }),
            );
        }
        Plan::Loosened { format, .. } => {
            content.insert(
                offered.clone(),
                json!({ "schema": raw_schema(&media, format) }),
            );
        }
        Plan::Send | Plan::LeaveOut { .. } => {}
    }
    if let Some(json) = content
        .get_mut("application/json")
        .and_then(Value::as_object_mut)
    {
        json.remove("encoding");
    }
    (offered, plan)
}

/// The plan for a body of one `media_type`.
fn plan_media(media_type: &str, media: &Value) -> Plan {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let schema = media.get("schema");
    let is_string = schema.is_some_and(|schema| {
        schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("enum").is_none()
    });
    let loosened = |kind: &str, format: &'static str| Plan::Loosened {
        format,
        message: format!(
            "progenitor sends a {kind} body only when its schema is a plain {}string, so codegen drops the rest of this one (`format`, `pattern`, lengths, `nullable`, `default`): check the value yourself",
            if format.is_empty() { "" } else { "binary " }
        ),
    };
    let raw = |content_type: &str| Plan::Raw {
        content_type: content_type.to_owned(),
        message: format!(
            "progenitor cannot type a `{media_type}` body, so codegen sends it as raw bytes (the method takes a `reqwest::Body`) with `Content-Type: {content_type}`"
        ),
    };
    match essence.as_str() {
        "application/json" | "application/x-www-form-urlencoded" => Plan::Send,
        "text/plain" | "text/x-markdown" if is_raw_schema(schema, "") => Plan::Send,
        "text/plain" | "text/x-markdown" if is_string => loosened("text", ""),
        "application/octet-stream" if is_raw_schema(schema, "binary") => Plan::Send,
        "application/octet-stream" if is_string => loosened("raw", "binary"),
        // Any type, JSON among them: bytes for a string, else JSON.
        "*/*" if is_string || schema.is_none() => raw("application/octet-stream"),
        "*/*" => Plan::Json { content_type: None },
        json if json.ends_with("+json") => Plan::Json {
            content_type: Some(media_type.to_owned()),
        },
        "multipart/form-data" => Plan::LeaveOut {
            reason: "is `multipart/form-data`, whose parts progenitor cannot send".into(),
        },
        _ if is_string || schema.is_none() => raw(media_type),
        _ => Plan::LeaveOut {
            reason: format!(
                "is `{media_type}` with a schema that is not a string, which progenitor can neither type nor send as raw bytes"
            ),
        },
    }
}

/// Whether `schema` is exactly what progenitor accepts for a raw body: a
/// string of `format` (`""`: none), with nothing else that constrains it.
fn is_raw_schema(schema: Option<&Value>, format: &str) -> bool {
    let Some(schema) = schema.and_then(Value::as_object) else {
        return false;
    };
    let constrains = ["pattern", "minLength", "maxLength", "default", "enum"];
    schema.get("format").and_then(Value::as_str).unwrap_or("") == format
        && schema.get("nullable") != Some(&Value::Bool(true))
        && !constrains.iter().any(|key| schema.contains_key(*key))
}

/// The schema progenitor accepts for a raw body of `format`, keeping the
/// description of `media`'s schema.
fn raw_schema(media: &Value, format: &str) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("string"));
    if !format.is_empty() {
        schema.insert("format".into(), json!(format));
    }
    if let Some(description) = media.pointer("/schema/description") {
        schema.insert("description".into(), description.clone());
    }
    Value::Object(schema)
}

fn drop_json_encoding(body: &mut Value) {
    for (media_type, media) in body
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        if is_json(media_type)
            && let Some(media) = media.as_object_mut()
        {
            media.remove("encoding");
        }
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use super::plan_bodies;
    use serde_json::json;

    #[test]
    fn keeps_the_preferred_media_type() {
        let schema = json!({"$ref": "#/components/schemas/X"});
        let mut tree = json!({"paths": {"/a": {
            "post": {"requestBody": {"content": {
                "multipart/form-data": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
                "application/json": {"schema": schema, "encoding": {"a": {}}}
            }}},
            "put": {"requestBody": {"content": {
                "multipart/form-data": {"schema": schema},
                "*/*": {"schema": schema}
            }}},
            "patch": {"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}}
        }}});
        let bodies = plan_bodies(&mut tree);
        let item = &tree["paths"]["/a"];
        assert_eq!(
            item["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": schema}})
        );
        assert_eq!(
            item["put"]["requestBody"]["content"],
            json!({"application/json": {"schema": schema}})
        );
        assert_eq!(bodies.left_out, [("/a".to_owned(), "patch")]);
        let [note] = bodies.notes.as_slice() else {
            panic!("{:?}", bodies.notes);
        };
        assert_eq!(note.pointer, "#/paths/~1a/patch");
        assert!(
            note.message.contains("`multipart/form-data`, whose parts progenitor cannot send (at #/paths/~1a/patch/requestBody/content/multipart~1form-data)"),
            "{}",
            note.message
        );
    }

    #[test]
    fn bodies_progenitor_cannot_type_are_sent_as_bytes_with_their_own_type() {
        let mut tree = json!({"paths": {"/a": {
            "post": {"operationId": "upload/asset", "requestBody": {"content": {"*/*": {"schema": {"type": "string", "description": "The file"}}}}},
            "put": {"operationId": "put-png", "requestBody": {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}},
            "patch": {"operationId": "merge", "requestBody": {"content": {"application/merge-patch+json": {"schema": {"type": "object"}}}}},
            "get": {"operationId": "text", "requestBody": {"content": {"text/plain": {"schema": {"type": "string", "maxLength": 3}}}}},
            "delete": {"operationId": "thing", "requestBody": {"content": {"application/xml": {"schema": {"type": "object"}}}}}
        }}});
        let bodies = plan_bodies(&mut tree);
        let item = &tree["paths"]["/a"];
        let raw = |description: Option<&str>| {
            let mut schema = json!({"type": "string", "format": "binary"});
            if let Some(text) = description {
                schema["description"] = json!(text);
            }
            json!({"application/octet-stream": {"schema": schema}})
        };
        assert_eq!(
            item["post"]["requestBody"]["content"],
            raw(Some("The file"))
        );
        assert_eq!(item["put"]["requestBody"]["content"], raw(None));
        assert_eq!(
            item["patch"]["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        assert_eq!(
            item["get"]["requestBody"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
        let types: Vec<(&str, &str)> = bodies
            .content_types
            .iter()
            .map(|(name, media_type)| (name.as_str(), media_type.as_str()))
            .collect();
        assert_eq!(
            types,
            [
                ("merge", "application/merge-patch+json"),
                ("put_png", "image/png"),
            ]
        );
        assert_eq!(bodies.left_out, [("/a".to_owned(), "delete")]);
        let kinds: Vec<String> = bodies
            .notes
            .iter()
            .map(|note| format!("{:?} {}", note.kind, note.pointer))
            .collect();
        assert_eq!(
            kinds,
            [
                "Loosened #/paths/~1a/post/requestBody/content/*~1*",
                "Loosened #/paths/~1a/put/requestBody/content/image~1png",
                "Loosened #/paths/~1a/get/requestBody/content/text~1plain",
                "LeftOut #/paths/~1a/delete",
            ]
        );
    }
}
