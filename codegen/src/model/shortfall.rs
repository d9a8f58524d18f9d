//! Where a response body falls short of its schema as the model reads it:
//! a required property left out, or a null where the schema does not allow
//! one, at any depth. The schema is read by [`properties`], [`items`] and
//! [`shape`], so `$ref`s, `allOf`s and nullability mean here what they mean
//! to the generator and to upstream-diff; a test that checks a server (or a
//! fake of one) against the spec asks this, not a reading of its own.

use std::fmt;

use serde_json::Value;

use super::{items, properties, shape};

/// One place a response body falls short of its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// Where, as a JSON pointer into the body (`/results/3/created_by/email`;
    /// empty for the body itself).
    pub pointer: String,
    /// What is wrong there.
    pub kind: ShortfallKind,
}

/// What a [`Shortfall`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortfallKind {
    /// A property the object's `required` lists is not there.
    Missing,
    /// The value is null, and its schema is not nullable.
    Null,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "the body"
        } else {
            &self.pointer
        };
        match self.kind {
            ShortfallKind::Missing => write!(formatter, "{pointer}"),
            ShortfallKind::Null => write!(formatter, "{pointer} is null, not nullable"),
        }
    }
}

/// Every place the response `body` falls short of `schema` (a schema of
/// `tree`), in document order: each object's required properties must be
/// there, read through `$ref`s and `allOf`s ([`properties`]), and each
/// value, in nested objects and in array items ([`items`]) alike, may be
/// null only where its [`shape`] is nullable or has no type at all (OpenAPI
/// 3.0's `nullable` adds null to a `type`; a schema without one, which
/// typify makes `serde_json::Value`, takes any value). A write-only
/// property is no part of a response, so it is never missing. Types are
/// not compared: serde does that when the client parses the body.
pub fn shortfalls(tree: &Value, schema: &Value, body: &Value) -> Vec<Shortfall> {
    let mut found = Vec::new();
    check(tree, schema, body, String::new(), &mut found);
    found
}

// Each call goes one level down `value`, which is finite, so a schema that
// reaches itself still ends.
fn check(tree: &Value, schema: &Value, value: &Value, pointer: String, found: &mut Vec<Shortfall>) {
    if value.is_null() {
        let shape = shape(tree, schema);
        if !shape.nullable && shape.kind != "any" {
            found.push(Shortfall {
                pointer,
                kind: ShortfallKind::Null,
            });
        }
        return;
    }
    if let (Some(item_schema), Some(values)) = (items(tree, schema), value.as_array()) {
        for (index, item) in values.iter().enumerate() {
            check(tree, item_schema, item, format!("{pointer}/{index}"), found);
        }
        return;
    }
    let Some(object) = value.as_object() else {
        return;
    };
    for property in properties(tree, schema) {
        if property.shape.write_only {
            continue;
        }
        let at = format!("{pointer}/{}", escape(property.name));
        match object.get(property.name) {
            Some(value) => check(tree, property.schema, value, at, found),
            None if property.required => found.push(Shortfall {
                pointer: at,
                kind: ShortfallKind::Missing,
            }),
            None => {}
        }
    }
}

/// A name as a JSON pointer token (RFC 6901: `~` is `~0`, `/` is `~1`).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{ShortfallKind, shortfalls};

    fn tree() -> Value {
        json!({ "components": { "schemas": {
            "User": {
                "type": "object",
                "required": ["id", "email"],
                "properties": {
                    "id": {"type": "integer"},
                    "email": {"type": "string"},
                    "password": {"type": "string", "writeOnly": true}
                }
            },
            "Base": {"type": "object", "required": ["a/b"], "properties": {"a/b": {"type": "string"}}},
            "Page": {
                "allOf": [{"$ref": "#/components/schemas/Base"}],
                "required": ["results", "next", "password"],
                "properties": {
                    "next": {"type": "string", "nullable": true},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                    "password": {"type": "string", "writeOnly": true}
                }
            },
            "Thing": {
                "type": "object",
                "required": ["owner", "editor", "free"],
                "properties": {
                    "owner": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/User"}]},
                    "editor": {"allOf": [{"$ref": "#/components/schemas/User"}]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "free": {}
                }
            }
        } } })
    }

    fn found(body: &Value) -> Vec<(String, ShortfallKind)> {
        let tree = tree();
        let page = json!({ "$ref": "#/components/schemas/Page" });
        shortfalls(&tree, &page, body)
            .into_iter()
            .map(|shortfall| (shortfall.pointer, shortfall.kind))
            .collect()
    }

    #[test]
    fn a_body_with_what_is_required_and_nulls_where_allowed_falls_short_nowhere() {
        let user = json!({"id": 1, "email": "a@b.c"});
        let body = json!({
            "a/b": "x",
            "next": null,
            "results": [{"owner": null, "editor": user, "free": null}, {"owner": user, "editor": user, "free": 3}]
        });
        assert_eq!(found(&body), []);
    }

    #[test]
    fn required_properties_are_missed_at_any_depth_through_refs_all_of_and_items() {
        let body = json!({
            "next": null,
            "results": [
                {"owner": {"id": 1, "email": "a@b.c"}, "editor": {"id": 2, "email": "d@e.f"}, "free": 1},
                {"owner": {"id": 3}, "editor": {"email": "g@h.i"}, "free": 1, "tags": [null]}
            ]
        });
        assert_eq!(
            found(&body),
            [
                ("/results/1/owner/email".to_owned(), ShortfallKind::Missing),
                ("/results/1/editor/id".to_owned(), ShortfallKind::Missing),
                ("/results/1/tags/0".to_owned(), ShortfallKind::Null),
                ("/a~1b".to_owned(), ShortfallKind::Missing),
            ],
            "`a/b` comes through `allOf`, after the object's own properties; \
             the write-only `password` is never missing"
        );
    }

    #[test]
    fn a_null_is_a_shortfall_only_where_the_schema_is_not_nullable() {
        let body = json!({"a/b": null, "next": null, "results": null});
        assert_eq!(
            found(&body),
            [
                ("/results".to_owned(), ShortfallKind::Null),
                ("/a~1b".to_owned(), ShortfallKind::Null),
            ]
        );
        let thing = json!({"owner": null, "editor": null, "free": null});
        let body = json!({"a/b": "", "next": null, "results": [thing]});
        assert_eq!(
            found(&body),
            [("/results/0/editor".to_owned(), ShortfallKind::Null)],
            "`owner` says nullable beside its `allOf`, `free` has no type"
        );
        let tree = tree();
        let shortfall = &shortfalls(&tree, &json!({"type": "object"}), &Value::Null)[0];
        assert_eq!(shortfall.to_string(), "the body is null, not nullable");
    }
}
