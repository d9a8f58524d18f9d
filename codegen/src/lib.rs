//! Spec in, Rust text out: the pure core of the workspace's code generator.
//!
//! ```text
//! load(path) ──► Spec ──► validate(&Spec) ──► generate(&Spec, &Settings) ──► Generated
//! ```
//!
//! [`load`] reads a YAML OpenAPI 3.0 document, [`validate`] checks what
//! progenitor silently assumes (and reports every problem with a JSON
//! pointer), and [`generate`] runs progenitor, shielding the caller from its
//! panics, and formats the result with prettyplease. [`rules`] holds how a
//! spec is read (operations, success statuses, open enums, schema
//! references, Rust names), for everything outside that must agree with the
//! generated client. Nothing here decides where files live or writes them:
//! that policy belongs to `xtask`.

mod error;
mod generate;
mod load;
mod locate;
mod prepare;
mod rewrite;
pub mod rules;
mod validate;

pub use error::{Error, Problem};
pub use generate::{Generated, Settings, generate};
pub use load::{Spec, load, parse};
pub use validate::validate;
