//! Where the API lives: PostHog's US and EU clouds, or a self-hosted URL.

use std::fmt;
use std::str::FromStr;

use crate::ConfigError;

/// The base URL of a PostHog instance, without a trailing slash.
///
/// ```
/// use posthog_api::Host;
///
/// assert_eq!(Host::us_cloud().as_str(), "https://us.posthog.com");
/// assert_eq!(Host::eu_cloud().as_str(), "https://eu.posthog.com");
/// let own = Host::self_hosted("https://posthog.example.com/").unwrap();
/// assert_eq!(own.as_str(), "https://posthog.example.com");
/// assert!(Host::self_hosted("posthog.example.com").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Host(String);

impl Host {
    /// PostHog US cloud, `https://us.posthog.com`.
    pub fn us_cloud() -> Self {
        Self("https://us.posthog.com".into())
    }

    /// PostHog EU cloud, `https://eu.posthog.com`.
    pub fn eu_cloud() -> Self {
        Self("https://eu.posthog.com".into())
    }

    /// A self-hosted instance (or a proxy in front of one): an absolute
    /// `http` or `https` URL, optionally with a path prefix.
    pub fn self_hosted(url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidHost {
            host: url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = reqwest::Url::parse(url).map_err(|error| invalid(&error.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("a base URL takes no query or fragment"));
        }
        Ok(Self(parsed.as_str().trim_end_matches('/').to_owned()))
    }

    /// The base URL, e.g. `https://us.posthog.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Host {
    type Err = ConfigError;

    fn from_str(url: &str) -> Result<Self, ConfigError> {
        Self::self_hosted(url)
    }
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Host").field(&self.0).finish()
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
