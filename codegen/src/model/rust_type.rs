//! The schema half of the model: what Rust type a schema becomes, read
//! from the spec side. A `$ref` is a named type, an open enum
//! ([`reading::open_enum`]) is `Known | Other`, a string enum is a strict
//! Rust enum, an object with properties is a struct whose fields are `T` or
//! `Option<T>`.
//!
//! Which schema a `$ref` names, a property's `required` and `nullable` and
//! an enum's values are the spec's own; what the generator made of them
//! (whether a field is `Option<T>`, a type's traits) is read from the
//! type space progenitor built ([`super::TypeModel`]) wherever the walk is
//! inside a declared type: a schema reached from a component schema
//! ([`SchemaModel::of_component`]). An operation's inline schemas, whose
//! types progenitor names in a way of its own that the type space does
//! not expose, fall back to [`reading::field_is_option`]; a test checks it
//! against generated code for every shape (`codegen/tests/codegen.rs`).
//!
//! spec-diff compares two specs as two sets of these, so its verdicts say
//! what the generator does; a test there checks each claim of this module
//! against code `generate` wrote (`spec-diff/tests/spec_diff/model.rs`).

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::type_space::{ComponentType, Typed};
use crate::reading;

/// What Rust type a schema is, as far as the type's identity goes; fields,
/// items, values and variants are read one level down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `types::X`, the component schema `schema` (by `$ref`).
    Named {
        /// The component schema's name in the spec.
        schema: String,
    },
    /// An open enum, `Known(K) | Other(String)`: `known` is the component
    /// string enum `K` is made from. A value it does not list is `Other`.
    OpenEnum {
        /// The component string enum of the `Known` branch.
        known: String,
    },
    /// A scalar: `string`, `string (date-time)`, `integer (int64)`, … (a
    /// `format` is named where it changes the Rust type).
    Scalar {
        /// Its JSON type.
        json: JsonType,
        /// Its `format`, where that changes the Rust type.
        format: Option<String>,
    },
    /// A strict enum of values of the given JSON type: a value it does not
    /// list fails to parse. A string enum is a Rust `enum`; another
    /// type's is a newtype whose `Deserialize` rejects unlisted values.
    Enum(JsonType),
    /// `Vec<T>`.
    Array,
    /// A struct with named fields.
    Struct,
    /// A map from names to one value type.
    Map,
    /// `serde_json::Value`.
    Any,
    /// Several alternatives: the keyword and how many branches.
    Composite(Keyword, usize),
}

/// A JSON Schema `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl JsonType {
    /// The type a schema's `type` names.
    pub fn named(name: &str) -> Option<JsonType> {
        Some(match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }

    /// Its name in a schema.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The keyword of a schema of several alternatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `oneOf`.
    OneOf,
    /// `anyOf`.
    AnyOf,
    /// `allOf`.
    AllOf,
}

impl Keyword {
    /// Every keyword, in the order a schema is read for them.
    pub const ALL: [Keyword; 3] = [Keyword::OneOf, Keyword::AnyOf, Keyword::AllOf];

    /// Its name in a schema.
    pub fn name(self) -> &'static str {
        match self {
            Keyword::OneOf => "oneOf",
            Keyword::AnyOf => "anyOf",
            Keyword::AllOf => "allOf",
        }
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One schema, read as the generator reads it.
#[derive(Debug, Clone)]
pub struct SchemaModel<'a> {
    tree: &'a Value,
    /// The schema with a one-branch `allOf`/`anyOf`/`oneOf` wrapper folded
    /// in: `{nullable: true, allOf: [{$ref: X}]}` reads as `{nullable: true,
    /// $ref: X}`, which is how the generator treats it (`Option<X>`).
    pub node: Cow<'a, Value>,
    /// What Rust type it is.
    pub rust: RustType,
    /// Whether null is a value: where it is used, the Rust type is
    /// `Option<…>`.
    pub nullable: bool,
    /// Its Rust type in the type space, when the walk is inside a
    /// declared type.
    typed: Option<Typed<'a>>,
}

/// A property of a struct.
#[derive(Debug, Clone)]
pub struct Field<'s> {
    /// Its name in the spec.
    pub name: &'s str,
    /// Whether the object's `required` lists it.
    pub required: bool,
    /// Whether the Rust field is `Option<T>`: as the type space says inside
    /// a declared type, else as [`reading::field_is_option`] reads it.
    pub option: bool,
    /// Its schema.
    pub schema: SchemaModel<'s>,
}

/// What a struct does with fields its schema does not list.
#[derive(Debug, Clone)]
pub enum Extra<'s> {
    /// Ignored when parsing, as serde does by default.
    Ignored,
    /// `additionalProperties: false`: `deny_unknown_fields`, a response with
    /// a field the spec does not list fails to parse.
    Denied,
    /// Kept in a flattened map of values of this schema.
    Kept(SchemaModel<'s>),
}

/// A schema read as `{}` (any JSON): an array without `items`, a map
/// without a value schema.
static ANY: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));

impl<'a> SchemaModel<'a> {
    /// The model of `schema`, a node of `tree`.
    pub fn of(tree: &'a Value, schema: &'a Value) -> SchemaModel<'a> {
        SchemaModel::typed(tree, schema, None)
    }

    /// The model of `schema`, the component schema whose Rust type is
    /// `component`: what the generator made of it is read from there.
    pub fn of_component(
        tree: &'a Value,
        schema: &'a Value,
        component: &ComponentType<'a>,
    ) -> SchemaModel<'a> {
        SchemaModel::typed(tree, schema, Some(component.typed.clone()))
    }

    fn typed(tree: &'a Value, schema: &'a Value, typed: Option<Typed<'a>>) -> SchemaModel<'a> {
        let node = fold_wrapper(schema);
        let rust = rust_type(tree, &node);
        let nullable = node.get("nullable") == Some(&Value::Bool(true));
        SchemaModel {
            tree,
            node,
            rust,
            nullable,
            typed,
        }
    }

    /// An array's items (`{}` when it names none).
    pub fn items(&self) -> SchemaModel<'_> {
        SchemaModel::typed(
            self.tree,
            self.node.get("items").unwrap_or(&*ANY),
            self.typed.as_ref().and_then(Typed::items),
        )
    }

    /// A map's value schema (`{}`, any JSON, when it has none).
    pub fn map_values(&self) -> SchemaModel<'_> {
        match self.node.get("additionalProperties") {
            Some(schema @ Value::Object(_)) => SchemaModel::of(self.tree, schema),
            _ => SchemaModel::of(self.tree, &ANY),
        }
    }

    /// A struct's fields, in document order.
    pub fn fields(&self) -> Vec<Field<'_>> {
        let required: Vec<&str> = self
            .node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        self.node
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| {
                let required = required.contains(&name.as_str());
                let (option, typed) = match self.typed.as_ref().and_then(|t| t.field(name)) {
                    Some((option, typed)) => (option, Some(typed)),
                    None => (reading::field_is_option(self.tree, required, schema), None),
                };
                Field {
                    name,
                    required,
                    option,
                    schema: SchemaModel::typed(self.tree, schema, typed),
                }
            })
            .collect()
    }

    /// What a struct does with fields it does not list.
    pub fn extra(&self) -> Extra<'_> {
        match self.node.get("additionalProperties") {
            None => Extra::Ignored,
            Some(Value::Bool(false)) => Extra::Denied,
            Some(schema @ Value::Object(_)) => Extra::Kept(SchemaModel::of(self.tree, schema)),
            Some(_) => Extra::Kept(SchemaModel::of(self.tree, &ANY)),
        }
    }

    /// An enum's values, in document order.
    pub fn values(&self) -> &[Value] {
        self.node
            .get("enum")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// A composite's branches, in document order.
    pub fn branches(&self) -> Vec<SchemaModel<'_>> {
        let RustType::Composite(keyword, _) = self.rust else {
            return Vec::new();
        };
        self.node
            .get(keyword.name())
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|branch| SchemaModel::of(self.tree, branch))
            .collect()
    }
}

/// The Rust type of a folded schema.
fn rust_type(tree: &Value, node: &Value) -> RustType {
    if let Some(schema) = reading::referenced_schema(node) {
        return RustType::Named {
            schema: schema.to_owned(),
        };
    }
    if let Some(open) = reading::open_enum(tree, node) {
        return RustType::OpenEnum {
            known: open.name.to_owned(),
        };
    }
    for keyword in Keyword::ALL {
        if let Some(branches) = node.get(keyword.name()).and_then(Value::as_array) {
            return RustType::Composite(keyword, branches.len());
        }
    }
    let named = node.get("type").and_then(Value::as_str);
    let kind = named.and_then(JsonType::named);
    if node.get("enum").is_some() {
        return match (named, kind) {
            (None, _) => RustType::Enum(JsonType::String),
            (Some(_), Some(kind)) => RustType::Enum(kind),
            (Some(_), None) => RustType::Any,
        };
    }
    let has = |key| node.get(key).is_some();
    match kind {
        Some(
            json @ (JsonType::String | JsonType::Integer | JsonType::Number | JsonType::Boolean),
        ) => RustType::Scalar {
            json,
            format: typed_format(json, node.get("format").and_then(Value::as_str)),
        },
        Some(JsonType::Array) => RustType::Array,
        _ if node
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty()) =>
        {
            RustType::Struct
        }
        Some(JsonType::Object) => RustType::Map,
        _ if has("additionalProperties") => RustType::Map,
        _ if has("items") => RustType::Array,
        _ => RustType::Any,
    }
}

/// A scalar's `format` where it changes the Rust type (`date-time`,
/// `int64`, …); `None` for one that does not (`email`).
fn typed_format(json: JsonType, format: Option<&str>) -> Option<String> {
    match (json, format) {
        (
            JsonType::String,
            Some(f @ ("date" | "date-time" | "time" | "uuid" | "ip" | "ipv4" | "ipv6")),
        ) => Some(f.to_owned()),
        (JsonType::Integer | JsonType::Number, Some(f)) => Some(f.to_owned()),
        _ => None,
    }
}

impl fmt::Display for RustType {
    /// How a message names the type: `` `Playlist` `` for a component
    /// schema, `` `string (date-time)` ``, `` `string` enum ``, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Named { schema } => write!(f, "`{schema}`"),
            RustType::OpenEnum { known } => write!(f, "open enum of `{known}`"),
            RustType::Scalar { json, format: None } => write!(f, "`{json}`"),
            RustType::Scalar {
                json,
                format: Some(format),
            } => write!(f, "`{json} ({format})`"),
            RustType::Enum(json) => write!(f, "`{json}` enum"),
            RustType::Array => f.write_str("array"),
            RustType::Struct => f.write_str("object"),
            RustType::Map => f.write_str("map"),
            RustType::Any => f.write_str("any JSON value"),
            RustType::Composite(keyword, count) => write!(f, "`{keyword}` of {count}"),
        }
    }
}

/// The schema with its one-branch wrapper ([`reading::wrapped_branch`])
/// folded in, unless it also has properties of its own.
fn fold_wrapper(node: &Value) -> Cow<'_, Value> {
    let Some(map) = node.as_object() else {
        return Cow::Borrowed(node);
    };
    let Some((key, inner)) = reading::wrapped_branch(map) else {
        return Cow::Borrowed(node);
    };
    if map.contains_key("properties") {
        return Cow::Borrowed(node);
    }
    let mut merged: Map<String, Value> = map.clone();
    merged.remove(key);
    if inner
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(reading::schema_name)
        .is_some()
    {
        // The wrapper's `type: object` says nothing the target does not.
        merged.remove("type");
    }
    for (k, v) in inner {
        if k == "nullable" && merged.get("nullable") == Some(&Value::Bool(true)) {
            continue;
        }
        merged.insert(k.clone(), v.clone());
    }
    Cow::Owned(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Extra, JsonType, Keyword, RustType, SchemaModel};

    #[test]
    fn a_schema_is_the_rust_type_typify_makes_of_it() {
        let tree = json!({ "components": { "schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Open": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]}
        } } });
        let scalar = |json, format: Option<&str>| RustType::Scalar {
            json,
            format: format.map(str::to_owned),
        };
        let cases = [
            (
                json!({"$ref": "#/components/schemas/Kind"}),
                RustType::Named {
                    schema: "Kind".into(),
                },
            ),
            (
                json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Kind"}]}),
                RustType::Named {
                    schema: "Kind".into(),
                },
            ),
            (
                json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Kind"}]}),
                RustType::OpenEnum {
                    known: "Kind".into(),
                },
            ),
            (
                json!({"type": "string", "format": "date-time"}),
                scalar(JsonType::String, Some("date-time")),
            ),
            (
                json!({"type": "string", "format": "email"}),
                scalar(JsonType::String, None),
            ),
            (
                json!({"type": "integer", "enum": [1, 2]}),
                RustType::Enum(JsonType::Integer),
            ),
            (json!({"enum": ["a"]}), RustType::Enum(JsonType::String)),
            (json!({"type": "array", "items": {}}), RustType::Array),
            (json!({"properties": {"a": {}}}), RustType::Struct),
            (json!({"type": "object"}), RustType::Map),
            (
                json!({"oneOf": [{}, {}]}),
                RustType::Composite(Keyword::OneOf, 2),
            ),
            (json!({}), RustType::Any),
        ];
        for (schema, expected) in cases {
            assert_eq!(SchemaModel::of(&tree, &schema).rust, expected, "{schema}");
        }
        let wrapped = json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Kind"}]});
        assert!(SchemaModel::of(&tree, &wrapped).nullable);
    }

    #[test]
    fn a_type_is_named_in_messages_as_the_schema_says_it() {
        let tree = json!({});
        let labels: Vec<String> = [
            json!({"type": "string", "format": "date-time"}),
            json!({"type": "integer"}),
            json!({"type": "string", "enum": ["a"]}),
            json!({"anyOf": [{}, {}, {}]}),
            json!({"type": "array"}),
        ]
        .iter()
        .map(|schema| SchemaModel::of(&tree, schema).rust.to_string())
        .collect();
        assert_eq!(
            labels,
            [
                "`string (date-time)`",
                "`integer`",
                "`string` enum",
                "`anyOf` of 3",
                "array"
            ]
        );
    }

    #[test]
    fn fields_and_extra_follow_the_schema() {
        let tree = json!({ "components": { "schemas": {
            "Tight": {
                "type": "object",
                "required": ["a"],
                "additionalProperties": false,
                "properties": {"a": {"type": "string", "nullable": true}, "b": {"type": "integer"}}
            }
        } } });
        let tight = SchemaModel::of(&tree, &tree["components"]["schemas"]["Tight"]);
        let fields: Vec<_> = tight
            .fields()
            .into_iter()
            .map(|f| (f.name, f.required, f.option))
            .collect();
        assert_eq!(fields, [("a", true, true), ("b", false, true)]);
        assert!(matches!(tight.extra(), Extra::Denied));
    }
}
