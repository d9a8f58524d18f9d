//! Waiting out PostHog's rate limits. Personal API keys get 240 requests a
//! minute and 1200 an hour on these endpoints; past that PostHog answers 429
//! with `Retry-After`. Requests safe to repeat are retried after the delay
//! the server asks for, a bounded number of times.

use std::future::Future;
use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, StatusCode};

/// When and how often a rate-limited (429) request is retried.
///
/// By default GET (and HEAD, PUT, DELETE, OPTIONS) requests are tried up to
/// 3 times, waiting as long as `Retry-After` says, or 1 s, 2 s, … when it
/// says nothing. A request whose wait would exceed [`max_wait`] is not
/// retried: the caller gets the 429 as [`crate::Error::Api`] with
/// [`retry_after`](crate::ApiError::retry_after) set. POST and PATCH are not
/// retried unless [`retry_post`] is set, as they may not be safe to repeat;
/// the soft deletes ([`Client::soft_delete_session_recording_playlist`])
/// retry their PATCH because setting `deleted: true` twice is harmless.
///
/// [`max_wait`]: RetryPolicy::max_wait
/// [`retry_post`]: RetryPolicy::retry_post
/// [`Client::soft_delete_session_recording_playlist`]: crate::Client::soft_delete_session_recording_playlist
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_wait: Duration,
    first_backoff: Duration,
    retry_post: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_wait: Duration::from_secs(60),
            first_backoff: Duration::from_secs(1),
            retry_post: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every 429 reaches the caller at once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total tries per request, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest single wait; a longer `Retry-After` ends the retries.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The wait after the first 429 when the server sends no `Retry-After`;
    /// it doubles with each further attempt.
    pub fn first_backoff(mut self, wait: Duration) -> Self {
        self.first_backoff = wait;
        self
    }

    /// Also retry POST and PATCH requests (off by default).
    pub fn retry_post(mut self, retry: bool) -> Self {
        self.retry_post = retry;
        self
    }

    /// Whether requests with `method` are retried at all.
    pub(crate) fn covers(&self, method: &Method) -> bool {
        self.max_attempts > 1
            && (self.retry_post || !matches!(*method, Method::POST | Method::PATCH))
    }

    /// How long to wait before try number `attempt + 1`, after try number
    /// `attempt` got `status` (and `Retry-After`, if sent); `None` when not
    /// to retry.
    pub(crate) fn wait_after(
        &self,
        attempt: u32,
        status: StatusCode,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if status != StatusCode::TOO_MANY_REQUESTS || attempt >= self.max_attempts {
            return None;
        }
        let backoff = self
            .first_backoff
            .saturating_mul(1 << (attempt - 1).min(16));
        let wait = retry_after.unwrap_or(backoff);
        (wait <= self.max_wait).then_some(wait)
    }
}

/// Runs `attempt` until its outcome is not a 429 that `policy` retries,
/// waiting in between as long as the server asked. `answer` reads the
/// status and `Retry-After` of an outcome that is an HTTP answer.
///
/// The one retry loop: the request hooks run every retried request through
/// it, and so do the soft deletes for their PATCH.
pub(crate) async fn retry_throttled<T, Attempt>(
    policy: &RetryPolicy,
    mut attempt: impl FnMut() -> Attempt,
    answer: impl Fn(&T) -> Option<(StatusCode, Option<Duration>)>,
) -> T
where
    Attempt: Future<Output = T>,
{
    let mut tries = 1;
    loop {
        let outcome = attempt().await;
        let wait = answer(&outcome)
            .and_then(|(status, retry_after)| policy.wait_after(tries, status, retry_after));
        match wait {
            Some(wait) => {
                tokio::time::sleep(wait).await;
                tries += 1;
            }
            None => return outcome,
        }
    }
}

/// `Retry-After` in seconds. (PostHog never sends the HTTP-date form; it is
/// treated as absent.)
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(seconds))
}
