#![doc = include_str!("../README.md")]

mod api_key;
mod connect;
mod error;
mod hooks;
mod host;
mod playlists;
mod retry;

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
pub use connect::{
    ClientBuilder, ClientConfig, ConfigError, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_HOST,
};
pub use error::{ApiError, Error};
pub use generated::*;
pub use host::Host;
pub use retry::RetryPolicy;
