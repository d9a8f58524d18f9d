//! Which TLS the HTTP client speaks, chosen by the crate's features (see
//! its `Cargo.toml`). Under `rustls` alone the crypto provider is *ring*,
//! handed to reqwest inside a finished `rustls::ClientConfig` for each
//! client: reqwest's `rustls-no-provider` has no provider of its own, and
//! installing one process-wide (`CryptoProvider::install_default`) would
//! decide for every other rustls user in the program. With
//! `rustls-aws-lc-rs` or `native-tls` on, reqwest sets TLS up itself.

use crate::ConfigError;

/// A `reqwest::ClientBuilder` with this crate's TLS set up, as
/// [`ClientBuilder::build`](crate::ClientBuilder::build) starts from: build
/// your own `reqwest::Client` from it (proxy, pool, headers) for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// Under the default feature set (`rustls` with *ring*), `reqwest`'s own
/// `Client::builder()` would find no crypto provider and panic when built,
/// unless the program installs a process-wide one; this builder needs
/// none. Its TLS is fixed: reqwest's TLS options (`add_root_certificate`,
/// `min_tls_version`, …) do not apply to it. Trust a private CA with
/// `SSL_CERT_FILE`, or enable `rustls-aws-lc-rs` or `native-tls` for
/// reqwest's own TLS options.
///
/// ```
/// let http = posthog_api::http_client_builder()?
///     .pool_max_idle_per_host(2)
///     .build()?;
/// let client = posthog_api::Client::builder(posthog_api::Host::eu_cloud(), "phx_your_key")
///     .http_client(http)
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    let builder = reqwest::Client::builder();
    #[cfg(all(
        feature = "rustls",
        not(any(feature = "rustls-aws-lc-rs", feature = "native-tls"))
    ))]
    let builder = builder.tls_backend_preconfigured(with_ring::client_config()?);
    Ok(builder)
}

#[cfg(all(
    feature = "rustls",
    not(any(feature = "rustls-aws-lc-rs", feature = "native-tls"))
))]
mod with_ring {
    use std::sync::Arc;

    use rustls_platform_verifier::BuilderVerifierExt;

    use crate::ConfigError;

    /// TLS 1.2 and 1.3 through *ring*, server certificates checked against
    /// the platform's roots, as reqwest checks them with its own provider.
    pub(super) fn client_config() -> Result<rustls::ClientConfig, ConfigError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(BuilderVerifierExt::with_platform_verifier)
            .map_err(|error| ConfigError::Tls(Box::new(error)))?
            .with_no_client_auth();
        // reqwest sets ALPN only on configs it builds. HTTP/1.1 alone: it
        // is what this client speaks, and offering h2 to a server that
        // picks it would break a reqwest built without HTTP/2.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}
