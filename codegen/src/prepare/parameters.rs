//! **Parameters the mocks and the CLI can write.** The typed mocks match a
//! parameter by its text (`value.to_string()`) and the CLI parses one with
//! clap's `value_parser!`, so a parameter's type needs `Display` and
//! `FromStr` (or is a list or map, which `rewrite` handles). typify gives
//! neither to the untagged enum it makes of a `oneOf`/`anyOf` with several
//! branches, so such an inline parameter schema does not compile. Two
//! rewrites make it one that does:
//!
//! - **One or many.** `oneOf: [{type: string}, {type: array, items: {type:
//!   string}}]` (a value, or a list of them) becomes the list: a query
//!   parameter in form style sends a list of one exactly as the value
//!   (`id=a`), so the request is the same, and no warning is needed.
//! - **Any other choice** becomes a string, which the caller writes as the
//!   server expects; with a warning.
//!
//! A parameter whose schema is a `$ref` to a nullable component
//! (`tool-guid: {type: string, nullable: true}`) would be typify's
//! `Option` wrapper, which has neither; a parameter is never null (absent
//! is `None`), so it takes the component's schema inline without
//! `nullable`.

use serde_json::{Value, json};

use super::Note;
use crate::WarningKind;
use crate::error::pointer_join;
use crate::reading;

/// Rewrites the inline schema of every parameter in `tree` (of path items,
/// operations and `#/components/parameters`) as the module docs say.
pub(super) fn writable_parameters(tree: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    let schemas = tree
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    let rewrite = |parameter: &mut Value, pointer: &str, notes: &mut Vec<Note>| {
        rewrite(parameter, &schemas, pointer, notes);
    };
    if let Some(paths) = tree.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let item_pointer = pointer_join("#/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (key, node) in item.iter_mut() {
                if key != "parameters" && crate::reading::operation_method(key).is_none() {
                    continue;
                }
                let (parameters, pointer) = if key == "parameters" {
                    (Some(node), pointer_join(&item_pointer, key))
                } else {
                    let pointer = pointer_join(&pointer_join(&item_pointer, key), "parameters");
                    (node.get_mut("parameters"), pointer)
                };
                let list = parameters
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten();
                for (index, parameter) in list.enumerate() {
                    rewrite(
                        parameter,
                        &pointer_join(&pointer, &index.to_string()),
                        &mut notes,
                    );
                }
            }
        }
    }
    let shared = tree.pointer_mut("/components/parameters");
    for (name, parameter) in shared.and_then(Value::as_object_mut).into_iter().flatten() {
        let pointer = pointer_join("#/components/parameters", name);
        rewrite(parameter, &pointer, &mut notes);
    }
    notes
}

fn rewrite(parameter: &mut Value, schemas: &Value, pointer: &str, notes: &mut Vec<Note>) {
    let Some(schema) = parameter.get_mut("schema") else {
        return;
    };
    if let Some(name) = reading::referenced_schema(schema)
        && let Some(Value::Object(target)) = schemas.get(name)
        && target.get("nullable") == Some(&Value::Bool(true))
    {
        let mut inline = target.clone();
        inline.remove("nullable");
        *schema = Value::Object(inline);
    }
    let Some(branches) = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|key| schema.get(key)?.as_array())
        .filter(|branches| branches.len() > 1)
    else {
        return;
    };
    let description = schema.get("description").cloned();
    let mut rewritten = match one_or_many(branches) {
        Some(list) => list,
        None => {
            notes.push(Note {
                pointer: pointer_join(pointer, "schema"),
                kind: WarningKind::Loosened,
                message: "a parameter of several alternative types has no text form the typed mocks and the CLI can write, so codegen makes it a string: write the value as the server expects it".into(),
            });
            json!({ "type": "string" })
        }
    };
    if let (Some(description), Some(object)) = (description, rewritten.as_object_mut()) {
        object.insert("description".into(), description);
    }
    *schema = rewritten;
}

/// The list schema of a "value, or a list of such values" choice: two
/// branches, one a list whose items are the other.
fn one_or_many(branches: &[Value]) -> Option<Value> {
    let [first, second] = branches else {
        return None;
    };
    let is_list_of = |list: &Value, item: &Value| {
        list.get("type").and_then(Value::as_str) == Some("array") && list.get("items") == Some(item)
    };
    if is_list_of(second, first) {
        Some(second.clone())
    } else if is_list_of(first, second) {
        Some(first.clone())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::writable_parameters;
    use serde_json::json;

    #[test]
    fn a_value_or_a_list_becomes_the_list_and_another_choice_a_string() {
        let one_or_many =
            json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
        let mut tree = json!({
            "paths": {"/a": {
                "parameters": [{"name": "id", "in": "query", "schema": one_or_many}],
                "get": {"parameters": [
                    {"name": "when", "in": "query", "schema": {"anyOf": [{"type": "integer"}, {"type": "string", "format": "date"}], "description": "d"}},
                    {"name": "plain", "in": "query", "schema": {"type": "string"}},
                    {"name": "guid", "in": "query", "schema": {"$ref": "#/components/schemas/Guid"}}
                ]}
            }},
            "components": {
                "parameters": {"Ids": {"name": "ids", "in": "query", "schema": one_or_many}},
                "schemas": {"Guid": {"type": "string", "nullable": true, "description": "g"}}
            }
        });
        let notes = writable_parameters(&mut tree);
        let list = json!({"type": "array", "items": {"type": "string"}});
        assert_eq!(tree["paths"]["/a"]["parameters"][0]["schema"], list);
        assert_eq!(tree["components"]["parameters"]["Ids"]["schema"], list);
        assert_eq!(
            tree["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "description": "d"})
        );
        assert_eq!(
            tree["paths"]["/a"]["get"]["parameters"][1]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            tree["paths"]["/a"]["get"]["parameters"][2]["schema"],
            json!({"type": "string", "description": "g"})
        );
        let [note] = notes.as_slice() else {
            panic!("{notes:?}");
        };
        assert_eq!(note.pointer, "#/paths/~1a/get/parameters/0/schema");
    }
}
