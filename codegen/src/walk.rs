//! The one walk over a document's nodes, and the only code that knows
//! which keys hold data rather than spec. An `example`, the `examples` of a
//! media type or parameter, an `enum`'s values, a `default` and an
//! extension's (`x-…`) value are data: a `$ref` or an `anyOf` inside them
//! is text the document carries, not structure to follow or rewrite. But
//! the keys of a map of named things (`properties`, `responses`,
//! `components/schemas`, `content`, …) are names, so a property *named*
//! `example` or a `default` response is spec like any other:
//!
//! ```yaml
//! properties:
//!   default:              # a property: walked
//!     type: string
//!     default: "x"        # data: not walked
//!     example: {$ref: …}  # data: not walked
//! ```
//!
//! Every pass that looks at or rewrites each node of a document (the
//! rewrites of `prepare`, the `$ref` check of `validate`, `culprit`) goes
//! through [`each_object`] or [`each_object_mut`], so they cannot disagree
//! on what is spec.

use serde_json::{Map, Value};

use crate::error::pointer_join;

/// What the value under `key` of a spec object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Child {
    /// Spec: walked.
    Spec,
    /// A map of named things: its values are spec, whatever their names.
    Names,
    /// Data: not walked.
    Data,
}

/// The keys whose value maps names (property names, statuses, media types,
/// component names, paths) to spec.
const NAME_MAPS: [&str; 12] = [
    "properties",
    "responses",
    "schemas",
    "parameters",
    "headers",
    "content",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "encoding",
    "paths",
];

fn child(key: &str) -> Child {
    match key {
        "example" | "examples" | "enum" | "default" => Child::Data,
        extension if extension.starts_with("x-") => Child::Data,
        names if NAME_MAPS.contains(&names) => Child::Names,
        _ => Child::Spec,
    }
}

/// Whether the value under `key` of a spec object maps names (property
/// names, statuses, media types, component names, paths) to spec, so its
/// keys are names, never keywords.
pub fn holds_names(key: &str) -> bool {
    child(key) == Child::Names
}

/// Calls `visit` with every spec object under `node` (`node` itself
/// first, then depth first in document order) and its JSON pointer,
/// `pointer` being `node`'s (e.g. `#`).
pub fn each_object<'a>(
    node: &'a Value,
    pointer: &str,
    visit: &mut impl FnMut(&'a Map<String, Value>, &str),
) {
    walk(node, pointer, false, visit);
}

fn walk<'a>(
    node: &'a Value,
    pointer: &str,
    names: bool,
    visit: &mut impl FnMut(&'a Map<String, Value>, &str),
) {
    match node {
        Value::Object(map) if names => {
            for (name, schema) in map {
                walk(schema, &pointer_join(pointer, name), false, visit);
            }
        }
        Value::Object(map) => {
            visit(map, pointer);
            for (key, value) in map {
                match child(key) {
                    Child::Data => {}
                    Child::Spec => walk(value, &pointer_join(pointer, key), false, visit),
                    Child::Names => walk(value, &pointer_join(pointer, key), true, visit),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(
                    item,
                    &pointer_join(pointer, &index.to_string()),
                    false,
                    visit,
                );
            }
        }
        _ => {}
    }
}

/// [`each_object`] for rewriting: `visit` may change each object, and
/// what it leaves there is walked next.
pub fn each_object_mut(node: &mut Value, visit: &mut impl FnMut(&mut Map<String, Value>)) {
    walk_mut(node, false, visit);
}

fn walk_mut(node: &mut Value, names: bool, visit: &mut impl FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) if names => {
            for schema in map.values_mut() {
                walk_mut(schema, false, visit);
            }
        }
        Value::Object(map) => {
            visit(map);
            for (key, value) in map.iter_mut() {
                match child(key) {
                    Child::Data => {}
                    Child::Spec => walk_mut(value, false, visit),
                    Child::Names => walk_mut(value, true, visit),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_mut(item, false, visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{each_object, each_object_mut};

    #[test]
    fn data_is_not_walked_but_properties_named_like_data_are() {
        let tree = json!({
            "type": "object",
            "properties": {
                "default": {"type": "string", "default": {"$ref": "#/not/a/ref"}},
                "example": {"$ref": "#/components/schemas/A"},
                "properties": {"type": "object", "properties": {"enum": {"type": "integer"}}}
            },
            "example": {"$ref": "#/in/an/example"},
            "enum": [{"$ref": "#/in/an/enum"}],
            "x-extra": {"$ref": "#/in/an/extension"},
            "items": [{"allOf": [{"$ref": "#/components/schemas/B"}]}],
            "responses": {"default": {"$ref": "#/components/responses/Error"}}
        });
        let mut visited = Vec::new();
        each_object(&tree, "#", &mut |_, pointer| {
            visited.push(pointer.to_owned())
        });
        assert_eq!(
            visited,
            [
                "#",
                "#/properties/default",
                "#/properties/example",
                "#/properties/properties",
                "#/properties/properties/properties/enum",
                "#/items/0",
                "#/items/0/allOf/0",
                "#/responses/default",
            ]
        );

        let mut tree = tree;
        each_object_mut(&mut tree, &mut |object| {
            if object.contains_key("$ref") {
                object.insert("$ref".into(), json!("#/rewritten"));
            }
        });
        assert_eq!(tree["properties"]["example"]["$ref"], "#/rewritten");
        assert_eq!(tree["items"][0]["allOf"][0]["$ref"], "#/rewritten");
        assert_eq!(tree["example"]["$ref"], "#/in/an/example");
        assert_eq!(tree["x-extra"]["$ref"], "#/in/an/extension");
        assert_eq!(
            tree["properties"]["default"]["default"]["$ref"],
            "#/not/a/ref"
        );
    }
}
