//! The resolved model of a spec's operations: for each one, everything
//! that applies to it, with the document's indirections taken out once,
//! here. Its parameters are the path item's and its own merged (its own
//! win), each `$ref` followed; its request body and responses are
//! followed the same way; its security is its own requirement or the
//! spec-wide one; whether it is safe to repeat is [`reading::is_idempotent`].
//! Its departures from PostHog's schema are its
//! [`reading::UPSTREAM_DEPARTURE_EXTENSION`]s; an object schema's properties
//! are read through `$ref`s and `allOf`s by [`properties`], each with its
//! [`Shape`] (its JSON type, which upstream-diff compares with PostHog's
//! schema). What Rust type a schema becomes is [`SchemaModel`], the
//! schema half of the model, read from the spec; what the generator
//! declares for it (kinds, traits, `Option<T>` fields) is [`TypeModel`],
//! read from the type space progenitor builds. Where a response body falls short of its
//! schema (a required property left out, a null that is not allowed, at any
//! depth) is [`shortfalls`], read through the same functions.
//!
//! Every reader that asks what an operation is (the doc lines `prepare`
//! adds, the generated `operations` module, spec-diff, upstream-diff, the
//! client's tests of the spec) reads it here, so none of them can resolve
//! a `$ref` or inherit a scope differently from the others. It borrows
//! the document ([`crate::Spec::tree`]) and copies nothing.

use serde_json::Value;

use crate::reading::{self, OperationNode};

mod rust_type;
mod shortfall;
mod type_space;

pub use rust_type::{Extra, Field, JsonType, Keyword, RustType, SchemaModel};
pub use shortfall::{Shortfall, ShortfallKind, shortfalls};
pub use type_space::{ComponentType, Trait, TypeKind, TypeModel, derived};

/// Every operation of a document, in document order.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    /// The operations, as [`reading::operations`] lists them.
    pub operations: Vec<OperationModel<'a>>,
}

/// One operation and what applies to it.
#[derive(Debug, Clone)]
pub struct OperationModel<'a> {
    /// Where it sits: path, method, path item and operation object.
    pub operation: OperationNode<'a>,
    /// Its `operationId`, the name of its `Client` method.
    pub id: Option<&'a str>,
    /// Its parameters: the path item's first, then its own; one of its own
    /// replaces a path item's with the same `name` and `in`.
    pub parameters: Vec<Parameter<'a>>,
    /// Its request body, if it takes one.
    pub request_body: Option<Body<'a>>,
    /// Its responses, in document order, success and error alike.
    pub responses: Vec<Response<'a>>,
    /// The security requirement that applies to it
    /// ([`reading::effective_security`]).
    pub security: Option<&'a Value>,
    /// The scopes that requirement names, once each, in order.
    pub scopes: Vec<&'a str>,
    /// Whether repeating it is harmless ([`reading::is_idempotent`]).
    pub idempotent: bool,
    /// Whether the spec marks it `deprecated`.
    pub deprecated: bool,
    /// Why it departs from PostHog's schema, when it says so
    /// ([`reading::UPSTREAM_DEPARTURE_EXTENSION`]).
    pub departure: Option<&'a str>,
}

/// A parameter, its `$ref` followed.
#[derive(Debug, Clone, Copy)]
pub struct Parameter<'a> {
    /// Its `name`.
    pub name: &'a str,
    /// Its `in`: `path`, `query`, `header` or `cookie` (`?` when missing).
    pub location: &'a str,
    /// Whether it is `required`.
    pub required: bool,
    /// Its `schema`, if it has one.
    pub schema: Option<&'a Value>,
    /// The parameter object.
    pub node: &'a Value,
    /// The `#/components/parameters` entry it came from, if any.
    pub shared: Option<&'a str>,
    /// Why it departs from PostHog's schema, when it says so
    /// ([`reading::UPSTREAM_DEPARTURE_EXTENSION`]).
    pub departure: Option<&'a str>,
}

/// A request body, its `$ref` followed.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// Whether it is `required`.
    pub required: bool,
    /// The request body object.
    pub node: &'a Value,
    /// The `#/components/requestBodies` entry it came from, if any.
    pub shared: Option<&'a str>,
}

/// A response, its `$ref` followed.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// Its status key: `200`, `2XX`, `default`.
    pub status: &'a str,
    /// Whether the status is a success ([`reading::is_success`]), the only
    /// kind that reaches `send()`'s return type.
    pub success: bool,
    /// The response object.
    pub node: &'a Value,
    /// The `#/components/responses` entry it came from, if any.
    pub shared: Option<&'a str>,
}

impl<'a> Body<'a> {
    /// Its media type and media object: JSON's, else the first.
    pub fn media(&self) -> Option<(&'a str, &'a Value)> {
        media(self.node)
    }

    /// The schema of its content ([`Body::media`]'s), if it has one.
    pub fn schema(&self) -> Option<&'a Value> {
        self.media()?.1.get("schema")
    }
}

impl<'a> Response<'a> {
    /// Its media type and media object: JSON's, else the first.
    pub fn media(&self) -> Option<(&'a str, &'a Value)> {
        media(self.node)
    }

    /// The schema of its body ([`Response::media`]'s), if it has one.
    pub fn schema(&self) -> Option<&'a Value> {
        self.media()?.1.get("schema")
    }
}

impl<'a> OperationModel<'a> {
    /// The method, upper case as HTTP writes it: `GET`.
    pub fn http_method(&self) -> String {
        self.operation.method.to_uppercase()
    }

    /// Its parameter `name`, if it has one.
    pub fn parameter(&self, name: &str) -> Option<&Parameter<'a>> {
        self.parameters
            .iter()
            .find(|parameter| parameter.name == name)
    }

    /// Its success responses.
    pub fn successes(&self) -> impl Iterator<Item = &Response<'a>> {
        self.responses.iter().filter(|response| response.success)
    }
}

/// The model of `tree`, a whole document as JSON.
pub fn model(tree: &Value) -> Model<'_> {
    Model {
        operations: reading::operations(tree)
            .map(|operation| operation_model(tree, operation))
            .collect(),
    }
}

/// The model of one operation of `tree`.
pub fn operation_model<'a>(tree: &'a Value, operation: OperationNode<'a>) -> OperationModel<'a> {
    let node = operation.node;
    let security = reading::effective_security(tree, node);
    OperationModel {
        operation,
        id: operation.id(),
        parameters: parameters(tree, operation),
        request_body: node.get("requestBody").map(|body| {
            let (node, shared) = reading::resolve(tree, body);
            Body {
                required: is_true(node, "required"),
                node,
                shared,
            }
        }),
        responses: node
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, response)| {
                let (node, shared) = reading::resolve(tree, response);
                Response {
                    status,
                    success: reading::is_success(status),
                    node,
                    shared,
                }
            })
            .collect(),
        security,
        scopes: reading::scopes(security),
        idempotent: operation.is_idempotent(),
        deprecated: is_true(node, "deprecated"),
        departure: reading::upstream_departure(node),
    }
}

fn parameters<'a>(tree: &'a Value, operation: OperationNode<'a>) -> Vec<Parameter<'a>> {
    let mut found: Vec<Parameter<'a>> = Vec::new();
    for entry in operation.parameters() {
        let (node, shared) = reading::resolve(tree, entry);
        let Some(name) = node.get("name").and_then(Value::as_str) else {
            continue;
        };
        let location = node.get("in").and_then(Value::as_str).unwrap_or("?");
        found.retain(|parameter| !(parameter.name == name && parameter.location == location));
        found.push(Parameter {
            name,
            location,
            required: is_true(node, "required"),
            schema: node.get("schema"),
            node,
            shared,
            departure: reading::upstream_departure(node),
        });
    }
    found
}

/// How far [`properties`] and [`shape`] follow `$ref`s and `allOf`s: far
/// beyond any real schema, and a stop for a schema that reaches itself.
const MAX_DEPTH: usize = 32;

/// What a schema is, read through its indirections: a `$ref` is followed,
/// an `allOf` of one member (a described reference) is that member, and an
/// open enum ([`reading::open_enum`]) is its string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Its JSON type: `string`, `string (date-time)` (a string's `format`
    /// is part of it; a number's is a matter of width and is left out),
    /// `integer`, `number`, `boolean`, `object`, `array of T`, `one of N
    /// schemas` (a `oneOf`/`anyOf` that is not an open enum), or `any`
    /// (no type at all).
    pub kind: String,
    /// Whether null is a value: `nullable: true`, or `null` in its `enum`,
    /// anywhere on the way to the schema that gives its type.
    pub nullable: bool,
    /// `readOnly: true` anywhere on that way.
    pub read_only: bool,
    /// `writeOnly: true` anywhere on that way.
    pub write_only: bool,
}

/// The [`Shape`] of `schema` in `tree`.
pub fn shape(tree: &Value, schema: &Value) -> Shape {
    shape_at(tree, schema, 0)
}

fn kind(tree: &Value, node: &Value, shape: &mut Shape, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "any".to_owned();
    }
    shape.nullable |= is_true(node, "nullable")
        || node
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null));
    shape.read_only |= is_true(node, "readOnly");
    shape.write_only |= is_true(node, "writeOnly");
    if node.get("$ref").is_some() {
        let (target, _) = reading::resolve(tree, node);
        return if std::ptr::eq(target, node) {
            "any".to_owned()
        } else {
            kind(tree, target, shape, depth + 1)
        };
    }
    if let Some(open) = reading::open_enum(tree, node) {
        shape.nullable |= is_true(open.other, "nullable");
        return kind(tree, open.known, shape, depth + 1);
    }
    match node.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = node.get("items").map_or_else(
                || "any".to_owned(),
                |items| shape_at(tree, items, depth + 1).kind,
            );
            return format!("array of {items}");
        }
        Some("string") => {
            return match node.get("format").and_then(Value::as_str) {
                Some(format) => format!("string ({format})"),
                None => "string".to_owned(),
            };
        }
        Some(other) if other != "object" || node.get("allOf").is_none() => {
            return other.to_owned();
        }
        _ => {}
    }
    if let Some([only]) = node
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return kind(tree, only, shape, depth + 1);
    }
    if node.get("allOf").is_some()
        || node.get("properties").is_some()
        || node.get("additionalProperties").is_some()
        || node.get("type").and_then(Value::as_str) == Some("object")
    {
        return "object".to_owned();
    }
    match ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|key| node.get(key).and_then(Value::as_array))
    {
        Some(branches) => format!("one of {} schemas", branches.len()),
        None => "any".to_owned(),
    }
}

fn shape_at(tree: &Value, schema: &Value, depth: usize) -> Shape {
    let mut shape = Shape {
        kind: String::new(),
        nullable: false,
        read_only: false,
        write_only: false,
    };
    shape.kind = kind(tree, schema, &mut shape, depth);
    shape
}

/// One property of an object schema, as the schema gives it.
#[derive(Debug, Clone)]
pub struct Property<'a> {
    /// Its name.
    pub name: &'a str,
    /// Whether the object's `required` lists it.
    pub required: bool,
    /// Its type, nullability and read- or write-only marks ([`shape`]).
    pub shape: Shape,
    /// The property's schema as written.
    pub schema: &'a Value,
    /// Why it departs from PostHog's schema, when it says so
    /// ([`reading::UPSTREAM_DEPARTURE_EXTENSION`]).
    pub departure: Option<&'a str>,
}

/// The properties of the object `schema` describes, in document order,
/// read through `$ref`s and `allOf`s: an `allOf` member's properties and
/// `required` names are the object's too (the first definition of a name
/// wins). Empty for a schema that is not an object with properties.
pub fn properties<'a>(tree: &'a Value, schema: &'a Value) -> Vec<Property<'a>> {
    let mut found: Vec<(&'a str, &'a Value)> = Vec::new();
    let mut required: Vec<&'a str> = Vec::new();
    collect_properties(tree, schema, &mut found, &mut required, 0);
    found
        .into_iter()
        .map(|(name, schema)| Property {
            name,
            required: required.contains(&name),
            shape: shape(tree, schema),
            schema,
            departure: reading::upstream_departure(schema),
        })
        .collect()
}

fn collect_properties<'a>(
    tree: &'a Value,
    node: &'a Value,
    found: &mut Vec<(&'a str, &'a Value)>,
    required: &mut Vec<&'a str>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (node, _) = reading::resolve(tree, node);
    for (name, schema) in node
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !found.iter().any(|(seen, _)| *seen == name) {
            found.push((name, schema));
        }
    }
    required.extend(
        node.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str),
    );
    for member in node
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_properties(tree, member, found, required, depth + 1);
    }
}

/// The item schema of the array `schema` describes, read through `$ref`s
/// and one-member `allOf`s as [`shape`] reads them; `None` for anything
/// but an array.
pub fn items<'a>(tree: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut node = schema;
    for _ in 0..MAX_DEPTH {
        let (target, _) = reading::resolve(tree, node);
        if let Some(items) = target
            .get("type")
            .and_then(Value::as_str)
            .filter(|kind| *kind == "array")
            .and_then(|_| target.get("items"))
        {
            return Some(items);
        }
        match target
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => node = only,
            _ => return None,
        }
    }
    None
}

fn is_true(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The JSON media type of a body or response, else its first one.
pub fn media(node: &Value) -> Option<(&str, &Value)> {
    let content = node.get("content")?.as_object()?;
    content
        .get_key_value("application/json")
        .or_else(|| content.iter().find(|(kind, _)| kind.contains("json")))
        .or_else(|| content.iter().next())
        .map(|(kind, media)| (kind.as_str(), media))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{items, model, properties, shape};

    #[test]
    fn an_operation_gets_what_applies_to_it() {
        let tree = json!({
            "security": [{"Key": ["x:read"]}],
            "paths": {
                "/api/x/{id}/": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "get": {
                        "operationId": "x_retrieve",
                        "parameters": [{"$ref": "#/components/parameters/Limit"}],
                        "responses": {
                            "200": {"$ref": "#/components/responses/Ok"},
                            "404": {"description": "no"}
                        }
                    },
                    "post": {
                        "operationId": "x_create",
                        "deprecated": true,
                        "security": [{"Key": ["x:write", "x:write"]}],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {}}}},
                        "responses": {"201": {"description": "made"}}
                    }
                }
            },
            "components": {
                "parameters": {"Limit": {"name": "limit", "in": "query", "required": true}},
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
            }
        });
        let model = model(&tree);
        let [get, post] = model.operations.as_slice() else {
            panic!("two operations: {model:?}");
        };

        assert_eq!(get.id, Some("x_retrieve"));
        let names: Vec<_> = get
            .parameters
            .iter()
            .map(|p| (p.name, p.location, p.required))
            .collect();
        assert_eq!(
            names,
            [("id", "path", true), ("limit", "query", true)],
            "its own `limit` wins"
        );
        assert_eq!(get.parameter("limit").and_then(|p| p.shared), Some("Limit"));
        assert_eq!(get.scopes, ["x:read"], "inherited from the spec");
        assert!(get.idempotent && !get.deprecated);
        let statuses: Vec<_> = get
            .responses
            .iter()
            .map(|r| (r.status, r.success, r.shared))
            .collect();
        assert_eq!(statuses, [("200", true, Some("Ok")), ("404", false, None)]);
        assert_eq!(
            get.successes().next().and_then(|r| r.media()).map(|m| m.0),
            Some("application/json")
        );
        assert_eq!(
            get.successes().next().and_then(|r| r.schema()),
            Some(&serde_json::json!({}))
        );
        assert_eq!(get.responses[1].schema(), None, "no content");

        assert_eq!(post.scopes, ["x:write"], "its own, once");
        assert!(post.request_body.is_some_and(|body| body.required));
        assert!(!post.idempotent && post.deprecated);
        assert_eq!(post.http_method(), "POST");
    }

    #[test]
    fn properties_are_read_through_refs_and_all_of() {
        let tree = json!({ "components": { "schemas": {
            "Base": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "format": "int64", "readOnly": true},
                    "kind": {"type": "string", "enum": ["a", null], "nullable": true}
                }
            },
            "User": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
            "Known": {"type": "string", "enum": ["x"]},
            "Open": {"anyOf": [{"$ref": "#/components/schemas/Known"}, {"type": "string", "nullable": true}]},
            "Thing": {
                "allOf": [{"$ref": "#/components/schemas/Base"}],
                "required": ["owner"],
                "properties": {
                    "owner": {"allOf": [{"$ref": "#/components/schemas/User"}], "readOnly": true, "x-upstream-departure": "because"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Open"}},
                    "secret": {"type": "string", "writeOnly": true},
                    "free": {},
                    "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
                }
            }
        } } });
        let thing = json!({ "$ref": "#/components/schemas/Thing" });
        let found: Vec<_> = properties(&tree, &thing)
            .into_iter()
            .map(|p| {
                (
                    p.name,
                    p.required,
                    p.shape.kind,
                    p.shape.nullable,
                    p.shape.read_only,
                    p.shape.write_only,
                    p.departure,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "owner",
                    true,
                    "object".into(),
                    false,
                    true,
                    false,
                    Some("because")
                ),
                (
                    "tags",
                    false,
                    "array of string".into(),
                    false,
                    false,
                    false,
                    None
                ),
                ("secret", false, "string".into(), false, false, true, None),
                ("free", false, "any".into(), false, false, false, None),
                (
                    "either",
                    false,
                    "one of 2 schemas".into(),
                    false,
                    false,
                    false,
                    None
                ),
                ("id", true, "integer".into(), false, true, false, None),
                ("kind", false, "string".into(), true, false, false, None),
            ]
        );
        let open = shape(&tree, &json!({ "$ref": "#/components/schemas/Open" }));
        assert_eq!((open.kind.as_str(), open.nullable), ("string", true));
        let owner = &properties(&tree, &thing)[0];
        assert_eq!(
            properties(&tree, owner.schema)[0].shape.kind,
            "string (email)"
        );
        let tags = &properties(&tree, &thing)[1];
        assert_eq!(
            items(&tree, tags.schema),
            Some(&json!({ "$ref": "#/components/schemas/Open" }))
        );
        assert_eq!(items(&tree, owner.schema), None);
    }

    #[test]
    fn a_schema_that_reaches_itself_ends() {
        let tree = json!({ "components": { "schemas": {
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "properties": {"a": {"$ref": "#/components/schemas/Loop"}}}
        } } });
        let node = json!({ "$ref": "#/components/schemas/Loop" });
        assert_eq!(properties(&tree, &node).len(), 1);
        assert_eq!(shape(&tree, &node).kind, "any");
        assert_eq!(items(&tree, &node), None);
    }

    #[test]
    fn departures_are_read_from_operations_and_parameters() {
        let tree = json!({ "paths": { "/x/": { "get": {
            "operationId": "x",
            "x-upstream-departure": "why",
            "parameters": [
                {"name": "a", "in": "query", "x-upstream-departure": "because"},
                {"name": "b", "in": "query", "x-upstream-departure": 7}
            ],
            "responses": {}
        } } } });
        let model = model(&tree);
        let operation = &model.operations[0];
        assert_eq!(operation.departure, Some("why"));
        let departures: Vec<_> = operation.parameters.iter().map(|p| p.departure).collect();
        assert_eq!(departures, [Some("because"), None]);
    }
}
