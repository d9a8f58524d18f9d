//! Comparing two schemas the way the generated Rust sees them: a property's
//! requiredness and nullability decide `T` versus `Option<T>`, a string
//! enum is a strict Rust enum unless it sits in an open enum, a `$ref` is a
//! named Rust type. The [`Walker`] compares one position (a body, a
//! parameter, a component schema) and everything below it, recording each
//! difference as a [`Change`] classified for the side it is on.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{Extra, Field, RustType, SchemaModel, TypeModel};
use codegen::reading;
use serde_json::{Map, Value};

use super::change::{Change, Rule, Side, Use, place};
use super::node::{CONSTRAINT_KEYS, DOC_KEYS, STRUCTURE_KEYS, rust_type, show};

/// The two documents being compared, and the schemas renamed between them.
#[derive(Clone, Copy)]
pub(crate) struct Specs<'a> {
    pub(crate) old: &'a Value,
    pub(crate) new: &'a Value,
    /// Old component schema name → new name, for schemas that were only renamed.
    pub(crate) renames: &'a BTreeMap<String, String>,
    /// The types the generator declares for `old`.
    pub(crate) old_types: &'a TypeModel,
    /// The types the generator declares for `new`.
    pub(crate) new_types: &'a TypeModel,
}

impl Specs<'_> {
    /// True when `old` and `new` name the same component schema.
    pub(crate) fn same_schema(&self, old: &str, new: &str) -> bool {
        old == new || self.renames.get(old).is_some_and(|renamed| renamed == new)
    }
}

/// Where the walker is.
#[derive(Debug, Clone)]
pub(crate) struct At {
    /// Section-level context: `response 200`, `request body`, …
    pub(crate) context: String,
    /// Property path below the context.
    pub(crate) path: String,
    /// The component schema being walked, if any.
    pub(crate) schema: Option<String>,
    /// Whether documentation changes here are reported. Off inside shared
    /// components, whose docs are reported once, in their own section.
    pub(crate) docs: bool,
}

impl At {
    /// The top of a section.
    pub(crate) fn top() -> At {
        At {
            context: String::new(),
            path: String::new(),
            schema: None,
            docs: true,
        }
    }

    /// Another context at the same level.
    pub(crate) fn context(&self, context: impl Into<String>) -> At {
        At {
            context: context.into(),
            ..self.clone()
        }
    }

    /// The property `name` below here.
    pub(crate) fn property(&self, name: &str) -> At {
        let path = if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        };
        At {
            path,
            ..self.clone()
        }
    }

    fn suffixed(&self, suffix: &str) -> At {
        At {
            path: format!("{}{suffix}", self.path),
            ..self.clone()
        }
    }

    fn inside(&self, schema: &str) -> At {
        At {
            schema: Some(schema.to_owned()),
            docs: false,
            ..self.clone()
        }
    }
}

/// How a parameter's changes are placed: ``parameter `limit` (query)``.
pub(crate) fn parameter_context(name: &str, location: &str) -> String {
    format!("{PARAMETER}`{name}` ({location})")
}

const PARAMETER: &str = "parameter ";

/// The rule for a value that changes type, or a field that goes, at `at`:
/// a parameter's (R4), a request body's (R6), a success body's as a whole
/// (R9) or a response's field (R7).
pub(crate) fn changed_rule(at: &At, used: Use) -> Rule {
    if at.context.starts_with(PARAMETER) {
        Rule::ParameterChanged
    } else if used.side == Side::Request {
        Rule::RequestPropertyChanged
    } else if used.side == Side::Response && at.path.is_empty() && at.schema.is_none() {
        Rule::SuccessResponseChanged
    } else {
        Rule::ResponsePropertyChanged
    }
}

/// The rule for a value callers must now send, at `at`: a parameter (R3)
/// or a request-body property (R5); in a response, its field type
/// changes (R7).
pub(crate) fn required_rule(at: &At, used: Use) -> Rule {
    if at.context.starts_with(PARAMETER) {
        Rule::ParameterRequired
    } else if used.side == Side::Request {
        Rule::RequestPropertyRequired
    } else {
        Rule::ResponsePropertyChanged
    }
}

/// Collects the changes of one section.
pub(crate) struct Walker<'a> {
    specs: Specs<'a>,
    /// Follow `$ref`s into component schemas (operations do; a component
    /// schema's own section does not, each schema has its own).
    follow: bool,
    changes: Vec<Change>,
    /// Places whose documentation changed, reported as one change.
    docs: Vec<String>,
    /// Component schemas being followed, so a recursive schema ends.
    following: Vec<String>,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(specs: Specs<'a>, follow: bool) -> Walker<'a> {
        Walker {
            specs,
            follow,
            changes: Vec::new(),
            docs: Vec::new(),
            following: Vec::new(),
        }
    }

    /// The changes found, with documentation edits folded into one.
    pub(crate) fn finish(mut self) -> Vec<Change> {
        if !self.docs.is_empty() {
            let mut seen = BTreeSet::new();
            self.docs.retain(|label| seen.insert(label.clone()));
            self.changes.push(Change {
                rule: Rule::Documentation,
                severity: Rule::Documentation.severity(),
                context: String::new(),
                path: String::new(),
                what: format!("documentation changed ({})", self.docs.join(", ")),
                why: "doc comments only; no Rust type changes".into(),
                schema: None,
            });
        }
        self.changes
    }

    /// Records a change. Error bodies never break `send()`'s return type
    /// (the hand-written layer parses them), but they reach callers as
    /// `types::ErrorResponse` through `ApiError::body()`, so a change that
    /// breaks that type is still breaking; the reason says where it shows.
    pub(crate) fn emit(
        &mut self,
        at: &At,
        used: Use,
        rule: Rule,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        let why = why.into();
        let why = match used.side {
            Side::Error if why.is_empty() => {
                "`send()` reports every error status alike, as `Error::Api`".to_owned()
            }
            Side::Error => format!("{why} (error body, read through `ApiError::body()`)"),
            _ => why,
        };
        self.changes.push(Change {
            rule,
            severity: rule.severity(),
            context: at.context.clone(),
            path: at.path.clone(),
            what: what.into(),
            why,
            schema: at.schema.clone(),
        });
    }

    /// Notes each documentation key of `keys` that differs between the nodes.
    pub(crate) fn docs_of(&mut self, old: &Value, new: &Value, at: &At, keys: &[&str]) {
        if !at.docs {
            return;
        }
        for key in keys {
            if old.get(key) != new.get(key) {
                let where_ = place(&at.context, &at.path);
                self.docs.push(if where_.is_empty() {
                    format!("`{key}`")
                } else {
                    format!("`{key}` of {where_}")
                });
            }
        }
    }

    /// Compares two schemas at `at` and everything below them, each read
    /// as the generator reads it ([`SchemaModel`]).
    pub(crate) fn schema(&mut self, old: &Value, new: &Value, at: &At, used: Use) {
        let specs = self.specs;
        self.models(
            &SchemaModel::of(specs.old, old),
            &SchemaModel::of(specs.new, new),
            at,
            used,
        );
    }

    /// Compares component schema `old` with `new` (each with its name) at
    /// `at` and everything below them, each read as the generator reads it,
    /// its Rust side from the type the generator declares for it.
    pub(crate) fn component(
        &mut self,
        (old_name, old): (&str, &'a Value),
        (new_name, new): (&str, &'a Value),
        at: &At,
        used: Use,
    ) {
        let specs = self.specs;
        let model = |tree: &'a Value, types: &'a TypeModel, name: &str, node: &'a Value| match types
            .component(name)
        {
            Some(component) => SchemaModel::of_component(tree, node, &component),
            None => SchemaModel::of(tree, node),
        };
        self.models(
            &model(specs.old, specs.old_types, old_name, old),
            &model(specs.new, specs.new_types, new_name, new),
            at,
            used,
        );
    }

    fn models(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        self.docs_of(&old.node, &new.node, at, &DOC_KEYS);
        match self.same_type(old, new, at, used) {
            Typed::Changed => return,
            Typed::Reference => {}
            Typed::Same => match &old.rust {
                RustType::Struct => {
                    self.properties(old, new, at, used);
                    self.extra(old, new, at, used);
                }
                RustType::Map => self.element(
                    &old.map_values(),
                    &new.map_values(),
                    &at.suffixed(".*"),
                    used,
                ),
                RustType::Array => {
                    self.element(&old.items(), &new.items(), &at.suffixed("[]"), used)
                }
                RustType::Enum(_) => self.enum_values(old, new, at, used),
                RustType::Composite(..) => {
                    for (old_branch, new_branch) in old.branches().iter().zip(&new.branches()) {
                        self.models(old_branch, new_branch, at, used.closed());
                    }
                }
                RustType::Scalar { .. }
                | RustType::Any
                | RustType::Named { .. }
                | RustType::OpenEnum { .. } => {}
            },
        }
        self.other_keys(&old.node, &new.node, at, used);
    }

    /// Compares what Rust type the two schemas are, following a component
    /// schema both name (in an operation).
    fn same_type(
        &mut self,
        old: &SchemaModel<'_>,
        new: &SchemaModel<'_>,
        at: &At,
        used: Use,
    ) -> Typed {
        match (&old.rust, &new.rust) {
            (RustType::Named { schema: a }, RustType::Named { schema: b })
                if self.specs.same_schema(a, b) =>
            {
                self.follow_ref(a, b, at, used.closed());
                Typed::Reference
            }
            (RustType::OpenEnum { known: a }, RustType::OpenEnum { known: b })
                if self.specs.same_schema(a, b) =>
            {
                self.follow_ref(a, b, at, used.opened());
                Typed::Reference
            }
            (was, is)
                if was != is
                    || matches!(was, RustType::Named { .. } | RustType::OpenEnum { .. }) =>
            {
                self.type_changed(old, new, at, used);
                Typed::Changed
            }
            _ => Typed::Same,
        }
    }

    fn type_changed(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        self.emit(
            at,
            used,
            changed_rule(at, used),
            format!("type changed from {} to {}", old.rust, new.rust),
            "the generated Rust type changes",
        );
    }

    /// Both sides reference the same component schema (`b` being `a`
    /// renamed). In an operation, its contents are compared here too, so a
    /// change inside it shows at every operation that uses it.
    fn follow_ref(&mut self, a: &str, b: &str, at: &At, used: Use) {
        if !self.follow {
            // A component schema's own section: the referenced schema has
            // its own section, and a rename is reported there.
            return;
        }
        if a != b {
            self.emit(
                &at.inside(b),
                used,
                Rule::SchemaRenamedOrRemoved,
                format!("type `{a}` renamed to `{b}`"),
                format!("the Rust type `{}` is now `{}`", rust_type(a), rust_type(b)),
            );
        }
        if self.following.iter().any(|name| name == b) {
            return;
        }
        let specs = self.specs;
        let (Some(old), Some(new)) = (
            reading::component_schema(specs.old, a),
            reading::component_schema(specs.new, b),
        ) else {
            return;
        };
        self.following.push(b.to_owned());
        self.component((a, old), (b, new), &at.inside(b), used);
        self.following.pop();
    }

    /// Array items and map values: a change in nullability wraps or unwraps
    /// the Rust element type in `Option`.
    fn element(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        if old.nullable != new.nullable {
            let (what, why) = if new.nullable {
                (
                    "made nullable",
                    "the Rust element type changes from `T` to `Option<T>`",
                )
            } else {
                (
                    "made non-nullable",
                    "the Rust element type changes from `Option<T>` to `T`",
                )
            };
            self.emit(at, used, changed_rule(at, used), what, why);
        }
        self.models(old, new, at, used.closed());
    }

    fn properties(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        let (old_fields, new_fields) = (old.fields(), new.fields());
        let find =
            |fields: &[Field<'_>], name: &str| fields.iter().position(|field| field.name == name);
        let names: Vec<&str> = old_fields
            .iter()
            .map(|field| field.name)
            .chain(
                new_fields
                    .iter()
                    .map(|field| field.name)
                    .filter(|name| find(&old_fields, name).is_none()),
            )
            .collect();
        for name in names {
            let here = at.property(name);
            match (find(&old_fields, name), find(&new_fields, name)) {
                (Some(_), None) => self.property_removed(&here, used),
                (None, Some(index)) => self.property_added(&here, used, new_fields[index].required),
                (Some(was), Some(is)) => {
                    let (was, is) = (&old_fields[was], &new_fields[is]);
                    self.presence(Presence::of(was), Presence::of(is), &here, used);
                    self.models(&was.schema, &is.schema, &here, used.closed());
                }
                (None, None) => {}
            }
        }
    }

    /// R6 and R7: a property removed.
    fn property_removed(&mut self, at: &At, used: Use) {
        let why = match used.side {
            Side::Request => "the Rust field is removed; code that sets it no longer compiles",
            _ => "the Rust field is removed; code that reads it no longer compiles",
        };
        self.emit(at, used, changed_rule(at, used), "removed", why);
    }

    /// R5, and the additions (C1).
    fn property_added(&mut self, at: &At, used: Use, required: bool) {
        let (rule, what, why) = match (used.side, required) {
            (Side::Request, true) => (
                required_rule(at, used),
                "added (required)",
                "every request must now send it: the Rust struct has a new field to fill",
            ),
            (Side::Request, false) => (
                Rule::Addition,
                "added (optional)",
                "requests may leave it out (`None`)",
            ),
            (_, true) => (
                Rule::Addition,
                "added (required)",
                "a new field on the Rust struct; code reading the others is unaffected",
            ),
            (_, false) => (
                Rule::Addition,
                "added (optional)",
                "a new `Option` field on the Rust struct; code reading the others is unaffected",
            ),
        };
        self.emit(at, used, rule, what, why);
    }

    /// A property's requiredness, nullability and default: together they
    /// decide whether its Rust field is `T` or `Option<T>` (R5 and R7).
    fn presence(&mut self, was: Presence, is: Presence, at: &At, used: Use) {
        if was == is {
            return;
        }
        let mut parts = Vec::new();
        if was.required != is.required {
            parts.push(if is.required { "required" } else { "optional" });
        }
        if was.nullable != is.nullable {
            parts.push(if is.nullable {
                "nullable"
            } else {
                "non-nullable"
            });
        }
        let what = if parts.is_empty() {
            // Only its `default` changed, which decides the field when the
            // property may be missing.
            if is.option {
                "no longer filled in by a `default`".to_owned()
            } else {
                "now filled in by its `default`".to_owned()
            }
        } else {
            format!("made {}", parts.join(" and "))
        };
        let rust = match (was.option, is.option) {
            (true, false) => Some("the Rust field changes from `Option<T>` to `T`"),
            (false, true) => Some("the Rust field changes from `T` to `Option<T>`"),
            _ => None,
        };
        let newly_required = !was.required && is.required;
        let (rule, why) = match (used.side, rust) {
            (Side::Request, Some(rust)) if newly_required => (
                required_rule(at, used),
                format!("requests must now send it; {rust}"),
            ),
            (Side::Request, None) if newly_required => (
                required_rule(at, used),
                "requests must now send it: the body builder fails without a value (the Rust field stays `Option<T>`)".to_owned(),
            ),
            (_, Some(rust)) => (changed_rule(at, used), rust.to_owned()),
            (Side::Request, None) if was.required && !is.required => (
                Rule::Addition,
                "requests may now leave it out; the Rust field stays `Option<T>`".to_owned(),
            ),
            (_, None) => (Rule::NoTypeChange, "the Rust field stays `Option<T>`".to_owned()),
        };
        self.emit(at, used, rule, what, why);
    }

    /// `additionalProperties` beside named properties: a flattened map of
    /// the unlisted fields, or `deny_unknown_fields` when `false`.
    fn extra(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        match (old.extra(), new.extra()) {
            (Extra::Kept(old_value), Extra::Kept(new_value)) => {
                self.element(&old_value, &new_value, &at.suffixed(".*"), used);
            }
            (Extra::Ignored, Extra::Ignored) | (Extra::Denied, Extra::Denied) => {}
            (Extra::Kept(_), _) => self.emit(
                at,
                used,
                changed_rule(at, used),
                "no longer keeps unlisted fields",
                "the Rust struct loses its flattened map of extra fields",
            ),
            (_, Extra::Denied) if used.side == Side::Response => self.emit(
                at,
                used,
                changed_rule(at, used),
                "now rejects unlisted fields",
                "the Rust struct denies unknown fields: a response with a new field fails to parse",
            ),
            (_, Extra::Kept(_)) => self.emit(
                at,
                used,
                Rule::Addition,
                "now keeps unlisted fields",
                "the Rust struct gains a flattened map of extra fields",
            ),
            _ => self.emit(
                at,
                used,
                Rule::NoTypeChange,
                "`additionalProperties` changed",
                "unlisted fields are ignored or rejected differently; no field changes",
            ),
        }
    }

    /// R8 and C2: enum values removed or added.
    fn enum_values(&mut self, old: &SchemaModel<'_>, new: &SchemaModel<'_>, at: &At, used: Use) {
        let (old_values, new_values) = (old.values(), new.values());
        for removed in old_values
            .iter()
            .filter(|value| !new_values.contains(value))
        {
            let why = match used.side {
                Side::Request => "requests can no longer send it; the Rust variant is removed",
                _ => "the Rust variant is removed; code naming it no longer compiles",
            };
            self.emit(
                at,
                used,
                Rule::EnumValueBreaks,
                format!("enum value `{}` removed", show(removed)),
                why,
            );
        }
        for added in new_values
            .iter()
            .filter(|value| !old_values.contains(value))
        {
            let (rule, why) = match (used.side, used.open) {
                (Side::Response, false) => (
                    Rule::EnumValueBreaks,
                    format!(
                        "the generated enum is strict: a response carrying `{}` fails to parse",
                        show(added)
                    ),
                ),
                (Side::Response, true) => (
                    Rule::EnumValueAdded,
                    "an open enum: the value parsed as `Other` before and gets a `Known` variant now".to_owned(),
                ),
                _ => (
                    Rule::EnumValueAdded,
                    "a new Rust variant requests may send".to_owned(),
                ),
            };
            self.emit(
                at,
                used,
                rule,
                format!("enum value `{}` added", show(added)),
                why,
            );
        }
    }

    /// Keys no other rule compares: constraints, `format`s that keep the
    /// Rust type, `default`, `readOnly`, extensions. Reported so nothing
    /// changes silently; the generated-code section shows any type change.
    fn other_keys(&mut self, old: &Value, new: &Value, at: &At, used: Use) {
        let keys: BTreeSet<&String> = keys(old).chain(keys(new)).collect();
        for key in keys {
            let key = key.as_str();
            if DOC_KEYS.contains(&key) || (STRUCTURE_KEYS.contains(&key) && key != "format") {
                continue;
            }
            let (was, is) = (old.get(key), new.get(key));
            if was == is {
                continue;
            }
            let what = format!("`{key}` {}", value_change(was, is));
            let why = if CONSTRAINT_KEYS.contains(&key) {
                "validation only; see the generated-code section for any Rust type change"
            } else if key == "format" {
                "the Rust type stays the same"
            } else {
                "not part of the generated types' shape; see the generated-code section"
            };
            self.emit(at, used, Rule::NoTypeChange, what, why);
        }
    }
}

/// `set to 5`, `removed (was 5)`, `changed from 5 to 6`.
pub(crate) fn value_change(was: Option<&Value>, is: Option<&Value>) -> String {
    match (was, is) {
        (None, Some(is)) => format!("set to `{}`", show(is)),
        (Some(was), None) => format!("removed (was `{}`)", show(was)),
        (Some(was), Some(is)) => format!("changed from `{}` to `{}`", show(was), show(is)),
        (None, None) => "unchanged".into(),
    }
}

/// What [`Walker::same_type`] found.
enum Typed {
    /// Another Rust type: recorded; nothing below it is compared.
    Changed,
    /// The same component schema (or open enum), already followed.
    Reference,
    /// The same Rust type, whose contents are compared next.
    Same,
}

/// Whether a property must be sent and may be null, and whether its Rust
/// field is `Option<T>` for it ([`Field::option`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Presence {
    required: bool,
    nullable: bool,
    option: bool,
}

impl Presence {
    fn of(field: &Field<'_>) -> Presence {
        Presence {
            required: field.required,
            nullable: field.schema.nullable,
            option: field.option,
        }
    }
}

fn keys(node: &Value) -> impl Iterator<Item = &String> {
    node.as_object().into_iter().flat_map(Map::keys)
}
