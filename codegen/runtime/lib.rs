//! The crate `cargo xtask check-spec` compiles generated code in: the
//! three generated modules, and the least of what `posthog-api`'s
//! hand-written layer gives them. Generated code names exactly these crate
//! items (codegen emits them: `generate.rs` sets `crate::ClientConfig` as
//! progenitor's inner type, `rewrite.rs` writes `crate::call::send`,
//! `crate::Operation`, `crate::Error` and `crate::ResponseValue`); the check-spec test compiles this shim with generated
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

// What the generated setters take, as `posthog-api` has it (the same file).
// A spec without string path parameters or page sizes uses neither.
#[allow(dead_code)]
mod arguments;
pub use arguments::{PageSize, PathId};
#[allow(unused_imports)]
pub(crate) use arguments::{page_size, path_id};

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

/// One operation, as the generated `operations` module describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
}

impl Operation {
    pub(crate) const fn new(
        id: &'static str,
        _method: &'static str,
        _path: &'static str,
        _idempotent: bool,
    ) -> Self {
        Self { id }
    }
}

pub(crate) mod call {
    /// Every generated `send()` hands its builder over here (the real one
    /// retries and traces; this one sends once).
    pub(crate) async fn send<B, T, E, Fut>(
        operation: &'static crate::Operation,
        _client: &crate::Client,
        builder: B,
        attempt: impl Fn(B) -> Fut,
    ) -> Result<crate::ResponseValue<T>, crate::Error>
    where
        Fut: std::future::Future<
                Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
            >,
    {
        let value = attempt(builder)
            .await
            .map_err(|_| crate::Error { operation: operation.id })?;
        let (status, headers) = (value.status(), value.headers().clone());
        Ok(crate::ResponseValue::new(value.into_inner(), status, headers))
    }
}

/// A successful answer: the parsed body with its status and headers (the
/// real one documents itself; generated code builds and reads it so).
pub struct ResponseValue<T> {
    inner: T,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
}

impl<T> ResponseValue<T> {
    pub(crate) fn new(
        inner: T,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
    ) -> Self {
        Self {
            inner,
            status,
            headers,
        }
    }

    /// The parsed body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}
