//! Building an authenticated [`Client`]. The generated `Client` carries a
//! [`ClientConfig`] (key and retry policy) that the request hooks read; the
//! constructors here choose the host, timeout and HTTP client around it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::retry::RetryState;
use crate::{ApiKey, Client, Host, RetryPolicy};

/// The environment variable [`Client::from_env`] reads the API key from.
pub const ENV_API_KEY: &str = "POSTHOG_PERSONAL_API_KEY";

/// The environment variable [`Client::from_env`] reads the host from.
pub const ENV_HOST: &str = "POSTHOG_HOST";

/// Default time a request may take, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What every request of a [`Client`] needs: credentials and retry policy.
/// The generated `Client` carries it; [`ClientBuilder`] makes it, and
/// nothing a caller holds takes one, so it is off the docs page.
///
/// Its `Debug` shows the `Authorization` value as `Sensitive`. Clones share
/// one retry budget and random source.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) authorization: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_state: Arc<RetryState>,
    /// The HTTP client's own bound on one attempt, when this crate set it:
    /// an attempt that ends by itself before the call's deadline needs no
    /// timer of the call loop's.
    pub(crate) attempt_timeout: Option<Duration>,
}

impl ClientConfig {
    /// Credentials for `api_key`, with the default [`RetryPolicy`].
    pub(crate) fn new(api_key: impl Into<ApiKey>) -> Result<Self, ConfigError> {
        let api_key = api_key.into();
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", api_key.expose()))
            .map_err(|_| ConfigError::InvalidApiKey)?;
        authorization.set_sensitive(true);
        let retry = RetryPolicy::default();
        Ok(Self {
            authorization,
            retry_state: Arc::new(RetryState::new(&retry)),
            retry,
            attempt_timeout: None,
        })
    }

    /// Replaces the retry policy (and starts a full retry budget).
    pub(crate) fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry_state = Arc::new(RetryState::new(&policy));
        self.retry = policy;
        self
    }
}

/// Configures a [`Client`]: timeout, retries, or a `reqwest::Client` of
/// your own (proxy, TLS roots, connection pool).
///
/// ```
/// use std::time::Duration;
/// use posthog_api::{Client, Host, RetryPolicy};
///
/// let client = Client::builder(Host::eu_cloud(), "phx_your_key")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .build()?;
/// # Ok::<(), posthog_api::ConfigError>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    host: Host,
    api_key: ApiKey,
    timeout: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Total time one attempt may take, connecting included (default 30 s);
    /// the whole call, retries included, is bounded by
    /// [`RetryPolicy::deadline`]. Ignored with
    /// [`http_client`](Self::http_client): set it on that client.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests through `http`; authentication and retries still apply.
    /// Start it from [`http_client_builder`](crate::http_client_builder) to
    /// keep this crate's TLS.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let mut config = ClientConfig::new(self.api_key)?.retry(self.retry);
        let http = match self.http {
            Some(http) => http,
            None => {
                config.attempt_timeout = Some(self.timeout);
                crate::http_client_builder()?
                    .connect_timeout(self.timeout)
                    .timeout(self.timeout)
                    .build()
                    .map_err(ConfigError::Http)?
            }
        };
        Ok(Client::new_with_client(self.host.as_str(), http, config))
    }
}

impl Client {
    /// Starts configuring a client for `host` that authenticates with `api_key`.
    pub fn builder(host: Host, api_key: impl Into<ApiKey>) -> ClientBuilder {
        ClientBuilder {
            host,
            api_key: api_key.into(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            http: None,
        }
    }

    /// A client for `host` that authenticates with `api_key`, with the
    /// default timeout and retry policy.
    pub fn with_api_key(host: Host, api_key: impl Into<ApiKey>) -> Result<Self, ConfigError> {
        Self::builder(host, api_key).build()
    }

    /// A client configured by `POSTHOG_HOST` (e.g. `https://eu.posthog.com`)
    /// and `POSTHOG_PERSONAL_API_KEY`; both must be set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] over any source of variables.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let required = |name: &'static str| {
            lookup(name)
                .filter(|value| !value.trim().is_empty())
                .ok_or(ConfigError::MissingEnv(name))
        };
        let host = required(ENV_HOST)?.parse()?;
        let api_key = required(ENV_API_KEY)?;
        Self::with_api_key(host, api_key)
    }
}

/// Why a [`Client`] could not be built. Never contains the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is unset or empty.
    MissingEnv(&'static str),
    /// The host is not an absolute `http(s)` URL.
    InvalidHost {
        /// The host as given.
        host: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The API key holds characters an HTTP header cannot carry.
    InvalidApiKey,
    /// The HTTP client could not be set up (e.g. TLS initialisation).
    Http(reqwest::Error),
    /// TLS could not be set up, e.g. no root certificates were found on
    /// this system (feature `rustls`).
    Tls(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnv(name) => write!(
                f,
                "environment variable {name} is not set; set it (see https://posthog.com/docs/api)"
            ),
            Self::InvalidHost { host, reason } => write!(
                f,
                "invalid PostHog host `{host}`: {reason}; use e.g. https://us.posthog.com"
            ),
            Self::InvalidApiKey => f.write_str(
                "the personal API key contains characters not allowed in an HTTP header; copy it again from PostHog",
            ),
            Self::Http(error) => write!(f, "cannot set up the HTTP client: {error}"),
            Self::Tls(error) => write!(f, "cannot set up TLS: {error}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Http(error) => Some(error),
            Self::Tls(error) => Some(&**error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Client, ConfigError> {
        Client::from_vars(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn from_env_needs_both_variables() {
        let missing_key = from(&[(ENV_HOST, "https://eu.posthog.com")]).unwrap_err();
        assert_eq!(
            missing_key.to_string(),
            "environment variable POSTHOG_PERSONAL_API_KEY is not set; set it (see https://posthog.com/docs/api)"
        );
        let missing_host = from(&[(ENV_API_KEY, "phx_key")]).unwrap_err();
        assert!(
            matches!(missing_host, ConfigError::MissingEnv("POSTHOG_HOST")),
            "{missing_host:?}"
        );
        let blank_key =
            from(&[(ENV_HOST, "https://eu.posthog.com"), (ENV_API_KEY, "  ")]).unwrap_err();
        assert!(
            matches!(
                blank_key,
                ConfigError::MissingEnv("POSTHOG_PERSONAL_API_KEY")
            ),
            "{blank_key:?}"
        );
    }

    #[test]
    fn from_env_builds_a_client_for_the_host() {
        let client = from(&[
            (ENV_HOST, "https://eu.posthog.com/"),
            (ENV_API_KEY, "phx_key"),
        ])
        .unwrap();
        assert_eq!(
            progenitor_client::ClientInfo::baseurl(&client),
            "https://eu.posthog.com"
        );
    }

    #[test]
    fn from_env_rejects_a_host_without_scheme() {
        let error = from(&[(ENV_HOST, "eu.posthog.com"), (ENV_API_KEY, "phx_key")]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid PostHog host `eu.posthog.com`"),
            "{error}"
        );
    }
}
