//! What a spec change does to users of the generated client, as Markdown for
//! a pull-request comment. A reviewer of a spec change sees YAML lines and a
//! long generated diff; this says which operations changed and whether
//! crates using `posthog-api` break, in Rust terms (an `operationId` is a
//! method name, a required non-nullable property is `T` and otherwise
//! `Option<T>`).
//!
//! It reads both specs the way the generator does, as two
//! [`codegen::model`]s: each operation with what applies to it, and each
//! schema as the Rust type the generator makes of it
//! ([`codegen::model::SchemaModel`]: named type, strict or open enum,
//! `T` or `Option<T>`), its Rust side read from the types the generator
//! declares ([`codegen::model::TypeModel`]: kinds, traits, `Option<T>`
//! fields). So its verdicts follow the generator whenever that changes. It only compares: `cargo xtask spec-diff` finds the two
//! specs and the two generated clients (with git) and prints the result.
//!
//! # Rules
//!
//! Each change is judged by one [`Rule`], whose id the Markdown shows
//! (`[R7]`). A change is **breaking** (`R`) when code using the client
//! stops compiling or meets a value it cannot parse:
//!
//! - **R1** an operation removed, or its path or method changed;
//! - **R2** an `operationId` renamed (the method and builder names change);
//! - **R3** a required parameter added, or an optional one made required;
//! - **R4** a parameter removed, or its type or location changed;
//! - **R5** a required request-body property added, or an optional one made
//!   required;
//! - **R6** a request-body property removed or its type changed;
//! - **R7** a response property removed, or its type changed, or a required
//!   response property made optional or nullable (the Rust field type
//!   changes); error bodies too, which reach callers through
//!   `ApiError::body()`;
//! - **R8** an enum value removed from a request enum; an enum value added
//!   to a response enum whose generated type is strict;
//! - **R9** a success status or the success response's body changed;
//! - **R10** a component schema renamed or removed (the Rust type name
//!   changes or goes);
//! - **R11** an operation made safe to repeat (`x-idempotent` from `false`,
//!   or from undeclared on a POST or PATCH, to `true`): the client starts
//!   repeating it after failures that may have reached PostHog, so a wrong
//!   declaration could do something twice;
//! - **R12** an operation needs a scope it did not need, in its own
//!   `security` or the spec-wide one it inherits: calls made with a key
//!   that lacks it start failing with 403;
//! - **R13** a component schema's Rust type stops implementing a trait,
//!   as the generated type's code implements them
//!   ([`codegen::model::ComponentType::traits`]):
//!   `Default` when a property becomes required, `Copy`, `Eq`, `Hash` and
//!   `Ord` when a strict enum becomes anything else; code that calls
//!   `X::default()`, copies the value or keys a map with it no longer
//!   compiles.
//!
//! **Compatible** (`C`):
//!
//! - **C1** an addition or relaxation callers may ignore: an operation, an
//!   optional parameter or property, a response property, a success
//!   status, a parameter or property made optional, a trait a component
//!   schema's Rust type now implements;
//! - **C2** a value added to an open enum (it parsed as `Other` before) or
//!   to a request enum;
//! - **C3** an error status added or removed (`send()` reports every error
//!   status alike);
//! - **C4** the security scopes that apply to an operation changed, its own
//!   or the spec-wide ones it inherits, with no scope added;
//! - **C5** an operation made not safe to repeat, or its `x-idempotent`
//!   declared as its method implied;
//! - **C6** documentation and examples;
//! - **C7** a change outside the generated types' shape: constraints,
//!   encodings, headers, metadata, nullability of a field that stays
//!   `Option<T>`.
//!
//! A change inside a shared component schema is listed at every operation
//! that reaches it and counted once, under the schema.
//!
//! Beside the rules, the public items of the two generated clients are
//! compared ([`rust_items`]): each one removed or changed is breaking, and
//! when no rule found a breaking change they are what the verdict counts
//! ([`breaking`]), so a spec change is never called safe while the client
//! loses a method, a field type or a trait impl.

mod change;
mod components;
mod markdown;
mod node;
mod operations;
pub mod rust_items;
mod schema;

pub use change::{Change, Report, Rule, Section, Severity};
pub use markdown::{GeneratedView, breaking, render, verdict};

use codegen::model::TypeModel;

/// Compares two parsed specs: every change, classified and grouped. Each
/// spec's types are the ones the generator declares for it, so a spec the
/// generator cannot take is an error, naming which.
pub fn compare(old: &codegen::Spec, new: &codegen::Spec) -> Result<Report, Unreadable> {
    let old_types = TypeModel::of(old).map_err(Unreadable::Old)?;
    let new_types = TypeModel::of(new).map_err(Unreadable::New)?;
    let (old, new) = (old.tree(), new.tree());
    let renames = components::renames(old, new);
    let specs = schema::Specs {
        old,
        new,
        renames: &renames,
        old_types: &old_types,
        new_types: &new_types,
    };
    Ok(Report {
        operations: operations::operation_sections(specs),
        schemas: components::schema_sections(specs),
        document: components::document_changes(old, new),
    })
}

/// A spec whose types the generator cannot declare: there is nothing to
/// compare it by.
#[derive(Debug)]
pub enum Unreadable {
    /// The old spec (the base).
    Old(codegen::Error),
    /// The new spec.
    New(codegen::Error),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Old(error) => write!(f, "the old spec does not generate: {error}"),
            Unreadable::New(error) => write!(f, "the new spec does not generate: {error}"),
        }
    }
}

impl std::error::Error for Unreadable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Unreadable::Old(error) | Unreadable::New(error) => Some(error),
        }
    }
}

/// The generated-code view: the public items of two versions of the
/// client source `file` (its path, as the report names it).
pub fn compare_generated(file: &str, old: &str, new: &str) -> GeneratedView {
    match (rust_items::public_items(old), rust_items::public_items(new)) {
        (Ok(old), Ok(new)) => GeneratedView::Compared {
            file: file.to_owned(),
            items: rust_items::compare(&old, &new),
        },
        (Err(error), _) => {
            GeneratedView::Unavailable(format!("the base's `{file}` does not parse ({error})"))
        }
        (_, Err(error)) => {
            GeneratedView::Unavailable(format!("the generated client does not parse ({error})"))
        }
    }
}
