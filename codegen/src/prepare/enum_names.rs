//! **Enum values whose Rust names clash.** typify names a variant after its
//! value (`Etc/GMT+1` → `EtcGmt1`) and gives up when two values get one
//! name (`Etc/GMT-1` → `EtcGmt1` too), or names every variant of the enum
//! with `X`s for the dropped characters. For such an enum codegen chooses
//! the names instead, deterministically:
//!
//! 1. values whose names clash spell out their signs: `+` is `Plus`, `-`
//!    is `Minus` (`EtcGmtPlus1`, `EtcGmtMinus1`; `-created_at` is
//!    `MinusCreatedAt` beside `CreatedAt`); so do `+1` and `-1`, which
//!    typify alone names `plus1` and `minus1`, not as Rust names a variant;
//! 2. if names still clash, every punctuation character is spelled out
//!    (`Dot`, `Slash`, `Underscore`, …);
//! 3. if they still clash (values that differ only in case), the value's
//!    position is appended (`GmtValue3`); as a last resort every variant is
//!    `Value<position>`.
//!
//! Values that do not clash keep typify's name. typify takes no names from
//! outside, so each renamed value is handed to it as a placeholder that it
//! turns into the chosen name (the respelled value, `Etc/GMT Plus 1`, plus
//! a private-use character it drops), and [`ValueNames::restore`] puts the real value
//! back into every string literal of the generated code: `serde(rename)`,
//! `Display` and `FromStr` then use the value the server sends.
//! Duplicate values, which make typify panic and mean nothing in JSON
//! Schema, are dropped.

use std::collections::{BTreeMap, HashSet};

use proc_macro2::Literal;
use serde_json::{Map, Value};

use crate::reading::type_name;

/// Marks a placeholder: not an identifier character, so typify drops it,
/// and a private-use code point, so no real value carries it.
pub(crate) const PLACEHOLDER_MARK: char = '\u{E000}';

/// The placeholders handed to typify and the values they stand for.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueNames {
    /// Token text of each placeholder literal (`"Etc/GMT Plus 1\u{e000}"`) →
    /// the value it stands for.
    by_literal: BTreeMap<String, String>,
}

impl ValueNames {
    /// Puts the real values back into the formatted code `text`, where
    /// each placeholder is a string literal printed as its token text.
    /// (Done on the text, not the tokens: one search per placeholder
    /// instead of a walk over every token of a large file.)
    /// The value a string literal's `value` stands for: itself, unless it
    /// is a placeholder.
    pub(crate) fn real<'a>(&'a self, value: &'a str) -> &'a str {
        self.by_literal
            .get(&Literal::string(value).to_string())
            .map_or(value, String::as_str)
    }

    pub(crate) fn restore(&self, text: String) -> String {
        self.by_literal
            .iter()
            .fold(text, |text, (placeholder, value)| {
                if text.contains(placeholder.as_str()) {
                    text.replace(placeholder.as_str(), &Literal::string(value).to_string())
                } else {
                    text
                }
            })
    }
}

/// Rewrites every string enum under `node` whose values clash, and returns
/// the placeholders it used.
pub(super) fn name_clashing_values(node: &mut Value) -> ValueNames {
    let mut names = ValueNames::default();
    rewrite(node, &mut names);
    names
}

fn rewrite(node: &mut Value, names: &mut ValueNames) {
    crate::walk::each_object_mut(node, &mut |schema| rewrite_enum(schema, names));
}

fn rewrite_enum(schema: &mut Map<String, Value>, names: &mut ValueNames) {
    let is_string = match schema.get("type") {
        None => true,
        Some(Value::String(kind)) => kind == "string",
        Some(_) => false,
    };
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    if !is_string || !values.iter().all(|v| v.is_string() || v.is_null()) {
        return;
    }
    let mut seen = HashSet::new();
    let unique: Vec<Value> = values
        .iter()
        .filter(|value| seen.insert((*value).clone()))
        .cloned()
        .collect();
    let texts: Vec<&str> = unique.iter().filter_map(Value::as_str).collect();
    let Some(chosen) = choose_names(&texts) else {
        if unique.len() != values.len() {
            schema.insert("enum".into(), Value::Array(unique));
        }
        return;
    };
    let mut placeholders = Vec::with_capacity(unique.len());
    let mut chosen = chosen.into_iter();
    for value in &unique {
        let Some(text) = value.as_str() else {
            placeholders.push(Value::Null);
            continue;
        };
        let named = chosen.next().unwrap_or_default();
        if named.ends_with(PLACEHOLDER_MARK) {
            names
                .by_literal
                .insert(Literal::string(&named).to_string(), text.to_owned());
        }
        placeholders.push(Value::String(named));
    }
    // typify drops values that break these, and a placeholder is not the
    // value; the values are all listed, so the limits say nothing more.
    for limit in ["minLength", "maxLength", "pattern"] {
        schema.remove(limit);
    }
    if let Some(Value::String(default)) = schema.get("default")
        && let Some(position) = texts.iter().position(|text| text == default)
    {
        let placeholder = placeholders
            .iter()
            .filter(|value| value.is_string())
            .nth(position)
            .cloned();
        if let Some(placeholder) = placeholder {
            schema.insert("default".into(), placeholder);
        }
    }
    schema.insert("enum".into(), Value::Array(placeholders));
}

/// A way to write value number `.0` so that typify names it differently.
type Respelling = dyn Fn(usize, &str) -> String;

/// The text typify should name each of `values` after, when its own names
/// would clash: the value itself where it does not clash, else a
/// placeholder (respelled value plus [`PLACEHOLDER_MARK`]). `None` when no
/// names clash.
fn choose_names(values: &[&str]) -> Option<Vec<String>> {
    let plain: Vec<String> = values.iter().map(|value| type_name(value)).collect();
    // typify names `+1` and `-1` `plus1` and `minus1`, which rustc warns
    // about as variants; they are respelled like clashing ones.
    let lower = |name: &String| name.starts_with(|c: char| c.is_lowercase());
    if all_unique(&plain) && !plain.iter().any(lower) {
        return None;
    }
    let clashing: Vec<usize> = (0..plain.len())
        .filter(|&i| lower(&plain[i]) || plain.iter().filter(|name| **name == plain[i]).count() > 1)
        .collect();
    let spell_signs = |_: usize, value: &str| spell(value, |c| matches!(c, '+' | '-'));
    let spell_all = |_: usize, value: &str| spell(value, |c| !c.is_alphanumeric());
    let number = |i: usize, value: &str| format!("{value} value {}", i + 1);
    let respellings: [&Respelling; 3] = [&spell_signs, &spell_all, &number];
    for respell in respellings {
        let mut named: Vec<String> = values.iter().map(|value| (*value).to_owned()).collect();
        for &i in &clashing {
            named[i] = format!("{}{PLACEHOLDER_MARK}", respell(i, values[i]));
        }
        let names: Vec<String> = named.iter().map(|text| type_name(text)).collect();
        if all_unique(&names) {
            return Some(named);
        }
    }
    Some(
        (1..=values.len())
            .map(|i| format!("value {i}{PLACEHOLDER_MARK}"))
            .collect(),
    )
}

/// `value` with each character `spelled` picks written out as a word.
fn spell(value: &str, spelled: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    for c in value.chars() {
        if !spelled(c) {
            out.push(c);
            continue;
        }
        let word = match c {
            '+' => "Plus".to_owned(),
            '-' => "Minus".to_owned(),
            '.' => "Dot".to_owned(),
            '/' => "Slash".to_owned(),
            '_' => "Underscore".to_owned(),
            ':' => "Colon".to_owned(),
            ' ' => "Space".to_owned(),
            '*' => "Star".to_owned(),
            '@' => "At".to_owned(),
            '#' => "Hash".to_owned(),
            '$' => "Dollar".to_owned(),
            '%' => "Percent".to_owned(),
            '&' => "And".to_owned(),
            '=' => "Eq".to_owned(),
            '<' => "Lt".to_owned(),
            '>' => "Gt".to_owned(),
            other => format!("U{:04X}", u32::from(other)),
        };
        out.push(' ');
        out.push_str(&word);
        out.push(' ');
    }
    out
}

fn all_unique(names: &[String]) -> bool {
    let mut seen = HashSet::new();
    names.iter().all(|name| seen.insert(name))
}

#[cfg(test)]
mod tests {
    use super::{choose_names, name_clashing_values};
    use crate::reading::type_name;
    use serde_json::json;

    /// The Rust names typify gives the texts `choose_names` picks.
    fn names(values: &[&str]) -> Option<Vec<String>> {
        choose_names(values).map(|texts| texts.iter().map(|t| type_name(t)).collect())
    }

    #[test]
    fn clashing_values_spell_their_signs() {
        assert_eq!(names(&["a", "b"]), None);
        assert_eq!(
            names(&["+1", "-1", "laugh"]).unwrap(),
            ["Plus1", "Minus1", "Laugh"]
        );
        assert_eq!(
            names(&["Etc/GMT+1", "Etc/GMT-1", "Etc/GMT1", "UTC"]).unwrap(),
            ["EtcGmtPlus1", "EtcGmtMinus1", "EtcGmt1", "Utc"]
        );
        assert_eq!(
            names(&["created_at", "-created_at", "a-b", "a_b"]).unwrap(),
            ["CreatedAt", "MinusCreatedAt", "AMinusB", "AB"]
        );
        // Values that do not clash are handed over unchanged.
        assert_eq!(choose_names(&["UTC", "a+b", "a-b"]).unwrap()[0], "UTC");
    }

    #[test]
    fn then_all_punctuation_then_positions() {
        assert_eq!(
            names(&["a.b", "a/b", "x"]).unwrap(),
            ["ADotB", "ASlashB", "X"]
        );
        assert_eq!(
            names(&["gmt", "GMT", "Gmt"]).unwrap(),
            ["GmtValue1", "GmtValue2", "GmtValue3"]
        );
    }

    #[test]
    fn placeholders_go_in_and_values_come_back() {
        let mut tree = json!({
            "Tz": {"type": "string", "maxLength": 9, "enum": ["Etc/GMT+1", "Etc/GMT-1", "UTC", "UTC", null], "default": "Etc/GMT-1"},
            "Plain": {"type": "string", "enum": ["a", "b", "a"]},
            "example": {"enum": ["x-y", "x_y"]}
        });
        let names = name_clashing_values(&mut tree);
        let values = tree["Tz"]["enum"].as_array().unwrap();
        assert_eq!(values.len(), 4, "{values:?}");
        assert_eq!(values[0], "Etc/GMT Plus 1\u{E000}");
        assert_eq!(values[3], serde_json::Value::Null);
        assert_eq!(tree["Tz"]["default"], "Etc/GMT Minus 1\u{E000}");
        assert!(tree["Tz"].get("maxLength").is_none());
        assert_eq!(tree["Plain"]["enum"], json!(["a", "b"]));
        assert_eq!(tree["example"]["enum"], json!(["x-y", "x_y"]));

        // As progenitor emits it: a literal made from the string.
        let placeholder = "Etc/GMT Minus 1\u{E000}";
        let tokens = quote::quote!(
            #[serde(rename = #placeholder)]
            EtcGmtMinus1
        );
        assert_eq!(
            names.restore(tokens.to_string()),
            quote::quote!(
                #[serde(rename = "Etc/GMT-1")]
                EtcGmtMinus1
            )
            .to_string()
        );
    }
}
