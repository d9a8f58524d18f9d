//! The schema half of the model: what Rust type a schema becomes, as
//! typify makes it with this workspace's settings. A `$ref` is a named
//! type, an open enum ([`reading::open_enum`]) is `Known | Other`, a string
//! enum is a strict Rust enum, an object with properties is a struct whose
//! fields are `T` or `Option<T>` by [`reading::field_is_option`], and a
//! component schema's type implements the traits [`SchemaModel::traits`]
//! lists.
//!
//! spec-diff compares two specs as two sets of these, so its verdicts say
//! what the generator does; a test there checks each claim of this module
//! against code `generate` wrote (`spec-diff/tests/spec_diff/model.rs`).

use std::borrow::Cow;
use std::sync::LazyLock;

use serde_json::{Map, Value};

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
    Scalar(String),
    /// A strict enum of the given scalar: a value it does not list fails to
    /// parse. A string enum is a Rust `enum`; another scalar's is a newtype
    /// whose `Deserialize` rejects unlisted values.
    Enum(String),
    /// `Vec<T>`.
    Array,
    /// A struct with named fields.
    Struct,
    /// A map from names to one value type.
    Map,
    /// `serde_json::Value`.
    Any,
    /// Several alternatives: the keyword (`oneOf`, `anyOf`, `allOf`) and how
    /// many branches.
    Composite(&'static str, usize),
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
}

/// A property of a struct.
#[derive(Debug, Clone)]
pub struct Field<'s> {
    /// Its name in the spec.
    pub name: &'s str,
    /// Whether the object's `required` lists it.
    pub required: bool,
    /// Whether the Rust field is `Option<T>` ([`reading::field_is_option`]).
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

/// A component schema: its Rust type `types::{type_name}`.
#[derive(Debug, Clone)]
pub struct ComponentModel<'a> {
    /// Its name in the spec.
    pub name: &'a str,
    /// Its Rust type's name ([`reading::type_name`]).
    pub type_name: String,
    /// Its schema.
    pub schema: SchemaModel<'a>,
}

/// What typify derives on every type it generates.
const DERIVED_BY_TYPIFY: [&str; 4] = ["Clone", "Debug", "Deserialize", "Serialize"];

/// What `generate`'s settings have typify derive on every type besides;
/// the settings read this list. Feature-gated derives
/// (`schemars::JsonSchema`, behind `cli`) are not listed.
pub(crate) const DERIVED_BY_SETTINGS: [&str; 1] = ["PartialEq"];

/// What typify adds to an enum whose variants carry no data.
const TRAITS_OF_A_STRICT_ENUM: [&str; 5] = ["Copy", "Eq", "Hash", "Ord", "PartialOrd"];

/// What typify adds to a newtype around `String`.
const TRAITS_OF_A_STRING_NEWTYPE: [&str; 4] = ["Eq", "Hash", "Ord", "PartialOrd"];

/// A schema read as `{}` (any JSON): an array without `items`, a map
/// without a value schema.
static ANY: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));

impl<'a> SchemaModel<'a> {
    /// The model of `schema`, a node of `tree`.
    pub fn of(tree: &'a Value, schema: &'a Value) -> SchemaModel<'a> {
        SchemaModel::folded(tree, fold_wrapper(schema))
    }

    fn folded(tree: &'a Value, node: Cow<'a, Value>) -> SchemaModel<'a> {
        let rust = rust_type(tree, &node);
        let nullable = node.get("nullable") == Some(&Value::Bool(true));
        SchemaModel {
            tree,
            node,
            rust,
            nullable,
        }
    }

    /// An array's items (`{}` when it names none).
    pub fn items(&self) -> SchemaModel<'_> {
        SchemaModel::of(self.tree, self.node.get("items").unwrap_or(&*ANY))
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
                Field {
                    name,
                    required,
                    option: reading::field_is_option(self.tree, required, schema),
                    schema: SchemaModel::of(self.tree, schema),
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
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|branch| SchemaModel::of(self.tree, branch))
            .collect()
    }

    /// The traits the Rust type of this schema implements when it is a
    /// component schema's own (one that is only a `$ref` is a newtype
    /// around the type it names, with the traits of every type), in name
    /// order: what every type derives (`Clone`, `Debug`,
    /// `Deserialize`, `PartialEq`, `Serialize`); `Copy`, `Eq`, `Hash`,
    /// `Ord` and `PartialOrd` for a strict enum and `Eq`, `Hash`, `Ord`,
    /// `PartialOrd` for plain text (a newtype around `String`); `Default`
    /// for a struct none of whose properties is required (typify derives
    /// it, or writes it by hand when a property has a `default:`; a
    /// `default:` of the whole object does not give one).
    pub fn traits(&self) -> Vec<&'static str> {
        let mut traits: Vec<&'static str> = DERIVED_BY_TYPIFY
            .into_iter()
            .chain(DERIVED_BY_SETTINGS)
            .collect();
        match &self.rust {
            RustType::Enum(scalar) if scalar == "string" => {
                traits.extend(TRAITS_OF_A_STRICT_ENUM);
            }
            RustType::Scalar(scalar) if scalar == "string" => {
                traits.extend(TRAITS_OF_A_STRING_NEWTYPE);
            }
            RustType::Struct if self.fields().iter().all(|field| !field.required) => {
                traits.push("Default");
            }
            _ => {}
        }
        traits.sort_unstable();
        traits
    }
}

/// The component schemas of `tree`, in document order.
pub fn components(tree: &Value) -> Vec<ComponentModel<'_>> {
    reading::component_schemas(tree)
        .map(|(name, schema)| ComponentModel {
            name,
            type_name: reading::type_name(name),
            schema: SchemaModel::of(tree, schema),
        })
        .collect()
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
    for keyword in ["oneOf", "anyOf", "allOf"] {
        if let Some(branches) = node.get(keyword).and_then(Value::as_array) {
            return RustType::Composite(keyword, branches.len());
        }
    }
    let kind = node.get("type").and_then(Value::as_str);
    if node.get("enum").is_some() {
        return RustType::Enum(kind.unwrap_or("string").to_owned());
    }
    let has = |key| node.get(key).is_some();
    match kind {
        Some(scalar @ ("string" | "integer" | "number" | "boolean")) => RustType::Scalar(
            scalar_label(scalar, node.get("format").and_then(Value::as_str)),
        ),
        Some("array") => RustType::Array,
        _ if node
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty()) =>
        {
            RustType::Struct
        }
        Some("object") => RustType::Map,
        _ if has("additionalProperties") => RustType::Map,
        _ if has("items") => RustType::Array,
        _ => RustType::Any,
    }
}

/// `integer (int64)`; formats that do not change the Rust type are left out.
fn scalar_label(scalar: &str, format: Option<&str>) -> String {
    let typed = match (scalar, format) {
        ("string", Some(f @ ("date" | "date-time" | "time" | "uuid" | "ip" | "ipv4" | "ipv6"))) => {
            Some(f)
        }
        ("integer" | "number", Some(f)) => Some(f),
        _ => None,
    };
    match typed {
        Some(format) => format!("{scalar} ({format})"),
        None => scalar.to_owned(),
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

    use super::{Extra, RustType, SchemaModel, components};

    #[test]
    fn a_schema_is_the_rust_type_typify_makes_of_it() {
        let tree = json!({ "components": { "schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Open": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]}
        } } });
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
                RustType::Scalar("string (date-time)".into()),
            ),
            (
                json!({"type": "string", "format": "email"}),
                RustType::Scalar("string".into()),
            ),
            (
                json!({"type": "integer", "enum": [1, 2]}),
                RustType::Enum("integer".into()),
            ),
            (json!({"type": "array", "items": {}}), RustType::Array),
            (json!({"properties": {"a": {}}}), RustType::Struct),
            (json!({"type": "object"}), RustType::Map),
            (json!({"oneOf": [{}, {}]}), RustType::Composite("oneOf", 2)),
            (json!({}), RustType::Any),
        ];
        for (schema, expected) in cases {
            assert_eq!(SchemaModel::of(&tree, &schema).rust, expected, "{schema}");
        }
        let wrapped = json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Kind"}]});
        assert!(SchemaModel::of(&tree, &wrapped).nullable);
    }

    #[test]
    fn fields_extra_and_traits_follow_the_schema() {
        let tree = json!({ "components": { "schemas": {
            "Kind": {"type": "string", "enum": ["a"]},
            "Name": {"type": "string", "maxLength": 3},
            "When": {"type": "string", "format": "date-time"},
            "Loose": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {}}}},
            "Tight": {
                "type": "object",
                "required": ["a"],
                "additionalProperties": false,
                "properties": {"a": {"type": "string", "nullable": true}, "b": {"type": "integer"}}
            }
        } } });
        let traits: Vec<(&str, Vec<&str>)> = components(&tree)
            .iter()
            .map(|component| (component.name, component.schema.traits()))
            .collect();
        let every = ["Clone", "Debug", "Deserialize", "PartialEq", "Serialize"];
        let with = |more: &[&'static str]| {
            let mut all: Vec<&str> = every.iter().chain(more).copied().collect();
            all.sort_unstable();
            all
        };
        assert_eq!(
            traits,
            [
                ("Kind", with(&["Copy", "Eq", "Hash", "Ord", "PartialOrd"])),
                ("Name", with(&["Eq", "Hash", "Ord", "PartialOrd"])),
                ("When", with(&[])),
                ("Loose", with(&["Default"])),
                ("Tight", with(&[])),
            ]
        );

        let tight = SchemaModel::of(&tree, &tree["components"]["schemas"]["Tight"]);
        let fields: Vec<_> = tight
            .fields()
            .into_iter()
            .map(|f| (f.name, f.required, f.option))
            .collect();
        assert_eq!(fields, [("a", true, true), ("b", false, true)]);
        assert!(matches!(tight.extra(), Extra::Denied));
        // A component that is only a `$ref` is a newtype around its target.
        let alias = json!({"$ref": "#/components/schemas/Loose"});
        assert_eq!(SchemaModel::of(&tree, &alias).traits(), with(&[]));
    }
}
