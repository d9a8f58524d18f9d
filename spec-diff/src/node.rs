//! Which keys of a spec node are only documentation, only validation, or
//! structure the rules compare, and how messages show names and values.
//! What Rust type a schema becomes is not here: it is
//! `codegen::model::SchemaModel`, the generator's reading.

use codegen::reading;
use serde_json::Value;

/// Keys that only document: they end up in doc comments, never in types
/// (a declared departure from PostHog's schema is upstream-diff's).
pub(crate) const DOC_KEYS: [&str; 8] = [
    "title",
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    reading::UPSTREAM_DEPARTURE_EXTENSION,
];

/// Validation keys: they constrain values, but the generated types rarely
/// model them (the generated-code section shows when they do).
pub(crate) const CONSTRAINT_KEYS: [&str; 13] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Schema keys the rules compare themselves; the rest are reported as-is.
pub(crate) const STRUCTURE_KEYS: [&str; 13] = [
    "$ref",
    "type",
    "format",
    "nullable",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
];

/// `types::Playlist`: the Rust type of a component schema, as messages name it.
pub(crate) fn rust_type(schema: &str) -> String {
    format!("types::{}", reading::type_name(schema))
}

/// The document with every documentation key removed, to tell doc-only
/// edits from real ones. Property names are data, not keys, so a property
/// called `description` stays.
pub(crate) fn strip_docs(node: &Value) -> Value {
    strip(node, false)
}

fn strip(node: &Value, names: bool) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| names || !DOC_KEYS.contains(&key.as_str()))
                .map(|(key, value)| {
                    let holds_names = !names && codegen::walk::holds_names(key);
                    (key.clone(), strip(value, holds_names))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|item| strip(item, false)).collect()),
        other => other.clone(),
    }
}

/// The keys of two objects: `old`'s in order, then those only `new` has.
pub(crate) fn union_keys(old: &Value, new: &Value) -> Vec<String> {
    let keys = |node: &Value| {
        node.as_object()
            .map(|map| map.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut all = keys(old);
    all.extend(keys(new).into_iter().filter(|key| old.get(key).is_none()));
    all
}

/// A value as a message shows it: strings bare, the rest as JSON.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
