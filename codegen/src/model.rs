//! The resolved model of a spec's operations: for each one, everything
//! that applies to it, with the document's indirections taken out once,
//! here. Its parameters are the path item's and its own merged (its own
//! win), each `$ref` followed; its request body and responses are
//! followed the same way; its security is its own requirement or the
//! spec-wide one; whether it is safe to repeat is [`rules::is_idempotent`].
//!
//! Every reader that asks what an operation is (the doc lines `prepare`
//! adds, the generated `operations` module, spec-diff, upstream-diff, the
//! client's tests of the spec) reads it here, so none of them can resolve
//! a `$ref` or inherit a scope differently from the others. It borrows
//! the document ([`crate::Spec::tree`]) and copies nothing.

use serde_json::Value;

use crate::rules::{self, Operation};

/// Every operation of a document, in document order.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    /// The operations, as [`rules::operations`] lists them.
    pub operations: Vec<OperationModel<'a>>,
}

/// One operation and what applies to it.
#[derive(Debug, Clone)]
pub struct OperationModel<'a> {
    /// Where it sits: path, method, path item and operation object.
    pub operation: Operation<'a>,
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
    /// ([`rules::effective_security`]).
    pub security: Option<&'a Value>,
    /// The scopes that requirement names, once each, in order.
    pub scopes: Vec<&'a str>,
    /// Whether repeating it is harmless ([`rules::is_idempotent`]).
    pub idempotent: bool,
    /// Whether the spec marks it `deprecated`.
    pub deprecated: bool,
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
    /// Whether the status is a success ([`rules::is_success`]), the only
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
}

impl<'a> Response<'a> {
    /// Its media type and media object: JSON's, else the first.
    pub fn media(&self) -> Option<(&'a str, &'a Value)> {
        media(self.node)
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
        operations: rules::operations(tree)
            .map(|operation| operation_model(tree, operation))
            .collect(),
    }
}

/// The model of one operation of `tree`.
pub fn operation_model<'a>(tree: &'a Value, operation: Operation<'a>) -> OperationModel<'a> {
    let node = operation.node;
    let security = rules::effective_security(tree, node);
    OperationModel {
        operation,
        id: operation.id(),
        parameters: parameters(tree, operation),
        request_body: node.get("requestBody").map(|body| {
            let (node, shared) = rules::resolve(tree, body);
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
                let (node, shared) = rules::resolve(tree, response);
                Response {
                    status,
                    success: rules::is_success(status),
                    node,
                    shared,
                }
            })
            .collect(),
        security,
        scopes: rules::scopes(security),
        idempotent: operation.is_idempotent(),
        deprecated: is_true(node, "deprecated"),
    }
}

fn parameters<'a>(tree: &'a Value, operation: Operation<'a>) -> Vec<Parameter<'a>> {
    let mut found: Vec<Parameter<'a>> = Vec::new();
    for entry in operation.parameters() {
        let (node, shared) = rules::resolve(tree, entry);
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
        });
    }
    found
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

    use super::model;

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

        assert_eq!(post.scopes, ["x:write"], "its own, once");
        assert!(post.request_body.is_some_and(|body| body.required));
        assert!(!post.idempotent && post.deprecated);
        assert_eq!(post.http_method(), "POST");
    }
}
