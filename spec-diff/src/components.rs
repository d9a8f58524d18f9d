//! The component-schema and document sections. Each component schema is
//! reported once, judged by how the operations reach it: a schema only
//! requests use breaks on a new required property, one a response uses
//! strictly breaks on a new enum value, one only error responses use breaks
//! like a response type (callers read it through `ApiError::body()`).
//! Renames are told apart from a removal plus an addition.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{RustType, SchemaModel, Trait, TypeModel};
use codegen::reading;
use serde_json::{Map, Value};

use super::change::{Change, Rule, Section, Use};
use super::node::{rust_type, strip_docs, union_keys};
use super::schema::{At, Specs, Walker};

/// Component schemas of a document, in document order.
fn schemas(root: &Value) -> Map<String, Value> {
    reading::component_schemas(root)
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// Old name → new name for each component schema that was only renamed
/// (rule 10 of the crate docs):
/// gone under its old name, present under a new one with the same content
/// (documentation aside).
pub(crate) fn renames(old: &Value, new: &Value) -> BTreeMap<String, String> {
    let (old_schemas, new_schemas) = (schemas(old), schemas(new));
    let mut added: Vec<(&String, Value)> = new_schemas
        .iter()
        .filter(|(name, _)| !old_schemas.contains_key(*name))
        .map(|(name, schema)| (name, strip_docs(schema)))
        .collect();
    let mut renames = BTreeMap::new();
    for (name, schema) in old_schemas
        .iter()
        .filter(|(name, _)| !new_schemas.contains_key(*name))
    {
        let content = strip_docs(schema);
        if let Some(index) = added
            .iter()
            .position(|(_, candidate)| *candidate == content)
        {
            let (new_name, _) = added.remove(index);
            renames.insert(name.clone(), new_name.clone());
        }
    }
    renames
}

/// How each component schema is reached from the operations of `root`.
fn usages(root: &Value) -> BTreeMap<String, BTreeSet<Use>> {
    let mut found = BTreeMap::new();
    for op in codegen::model::model(root).operations {
        // Parameters as the operation has them: one it overrides is not used.
        for param in &op.parameters {
            if let Some(schema) = param.schema {
                mark(root, schema, Use::REQUEST, &mut found);
            }
        }
        if let Some(body) = op.request_body {
            mark_content(root, body.node, Use::REQUEST, &mut found);
        }
        for response in &op.responses {
            let used = if response.success {
                Use::RESPONSE
            } else {
                Use::ERROR
            };
            mark_content(root, response.node, used, &mut found);
        }
    }
    found
}

fn mark_content(
    root: &Value,
    node: &Value,
    used: Use,
    found: &mut BTreeMap<String, BTreeSet<Use>>,
) {
    for media in node
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, m)| m)
    {
        if let Some(schema) = media.get("schema") {
            mark(root, schema, used, found);
        }
    }
}

/// Records that `node`, and everything it reaches, is used as `used`.
fn mark(root: &Value, node: &Value, used: Use, found: &mut BTreeMap<String, BTreeSet<Use>>) {
    let schema = SchemaModel::of(root, node);
    match &schema.rust {
        RustType::OpenEnum { known } => {
            found
                .entry(known.clone())
                .or_default()
                .insert(used.opened());
            return;
        }
        RustType::Named { schema: name } => {
            let first_visit = found.entry(name.clone()).or_default().insert(used.closed());
            if let (true, Some(target)) = (first_visit, reading::component_schema(root, name)) {
                mark(root, target, used.closed(), found);
            }
            return;
        }
        _ => {}
    }
    let node = &schema.node;
    let children = [
        "properties",
        "items",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    ]
    .into_iter()
    .filter_map(|key| Some((key, node.get(key)?)));
    for (key, child) in children {
        match (key, child) {
            ("properties", Value::Object(properties)) => {
                properties
                    .values()
                    .for_each(|p| mark(root, p, used.closed(), found));
            }
            (_, Value::Array(branches)) => branches
                .iter()
                .for_each(|b| mark(root, b, used.closed(), found)),
            (_, Value::Object(_)) => mark(root, child, used.closed(), found),
            _ => {}
        }
    }
}

/// One section per component schema that changed, sorted by name.
pub(crate) fn schema_sections(specs: Specs<'_>) -> Vec<Section> {
    let (old_schemas, new_schemas) = (schemas(specs.old), schemas(specs.new));
    let (old_usages, new_usages) = (usages(specs.old), usages(specs.new));
    let renamed_from: BTreeMap<&String, &String> =
        specs.renames.iter().map(|(old, new)| (new, old)).collect();
    let names: BTreeSet<&String> = old_schemas.keys().chain(new_schemas.keys()).collect();
    let mut sections = Vec::new();
    for name in names {
        let at = At {
            schema: Some(name.clone()),
            ..At::top()
        };
        let (title, changes) = match (old_schemas.get(name), new_schemas.get(name)) {
            (Some(_), None) if specs.renames.contains_key(name) => continue,
            (Some(_), None) => (
                format!("`{name}`"),
                vec![change(
                    &at,
                    Rule::SchemaRenamedOrRemoved,
                    "removed",
                    format!("the Rust type `{}` is removed", rust_type(name)),
                )],
            ),
            (None, Some(new)) => match renamed_from.get(name) {
                Some(old_name) => {
                    let mut changes = vec![change(
                        &at,
                        Rule::SchemaRenamedOrRemoved,
                        &format!("renamed from `{old_name}`"),
                        format!(
                            "the Rust type `{}` is now `{}`",
                            rust_type(old_name),
                            rust_type(name)
                        ),
                    )];
                    let used = uses(&old_usages, &new_usages, old_name, name);
                    let old = &old_schemas[old_name.as_str()];
                    changes.extend(compare(specs, (old_name, old), (name, new), &at, &used));
                    changes.extend(traits(specs, old_name, name, &at));
                    (format!("`{name}` (was `{old_name}`)"), changes)
                }
                None => (
                    format!("`{name}`"),
                    vec![change(
                        &at,
                        Rule::Addition,
                        "added",
                        format!("a new Rust type `{}`", rust_type(name)),
                    )],
                ),
            },
            (Some(old), Some(new)) => {
                let used = uses(&old_usages, &new_usages, name, name);
                let mut changes = traits(specs, name, name, &at);
                changes.extend(compare(specs, (name, old), (name, new), &at, &used));
                (format!("`{name}`"), changes)
            }
            (None, None) => continue,
        };
        if !changes.is_empty() {
            sections.push(Section { title, changes });
        }
    }
    sections
}

/// R13 and C1: the traits the Rust type of component schema `old_name`
/// (`new_name` in the new spec) implements, as the type space says
/// ([`codegen::model::ComponentType::traits`]), lost or gained.
fn traits(specs: Specs<'_>, old_name: &str, new_name: &str, at: &At) -> Vec<Change> {
    let implemented = |types: &TypeModel, name: &str| {
        types
            .component(name)
            .map(|component| component.traits.clone())
            .unwrap_or_default()
    };
    let (was, is) = (
        implemented(specs.old_types, old_name),
        implemented(specs.new_types, new_name),
    );
    let listed = |traits: &[Trait]| {
        traits
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let lost: Vec<Trait> = was.difference(&is).copied().collect();
    let gained: Vec<Trait> = is.difference(&was).copied().collect();
    let mut changes = Vec::new();
    if !lost.is_empty() {
        let rust = at.schema.as_deref().map_or_else(String::new, rust_type);
        changes.push(change(
            at,
            Rule::TraitLost,
            &format!("no longer implements {}", listed(&lost)),
            what_stops_compiling(&rust, &lost),
        ));
    }
    if !gained.is_empty() {
        changes.push(change(
            at,
            Rule::Addition,
            &format!("now implements {}", listed(&gained)),
            "the Rust type gains trait implementations; nothing that compiled stops".to_owned(),
        ));
    }
    changes
}

/// The uses of a type each trait makes possible, as R13 names them; a
/// trait not listed here is named as a bound.
const TRAIT_USES: [(&[Trait], &str); 4] = [
    (
        &[Trait::Default],
        "`{rust}::default()` and `..Default::default()` no longer compile",
    ),
    (
        &[Trait::Copy],
        "a value used twice is now moved the first time",
    ),
    (
        &[Trait::Eq, Trait::Hash],
        "it can no longer key a `HashMap` or `HashSet`",
    ),
    (
        &[Trait::Ord, Trait::PartialOrd],
        "it can no longer key a `BTreeMap` or be sorted",
    ),
];

/// What code using `rust` stops compiling when it loses the traits `lost`,
/// one clause per kind of use.
fn what_stops_compiling(rust: &str, lost: &[Trait]) -> String {
    let mut uses: Vec<String> = TRAIT_USES
        .iter()
        .filter(|(traits, _)| traits.iter().any(|name| lost.contains(name)))
        .map(|(_, clause)| clause.replace("{rust}", rust))
        .collect();
    let other: Vec<&str> = lost
        .iter()
        .filter(|name| !TRAIT_USES.iter().any(|(traits, _)| traits.contains(name)))
        .map(|name| name.name())
        .collect();
    if !other.is_empty() {
        uses.push(format!(
            "code that needs `{rust}: {}` no longer compiles",
            other.join(" + ")
        ));
    }
    uses.join("; ")
}

fn change(at: &At, rule: Rule, what: &str, why: String) -> Change {
    Change {
        rule,
        severity: rule.severity(),
        context: String::new(),
        path: String::new(),
        what: what.to_owned(),
        why,
        schema: at.schema.clone(),
    }
}

/// The ways a schema is used, at either end; judged both ways if no
/// operation uses it.
fn uses(
    old_usages: &BTreeMap<String, BTreeSet<Use>>,
    new_usages: &BTreeMap<String, BTreeSet<Use>>,
    old_name: &str,
    new_name: &str,
) -> BTreeSet<Use> {
    let found: BTreeSet<Use> = old_usages
        .get(old_name)
        .into_iter()
        .chain(new_usages.get(new_name))
        .flatten()
        .copied()
        .collect();
    if found.is_empty() {
        Use::unreached()
    } else {
        found
    }
}

/// A schema's own changes, judged for every way it is used: each change
/// once, breaking if any use makes it so.
fn compare(
    specs: Specs<'_>,
    old: (&str, &Value),
    new: (&str, &Value),
    at: &At,
    used: &BTreeSet<Use>,
) -> Vec<Change> {
    let mut merged: Vec<Change> = Vec::new();
    for (index, used) in used.iter().enumerate() {
        let mut walker = Walker::new(specs, false);
        let mut at = at.clone();
        // Documentation does not depend on the use: collect it once.
        at.docs = index == 0;
        walker.component(old, new, &at, *used);
        for change in walker.finish() {
            let same = merged.iter_mut().find(|seen| {
                seen.context == change.context
                    && seen.path == change.path
                    && seen.what == change.what
            });
            match same {
                Some(seen) if change.severity > seen.severity => *seen = change,
                Some(_) => {}
                None => merged.push(change),
            }
        }
    }
    // The documentation bullet was pushed last by the first walker; keep it last.
    if let Some(index) = merged
        .iter()
        .position(|c| c.what.starts_with("documentation changed"))
    {
        let docs = merged.remove(index);
        merged.push(docs);
    }
    merged
}

/// Top-level keys and shared components (other than schemas): changes the
/// operations do not report themselves.
pub(crate) fn document_changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let top_keys = union_keys(old, new);
    for key in top_keys
        .iter()
        .filter(|k| !matches!(k.as_str(), "paths" | "components"))
    {
        if old.get(key) == new.get(key) {
            continue;
        }
        if key == "security" {
            // Reported at each operation that inherits it (`operations::security`).
            let inherits = |tree: &Value| {
                reading::operations(tree).any(|operation| operation.node.get("security").is_none())
            };
            if !inherits(old) && !inherits(new) {
                changes.push(document_change(
                    Rule::Scopes,
                    "spec-wide `security` changed".to_owned(),
                    "every operation declares its own, so none is affected",
                ));
            }
            continue;
        }
        changes.push(document_change(
            Rule::NoTypeChange,
            format!("`{key}` changed"),
            "document metadata; no Rust type changes",
        ));
    }
    let empty = Value::Object(Map::new());
    let (old_components, new_components) = (
        old.get("components").unwrap_or(&empty),
        new.get("components").unwrap_or(&empty),
    );
    let kinds = union_keys(old_components, new_components);
    for kind in kinds.iter().filter(|k| k.as_str() != "schemas") {
        let (old_kind, new_kind) = (
            old_components.get(kind).unwrap_or(&empty),
            new_components.get(kind).unwrap_or(&empty),
        );
        for name in union_keys(old_kind, new_kind) {
            let pointer = format!("`#/components/{kind}/{name}`");
            let (was, is) = (old_kind.get(&name), new_kind.get(&name));
            let (rule, what, why) = match (was, is) {
                (Some(_), None) => (
                    Rule::NoTypeChange,
                    format!("{pointer} removed"),
                    "operations that used it report what that changes",
                ),
                (None, Some(_)) => (
                    Rule::NoTypeChange,
                    format!("{pointer} added"),
                    "operations that use it report what that changes",
                ),
                (Some(was), Some(is)) if was == is => continue,
                _ if kind == "securitySchemes" => (
                    Rule::NoTypeChange,
                    format!("{pointer} changed"),
                    "authentication is the hand-written layer's; no Rust type changes",
                ),
                (Some(was), Some(is)) if strip_docs(was) == strip_docs(is) => (
                    Rule::Documentation,
                    format!("documentation of {pointer} changed"),
                    "doc comments only; no Rust type changes",
                ),
                // Operations that use it report the change, each where it applies.
                _ => continue,
            };
            changes.push(document_change(rule, what, why));
        }
    }
    changes
}

fn document_change(rule: Rule, what: String, why: &str) -> Change {
    Change {
        rule,
        severity: rule.severity(),
        context: String::new(),
        path: String::new(),
        what,
        why: why.to_owned(),
        schema: None,
    }
}
