//! What every successful `send()` returns: the parsed answer with its
//! status and headers. The crate's own type rather than progenitor's,
//! whose docs speak of progenitor's error type and its streaming API,
//! neither of which this crate has.

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful answer from PostHog: its body parsed as `T`, with the HTTP
/// status and headers it came with. A failure is an [`Error`](crate::Error)
/// instead, never a `ResponseValue`.
///
/// Read the body through `Deref`, as if the value were a `T`, or take it
/// with [`into_inner`](Self::into_inner):
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let fake = posthog_fake::FakePostHog::start()?;
/// # let client = posthog_api::Client::with_api_key(fake.url().parse()?, fake.personal_api_key())?;
/// # let project = fake.project_id();
/// let page = client
///     .session_recording_playlists_list()
///     .project_id(project)
///     .send()
///     .await?;
/// assert_eq!(page.status(), 200);
/// println!("{} playlists", page.count); // `count` of the parsed page
/// let playlists = page.into_inner().results;
/// # assert!(!playlists.is_empty());
/// # Ok(())
/// # }
/// ```
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    pub(crate) fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            inner,
            status,
            headers,
        }
    }

    /// progenitor's answer, as this type.
    pub(crate) fn from_generated(value: progenitor_client::ResponseValue<T>) -> Self {
        let status = value.status();
        let headers = value.headers().clone();
        Self::new(value.into_inner(), status, headers)
    }

    /// The parsed body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status PostHog answered with (a success: `200`, `201`, …).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers PostHog answered with.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for ResponseValue<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseValue")
            .field("inner", &self.inner)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish()
    }
}
