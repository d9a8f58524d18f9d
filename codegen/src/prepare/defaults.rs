//! **Defaults typify refuses.** typify checks every `default` against its
//! schema and fails the whole run on one that does not fit ("value does
//! not conform to the given schema"), without saying which. Two kinds are
//! dropped here:
//!
//! - a default of an enum with a single value, which only repeats that
//!   value (typify fails on these inside `anyOf` branches); nothing is
//!   lost, so no warning;
//! - a default that does not fit its own schema (a value outside the enum,
//!   a string for a number, `null` where null is not allowed). Such a
//!   default is a mistake in the spec; codegen drops it and warns.
//!
//! The check follows `$ref`, `allOf` (every branch), `anyOf` and `oneOf`
//! (some branch), `enum`, `type`, `nullable` and array items; what it
//! cannot tell, it accepts.

use serde_json::{Map, Value};

/// Drops the defaults described above under `tree`; returns the pointer
/// and message of each dropped default that was a mistake.
pub(super) fn drop_unusable_defaults(tree: &mut Value) -> Vec<(String, String)> {
    let mut dropped = Vec::new();
    let mut targets = Vec::new();
    find(tree, tree, "#", &mut targets, &mut dropped);
    for (pointer, _) in targets.iter().chain(&dropped) {
        if let Some(Value::Object(schema)) = tree.pointer_mut(&pointer[1..]) {
            schema.remove("default");
        }
    }
    dropped
}

/// Whether `schema`'s `default` reaches the generator: it has one, and it
/// is neither implied by a one-value enum nor a mistake (both dropped).
pub(crate) fn keeps_default(root: &Value, schema: &Map<String, Value>) -> bool {
    let Some(default) = schema.get("default") else {
        return false;
    };
    if !is_schema_like(schema) {
        return false;
    }
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) if values.len() == 1 && values[0] == *default => false,
        _ => fits_object(root, default, schema, 0),
    }
}

/// Collects the schemas whose default goes: implied ones in `implied`,
/// mistaken ones with a message in `mistaken`.
fn find(
    root: &Value,
    node: &Value,
    pointer: &str,
    implied: &mut Vec<(String, String)>,
    mistaken: &mut Vec<(String, String)>,
) {
    crate::walk::each_object(node, pointer, &mut |schema, pointer| {
        let Some(default) = schema.get("default") else {
            return;
        };
        if !is_schema_like(schema) {
            return;
        }
        match schema.get("enum").and_then(Value::as_array) {
            Some(values) if values.len() == 1 && values[0] == *default => {
                implied.push((pointer.to_owned(), String::new()));
            }
            _ if !fits_object(root, default, schema, 0) => mistaken.push((
                pointer.to_owned(),
                format!(
                    "its `default: {default}` does not fit the schema, so codegen ignores it; fix or remove the default"
                ),
            )),
            _ => {}
        }
    });
}

/// Whether an object with a `default` is a schema (a parameter, header or
/// server variable also has one).
fn is_schema_like(schema: &Map<String, Value>) -> bool {
    [
        "type",
        "enum",
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "items",
        "properties",
        "nullable",
    ]
    .iter()
    .any(|key| schema.contains_key(*key))
}

/// Whether `value` is an instance of `schema`, as far as this can tell.
fn fits(root: &Value, value: &Value, schema: &Value, depth: usize) -> bool {
    schema
        .as_object()
        .is_none_or(|schema| fits_object(root, value, schema, depth))
}

/// [`fits`] for a schema given as its object.
fn fits_object(root: &Value, value: &Value, schema: &Map<String, Value>, depth: usize) -> bool {
    // A cycle of `$ref`s, or a very deep schema: accept rather than guess.
    if depth > 32 {
        return true;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        // A `$ref` that resolves nowhere is `validate`'s to report.
        return crate::reading::ref_target(root, reference)
            .is_none_or(|(target, _)| fits(root, value, target, depth + 1));
    }
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    let branches = |key: &str| schema.get(key).and_then(Value::as_array);
    if let Some(all) = branches("allOf")
        && !all
            .iter()
            .all(|branch| fits(root, value, branch, depth + 1))
    {
        return false;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(any) = branches(key)
            && !any
                .iter()
                .any(|branch| fits(root, value, branch, depth + 1))
        {
            return false;
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        return false;
    }
    let kind_fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("array") => value.as_array().is_some_and(|items| {
            schema
                .get("items")
                .is_none_or(|item| items.iter().all(|v| fits(root, v, item, depth + 1)))
        }),
        Some("object") => value.is_object(),
        _ => true,
    };
    // `null` fits only a nullable schema, and a schema without a type or
    // enum says nothing against it.
    kind_fits && !(value.is_null() && (schema.contains_key("type") || schema.contains_key("enum")))
}

#[cfg(test)]
mod tests {
    use super::drop_unusable_defaults;
    use serde_json::json;

    #[test]
    fn drops_implied_and_mistaken_defaults_only() {
        let mut tree = json!({"components": {"schemas": {
            "Op": {"type": "string", "enum": ["AND", "OR"]},
            "Kind": {"type": "string", "enum": ["DateTime", "String"]},
            "Filter": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["event"], "default": "event"},
                "kind": {"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "AND"},
                "op": {"allOf": [{"$ref": "#/components/schemas/Op"}], "default": "AND"},
                "limit": {"type": "integer", "default": 100},
                "name": {"type": "string", "default": null},
                "note": {"type": "string", "nullable": true, "default": null},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []}
            }}
        }}});
        let dropped = drop_unusable_defaults(&mut tree);
        let pointers: Vec<&str> = dropped.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/Filter/properties/kind",
                "#/components/schemas/Filter/properties/name"
            ]
        );
        assert!(
            dropped[0].1.contains("`default: \"AND\"` does not fit"),
            "{dropped:?}"
        );
        let properties = &tree["components"]["schemas"]["Filter"]["properties"];
        for gone in ["type", "kind", "name"] {
            assert!(properties[gone].get("default").is_none(), "{gone}");
        }
        for kept in ["op", "limit", "note", "tags"] {
            assert!(properties[kept].get("default").is_some(), "{kept}");
        }
    }
}
