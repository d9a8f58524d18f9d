//! Where a document that is well-formed YAML stops being OpenAPI: the
//! smallest part that does not read as its OpenAPI type on its own, found
//! by reading the document part by part (fields, path items, operations,
//! their parameters, bodies and responses, each component).

use openapiv3 as oa;
use serde_json::Value;

use super::read_typed;
use crate::error::pointer_join;

/// The kinds of object the search looks into.
#[derive(Clone, Copy)]
enum Part {
    Document,
    Info,
    Servers,
    Security,
    Tags,
    ExternalDocs,
    Paths,
    PathItem,
    Operation,
    Parameters,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Components,
    /// `components/<kind>`: a map of named components of one kind.
    ComponentMap(Component),
    Component(Component),
    /// A field this search does not look into: it is never blamed alone.
    Other,
}

#[derive(Clone, Copy)]
enum Component {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
}

/// The pointer and error of the deepest part of `tree` that fails to read;
/// `#` and the document's own error when no smaller part fails.
pub(super) fn failing_part(tree: &Value) -> (String, String) {
    let mut pointer = "#".to_owned();
    let mut error = read(Part::Document, tree).err().unwrap_or_default();
    let mut part = (Part::Document, tree);
    'deeper: loop {
        for (child_pointer, kind, node) in children(part.0, part.1, &pointer) {
            if let Err(child_error) = read(kind, node) {
                (pointer, error, part) = (child_pointer, child_error, (kind, node));
                continue 'deeper;
            }
        }
        return (pointer, error);
    }
}

fn read(part: Part, node: &Value) -> Result<(), String> {
    match part {
        Part::Document => read_typed::<oa::OpenAPI>(node).map(drop),
        Part::Info => read_typed::<oa::Info>(node).map(drop),
        Part::Servers => read_typed::<Vec<oa::Server>>(node).map(drop),
        Part::Security => read_typed::<Vec<oa::SecurityRequirement>>(node).map(drop),
        Part::Tags => read_typed::<Vec<oa::Tag>>(node).map(drop),
        Part::ExternalDocs => read_typed::<oa::ExternalDocumentation>(node).map(drop),
        Part::Paths => read_typed::<oa::Paths>(node).map(drop),
        Part::PathItem => read_typed::<oa::ReferenceOr<oa::PathItem>>(node).map(drop),
        Part::Operation => read_typed::<oa::Operation>(node).map(drop),
        Part::Parameters => read_typed::<Vec<oa::ReferenceOr<oa::Parameter>>>(node).map(drop),
        Part::Parameter | Part::Component(Component::Parameter) => {
            read_typed::<oa::ReferenceOr<oa::Parameter>>(node).map(drop)
        }
        Part::RequestBody | Part::Component(Component::RequestBody) => {
            read_typed::<oa::ReferenceOr<oa::RequestBody>>(node).map(drop)
        }
        Part::Responses => read_typed::<oa::Responses>(node).map(drop),
        Part::Response | Part::Component(Component::Response) => {
            read_typed::<oa::ReferenceOr<oa::Response>>(node).map(drop)
        }
        Part::Components => read_typed::<oa::Components>(node).map(drop),
        Part::ComponentMap(kind) => node
            .as_object()
            .ok_or_else(|| "expected a mapping of names to components".to_owned())?
            .values()
            .try_for_each(|entry| read(Part::Component(kind), entry)),
        Part::Component(Component::Schema) => {
            read_typed::<oa::ReferenceOr<oa::Schema>>(node).map(drop)
        }
        Part::Component(Component::Example) => {
            read_typed::<oa::ReferenceOr<oa::Example>>(node).map(drop)
        }
        Part::Component(Component::Header) => {
            read_typed::<oa::ReferenceOr<oa::Header>>(node).map(drop)
        }
        Part::Component(Component::SecurityScheme) => {
            read_typed::<oa::ReferenceOr<oa::SecurityScheme>>(node).map(drop)
        }
        Part::Component(Component::Link) => read_typed::<oa::ReferenceOr<oa::Link>>(node).map(drop),
        Part::Component(Component::Callback) => {
            read_typed::<oa::ReferenceOr<oa::Callback>>(node).map(drop)
        }
        Part::Other => Ok(()),
    }
}

/// The parts directly inside `node`, a `part`, with their pointers.
fn children<'a>(part: Part, node: &'a Value, pointer: &str) -> Vec<(String, Part, &'a Value)> {
    let fields = |kind: &dyn Fn(&str) -> Part| -> Vec<(String, Part, &'a Value)> {
        node.as_object()
            .into_iter()
            .flatten()
            .map(|(key, child)| (pointer_join(pointer, key), kind(key), child))
            .collect()
    };
    match part {
        Part::Document => fields(&|key| match key {
            "info" => Part::Info,
            "servers" => Part::Servers,
            "security" => Part::Security,
            "tags" => Part::Tags,
            "externalDocs" => Part::ExternalDocs,
            "paths" => Part::Paths,
            "components" => Part::Components,
            _ => Part::Other,
        }),
        Part::Paths => fields(&|_| Part::PathItem),
        Part::PathItem => fields(&|key| match key {
            "parameters" => Part::Parameters,
            method if crate::reading::operation_method(method).is_some() => Part::Operation,
            _ => Part::Other,
        }),
        Part::Operation => fields(&|key| match key {
            "parameters" => Part::Parameters,
            "requestBody" => Part::RequestBody,
            "responses" => Part::Responses,
            _ => Part::Other,
        }),
        Part::Parameters => node
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(index, item)| {
                (
                    pointer_join(pointer, &index.to_string()),
                    Part::Parameter,
                    item,
                )
            })
            .collect(),
        Part::Responses => fields(&|_| Part::Response),
        Part::Components => fields(&|kind| match kind {
            "schemas" => Part::ComponentMap(Component::Schema),
            "responses" => Part::ComponentMap(Component::Response),
            "parameters" => Part::ComponentMap(Component::Parameter),
            "examples" => Part::ComponentMap(Component::Example),
            "requestBodies" => Part::ComponentMap(Component::RequestBody),
            "headers" => Part::ComponentMap(Component::Header),
            "securitySchemes" => Part::ComponentMap(Component::SecurityScheme),
            "links" => Part::ComponentMap(Component::Link),
            "callbacks" => Part::ComponentMap(Component::Callback),
            _ => Part::Other,
        }),
        Part::ComponentMap(kind) => fields(&|_| Part::Component(kind)),
        _ => Vec::new(),
    }
}
