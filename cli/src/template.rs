//! What `--json-body-template` prints: a JSON body with every field of the
//! command's body, each holding a placeholder of its type (the first of an
//! enum's values, `""`, `0`, `false`, `[]`), for the user to edit and pass
//! back with `--json-body`. Built from the body's JSON Schema, which the
//! generated CLI gives per command, so it always has the fields the command
//! would read.

use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use serde_json::{Map, Value};

/// A placeholder body for `root`.
pub(crate) fn template(root: &RootSchema) -> Value {
    placeholder(root, &root.schema, 0)
}

/// How deep `$ref`s are followed: a recursive schema ends in `{}`.
const MAX_DEPTH: usize = 8;

fn placeholder(root: &RootSchema, schema: &SchemaObject, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Object(Map::new());
    }
    if let Some(reference) = &schema.reference {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return match root.definitions.get(name) {
            Some(Schema::Object(target)) => placeholder(root, target, depth + 1),
            _ => Value::Object(Map::new()),
        };
    }
    if let Some(first) = schema
        .enum_values
        .as_ref()
        .and_then(|values| values.first())
    {
        return first.clone();
    }
    if let Some(subschemas) = &schema.subschemas {
        let choices = subschemas
            .all_of
            .iter()
            .chain(&subschemas.any_of)
            .chain(&subschemas.one_of)
            .flatten();
        // The first choice that is not `null`: an optional field shows its
        // shape, not its absence.
        for choice in choices {
            if let Schema::Object(choice) = choice {
                let value = placeholder(root, choice, depth + 1);
                if !value.is_null() {
                    return value;
                }
            }
        }
    }
    match kind(schema) {
        Some(InstanceType::String) => Value::String(String::new()),
        Some(InstanceType::Integer | InstanceType::Number) => Value::from(0),
        Some(InstanceType::Boolean) => Value::Bool(false),
        Some(InstanceType::Array) => Value::Array(Vec::new()),
        Some(InstanceType::Null) => Value::Null,
        Some(InstanceType::Object) | None => {
            let properties = schema.object.as_ref().map(|object| &object.properties);
            Value::Object(
                properties
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| {
                        let value = match property {
                            Schema::Object(property) => placeholder(root, property, depth + 1),
                            Schema::Bool(_) => Value::Null,
                        };
                        (name.clone(), value)
                    })
                    .collect(),
            )
        }
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
    use super::template;
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

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        count: i64,
        kind: Kind,
        inner: Option<Inner>,
        tags: Vec<String>,
    }

    #[test]
    fn every_field_gets_a_placeholder_of_its_type() {
        assert_eq!(
            template(&schemars::schema_for!(Body)),
            json!({
                "name": "",
                "count": 0,
                "kind": "collection",
                "inner": {"flag": false},
                "tags": [],
            })
        );
    }
}
