//! Reading spec nodes the way the generator does: what Rust shape a schema
//! becomes, which keys are only documentation, what a `$ref` resolves to
//! (which component schema a `$ref` names, and what is an open enum, are
//! `codegen::reading`'). The rules compare these views instead of raw YAML,
//! so formatting and wrapper differences that change no Rust do not show up.

use std::borrow::Cow;

use codegen::reading;
use serde_json::{Map, Value};

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

/// The schema with a one-branch `allOf`/`anyOf`/`oneOf` wrapper folded in:
/// `{nullable: true, allOf: [{$ref: X}]}` reads as `{nullable: true, $ref: X}`,
/// which is how the generator treats it (`Option<X>`).
pub(crate) fn flatten(node: &Value) -> Cow<'_, Value> {
    let Some(map) = node.as_object() else {
        return Cow::Borrowed(node);
    };
    let Some((key, inner)) = reading::wrapped_branch(map) else {
        return Cow::Borrowed(node);
    };
    if map.contains_key("properties") {
        return Cow::Borrowed(node);
    }
    let mut merged: Map<String, Value> = map.clone();
    merged.remove(key);
    if inner
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(reading::schema_name)
        .is_some()
    {
        // The wrapper's `type: object` says nothing the target does not.
        merged.remove("type");
    }
    for (k, v) in inner {
        if k == "nullable" && merged.get("nullable") == Some(&Value::Bool(true)) {
            continue;
        }
        merged.insert(k.clone(), v.clone());
    }
    Cow::Owned(Value::Object(merged))
}

/// True when the value may be `null` (a Rust `Option`).
pub(crate) fn nullable(node: &Value) -> bool {
    node.get("nullable") == Some(&Value::Bool(true))
}

/// `types::Playlist`: the Rust type of a component schema, as messages name it.
pub(crate) fn rust_type(schema: &str) -> String {
    format!("types::{}", reading::type_name(schema))
}

/// For an open enum ([`reading::open_enum`]), the name of the string enum in
/// its `Known` branch.
pub(crate) fn open_enum_known<'a>(root: &Value, node: &'a Value) -> Option<&'a str> {
    reading::open_enum(root, node).map(|open| open.name)
}

/// What Rust a schema (not a `$ref`, not an open enum) turns into, as far
/// as the type's identity goes; properties, items and values are compared
/// one level down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A scalar: `string`, `string (date-time)`, `integer (int64)`, …
    Scalar(String),
    /// A strict enum of the given scalar type.
    Enum(String),
    /// `Vec<T>`.
    Array,
    /// A struct with named fields.
    Object,
    /// A map from names to one value type.
    Map,
    /// `serde_json::Value`.
    Any,
    /// Several alternatives: the keyword and how many branches.
    Composite(&'static str, usize),
}

impl Shape {
    pub(crate) fn of(node: &Value) -> Shape {
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(branches) = node.get(key).and_then(Value::as_array) {
                return Shape::Composite(key, branches.len());
            }
        }
        let kind = node.get("type").and_then(Value::as_str);
        if node.get("enum").is_some() {
            return Shape::Enum(kind.unwrap_or("string").to_owned());
        }
        let has = |key| node.get(key).is_some();
        match kind {
            Some(scalar @ ("string" | "integer" | "number" | "boolean")) => Shape::Scalar(
                scalar_label(scalar, node.get("format").and_then(Value::as_str)),
            ),
            Some("array") => Shape::Array,
            _ if node
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|properties| !properties.is_empty()) =>
            {
                Shape::Object
            }
            Some("object") => Shape::Map,
            _ if has("additionalProperties") => Shape::Map,
            _ if has("items") => Shape::Array,
            _ => Shape::Any,
        }
    }

    /// How the Markdown names it.
    pub(crate) fn label(&self) -> String {
        match self {
            Shape::Scalar(scalar) => format!("`{scalar}`"),
            Shape::Enum(scalar) => format!("`{scalar}` enum"),
            Shape::Array => "array".into(),
            Shape::Object => "object".into(),
            Shape::Map => "map".into(),
            Shape::Any => "any JSON value".into(),
            Shape::Composite(key, count) => format!("`{key}` of {count}"),
        }
    }
}

/// `integer (int64)`; formats that do not change the Rust type are left out.
fn scalar_label(scalar: &str, format: Option<&str>) -> String {
    let typed = match (scalar, format) {
        ("string", Some(f @ ("date" | "date-time" | "time" | "uuid" | "ip" | "ipv4" | "ipv6"))) => {
            Some(f)
        }
        ("integer" | "number", Some(f)) => Some(f),
        _ => None,
    };
    match typed {
        Some(format) => format!("{scalar} ({format})"),
        None => scalar.to_owned(),
    }
}

/// How a schema is named in a message: `` `Playlist` `` for a reference,
/// else its shape.
pub(crate) fn type_label(root: &Value, node: &Value) -> String {
    let node = flatten(node);
    if let Some(name) = reading::referenced_schema(&node) {
        return format!("`{name}`");
    }
    if let Some(known) = open_enum_known(root, &node) {
        return format!("open enum of `{known}`");
    }
    Shape::of(&node).label()
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
