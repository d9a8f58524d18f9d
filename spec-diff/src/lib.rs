//! What a spec change does to users of the generated client, as Markdown for
//! a pull-request comment. A reviewer of a spec change sees YAML lines and a
//! long generated diff; this says which operations changed and whether
//! crates using `posthog-api` break, in Rust terms (an `operationId` is a
//! method name, a required non-nullable property is `T` and otherwise
//! `Option<T>`).
//!
//! It reads both specs the way the generator does, through
//! [`codegen::rules`] (operations, success statuses, open enums, schema
//! references, Rust names), so its verdicts follow the generator whenever
//! that changes. It only compares: `cargo xtask spec-diff` finds the two
//! specs and the two generated clients (with git) and prints the result.
//!
//! # Rules
//!
//! A change is **breaking** when code using the client stops compiling or
//! meets a value it cannot parse. Comments and tests cite these numbers:
//!
//! 1. an operation removed, or its path or method changed;
//! 2. an `operationId` renamed (the method and builder names change);
//! 3. a required parameter added, or an optional one made required;
//! 4. a parameter removed, or its type or location changed;
//! 5. a required request-body property added, or an optional one made
//!    required;
//! 6. a request-body property removed or its type changed;
//! 7. a response property removed, or its type changed, or a required
//!    response property made optional or nullable (the Rust field type
//!    changes);
//! 8. an enum value removed from a request enum; an enum value added to a
//!    response enum whose generated type is strict;
//! 9. a success status or the success response's body schema changed;
//! 10. a component schema renamed (the Rust type name changes);
//! 11. an operation made safe to repeat (`x-idempotent` from `false`, or
//!     from undeclared on a POST or PATCH, to `true`): the client starts
//!     repeating it after failures that may have reached PostHog, so a
//!     wrong declaration could do something twice.
//!
//! **Compatible**: an operation added; an optional parameter or request
//! property added; a response property added; a value added to an open
//! enum (it parsed as `Other` before); an error status added or removed;
//! the security scopes that apply to an operation changed, its own or
//! the spec-wide ones it inherits (the bullet names any scope callers'
//! keys now need); an operation made not safe to repeat, or its
//! `x-idempotent` declared as its method implied; documentation and examples changed. Error
//! responses never change `send()`'s return type, but their body reaches
//! callers through `ApiError::body()`, so a change that breaks that type is
//! breaking. A change inside a shared component schema is listed at every
//! operation that reaches it and counted once, under the schema.
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

pub use change::{Change, Report, Section, Severity};
pub use markdown::{GeneratedView, breaking, render, verdict};

/// Compares two parsed specs: every change, classified and grouped.
pub fn compare(old: &codegen::Spec, new: &codegen::Spec) -> Report {
    let (old, new) = (old.tree(), new.tree());
    let renames = components::renames(old, new);
    let specs = schema::Specs {
        old,
        new,
        renames: &renames,
    };
    Report {
        operations: operations::operation_sections(specs),
        schemas: components::schema_sections(specs),
        document: components::document_changes(old, new),
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
