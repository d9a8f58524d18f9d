//! Spec in, Rust text out: the pure core of the workspace's code generator.
//!
//! ```text
//! load(path) ──► Spec ──► validate(&Spec) ──► generate(&Spec, &Settings) ──► Generated
//! ```
//!
//! [`load`] reads a YAML OpenAPI 3.0 document, [`validate`] checks what
//! progenitor silently assumes (and reports every problem with a JSON
//! pointer), and [`generate`] runs progenitor, shielding the caller from its
//! panics, and formats the result with prettyplease. Nothing here decides
//! where files live or writes them: that policy belongs to `xtask`.

mod culprit;
mod error;
mod generate;
mod guard;
mod load;
mod locate;
mod prepare;
mod rewrite;
mod validate;

pub use error::{Error, Problem, Warning};
pub use generate::{Generated, Settings, generate};
pub use load::{Spec, load, parse};
pub use validate::validate;
