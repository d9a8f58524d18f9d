//! The crate `cargo xtask check-spec` compiles generated code in: the
//! three generated modules, and the least of what `posthog-api`'s
//! hand-written layer gives them. Generated code names exactly these crate
//! items (codegen emits them: `generate.rs` sets `crate::ClientConfig` as
//! progenitor's inner type, `rewrite.rs` writes `crate::error::typed` and
//! `crate::Error`); the check-spec test compiles this shim with generated
//! code, so the two cannot drift apart unnoticed.

// The lints `posthog-api` allows on its generated modules.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub, unused_imports)]
mod generated;
pub use generated::*;

#[cfg(feature = "httpmock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub, unused_imports)]
#[path = "generated_httpmock.rs"]
pub mod mock;

#[cfg(feature = "cli")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub, unused_imports, unused_variables)]
#[path = "generated_cli.rs"]
pub mod cli;

/// What every request carries (the real one holds the API key and the
/// retry policy).
#[derive(Debug, Clone, Default)]
pub struct ClientConfig;

/// Why a request failed, naming the operation.
#[derive(Debug)]
pub struct Error {
    /// The operation that failed.
    pub operation: &'static str,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed", self.operation)
    }
}

impl std::error::Error for Error {}

pub(crate) mod error {
    /// Every generated `send()` hands its outcome over here.
    pub(crate) async fn typed<T, E>(
        operation: &'static str,
        result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
    ) -> Result<progenitor_client::ResponseValue<T>, crate::Error> {
        result.map_err(|_| crate::Error { operation })
    }
}
