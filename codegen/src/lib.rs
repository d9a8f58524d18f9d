//! Spec in, Rust text out: the pure core of the workspace's code generator.
//!
//! ```text
//! load(path) ──► Spec ──► validate(&Spec) ──► generate(&Spec, &Settings) ──► Generated
//! ```
//!
//! [`load`] reads a YAML OpenAPI 3.0 document, [`validate`] checks what
//! progenitor silently assumes (and reports every problem with a JSON
//! pointer), and [`generate`] runs progenitor, shielding the caller from its
//! panics, and formats the result with prettyplease. What a spec holds that
//! progenitor cannot take is rewritten into a shape it can, else given up
//! with a [`Warning`] naming the place (an operation left out, a schema
//! loosened); [`Settings::deny_warnings`] makes any warning an error. [`reading`] holds how a
//! spec is read (operations, success statuses, open enums, schema
//! references, Rust names), for everything outside that must agree with the
//! generated client, and [`model`] the operations read that way once,
//! each with everything that applies to it, and each schema as the Rust
//! type the generator makes of it ([`model::SchemaModel`]). Nothing here decides where files live or writes them:
//! that policy belongs to `xtask`.

mod culprit;
mod document;
mod error;
mod generate;
mod guard;
mod load;
mod locate;
pub mod model;
mod prepare;
pub mod reading;
mod rewrite;
mod validate;
pub mod walk;

pub use error::{Error, Problem, Warning, WarningKind};
pub use generate::{Generated, Settings, generate};
pub use load::{Spec, load, parse};
pub use validate::validate;

/// A crate that generated code compiles in outside `posthog-api`: the
/// least of the crate items generated code names (`ClientConfig`,
/// `call::send`, `Operation`, `Error`, `ResponseValue`, the argument
/// conversions) around the three generated modules, which go
/// beside it as `src/generated.rs`, `src/generated_httpmock.rs` and
/// `src/generated_cli.rs`. `cargo xtask check-spec` builds it.
pub mod runtime {
    /// `src/lib.rs` of the crate.
    pub const LIB_RS: &str = include_str!("../runtime/lib.rs");
    /// `src/arguments.rs` of the crate: `posthog-api`'s own, the one place
    /// what a setter takes is decided.
    pub const ARGUMENTS_RS: &str = include_str!("../../generated-client/src/arguments.rs");
    /// `Cargo.toml` of the crate.
    pub const CARGO_TOML: &str = include_str!("../runtime/Cargo.toml.in");
    /// What `Cargo.toml`'s `[dependencies]` also needs when the client opens
    /// websockets ([`crate::Generated::uses_websockets`]): progenitor's
    /// upgrade request makes its `Sec-WebSocket-Key` with `rand` and
    /// encodes it with `base64`. Versions the workspace's lockfile has.
    pub const WEBSOCKET_DEPENDENCIES: &str = "base64 = \"0.23\"\nrand = \"0.10\"\n";
}
