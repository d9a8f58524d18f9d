//! Every property in the spec has a description, which typify turns into
//! its generated field's doc line: a reader of `types::*` never meets a
//! field the spec does not explain.
//!
//! A description beside a `$ref` does not count: OpenAPI 3.0 ignores the
//! siblings of a `$ref`, and so does typify. Such a property is written
//! `allOf: [$ref: …]` with its description beside the `allOf`.

use codegen::reading;
use serde_json::{Value, json};

use crate::spec;

/// The JSON pointer of every property under the component schemas of
/// `tree` (nested object schemas and array items included) that has no
/// description of its own.
fn undocumented(tree: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for (name, schema) in reading::component_schemas(tree) {
        walk(schema, &reading::schema_ref(name), &mut found);
    }
    found
}

fn walk(schema: &Value, pointer: &str, found: &mut Vec<String>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let at = format!("{pointer}/properties/{name}");
            let described = property
                .get("description")
                .and_then(Value::as_str)
                .is_some_and(|text| !text.trim().is_empty());
            if !described || property.get("$ref").is_some() {
                found.push(at.clone());
            }
            walk(property, &at, found);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = schema.get(key) {
            walk(child, &format!("{pointer}/{key}"), found);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (index, branch) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk(branch, &format!("{pointer}/{key}/{index}"), found);
        }
    }
}

#[test]
fn every_property_of_the_spec_has_a_description() {
    let missing = undocumented(&spec::load());
    assert!(
        missing.is_empty(),
        "these properties have no description (from PostHog's serializer or model help \
         text); beside a `$ref`, write `allOf: [$ref: …]` and describe it there:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_property_without_its_own_description_is_found() {
    let tree = json!({ "components": { "schemas": {
        "Page": { "type": "object", "properties": {
            "documented": { "type": "string", "description": "Said." },
            "empty": { "type": "string", "description": " " },
            "bare": { "type": "integer" },
            // OpenAPI 3.0 ignores a `$ref`'s siblings.
            "beside_ref": { "$ref": "#/components/schemas/Item", "description": "Ignored." },
            "wrapped": { "allOf": [{ "$ref": "#/components/schemas/Item" }], "description": "Kept." },
            "items": { "type": "array", "description": "Listed.", "items": {
                "type": "object", "properties": { "inner": { "type": "string" } }
            } },
        } },
        "Item": { "type": "string" },
    } } });
    assert_eq!(
        undocumented(&tree),
        [
            "#/components/schemas/Page/properties/empty",
            "#/components/schemas/Page/properties/bare",
            "#/components/schemas/Page/properties/beside_ref",
            "#/components/schemas/Page/properties/items/items/properties/inner",
        ]
    );
}
