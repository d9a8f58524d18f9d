//! The generated client's public surface as a flat list of named items —
//! types, their public fields and variants, inherent methods — read with
//! syn, so two versions of `generated.rs` compare item by item. This is
//! the ground truth beside the spec rules: whatever the rules miss, a
//! removed method or a changed field type still shows here.

use std::collections::BTreeMap;

use codegen::model::derived;
use quote::ToTokens;
use syn::{
    Fields, FnArg, GenericArgument, GenericParam, ImplItem, Item, PathArguments, ReceiverKind,
    ReturnType, Signature, Type, TypeParamBound, Visibility, WherePredicate,
};

/// One public item that differs between two versions of the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemChange {
    /// Only in the new version: its path and signature.
    Added(String, String),
    /// Only in the old version: its path and signature.
    Removed(String, String),
    /// In both, with different signatures.
    Changed {
        /// E.g. `types::Playlist::name`.
        path: String,
        /// The old signature, e.g. `Option<String>`.
        old: String,
        /// The new signature, e.g. `String`.
        new: String,
    },
}

impl ItemChange {
    /// True for a removal or a change: code using the item may no longer compile.
    pub fn is_breaking(&self) -> bool {
        !matches!(self, ItemChange::Added(..))
    }

    /// One line: `` `Client::x` removed ``, `` `types::X::f`: `A` → `B` ``.
    pub fn text(&self) -> String {
        match self {
            ItemChange::Added(path, signature) => format!("`{path}` added{}", detail(signature)),
            ItemChange::Removed(path, signature) => {
                format!("`{path}` removed{}", detail(signature))
            }
            ItemChange::Changed { path, old, new } => format!("`{path}`: `{old}` → `{new}`"),
        }
    }
}

/// ` (`String`)` for a field or function; nothing for a type, whose kind
/// the path already implies.
fn detail(signature: &str) -> String {
    match signature {
        "struct" | "enum" | "trait" | IMPL | "" => String::new(),
        signature => format!(" (`{signature}`)"),
    }
}

/// Public items of a generated source file: path → signature.
pub fn public_items(source: &str) -> Result<BTreeMap<String, String>, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut items = BTreeMap::new();
    collect(&file.items, "", &mut items);
    Ok(items)
}

/// What changed from `old` to `new`: removals and changes first, then
/// additions, each sorted by path. Members of an added or removed type are
/// left out; the type says it all.
pub fn compare(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<ItemChange> {
    let parent_is_only_in =
        |path: &str, here: &BTreeMap<String, String>, there: &BTreeMap<String, String>| {
            path.rsplit_once("::")
                .is_some_and(|(parent, _)| here.contains_key(parent) && !there.contains_key(parent))
        };
    let mut changes = Vec::new();
    for (path, signature) in old {
        match new.get(path) {
            None if !parent_is_only_in(path, old, new) => {
                changes.push(ItemChange::Removed(path.clone(), signature.clone()));
            }
            Some(now) if now != signature => changes.push(ItemChange::Changed {
                path: path.clone(),
                old: signature.clone(),
                new: now.clone(),
            }),
            _ => {}
        }
    }
    for (path, signature) in new {
        if !old.contains_key(path) && !parent_is_only_in(path, new, old) {
            changes.push(ItemChange::Added(path.clone(), signature.clone()));
        }
    }
    changes.sort_by_key(|change| !change.is_breaking());
    changes
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}::{name}")
    }
}

fn is_public(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

/// The signature of a trait a type implements, derived or by hand: its
/// item is `TYPE::impl TRAIT` (`types::Playlist::impl Clone`), so a lost
/// derive or `impl` is a removed item.
const IMPL: &str = "impl";

/// `TYPE::impl TRAIT` for each trait `attrs` derive.
fn derives(attrs: &[syn::Attribute], path: &str, out: &mut BTreeMap<String, String>) {
    for traits in attrs.iter().filter_map(|attr| derived(attr)?.ok()) {
        for name in &traits {
            out.insert(
                join(path, &format!("impl {}", trait_name(name))),
                IMPL.into(),
            );
        }
    }
}

/// `From<&Playlist>` for `::std::convert::From<&Playlist>`.
fn trait_name(path: &syn::Path) -> String {
    let Some(last) = path.segments.last() else {
        return String::new();
    };
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return last.ident.to_string();
    };
    let arguments: Vec<String> = arguments
        .args
        .iter()
        .map(|argument| match argument {
            GenericArgument::Type(ty) => render_type(ty),
            other => other.to_token_stream().to_string(),
        })
        .collect();
    format!("{}<{}>", last.ident, arguments.join(", "))
}

fn collect(items: &[Item], prefix: &str, out: &mut BTreeMap<String, String>) {
    for item in items {
        match item {
            Item::Struct(item) if is_public(&item.vis) => {
                let path = join(prefix, &item.ident.to_string());
                out.insert(path.clone(), "struct".into());
                derives(&item.attrs, &path, out);
                for (index, field) in item.fields.iter().enumerate() {
                    if is_public(&field.vis) {
                        let name = field
                            .ident
                            .as_ref()
                            .map_or_else(|| index.to_string(), ToString::to_string);
                        out.insert(join(&path, &name), render_type(&field.ty));
                    }
                }
            }
            Item::Enum(item) if is_public(&item.vis) => {
                let path = join(prefix, &item.ident.to_string());
                out.insert(path.clone(), "enum".into());
                derives(&item.attrs, &path, out);
                for variant in &item.variants {
                    out.insert(
                        join(&path, &variant.ident.to_string()),
                        render_fields(&variant.fields),
                    );
                }
            }
            Item::Fn(item) if is_public(&item.vis) => {
                out.insert(
                    join(prefix, &item.sig.ident.to_string()),
                    render_signature(&item.sig),
                );
            }
            Item::Type(item) if is_public(&item.vis) => {
                out.insert(join(prefix, &item.ident.to_string()), render_type(&item.ty));
            }
            // The `operations` module's descriptions, one per operation.
            Item::Const(item) if is_public(&item.vis) => {
                out.insert(join(prefix, &item.ident.to_string()), render_type(&item.ty));
            }
            Item::Trait(item) if is_public(&item.vis) => {
                out.insert(join(prefix, &item.ident.to_string()), "trait".into());
            }
            Item::Mod(item) if is_public(&item.vis) => {
                let path = join(prefix, &item.ident.to_string());
                // typify's per-type builders mirror the fields listed already.
                if path == "types::builder" {
                    continue;
                }
                if let Some((_, content)) = &item.content {
                    collect(content, &path, out);
                }
            }
            // A trait impl is an item of its type (`TYPE::impl TRAIT`), so
            // losing one (`Default`, `From<…>`) is a removed item.
            Item::Impl(item) if item.trait_.is_some() => {
                let (Some(owner), Some((name, _))) = (type_name(&item.self_ty), &item.trait_)
                else {
                    continue;
                };
                let owner = join(prefix, &owner);
                out.insert(
                    join(&owner, &format!("impl {}", trait_name(name))),
                    IMPL.into(),
                );
            }
            // Inherent methods.
            Item::Impl(item) => {
                let Some(owner) = type_name(&item.self_ty) else {
                    continue;
                };
                for member in &item.items {
                    if let ImplItem::Fn(function) = member
                        && is_public(&function.vis)
                    {
                        let path = join(&join(prefix, &owner), &function.sig.ident.to_string());
                        out.insert(path, render_signature(&function.sig));
                    }
                }
            }
            _ => {}
        }
    }
}

fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `""` for a unit variant, `(A, B)` for a tuple one, `{ a: A }` for a struct one.
fn render_fields(fields: &Fields) -> String {
    match fields {
        Fields::Unit => String::new(),
        Fields::Unnamed(fields) => {
            let types: Vec<_> = fields.unnamed.iter().map(|f| render_type(&f.ty)).collect();
            format!("({})", types.join(", "))
        }
        Fields::Named(fields) => {
            let named: Vec<_> = fields
                .named
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        f.ident
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        render_type(&f.ty)
                    )
                })
                .collect();
            format!("{{ {} }}", named.join(", "))
        }
    }
}

/// `fn(&self, impl TryInto<i64>) -> Self`: argument types and the return
/// type, with a generic argument shown as its bounds (builders take
/// `V: TryInto<T>`, and `T` is what matters).
fn render_signature(sig: &Signature) -> String {
    let bounds = generic_bounds(sig);
    let arguments: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Receiver(receiver) => match &receiver.kind {
                ReceiverKind::Reference(_, _, Some(_)) => "&mut self".to_owned(),
                ReceiverKind::Reference(..) => "&self".to_owned(),
                _ => "self".to_owned(),
            },
            FnArg::Typed(typed) => {
                let generic = type_name(&typed.ty).and_then(|name| bounds.get(&name).cloned());
                generic.map_or_else(|| render_type(&typed.ty), |bound| format!("impl {bound}"))
            }
        })
        .collect();
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let output = match &sig.output {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, ty) => format!(" -> {}", render_type(ty)),
    };
    format!("{asyncness}fn({}){output}", arguments.join(", "))
}

/// Generic type parameter → its trait bounds, from `<V: X>` and `where V: X`.
fn generic_bounds(sig: &Signature) -> BTreeMap<String, String> {
    let mut bounds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for param in &sig.generics.params {
        if let GenericParam::Type(param) = param {
            let entry = bounds.entry(param.ident.to_string()).or_default();
            entry.extend(param.bounds.iter().filter_map(render_bound));
        }
    }
    for predicate in sig.generics.where_clause.iter().flat_map(|w| &w.predicates) {
        if let WherePredicate::Type(predicate) = predicate
            && let Some(name) = type_name(&predicate.bounded_ty)
            && let Some(entry) = bounds.get_mut(&name)
        {
            entry.extend(predicate.bounds.iter().filter_map(render_bound));
        }
    }
    bounds
        .into_iter()
        .map(|(name, list)| (name, list.join(" + ")))
        .collect()
}

fn render_bound(bound: &TypeParamBound) -> Option<String> {
    match bound {
        TypeParamBound::Trait(bound) => Some(render_path(&bound.path)),
        _ => None,
    }
}

/// A type as a reviewer reads it: each path by its last segment
/// (`::std::option::Option<::std::string::String>` → `Option<String>`).
pub fn render_type(ty: &Type) -> String {
    match ty {
        Type::Path(path) if path.qself.is_none() => render_path(&path.path),
        Type::Reference(reference) => {
            let lifetime = reference
                .lifetime
                .as_ref()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let mutability = if reference.mutability.is_some() {
                "mut "
            } else {
                ""
            };
            format!("&{lifetime}{mutability}{}", render_type(&reference.elem))
        }
        Type::Tuple(tuple) => {
            let elems: Vec<_> = tuple.elems.iter().map(render_type).collect();
            format!("({})", elems.join(", "))
        }
        Type::Slice(slice) => format!("[{}]", render_type(&slice.elem)),
        other => other.to_token_stream().to_string(),
    }
}

fn render_path(path: &syn::Path) -> String {
    let Some(last) = path.segments.last() else {
        return String::new();
    };
    let name = last.ident.to_string();
    match &last.arguments {
        PathArguments::None => name,
        PathArguments::AngleBracketed(arguments) => {
            let rendered: Vec<String> = arguments
                .args
                .iter()
                .map(|argument| match argument {
                    GenericArgument::Type(ty) => render_type(ty),
                    GenericArgument::Lifetime(lifetime) => lifetime.to_string(),
                    other => other.to_token_stream().to_string(),
                })
                .collect();
            format!("{name}<{}>", rendered.join(", "))
        }
        PathArguments::Parenthesized(arguments) => {
            let inputs: Vec<_> = arguments
                .inputs
                .iter()
                .map(|input| render_type(&input.ty))
                .collect();
            let output = match &arguments.output {
                ReturnType::Default => String::new(),
                ReturnType::Type(_, ty) => format!(" -> {}", render_type(ty)),
            };
            format!("{name}({}){output}", inputs.join(", "))
        }
    }
}
