//! The spec as a JSON value, for the tests that walk it: the example checks
//! find every example through it, and the contract test the list of
//! operations it must call. YAML anchors are resolved on loading, so a
//! shared example counts at every place that uses it.

use codegen::model::OperationModel;
use serde_json::Value;

/// `spec/openapi.yaml`, from this crate's folder.
pub(crate) const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");

/// The committed spec.
pub(crate) fn load() -> Value {
    let text = std::fs::read_to_string(SPEC_PATH).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{SPEC_PATH}: {error}"))
}

/// Every operation of the spec, in document order, as the generator reads
/// them: `codegen`'s model, with parameters, bodies and responses resolved.
pub(crate) fn operations(spec: &Value) -> Vec<OperationModel<'_>> {
    codegen::model::model(spec).operations
}

/// An operation's `operationId`, or a note that it has none.
pub(crate) fn id(operation: &OperationModel<'_>) -> String {
    operation.id.map_or_else(
        || {
            format!(
                "<{} {} has no operationId>",
                operation.operation.method, operation.operation.path
            )
        },
        str::to_owned,
    )
}

/// `node`, or what its local `$ref` (followed to the end) points at.
pub(crate) fn resolve<'a>(spec: &'a Value, node: &'a Value) -> Result<&'a Value, String> {
    let mut current = node;
    // A chain longer than this is a cycle.
    for _ in 0..32 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        if !reference.starts_with('#') {
            return Err(format!("`$ref: {reference}` is not local to the spec"));
        }
        let (target, found) = codegen::reading::resolve(spec, current);
        if found.is_none() {
            return Err(format!("`$ref: {reference}` points at nothing"));
        }
        current = target;
    }
    Err("a `$ref` chain does not end".to_owned())
}
