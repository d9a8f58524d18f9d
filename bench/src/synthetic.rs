//! Large specs made from the real one, so growth can be measured without
//! committing huge files. Copy 0 is the spec unchanged; copy `k` repeats
//! every path under `/copy{k}`, every operationId with `_copy{k}` and every
//! component schema with `Copy{k}` (its `$ref`s follow), so the result
//! still validates and generates: one more copy adds the same amount of
//! work as the first. Shared components (parameters, responses, security
//! schemes) stay single.

use codegen::reading;
use serde_json::{Map, Value};

/// `template` grown (or cut) to exactly `operations` operations, copy by
/// copy in document order.
///
/// # Panics
/// If `template` has no operations to copy.
pub fn synthetic_spec(template: &Value, operations: usize) -> Value {
    let per_copy = reading::count_operations(template);
    assert!(per_copy > 0, "the template spec has no operations");
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut left = operations;
    for copy in 0..operations.div_ceil(per_copy) {
        for (path, item) in template_paths(template) {
            if let Some(item) = copy_path_item(item, copy, &mut left) {
                paths.insert(renamed_path(path, copy), item);
            }
        }
        for (name, schema) in reading::component_schemas(template) {
            schemas.insert(renamed_schema(name, copy), renamed_refs(schema, copy));
        }
    }
    let mut spec = template.clone();
    spec["paths"] = Value::Object(paths);
    if !schemas.is_empty() {
        spec["components"]["schemas"] = Value::Object(schemas);
    }
    spec
}

fn template_paths(tree: &Value) -> impl Iterator<Item = (&String, &Value)> {
    tree.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The path item for copy `copy`, taking operations from the `left` budget;
/// `None` when the budget is spent.
fn copy_path_item(item: &Value, copy: usize, left: &mut usize) -> Option<Value> {
    let mut copied = Map::new();
    let mut has_operation = false;
    for (key, value) in item.as_object()? {
        if reading::operation_method(key).is_none() {
            copied.insert(key.clone(), renamed_refs(value, copy));
        } else if *left > 0 {
            *left -= 1;
            has_operation = true;
            copied.insert(key.clone(), renamed_operation(value, copy));
        }
    }
    has_operation.then_some(Value::Object(copied))
}

fn renamed_operation(operation: &Value, copy: usize) -> Value {
    let mut operation = renamed_refs(operation, copy);
    if copy > 0
        && let Some(id) = operation.get("operationId").and_then(Value::as_str)
    {
        operation["operationId"] = Value::String(format!("{id}_copy{copy}"));
    }
    operation
}

fn renamed_path(path: &str, copy: usize) -> String {
    match copy {
        0 => path.to_owned(),
        _ => format!("/copy{copy}{path}"),
    }
}

fn renamed_schema(name: &str, copy: usize) -> String {
    match copy {
        0 => name.to_owned(),
        _ => format!("{name}Copy{copy}"),
    }
}

/// `node` with every `$ref` to a component schema pointing at copy `copy`.
fn renamed_refs(node: &Value, copy: usize) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let target = value.as_str().and_then(reading::schema_name);
                    let value = match (key.as_str(), target) {
                        ("$ref", Some(name)) => {
                            Value::String(reading::schema_ref(&renamed_schema(name, copy)))
                        }
                        _ => renamed_refs(value, copy),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| renamed_refs(item, copy)).collect())
        }
        other => other.clone(),
    }
}
