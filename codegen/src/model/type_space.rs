//! The Rust half of the model: the types the generator declares, read from
//! the `TypeSpace` progenitor builds for the spec ([`TypeModel::of`]), so
//! nothing here restates how typify decides.
//!
//! - What kind of type a component schema becomes ([`TypeKind`]) and
//!   whether a struct's field is `Option<T>` come from
//!   `typify::Type::details()`.
//! - The traits a type implements ([`Trait`]) come from the code typify
//!   emits for it (`TypeSpace::to_stream`): its `#[derive(…)]` and its
//!   `impl … for` items. typify exposes no list of derives, and its
//!   `has_impl(TypeSpaceImpl::Default)` answers another question (whether
//!   the schema gives a default *value*), so the emitted code is the one
//!   typed source that says which traits a type has.
//!
//! [`super::SchemaModel`] reads the spec side (which schema a `$ref`
//! names, a property's `required` and `nullable`, enum values); it takes
//! its Rust side from here wherever it walks inside a type of this model.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use typify::{TypeDetails, TypeId, TypeSpace};

use crate::{Error, Spec, reading};

/// The types progenitor declares for one spec.
pub struct TypeModel {
    generator: progenitor::Generator,
    /// What each declared type's emitted code implements, by Rust name.
    traits: BTreeMap<String, BTreeSet<Trait>>,
}

impl fmt::Debug for TypeModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeModel")
            .field("traits", &self.traits)
            .finish_non_exhaustive()
    }
}

/// A trait a generated type may implement that code using it can rely on:
/// losing one breaks callers (`X::default()`, copying, map keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Trait {
    Clone,
    Copy,
    Debug,
    Default,
    Deserialize,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd,
    Serialize,
}

impl Trait {
    /// Every trait the model tells apart, in name order.
    pub const ALL: [Trait; 11] = [
        Trait::Clone,
        Trait::Copy,
        Trait::Debug,
        Trait::Default,
        Trait::Deserialize,
        Trait::Eq,
        Trait::Hash,
        Trait::Ord,
        Trait::PartialEq,
        Trait::PartialOrd,
        Trait::Serialize,
    ];

    /// Its name as Rust code writes it (the last segment of its path).
    pub fn name(self) -> &'static str {
        match self {
            Trait::Clone => "Clone",
            Trait::Copy => "Copy",
            Trait::Debug => "Debug",
            Trait::Default => "Default",
            Trait::Deserialize => "Deserialize",
            Trait::Eq => "Eq",
            Trait::Hash => "Hash",
            Trait::Ord => "Ord",
            Trait::PartialEq => "PartialEq",
            Trait::PartialOrd => "PartialOrd",
            Trait::Serialize => "Serialize",
        }
    }

    /// The trait a path's last segment names, if the model tells it apart.
    pub fn named(name: &str) -> Option<Trait> {
        Trait::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for Trait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of Rust item a declared type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct,
    /// An enum.
    Enum,
    /// A tuple struct around one value (an alias, a constrained string, a
    /// list or map given its own name).
    Newtype,
}

/// A component schema's Rust type.
#[derive(Debug, Clone)]
pub struct ComponentType<'a> {
    /// Its name, `types::{name}`.
    pub name: String,
    /// What kind of item it is.
    pub kind: TypeKind,
    /// The traits its code implements.
    pub traits: &'a BTreeSet<Trait>,
    /// Where a walk of its schema starts ([`super::SchemaModel`]).
    pub(crate) typed: Typed<'a>,
}

/// A position inside a declared type: the type space and one type of it.
#[derive(Clone)]
pub(crate) struct Typed<'a> {
    space: &'a TypeSpace,
    at: Position,
}

/// How a [`Typed`] finds its type: typify hands out the ids of the types
/// inside others, but a declared type only by its name.
#[derive(Debug, Clone)]
enum Position {
    Declared(String),
    Inside(TypeId),
}

impl fmt::Debug for Typed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Typed").field(&self.at).finish()
    }
}

impl TypeModel {
    /// The types progenitor declares for `spec`'s client, with the settings
    /// `generate` uses. Fails where generating the client fails.
    pub fn of(spec: &Spec) -> Result<TypeModel, Error> {
        let generator = crate::generate::type_space(spec)?;
        let traits =
            emitted_traits(generator.get_type_space()).map_err(|message| Error::Internal {
                path: spec.path().to_owned(),
                message,
            })?;
        Ok(TypeModel { generator, traits })
    }

    /// The Rust type of the component schema `schema`, if it declares one.
    pub fn component(&self, schema: &str) -> Option<ComponentType<'_>> {
        let name = reading::type_name(schema);
        let typed = Typed {
            space: self.generator.get_type_space(),
            at: Position::Declared(name.clone()),
        };
        let kind = typed.read(|details| {
            Some(match details {
                TypeDetails::Struct(_) => TypeKind::Struct,
                TypeDetails::Enum(_) => TypeKind::Enum,
                _ => TypeKind::Newtype,
            })
        })?;
        Some(ComponentType {
            traits: self.traits.get(&name)?,
            name,
            kind,
            typed,
        })
    }
}

impl<'a> Typed<'a> {
    /// What `f` reads from the type's details (typify lends them only
    /// while it lends the type).
    fn read<R>(&self, f: impl FnOnce(TypeDetails<'_>) -> Option<R>) -> Option<R> {
        let ty = match &self.at {
            Position::Declared(name) => self.space.iter_types().find(|ty| ty.name() == *name)?,
            Position::Inside(id) => self.space.get_type(id).ok()?,
        };
        f(ty.details())
    }

    /// The property `property` (its name in the spec) of a struct: whether
    /// its field is `Option<T>`, and `T`.
    pub(crate) fn field(&self, property: &str) -> Option<(bool, Typed<'a>)> {
        let rust_name = reading::field_name(property);
        let id = self.read(|details| match details {
            TypeDetails::Struct(details) => details
                .properties_info()
                .find(|info| info.name == rust_name)
                .map(|info| info.type_id),
            _ => None,
        })?;
        let field = self.at(id);
        Some(match field.option() {
            Some(inner) => (true, inner),
            None => (false, field),
        })
    }

    /// An array's element type, `T` of `Vec<T>` (or of `Vec<Option<T>>`).
    pub(crate) fn items(&self) -> Option<Typed<'a>> {
        let (id, named) = self.read(|details| match details {
            TypeDetails::Vec(id) | TypeDetails::Set(id) => Some((id, false)),
            TypeDetails::Newtype(newtype) => Some((newtype.inner(), true)),
            _ => None,
        })?;
        if named {
            return self.at(id).items();
        }
        let element = self.at(id);
        Some(element.option().unwrap_or(element))
    }

    /// `T` of `Option<T>` (or of `Option<Box<T>>`); `None` for another type.
    fn option(&self) -> Option<Typed<'a>> {
        let inner = self.at(self.read(|details| match details {
            TypeDetails::Option(id) => Some(id),
            _ => None,
        })?);
        let boxed = inner.read(|details| match details {
            TypeDetails::Box(id) => Some(id),
            _ => None,
        });
        Some(boxed.map_or(inner, |id| self.at(id)))
    }

    fn at(&self, id: TypeId) -> Typed<'a> {
        Typed {
            space: self.space,
            at: Position::Inside(id),
        }
    }
}

/// The traits a `#[derive(…)]` attribute names, as paths; `None` for
/// another attribute. The one reading of a derive that the type model and
/// spec-diff's comparison of generated items share.
pub fn derived(attr: &syn::Attribute) -> Option<syn::Result<Vec<syn::Path>>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    Some(
        attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        )
        .map(|paths| paths.into_iter().collect()),
    )
}

/// For each type typify declares, the traits its emitted code implements.
fn emitted_traits(space: &TypeSpace) -> Result<BTreeMap<String, BTreeSet<Trait>>, String> {
    let file: syn::File = syn::parse2(space.to_stream())
        .map_err(|error| format!("typify emitted types that do not parse ({error})"))?;
    let mut traits: BTreeMap<String, BTreeSet<Trait>> = BTreeMap::new();
    for item in &file.items {
        let (name, attrs) = match item {
            syn::Item::Struct(item) => (item.ident.to_string(), &item.attrs),
            syn::Item::Enum(item) => (item.ident.to_string(), &item.attrs),
            syn::Item::Impl(item) => {
                let (Some((path, _)), syn::Type::Path(self_type)) = (&item.trait_, &*item.self_ty)
                else {
                    continue;
                };
                let (Some(trait_name), Some(self_name)) =
                    (path.segments.last(), self_type.path.segments.last())
                else {
                    continue;
                };
                if let Some(implemented) = Trait::named(&trait_name.ident.to_string()) {
                    traits
                        .entry(self_name.ident.to_string())
                        .or_default()
                        .insert(implemented);
                }
                continue;
            }
            _ => continue,
        };
        let entry = traits.entry(name).or_default();
        for paths in attrs.iter().filter_map(derived) {
            let paths = paths.map_err(|error| {
                format!("typify emitted a derive that does not parse ({error})")
            })?;
            entry.extend(
                paths
                    .iter()
                    .filter_map(|path| path.segments.last())
                    .filter_map(|segment| Trait::named(&segment.ident.to_string())),
            );
        }
    }
    Ok(traits)
}

#[cfg(test)]
mod tests {
    use super::{Trait, TypeKind, TypeModel};
    use crate::model::SchemaModel;

    const SPEC: &str = r"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tight'}
components:
  schemas:
    Kind: {type: string, enum: [a, b]}
    Name: {type: string, maxLength: 3}
    Loose:
      type: object
      properties:
        a: {type: string}
    Tight:
      type: object
      required: [a, inner]
      properties:
        a: {type: string, nullable: true}
        b: {type: integer, default: 3}
        inner:
          type: object
          required: [c]
          properties:
            c: {type: string}
            d: {type: string}
";

    #[test]
    fn kinds_and_traits_are_what_the_generator_declares() {
        let spec = crate::parse("t.yaml", SPEC).expect("parses");
        let types = TypeModel::of(&spec).expect("generates");
        let every = [
            Trait::Clone,
            Trait::Debug,
            Trait::Deserialize,
            Trait::PartialEq,
            Trait::Serialize,
        ];
        let with = |more: &[Trait]| {
            let mut all: Vec<Trait> = every.iter().chain(more).copied().collect();
            all.sort_unstable();
            all
        };
        let read = |name: &str| {
            let component = types.component(name).expect("declared");
            (
                component.kind,
                component.traits.iter().copied().collect::<Vec<_>>(),
            )
        };
        let strict_enum = [
            Trait::Copy,
            Trait::Eq,
            Trait::Hash,
            Trait::Ord,
            Trait::PartialOrd,
        ];
        let plain_text = [Trait::Eq, Trait::Hash, Trait::Ord, Trait::PartialOrd];
        assert_eq!(read("Kind"), (TypeKind::Enum, with(&strict_enum)));
        assert_eq!(read("Name"), (TypeKind::Newtype, with(&plain_text)));
        assert_eq!(read("Loose"), (TypeKind::Struct, with(&[Trait::Default])));
        assert_eq!(read("Tight"), (TypeKind::Struct, with(&[])));
        assert!(types.component("Missing").is_none());
    }

    #[test]
    fn a_fields_option_is_read_from_the_declared_type_at_every_depth() {
        let spec = crate::parse("t.yaml", SPEC).expect("parses");
        let types = TypeModel::of(&spec).expect("generates");
        let tight = types.component("Tight").expect("declared");
        let schema = &spec.tree()["components"]["schemas"]["Tight"];
        let model = SchemaModel::of_component(spec.tree(), schema, &tight);
        let fields: Vec<(&str, bool)> = model
            .fields()
            .iter()
            .map(|field| (field.name, field.option))
            .collect();
        // `b` may be missing, but its `default` fills it in: `i64`.
        assert_eq!(fields, [("a", true), ("b", false), ("inner", false)]);
        let inner = model.fields().pop().expect("inner");
        let nested: Vec<(&str, bool)> = inner
            .schema
            .fields()
            .iter()
            .map(|field| (field.name, field.option))
            .collect();
        assert_eq!(nested, [("c", false), ("d", true)]);
    }
}
