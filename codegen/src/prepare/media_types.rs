//! **One media type per request body.** progenitor sends one kind of body
//! and stops at a request body that offers several (Django REST Framework
//! lists JSON, form and multipart for every write). The server takes any of
//! them, so sending one of them is the same request: the body keeps the
//! first of `application/json`, `*/*` (any type, so JSON too), form,
//! plain text and octet-stream that it offers.
//!
//! **No `encoding` on JSON.** OpenAPI defines `encoding` for form and
//! multipart bodies only; on JSON it means nothing, and progenitor panics
//! on it, so it is dropped there.

use serde_json::Value;

use crate::reading::operations_mut;

/// Media types progenitor can send, most preferred first, and what each is
/// sent as.
const SENDABLE: [(&str, &str); 6] = [
    ("application/json", "application/json"),
    ("*/*", "application/json"),
    (
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded",
    ),
    ("text/plain", "text/plain"),
    ("text/x-markdown", "text/x-markdown"),
    ("application/octet-stream", "application/octet-stream"),
];

/// Applies both rewrites to every request body and response in `tree`.
pub(super) fn one_media_type_per_body(tree: &mut Value) {
    for operation in operations_mut(tree) {
        if let Some(body) = operation.get_mut("requestBody") {
            choose_media_type(body);
        }
        for response in operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|responses| responses.values_mut())
        {
            drop_json_encoding(response);
        }
    }
    let components = tree.get_mut("components").and_then(Value::as_object_mut);
    if let Some(components) = components {
        for body in components
            .get_mut("requestBodies")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|bodies| bodies.values_mut())
        {
            choose_media_type(body);
        }
        for response in components
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|responses| responses.values_mut())
        {
            drop_json_encoding(response);
        }
    }
}

fn choose_media_type(body: &mut Value) {
    if let Some(Value::Object(content)) = body.get_mut("content")
        && content.len() > 1
        && let Some((offered, sent)) = SENDABLE
            .iter()
            .find(|(offered, _)| content.contains_key(*offered))
        && let Some(media) = content.get(*offered).cloned()
    {
        content.clear();
        content.insert((*sent).to_owned(), media);
    }
    drop_json_encoding(body);
}

fn drop_json_encoding(body: &mut Value) {
    for (media_type, media) in body
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        if is_json(media_type)
            && let Some(media) = media.as_object_mut()
        {
            media.remove("encoding");
        }
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use super::one_media_type_per_body;
    use serde_json::json;

    #[test]
    fn keeps_the_preferred_media_type() {
        let schema = json!({"$ref": "#/components/schemas/X"});
        let mut tree = json!({"paths": {"/a": {
            "post": {"requestBody": {"content": {
                "multipart/form-data": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
                "application/json": {"schema": schema, "encoding": {"a": {}}}
            }}},
            "put": {"requestBody": {"content": {
                "multipart/form-data": {"schema": schema},
                "*/*": {"schema": schema}
            }}},
            "patch": {"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}}
        }}});
        one_media_type_per_body(&mut tree);
        let item = &tree["paths"]["/a"];
        assert_eq!(
            item["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": schema}})
        );
        assert_eq!(
            item["put"]["requestBody"]["content"],
            json!({"application/json": {"schema": schema}})
        );
        assert_eq!(
            item["patch"]["requestBody"]["content"],
            json!({"multipart/form-data": {"schema": schema}})
        );
    }
}
