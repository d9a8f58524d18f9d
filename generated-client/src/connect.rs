//! Building an authenticated [`Client`]: host + personal API key, or both
//! from the environment. The generated `Client::new` knows no credentials;
//! these constructors add the `Authorization` header, marked sensitive so
//! `reqwest` never prints it.

use std::fmt;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use crate::{ApiKey, Client, Host};

/// The environment variable [`Client::from_env`] reads the API key from.
pub const ENV_API_KEY: &str = "POSTHOG_PERSONAL_API_KEY";

/// The environment variable [`Client::from_env`] reads the host from.
pub const ENV_HOST: &str = "POSTHOG_HOST";

/// Default time a request may take, connecting included.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Http(error) => Some(error),
            _ => None,
        }
    }
}

impl Client {
    /// A client for `host` that authenticates with `api_key`, with a 30 s
    /// request timeout.
    pub fn with_api_key(host: Host, api_key: impl Into<ApiKey>) -> Result<Self, ConfigError> {
        let http = reqwest::Client::builder()
            .default_headers(auth_headers(&api_key.into())?)
            .connect_timeout(DEFAULT_TIMEOUT)
            .timeout(DEFAULT_TIMEOUT)
            .build()
            .map_err(ConfigError::Http)?;
        Ok(Self::new_with_client(host.as_str(), http))
    }

    /// A client configured by `POSTHOG_HOST` (e.g. `https://eu.posthog.com`)
    /// and `POSTHOG_PERSONAL_API_KEY`; both must be set.
    pub fn from_env() -> Result<Self, ConfigError> {
        let host = env_var(ENV_HOST)?.parse()?;
        let api_key = env_var(ENV_API_KEY)?;
        Self::with_api_key(host, api_key)
    }
}

fn env_var(name: &'static str) -> Result<String, ConfigError> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
        .ok_or(ConfigError::MissingEnv(name))
}

/// `Authorization: Bearer <key>`, marked sensitive so it never shows in
/// `Debug` output.
fn auth_headers(api_key: &ApiKey) -> Result<HeaderMap, ConfigError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", api_key.expose()))
        .map_err(|_| ConfigError::InvalidApiKey)?;
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, value);
    Ok(headers)
}
