#![doc = include_str!("../README.md")]

mod api_key;
mod connect;
mod host;

// Generated from `spec/openapi.yaml` by `cargo xtask gen`; never edited by
// hand. Lints that generated code trips are allowed here, not inside it.
#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unreachable_pub,
    unused_imports
)]
mod generated;

pub use api_key::ApiKey;
pub use connect::{ConfigError, ENV_API_KEY, ENV_HOST};
pub use generated::*;
pub use host::Host;
