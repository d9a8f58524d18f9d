//! What the CLI knows of a command's JSON body, from the JSON Schema the
//! generated CLI gives per command (`Cli::json_body_schema`): the template
//! `--json-body-template` prints, whose every field holds a placeholder;
//! the placeholders a body still holds, which the CLI refuses to send; and
//! the fields a body may have, so that one it does not know (a typo) is
//! refused by name. serde would drop an unknown field and send a
//! placeholder string as a value, and PostHog would act on either.

use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use serde_json::{Map, Value};

/// How deep `$ref`s are followed: a recursive schema ends there.
const MAX_DEPTH: usize = 8;

/// A body for `root` with every field holding a placeholder: `"<string>"`
/// (or its format: `"<date-time>"`), `"<integer>"`, `"<number>"`,
/// `"<true|false>"`, an enum's values (`"<collection|filters>"`),
/// `"<JSON>"` for any JSON, a list of one placeholder, an object of them.
/// Every placeholder is text in angle brackets, which no field of a body
/// takes as it is ([`placeholders_left`]).
pub(crate) fn template(root: &RootSchema) -> Value {
    placeholder(root, &root.schema, 0)
}

/// The places (JSON pointers, in order) where `body` still holds the
/// placeholder the template prints there.
pub(crate) fn placeholders_left(root: &RootSchema, body: &Value) -> Vec<String> {
    let mut found = Vec::new();
    same_placeholders(&template(root), body, "", &mut found);
    found.sort();
    found
}

/// A field of a body that its schema does not know.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnknownField {
    /// Where it is, as a JSON pointer: `/nmae`.
    pub(crate) pointer: String,
    /// The fields the object holding it may have.
    pub(crate) known: Vec<String>,
}

/// The fields of `body` that `root` does not know, at any depth, in the
/// order of their pointers: in an object whose schema lists its properties
/// and allows no others (as a Rust struct, which would drop them
/// silently).
pub(crate) fn unknown_fields(root: &RootSchema, body: &Value) -> Vec<UnknownField> {
    let mut found = Vec::new();
    unknown_in(root, &root.schema, body, "", 0, &mut found);
    found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    found
}

fn placeholder(root: &RootSchema, schema: &SchemaObject, depth: usize) -> Value {
    let Some(schema) = resolve(root, schema, depth) else {
        return any();
    };
    if let Some(values) = enum_values(schema) {
        let values: Vec<String> = values
            .into_iter()
            .map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        return Value::String(format!("<{}>", values.join("|")));
    }
    match kind(schema) {
        Some(InstanceType::String) => Value::String(format!(
            "<{}>",
            schema.format.as_deref().unwrap_or("string")
        )),
        Some(InstanceType::Integer) => Value::String("<integer>".into()),
        Some(InstanceType::Number) => Value::String("<number>".into()),
        Some(InstanceType::Boolean) => Value::String("<true|false>".into()),
        Some(InstanceType::Null) => Value::Null,
        Some(InstanceType::Array) => match item_schema(schema) {
            Some(item) => Value::Array(vec![placeholder(root, item, depth + 1)]),
            None => Value::Array(vec![any()]),
        },
        Some(InstanceType::Object) | None => {
            let properties = schema
                .object
                .as_ref()
                .map(|object| &object.properties)
                .filter(|properties| !properties.is_empty());
            let Some(properties) = properties else {
                return any();
            };
            Value::Object(
                properties
                    .iter()
                    .map(|(name, property)| {
                        let value = match property {
                            Schema::Object(property) => placeholder(root, property, depth + 1),
                            Schema::Bool(_) => any(),
                        };
                        (name.clone(), value)
                    })
                    .collect::<Map<String, Value>>(),
            )
        }
    }
}

/// The values of an enum: listed in `enum`, or, when its values are
/// documented, one per `oneOf` choice (schemars' shape for an enum whose
/// variants have doc comments).
fn enum_values(schema: &SchemaObject) -> Option<Vec<&Value>> {
    if let Some(values) = &schema.enum_values {
        return Some(values.iter().collect());
    }
    let choices = schema.subschemas.as_ref()?.one_of.as_ref()?;
    choices
        .iter()
        .map(|choice| match choice {
            Schema::Object(choice) => match (&choice.const_value, &choice.enum_values) {
                (Some(value), _) => Some(value),
                (None, Some(values)) if values.len() == 1 => values.first(),
                _ => None,
            },
            Schema::Bool(_) => None,
        })
        .collect()
}

/// The placeholder of a field that takes any JSON.
fn any() -> Value {
    Value::String("<JSON>".into())
}

fn is_placeholder(text: &str) -> bool {
    text.len() > 2 && text.starts_with('<') && text.ends_with('>')
}

fn same_placeholders(template: &Value, body: &Value, pointer: &str, found: &mut Vec<String>) {
    match (template, body) {
        (Value::Object(template), Value::Object(body)) => {
            for (key, value) in body {
                if let Some(expected) = template.get(key) {
                    same_placeholders(expected, value, &child(pointer, key), found);
                }
            }
        }
        (Value::Array(template), Value::Array(body)) => {
            if let Some(expected) = template.first() {
                for (index, value) in body.iter().enumerate() {
                    same_placeholders(expected, value, &child(pointer, &index.to_string()), found);
                }
            }
        }
        (Value::String(expected), Value::String(value))
            if expected == value && is_placeholder(value) =>
        {
            found.push(if pointer.is_empty() { "/" } else { pointer }.to_owned());
        }
        _ => {}
    }
}

fn unknown_in(
    root: &RootSchema,
    schema: &SchemaObject,
    body: &Value,
    pointer: &str,
    depth: usize,
    found: &mut Vec<UnknownField>,
) {
    let Some(schema) = resolve(root, schema, depth) else {
        return;
    };
    match body {
        Value::Object(members) => {
            let Some(object) = &schema.object else { return };
            let closed = !object.properties.is_empty()
                && object.pattern_properties.is_empty()
                && matches!(
                    object.additional_properties.as_deref(),
                    None | Some(Schema::Bool(false))
                );
            for (key, value) in members {
                match object.properties.get(key) {
                    Some(Schema::Object(property)) => {
                        unknown_in(
                            root,
                            property,
                            value,
                            &child(pointer, key),
                            depth + 1,
                            found,
                        );
                    }
                    Some(Schema::Bool(_)) => {}
                    None if closed => found.push(UnknownField {
                        pointer: child(pointer, key),
                        known: object.properties.keys().cloned().collect(),
                    }),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = item_schema(schema) {
                for (index, value) in items.iter().enumerate() {
                    let at = child(pointer, &index.to_string());
                    unknown_in(root, item, value, &at, depth + 1, found);
                }
            }
        }
        _ => {}
    }
}

/// `pointer` with `key` appended, escaped as RFC 6901 says.
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The schema `schema` stands for: its `$ref` followed, and an `allOf` of
/// one schema or an `anyOf`/`oneOf` of one schema and `null` (how
/// schemars writes a described reference and an `Option`) opened. `None`
/// past [`MAX_DEPTH`] or at a `$ref` to nothing.
fn resolve<'a>(
    root: &'a RootSchema,
    mut schema: &'a SchemaObject,
    depth: usize,
) -> Option<&'a SchemaObject> {
    for _ in depth..=MAX_DEPTH {
        if let Some(reference) = &schema.reference {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            match root.definitions.get(name) {
                Some(Schema::Object(target)) => {
                    schema = target;
                    continue;
                }
                _ => return None,
            }
        }
        let Some(subschemas) = &schema.subschemas else {
            return Some(schema);
        };
        let choices: Vec<&Schema> = subschemas
            .all_of
            .iter()
            .chain(&subschemas.any_of)
            .chain(&subschemas.one_of)
            .flatten()
            .filter(|choice| !is_null(choice))
            .collect();
        match choices.as_slice() {
            [Schema::Object(only)] if schema.object.is_none() && schema.instance_type.is_none() => {
                schema = only;
            }
            _ => return Some(schema),
        }
    }
    None
}

fn is_null(schema: &Schema) -> bool {
    matches!(schema, Schema::Object(object)
        if object.instance_type == Some(SingleOrVec::Single(Box::new(InstanceType::Null))))
}

/// The schema of an array's items, when it has one.
fn item_schema(schema: &SchemaObject) -> Option<&SchemaObject> {
    match schema.array.as_ref()?.items.as_ref()? {
        SingleOrVec::Single(item) => match &**item {
            Schema::Object(item) => Some(item),
            Schema::Bool(_) => None,
        },
        SingleOrVec::Vec(_) => None,
    }
}

/// The schema's type, ignoring `null` beside another type.
fn kind(schema: &SchemaObject) -> Option<InstanceType> {
    match schema.instance_type.as_ref()? {
        SingleOrVec::Single(kind) => Some(**kind),
        SingleOrVec::Vec(kinds) => kinds
            .iter()
            .copied()
            .find(|kind| *kind != InstanceType::Null)
            .or(Some(InstanceType::Null)),
    }
}

#[cfg(test)]
mod tests {
    use super::{UnknownField, placeholders_left, template, unknown_fields};
    use serde_json::json;

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    enum Kind {
        #[serde(rename = "collection")]
        Collection,
        #[serde(rename = "filters")]
        Filters,
    }

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Inner {
        flag: bool,
    }

    /// A body of every kind of field.
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        count: i64,
        /// Described, so schemars writes it as an `allOf` of the reference.
        kind: Kind,
        inner: Option<Inner>,
        tags: Vec<String>,
        filters: Option<serde_json::Value>,
        extra: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn every_field_gets_a_placeholder_of_its_type() {
        assert_eq!(
            template(&schemars::schema_for!(Body)),
            json!({
                "name": "<string>",
                "count": "<integer>",
                "kind": "<collection|filters>",
                "inner": {"flag": "<true|false>"},
                "tags": ["<string>"],
                "filters": "<JSON>",
                "extra": "<JSON>",
            })
        );
    }

    #[test]
    fn a_placeholder_sent_back_unchanged_is_found_where_it_is() {
        let schema = schemars::schema_for!(Body);
        let mut body = template(&schema);
        assert_eq!(
            placeholders_left(&schema, &body),
            [
                "/count",
                "/extra",
                "/filters",
                "/inner/flag",
                "/kind",
                "/name",
                "/tags/0"
            ]
        );
        body["name"] = json!("Checkout");
        body["inner"]["flag"] = json!(true);
        body["tags"] = json!(["a", "<string>"]);
        body["kind"] = json!("collection");
        body["count"] = json!(3);
        body["filters"] = json!({"date_from": "-7d"});
        body.as_object_mut().unwrap().remove("extra");
        assert_eq!(placeholders_left(&schema, &body), ["/tags/1"]);
    }

    #[test]
    fn a_field_the_body_does_not_know_is_named_with_those_it_does() {
        let schema = schemars::schema_for!(Body);
        let body = json!({
            "nmae": "x",
            "inner": {"flag": true, "flga": false},
            "filters": {"anything": "goes"},
            "extra": {"free": "too"},
        });
        let known = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
        assert_eq!(
            unknown_fields(&schema, &body),
            [
                UnknownField {
                    pointer: "/inner/flga".into(),
                    known: known(&["flag"]),
                },
                UnknownField {
                    pointer: "/nmae".into(),
                    known: known(&["count", "extra", "filters", "inner", "kind", "name", "tags"]),
                },
            ]
        );
    }
}
