//! Which operation or component schema makes generation fail. progenitor
//! reports a failure (or panics) without saying where in the spec; codegen
//! then generates one piece of the document at a time, each with only the
//! components it reaches, and names the first piece that fails on its own
//! the same way as the whole document: a piece can fail for a reason of its
//! own (with one of the components, its output has another shape), and
//! blaming it would name an operation that is fine. Only when no piece
//! fails the same way is the first that fails with a failure of the same
//! kind named. This runs only after a failure, so a spec that generates
//! pays nothing.

use std::collections::BTreeSet;
use std::mem::discriminant;

use openapiv3::OpenAPI;
use serde_json::{Map, Value, json};

use crate::error::pointer_join;
use crate::generate::Failure;
use crate::load::read_typed;
use crate::reading::{operation_method, schema_ref};

/// The JSON pointer of the operation, else the component schema, that
/// fails on its own as the whole document did (`failure`), where
/// `failure_of` says how a piece fails; `None` when no single piece fails
/// so.
pub(crate) fn find_culprit(
    document: &OpenAPI,
    failure_of: impl Fn(&OpenAPI) -> Option<Failure>,
    failure: &Failure,
) -> Option<String> {
    let tree = serde_json::to_value(document).ok()?;
    let same = |piece: &OpenAPI| failure_of(piece).is_some_and(|found| found == *failure);
    let alike = |piece: &OpenAPI| {
        failure_of(piece).is_some_and(|found| discriminant(&found) == discriminant(failure))
    };
    piece_that_fails(&tree, same).or_else(|| piece_that_fails(&tree, alike))
}

/// The pointer of the first operation or component schema of `tree` for
/// which `fails` holds on its own.
fn piece_that_fails(tree: &Value, fails: impl Fn(&OpenAPI) -> bool) -> Option<String> {
    // Schemas fail without any operation; look at them first when the
    // components alone fail, so an operation is not blamed for its schema.
    let all_components = tree.get("components").cloned().unwrap_or_else(|| json!({}));
    if piece(tree, json!({}), all_components).is_some_and(|piece| fails(&piece)) {
        let schema_fails = |name: &str| {
            let reference = json!({ "$ref": schema_ref(name) });
            let components = reachable_components(tree, &[&reference]);
            piece(tree, json!({}), components).is_some_and(|piece| fails(&piece))
        };
        let names = |node: &Value| -> Vec<String> {
            node.pointer("/components/schemas")
                .or_else(|| node.get("schemas"))
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default()
        };
        if let Some(mut culprit) = names(tree).into_iter().find(|name| schema_fails(name)) {
            // Blame the innermost schema: follow the failure into the
            // schemas the culprit reaches while one of them fails alone.
            loop {
                let reference = json!({ "$ref": schema_ref(&culprit) });
                let reached = reachable_components(tree, &[&reference]);
                match names(&reached)
                    .into_iter()
                    .find(|name| *name != culprit && schema_fails(name))
                {
                    Some(inner) => culprit = inner,
                    None => return Some(schema_ref(&culprit)),
                }
            }
        }
    }
    let paths = tree.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in item.keys().filter(|key| operation_method(key).is_some()) {
            let mut alone = item.clone();
            alone.retain(|key, _| key == method || operation_method(key).is_none());
            let alone = Value::Object(alone);
            let components = reachable_components(tree, &[&alone]);
            if piece(tree, json!({ path.clone(): alone }), components)
                .as_ref()
                .is_some_and(&fails)
            {
                return Some(pointer_join(&pointer_join("#/paths", path), method));
            }
        }
    }
    None
}

/// A document with `tree`'s `openapi` and `info`, and the given `paths`
/// and `components`.
fn piece(tree: &Value, paths: Value, components: Value) -> Option<OpenAPI> {
    let mut document = Map::new();
    for field in ["openapi", "info"] {
        document.insert(field.into(), tree.get(field)?.clone());
    }
    document.insert("paths".into(), paths);
    document.insert("components".into(), components);
    read_typed(&Value::Object(document)).ok()
}

/// The components object holding every component that `roots` reach
/// through `$ref`s, directly or through other components.
fn reachable_components(tree: &Value, roots: &[&Value]) -> Value {
    let mut components = Map::new();
    let mut pending = roots.to_vec();
    let mut seen = BTreeSet::new();
    while let Some(node) = pending.pop() {
        for target in refs_in(node) {
            let Some((found, _)) = crate::reading::ref_target(tree, &target) else {
                continue;
            };
            let local = &target[1..];
            if !seen.insert(local.to_owned()) {
                continue;
            }
            pending.push(found);
            let segments: Vec<String> = local.split('/').skip(1).map(unescape).collect();
            if let [section, kind, name] = segments.as_slice()
                && section == "components"
                && let Some(kind) = components
                    .entry(kind.clone())
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
            {
                kind.insert(name.clone(), found.clone());
            }
        }
    }
    Value::Object(components)
}

/// A JSON pointer segment as the key it stands for (`~1` → `/`, `~0` → `~`).
pub(crate) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Every `$ref` target below `node`, data left out ([`crate::walk`]).
fn refs_in(node: &Value) -> Vec<String> {
    let mut found = Vec::new();
    crate::walk::each_object(node, "#", &mut |object, _| {
        if let Some(Value::String(target)) = object.get("$ref") {
            found.push(target.clone());
        }
    });
    found
}
