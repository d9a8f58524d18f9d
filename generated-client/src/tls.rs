//! Which TLS the HTTP client speaks, chosen by the crate's features (see
//! its `Cargo.toml` and the README's table). reqwest sets TLS up in every
//! case, so its TLS options apply. Under the default `rustls` the crypto
//! provider is rustls' own default, aws-lc-rs, which offers the
//! post-quantum hybrid key exchange X25519MLKEM768 (or the program's
//! process-wide provider, when it installed one). Under
//! `rustls-no-provider` alone the program must install one: reqwest would
//! panic when building a client without it, so this module refuses first,
//! with an error that says what to do.

use crate::ConfigError;

/// A `reqwest::ClientBuilder` with this crate's TLS set up, as
/// [`ClientBuilder::build`](crate::ClientBuilder::build) starts from: build
/// your own `reqwest::Client` from it (proxy, pool, headers, extra root
/// certificates) for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// Under the features `rustls` (the default) and `native-tls` it is
/// `reqwest::Client::builder()`. Under `rustls-no-provider` alone it fails
/// with [`ConfigError::Tls`] when the program has installed no rustls
/// crypto provider (`rustls::crypto::CryptoProvider::install_default`),
/// where reqwest would panic.
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
    #[cfg(all(
        feature = "rustls-no-provider",
        not(any(feature = "rustls", feature = "native-tls"))
    ))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        return Err(ConfigError::Tls(NO_PROVIDER.into()));
    }
    Ok(reqwest::Client::builder())
}

/// Why a client cannot be built under `rustls-no-provider` alone yet.
#[cfg(all(
    feature = "rustls-no-provider",
    not(any(feature = "rustls", feature = "native-tls"))
))]
const NO_PROVIDER: &str = "feature `rustls-no-provider` is on and the program has \
    installed no rustls crypto provider; call \
    `rustls::crypto::CryptoProvider::install_default` before building a client, \
    or enable posthog-api's default `rustls` feature";

#[cfg(all(
    test,
    feature = "rustls-no-provider",
    not(any(feature = "rustls", feature = "native-tls"))
))]
mod tests {
    use crate::ConfigError;

    /// One test, in this order: the provider is process-wide state.
    #[test]
    fn without_a_provider_building_fails_with_what_to_do_and_with_one_it_works() {
        let error = super::http_client_builder().unwrap_err();
        assert!(matches!(error, ConfigError::Tls(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("CryptoProvider::install_default"),
            "{error}"
        );
        let built = crate::Client::builder(crate::Host::eu_cloud(), "phx_test").build();
        assert!(matches!(built, Err(ConfigError::Tls(_))));

        rustls::crypto::aws_lc_rs::default_provider()
            .install_default()
            .unwrap();
        super::http_client_builder().unwrap().build().unwrap();
        crate::Client::builder(crate::Host::eu_cloud(), "phx_test")
            .build()
            .unwrap();
    }
}
