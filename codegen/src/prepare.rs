//! The spec restated for progenitor. Rewrites on a copy of the document
//! keep the spec plain, reviewable OpenAPI while the Rust comes out the way
//! client users need it:
//!
//! - **Only the responses the client reads.** The client's hand-written
//!   error type reads every non-2xx answer itself: status, `Retry-After`,
//!   and PostHog's error body when the answer has that shape, raw text when
//!   it does not. progenitor would instead drop the status of a non-JSON
//!   error body, so it sees no error responses and hands every one over
//!   unread; what it needs to make a success of stays
//!   ([`responses`]: a websocket's `101`, a lone `default`).
//! - **Scopes into docs.** An operation's API key scopes live in its
//!   `security` requirement; progenitor ignores `security`, so each scope is
//!   appended to the operation's description and shows in the method docs.
//! - **Retries into docs.** Whether an operation is safe to repeat
//!   ([`reading::is_idempotent`]) decides which failures the client retries;
//!   the method docs say which.
//! - **Open enums.** `anyOf: [$ref: <string enum>, {type: string}]` means
//!   "one of these values, or any other text". typify would turn that
//!   `anyOf` into a struct of flattened options, so it is rewritten as a
//!   `oneOf` whose branches are titled, which typify emits as
//!
//!   ```text
//!   #[serde(untagged)]
//!   pub enum PlaylistType { Known(KnownPlaylistType), Other(String) }
//!   ```
//!
//!   serde tries `Known` first, so documented values stay typed and a value
//!   the server adds later still parses and stays visible in `Other`.
//!
//! What cannot be restated is given up with a [`Warning`] at its place: an
//! operation whose request body progenitor cannot send is left out
//! ([`media_types`]). An operationId that is not a Rust name is one too:
//! progenitor renames it ([`reading::method_name`]) and codegen says so.

use openapiv3::OpenAPI;
use serde_json::{Map, Value, json};

pub(crate) use enum_names::{PLACEHOLDER_MARK, ValueNames};

pub(crate) mod defaults;
mod enum_names;
mod media_types;
mod parameters;
mod responses;
mod type_names;

use std::collections::BTreeMap;

use crate::document::{self, OperationDocs};
use crate::error::pointer_join;
use crate::load::read_typed;
use crate::locate::locate;
use crate::model::model;
use crate::reading::{self, operations_mut};
use crate::{Error, Spec, Warning, WarningKind};

/// The documents progenitor should see, one per view, and what preparing
/// them gave up.
pub(crate) struct Prepared {
    /// For the client and its command line: success responses only.
    pub(crate) client: OpenAPI,
    /// For the typed mocks, which must be able to answer with errors too.
    pub(crate) mocks: OpenAPI,
    /// The enum values handed to progenitor as placeholders.
    pub(crate) value_names: ValueNames,
    /// The `Content-Type` each of these operations' `send()` sets instead
    /// of progenitor's, by Rust method name (`rewrite::restore_content_types`).
    pub(crate) content_types: BTreeMap<String, String>,
    /// What the spec says of each operation's parts, for the docs of the
    /// items progenitor leaves without any (`document`).
    pub(crate) docs: BTreeMap<String, OperationDocs>,
    pub(crate) warnings: Vec<Warning>,
}

/// A warning before it is placed in the spec's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub(crate) pointer: String,
    pub(crate) kind: WarningKind,
    pub(crate) message: String,
}

/// Both documents for `spec`. The rewrites run once; only dropping the
/// error responses differs between the views, and it comes last.
pub(crate) fn prepare(spec: &Spec) -> Result<Prepared, Error> {
    let mut tree = spec.tree().clone();
    strip_departures(&mut tree);
    document_operations(&mut tree);
    let string_enums = string_enum_schemas(&tree);
    rewrite_open_enums(&mut tree, &string_enums);
    let bodies = media_types::plan_bodies(&mut tree);
    for (path, method) in &bodies.left_out {
        leave_out(&mut tree, path, method);
    }
    let mut notes = bodies.notes;
    notes.extend(parameters::writable_parameters(&mut tree));
    notes.extend(renamed_operations(&tree));
    notes.extend(defaults::drop_unusable_defaults(&mut tree).into_iter().map(
        |(pointer, message)| Note {
            pointer,
            kind: WarningKind::Ignored,
            message,
        },
    ));
    let made = responses::share_unread_response_types(&mut tree);
    let value_names = enum_names::name_clashing_values(&mut tree);
    type_names::keep_type_names_unique(&mut tree);
    let read = |tree: &Value| {
        read_typed(tree).map_err(|error| Error::Internal {
            path: spec.path().to_owned(),
            message: format!("the document prepared for progenitor no longer parses ({error})"),
        })
    };
    let docs = document::operation_docs(&tree);
    let mocks = read(&tree)?;
    notes.extend(responses::keep_what_the_client_reads(&mut tree, &made));
    let client = read(&tree)?;
    let warnings = notes
        .into_iter()
        .map(|note| Warning {
            path: spec.path().to_owned(),
            location: locate(spec.text(), &note.pointer),
            pointer: note.pointer,
            kind: note.kind,
            message: note.message,
        })
        .collect();
    Ok(Prepared {
        client,
        mocks,
        value_names,
        content_types: bodies.content_types,
        docs,
        warnings,
    })
}

/// Removes the `method` operation of `path` from `tree`, and the path when
/// no operation is left on it.
fn leave_out(tree: &mut Value, path: &str, method: &str) {
    let Some(paths) = tree.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) else {
        return;
    };
    item.remove(method);
    if !item
        .keys()
        .any(|key| reading::operation_method(key).is_some())
    {
        paths.remove(path);
    }
}

/// A warning for each operation whose id is not its Rust name, naming the
/// names progenitor gives it.
fn renamed_operations(tree: &Value) -> Vec<Note> {
    reading::operations(tree)
        .filter_map(|operation| {
            let id = operation.id()?;
            if reading::is_rust_name(id) {
                return None;
            }
            let pointer = pointer_join(&pointer_join("#/paths", operation.path), operation.method);
            Some(Note {
                pointer: pointer_join(&pointer, "operationId"),
                kind: WarningKind::Renamed,
                message: format!(
                    "`{id}` is not a Rust name, so progenitor names the operation `Client::{}` (builder `{}`); use that name in Rust, or make the operationId snake_case",
                    reading::method_name(id),
                    reading::builder_name(id),
                ),
            })
        })
        .collect()
}

/// Removes every [`reading::UPSTREAM_DEPARTURE_EXTENSION`]: it speaks to
/// reviewers and `upstream-diff`, never to the generated code, which must
/// come out the same with or without it.
fn strip_departures(node: &mut Value) {
    crate::walk::each_object_mut(node, &mut |map| {
        map.remove(reading::UPSTREAM_DEPARTURE_EXTENSION);
    });
}

/// The last paragraph of the docs of an operation that is safe to repeat
/// (`rewrite::cli` says it to shell users in their words).
pub(crate) const SAFE_TO_REPEAT: &str = "Safe to repeat (`x-idempotent`): the client retries it after PostHog's transient failures (5xx, a reset connection, a timeout) as its `RetryPolicy` allows.";

/// The last paragraph of the docs of an operation that is not.
pub(crate) const NOT_SAFE_TO_REPEAT: &str = "Not safe to repeat: the client retries it only when PostHog turned it away unread (429) or it never reached PostHog; an error after that says it may have taken effect.";

/// The lines each operation's doc comment gets from the model: the API key
/// scopes it needs, then whether the client retries it.
fn document_operations(tree: &mut Value) {
    let lines: Vec<Vec<String>> = model(tree)
        .operations
        .iter()
        .map(|operation| {
            let scopes: Vec<String> = operation
                .scopes
                .iter()
                .map(|scope| format!("`{scope}`"))
                .collect();
            let scope_line = (!scopes.is_empty())
                .then(|| format!("Required API key scope: {}.", scopes.join(", ")));
            let retry_line = if operation.idempotent {
                SAFE_TO_REPEAT
            } else {
                NOT_SAFE_TO_REPEAT
            };
            scope_line
                .into_iter()
                .chain([retry_line.to_owned()])
                .collect()
        })
        .collect();
    for (operation, lines) in operations_mut(tree).zip(lines) {
        for line in lines {
            append_to_description(operation, &line);
        }
    }
}

fn append_to_description(operation: &mut Map<String, Value>, line: &str) {
    let description = match operation.get("description").and_then(Value::as_str) {
        Some(text) if !text.is_empty() => format!("{text}\n\n{line}"),
        _ => line.to_owned(),
    };
    operation.insert("description".into(), Value::String(description));
}

/// Names of the component schemas that are string enums.
fn string_enum_schemas(tree: &Value) -> Vec<String> {
    reading::component_schemas(tree)
        .filter(|(_, schema)| reading::is_string_enum(schema))
        .map(|(name, _)| name.clone())
        .collect()
}

fn rewrite_open_enums(node: &mut Value, string_enums: &[String]) {
    crate::walk::each_object_mut(node, &mut |map| {
        if let Some(one_of) = open_enum_branches(map, string_enums) {
            map.remove("anyOf");
            map.insert("oneOf".into(), one_of);
        }
    });
}

/// The titled `oneOf` branches for an open enum, if `schema` is one.
fn open_enum_branches(schema: &Map<String, Value>, string_enums: &[String]) -> Option<Value> {
    let open = reading::open_enum_with(schema, |name| string_enums.iter().any(|n| n == name))?;
    // `null` needs no branch of its own: the field is optional, and serde
    // reads `null` into `None`.
    let mut other = open.other.as_object().cloned().unwrap_or_default();
    other.remove("nullable");
    other.insert("title".into(), json!("Other"));
    Some(json!([{ "title": "Known", "allOf": [open.known] }, other]))
}

#[cfg(test)]
mod tests {
    use super::prepare;

    #[test]
    fn progenitor_never_sees_a_departure() {
        let spec = crate::parse(
            "x.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/:\n    x-upstream-departure: {put: left out}\n    get:\n      operationId: a\n      x-upstream-departure: why\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  p: {type: string, x-upstream-departure: why}\n              example: {x-upstream-departure: data stays}\n",
        )
        .unwrap();
        let prepared = prepare(&spec).unwrap();
        for document in [&prepared.client, &prepared.mocks] {
            let text = serde_json::to_string(document).unwrap();
            assert_eq!(
                text.matches("x-upstream-departure").count(),
                1,
                "only the example's data keeps it: {text}"
            );
        }
    }
}
