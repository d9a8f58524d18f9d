//! The personal API key, kept out of every `Debug`, log line and error.

use std::fmt;

/// A PostHog personal API key (`phx_…`).
///
/// It has no `Display`, and its `Debug` shows only that a key is present,
/// so it cannot leak through `{:?}`, `tracing` fields or error messages.
///
/// ```
/// let key = posthog_api::ApiKey::from("phx_secret");
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key itself, for building the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}
