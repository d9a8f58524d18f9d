//! **Types that would share a Rust name.** typify names a component schema
//! after its key, an inline schema after its `title`, else after where it
//! sits (`Dashboard` property `restriction_level` →
//! `DashboardRestrictionLevel`). When two different schemas get one name it
//! emits both (code that does not compile) or, worse, silently reuses the
//! first type for the second. Equivalent renames keep every name unique;
//! names are never on the wire, so requests and answers do not change:
//!
//! - a nullable `anyOf`/`oneOf` component (`X: {nullable: true, anyOf: …}`)
//!   becomes `X: {nullable: true, allOf: [$ref: X_non_null]}` beside a
//!   component `X_non_null` holding the branches: typify would give the
//!   `Option` wrapper and the enum inside it the same name;
//! - a nullable component of another kind (`nullable-simple-user: {title:
//!   Simple User, nullable: true, type: object}`) is an `Option` wrapper
//!   around a type typify names after the title, else `<Name>Inner`; a
//!   title naming it like a component (`simple-user`, or the component
//!   itself) is replaced by `<name> inner`;
//! - a component whose Rust name another component already has (`Key` and
//!   `key`, `Breakdown_Value` and `BreakdownValue`) gets a number
//!   (`Breakdown_Value2`), and every `$ref` to it follows;
//! - an inline schema whose title would name it like a component is
//!   retitled after its owner (`Key` in `CohortPropertyFilter` →
//!   `CohortPropertyFilter Key`);
//! - an untitled property schema named like a component after its place
//!   gets the title `<owner> <property> property`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::pointer_join;
use crate::reading::type_name;

/// Applies the renames above to `tree`.
pub(super) fn keep_type_names_unique(tree: &mut Value) {
    split_nullable_unions(tree);
    number_clashing_components(tree);
    let taken: BTreeSet<String> = component_names(tree).iter().map(|n| type_name(n)).collect();
    retitle_nullable_components(tree, &taken);
    let Some(schemas) = tree
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (owner, schema) in schemas.iter_mut() {
        retitle_inline(schema, owner, &taken, true);
        name_properties(schema, owner, &taken);
    }
}

fn component_names(tree: &Value) -> Vec<String> {
    tree.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

fn split_nullable_unions(tree: &mut Value) {
    let Some(schemas) = tree
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let names: Vec<String> = schemas
        .iter()
        .filter(|(_, schema)| {
            schema.get("nullable") == Some(&Value::Bool(true))
                && (schema.get("anyOf").is_some() || schema.get("oneOf").is_some())
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in names {
        let inner_name = free_name(schemas, &format!("{name}_non_null"));
        let Some(Value::Object(schema)) = schemas.get_mut(&name) else {
            continue;
        };
        let kept = [
            "nullable",
            "title",
            "description",
            "default",
            "example",
            "readOnly",
            "writeOnly",
            "deprecated",
        ];
        let inner: Map<String, Value> = schema
            .iter()
            .filter(|(key, _)| !kept.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        schema.retain(|key, _| kept.contains(&key.as_str()));
        schema.insert(
            "allOf".into(),
            json!([{ "$ref": pointer_join("#/components/schemas", &inner_name) }]),
        );
        schemas.insert(inner_name, Value::Object(inner));
    }
}

/// Retitles each nullable component that is not a union (those are split
/// above) whose title's Rust name a component has, `taken`.
fn retitle_nullable_components(tree: &mut Value, taken: &BTreeSet<String>) {
    let Some(schemas) = tree
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        let Some(schema) = schema.as_object_mut() else {
            continue;
        };
        let is_union = ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|key| schema.contains_key(*key));
        if schema.get("nullable") != Some(&Value::Bool(true)) || is_union {
            continue;
        }
        if let Some(Value::String(title)) = schema.get("title")
            && taken.contains(&type_name(title))
        {
            let retitled = std::iter::once(format!("{name} inner"))
                .chain((2..).map(|k| format!("{name} inner {k}")))
                .find(|candidate| !taken.contains(&type_name(candidate)))
                .unwrap_or_default();
            schema.insert("title".into(), Value::String(retitled));
        }
    }
}

/// `base`, else `base2`, `base3`, … : the first whose Rust name no
/// component has.
fn free_name(schemas: &Map<String, Value>, base: &str) -> String {
    let taken: BTreeSet<String> = schemas.keys().map(|n| type_name(n)).collect();
    std::iter::once(base.to_owned())
        .chain((2..).map(|k| format!("{base}{k}")))
        .find(|name| !taken.contains(&type_name(name)))
        .unwrap_or_else(|| base.to_owned())
}

fn number_clashing_components(tree: &mut Value) {
    let names = component_names(tree);
    let mut taken = BTreeSet::new();
    let mut renames = Vec::new();
    for name in &names {
        if taken.insert(type_name(name)) {
            continue;
        }
        let new = (2..)
            .map(|k| format!("{name}{k}"))
            .find(|candidate| !taken.contains(&type_name(candidate)) && !names.contains(candidate))
            .unwrap_or_else(|| name.clone());
        taken.insert(type_name(&new));
        renames.push((name.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    if let Some(schemas) = tree
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let old = std::mem::take(schemas);
        for (name, schema) in old {
            let name = renames
                .iter()
                .find(|(from, _)| *from == name)
                .map_or(name, |(_, to)| to.clone());
            schemas.insert(name, schema);
        }
    }
    let targets: Vec<(String, String)> = renames
        .iter()
        .map(|(from, to)| {
            (
                pointer_join("#/components/schemas", from),
                pointer_join("#/components/schemas", to),
            )
        })
        .collect();
    retarget_refs(tree, &targets);
}

fn retarget_refs(node: &mut Value, targets: &[(String, String)]) {
    crate::walk::each_object_mut(node, &mut |map| {
        if let Some(Value::String(target)) = map.get_mut("$ref")
            && let Some((_, to)) = targets.iter().find(|(from, _)| from == target)
        {
            *target = to.clone();
        }
    });
}

/// Retitles the inline schemas below `node` (a component of `owner` when
/// `is_component`) whose title a component's Rust name already has.
fn retitle_inline(node: &mut Value, owner: &str, taken: &BTreeSet<String>, is_component: bool) {
    // A component keeps its own title; the first object visited is `node`.
    let mut skip = is_component;
    crate::walk::each_object_mut(node, &mut |schema| {
        if std::mem::take(&mut skip) {
            return;
        }
        if let Some(Value::String(title)) = schema.get("title")
            && taken.contains(&type_name(title))
        {
            let retitled = (1..)
                .map(|k| match k {
                    1 => format!("{owner} {title}"),
                    k => format!("{owner} {title} {k}"),
                })
                .find(|candidate| !taken.contains(&type_name(candidate)))
                .unwrap_or_default();
            schema.insert("title".into(), Value::String(retitled));
        }
    });
}

/// Titles the untitled property schemas of `owner` that would be named
/// like a component, and that typify turns into a type of their own.
fn name_properties(schema: &mut Value, owner: &str, taken: &BTreeSet<String>) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (property, schema) in properties.iter_mut() {
        let Some(schema) = schema.as_object_mut() else {
            continue;
        };
        let makes_a_type = ["enum", "properties", "allOf", "anyOf", "oneOf"]
            .iter()
            .any(|key| schema.contains_key(*key));
        if makes_a_type
            && !schema.contains_key("title")
            && !schema.contains_key("$ref")
            && taken.contains(&type_name(&format!("{owner}_{property}")))
        {
            schema.insert(
                "title".into(),
                Value::String(format!("{owner} {property} property")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::keep_type_names_unique;
    use serde_json::json;

    #[test]
    fn every_type_name_stays_unique() {
        let mut tree = json!({"components": {"schemas": {
            "BreakdownValue": {"type": "object"},
            "Breakdown_Value": {"type": "string", "enum": ["a"]},
            "Breakdown": {"nullable": true, "title": "B", "anyOf": [{"type": "string"}, {"type": "integer"}]},
            "Key": {"type": "string", "enum": ["id", "name"]},
            "Filter": {"type": "object", "properties": {
                "key": {"title": "Key", "type": "string", "enum": ["id"]},
                "value": {"$ref": "#/components/schemas/Breakdown_Value"}
            }},
            "Dashboard": {"type": "object", "properties": {
                "level": {"allOf": [{"$ref": "#/components/schemas/Level"}], "maximum": 5},
                "plain": {"type": "string"}
            }},
            "DashboardLevel": {"type": "integer"},
            "Level": {"type": "integer"},
            "simple-user": {"title": "Simple User", "type": "object"},
            "nullable-simple-user": {"title": "Simple User", "nullable": true, "type": "object"},
            "auto-merge": {"title": "Auto merge", "nullable": true, "type": "object"},
            "nullable-team": {"title": "Team", "nullable": true, "type": "object"}
        }}});
        keep_type_names_unique(&mut tree);
        let schemas = &tree["components"]["schemas"];
        assert!(schemas.get("Breakdown_Value").is_none());
        assert_eq!(schemas["Breakdown_Value2"]["enum"], json!(["a"]));
        assert_eq!(
            schemas["Filter"]["properties"]["value"]["$ref"],
            "#/components/schemas/Breakdown_Value2"
        );
        assert_eq!(
            schemas["Breakdown"],
            json!({"nullable": true, "title": "B", "allOf": [{"$ref": "#/components/schemas/Breakdown_non_null"}]})
        );
        assert_eq!(
            schemas["Breakdown_non_null"]["anyOf"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            schemas["Filter"]["properties"]["key"]["title"],
            "Filter Key"
        );
        assert_eq!(
            schemas["Dashboard"]["properties"]["level"]["title"],
            "Dashboard level property"
        );
        assert!(
            schemas["Dashboard"]["properties"]["plain"]
                .get("title")
                .is_none()
        );
        assert_eq!(
            schemas["nullable-simple-user"]["title"],
            "nullable-simple-user inner"
        );
        assert_eq!(schemas["auto-merge"]["title"], "auto-merge inner");
        assert_eq!(schemas["nullable-team"]["title"], "Team");
    }
}
