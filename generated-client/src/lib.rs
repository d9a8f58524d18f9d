#![doc = include_str!("../README.md")]

mod api_key;
mod arguments;
mod call;
mod config;
mod error;
mod hooks;
mod host;
mod playlists;
mod response;
mod retry;
mod tls;

// Generated from `spec/openapi.yaml` by `cargo xtask gen`; never edited by
// hand. Lints that generated code trips are allowed here, not inside it.
#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
// missing_docs,
    unreachable_pub,
    unused_imports
)]
mod generated;

/// Typed [httpmock](https://docs.rs/httpmock) helpers generated from the
/// same spec: `server.session_recording_playlists_list(|when, then| …)`.
/// Enable the `httpmock` feature in your `[dev-dependencies]`.
#[cfg(feature = "httpmock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unreachable_pub, unused_imports)]
#[path = "generated_httpmock.rs"]
pub mod mock;

/// The generated [clap](https://docs.rs/clap) command line behind the
/// `posthog` binary: one subcommand per operation. Feature `cli`.
#[cfg(feature = "cli")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unreachable_pub, unused_imports, unused_variables)]
#[path = "generated_cli.rs"]
pub mod cli;

pub use api_key::ApiKey;
pub use arguments::{PageSize, PathId};
// Generated setters convert their arguments through these two.
pub(crate) use arguments::{page_size, path_id};
pub use call::Operation;
pub use config::{
    ClientBuilder, ClientConfig, ConfigError, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_HOST,
};
pub use error::{ApiError, Error};
// By name, not by glob: the generated module also re-exports progenitor's
// own `Error`, `ClientInfo` and `ByteStream`, which would shadow this
// crate's `Error` on the docs page.
pub use generated::{Client, builder, operations, types};
pub use host::Host;
pub use playlists::RecordingRemoval;
pub use response::ResponseValue;
pub use retry::RetryPolicy;
pub use tls::http_client_builder;
