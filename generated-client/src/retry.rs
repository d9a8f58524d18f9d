//! When a failed attempt is tried again, and how long the client waits
//! first. PostHog fails in passing: its throttles answer 429 with
//! `Retry-After` (personal API keys get 240 requests a minute and 1200 an
//! hour on these endpoints, posthog/rate_limit.py), its load balancer
//! answers 502/503 during deploys, connections are refused or reset. The
//! policy here is what the call loop ([`crate::call`]) asks; the budget and
//! the random source are the client's, shared by its clones.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed calls are retried.
///
/// Which failures are retried depends on the operation: a 429 and a
/// request that never reached PostHog (connection refused, DNS, TLS
/// handshake) are retried for every operation; a 500, 502, 503, 504 or
/// 408, a connection reset or closed before the answer, and a read timeout
/// only for operations safe to repeat
/// ([`Operation::is_idempotent`](crate::Operation::is_idempotent), declared
/// per operation in the spec). Other 4xx answers are never retried.
///
/// The defaults, and why:
///
/// | setting | default | why |
/// | --- | --- | --- |
/// | [`max_attempts`](Self::max_attempts) | 3 | AWS SDKs' "standard" mode: rides out a blip, does not pile onto an outage |
/// | [`first_backoff`](Self::first_backoff) | 1 s | the first wait is up to 1 s, then up to 2 s, 4 s, …, each drawn at random ("full jitter"), so clients that failed together do not retry together |
/// | [`max_backoff`](Self::max_backoff) | 20 s | AWS's cap on one backoff |
/// | [`max_wait`](Self::max_wait) | 60 s | PostHog's burst throttle counts per minute; a longer `Retry-After` is the hourly limit, returned rather than slept through |
/// | [`deadline`](Self::deadline) | 120 s | a whole call, waits included: three 30 s attempts and a minute's throttle, not more |
/// | [`budget`](Self::budget) | 100 retries | AWS's retry quota (500 tokens, 5 a retry): while PostHog is down, each caller soon fails at once instead of making `max_attempts` requests |
///
/// `Retry-After` is honoured in both forms, seconds and HTTP date.
///
/// ```
/// use std::time::Duration;
/// use posthog_api::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .deadline(Some(Duration::from_secs(300)));
/// let never = RetryPolicy::disabled();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    first_backoff: Duration,
    max_backoff: Duration,
    max_wait: Duration,
    deadline: Option<Duration>,
    budget: u32,
    jitter_seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_wait: Duration::from_secs(60),
            deadline: Some(Duration::from_secs(120)),
            budget: 100,
            jitter_seed: None,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every failure reaches the caller after one attempt.
    /// The [`deadline`](Self::deadline) still bounds that attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts per call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The most the backoff before the first retry may be; it doubles for
    /// each further retry, up to [`max_backoff`](Self::max_backoff). Each
    /// wait is drawn uniformly between zero and that ceiling.
    pub fn first_backoff(mut self, wait: Duration) -> Self {
        self.first_backoff = wait;
        self
    }

    /// The highest ceiling of one backoff.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` the client waits out; a 429 that asks for
    /// longer is returned at once, with
    /// [`ApiError::retry_after`](crate::ApiError::retry_after) set.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The longest a whole call may take, attempts and waits together
    /// (`None`: no limit beyond each attempt's timeout). An attempt still
    /// running at the deadline is abandoned with
    /// [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded), and no
    /// wait is started that would end past it.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// How many retries the client (and its clones) may make beyond what
    /// its successes earn back: each retry spends one, each call that
    /// succeeds gives back a fifth of one, up to this many. With the budget
    /// spent, failures are returned after one attempt until successes
    /// refill it.
    pub fn budget(mut self, retries: u32) -> Self {
        self.budget = retries;
        self
    }

    /// Seeds the random source of the backoff, so waits repeat from run to
    /// run (for tests); by default each client seeds its own at random.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn call_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Whether a `Retry-After` of `wait` is waited out.
    pub(crate) fn waits_out(&self, wait: Duration) -> bool {
        wait <= self.max_wait
    }

    /// The backoff before retry number `retry` (1 for the first retry):
    /// uniform in `0..=min(max_backoff, first_backoff × 2^(retry-1))`.
    pub(crate) fn backoff(&self, retry: u32, random: &Mutex<fastrand::Rng>) -> Duration {
        let ceiling = self
            .first_backoff
            .saturating_mul(1 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        let micros = u64::try_from(ceiling.as_micros()).unwrap_or(u64::MAX);
        let drawn = random
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .u64(0..=micros);
        Duration::from_micros(drawn)
    }
}

/// What a client's retries share across its clones: the budget and the
/// random source of the backoff.
#[derive(Debug)]
pub(crate) struct RetryState {
    /// The budget in fifths of a retry, so a success can earn back a fifth.
    tokens: AtomicU32,
    capacity: u32,
    pub(crate) random: Mutex<fastrand::Rng>,
}

/// What one retry costs, in the budget's units.
const RETRY_COST: u32 = 5;

impl RetryState {
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        let capacity = policy.budget.saturating_mul(RETRY_COST);
        let random = match policy.jitter_seed {
            Some(seed) => fastrand::Rng::with_seed(seed),
            None => fastrand::Rng::new(),
        };
        Self {
            tokens: AtomicU32::new(capacity),
            capacity,
            random: Mutex::new(random),
        }
    }

    /// Takes one retry from the budget; `false` when it is spent.
    pub(crate) fn spend_retry(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                tokens.checked_sub(RETRY_COST)
            })
            .is_ok()
    }

    /// A call succeeded: a fifth of a retry back, up to the capacity.
    pub(crate) fn earn(&self) {
        // Relaxed: the budget is a heuristic, not a lock.
        let _ = self
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                (tokens < self.capacity).then_some(tokens + 1)
            });
    }
}

/// The wait a `Retry-After` header asks for: seconds (`120`) or an HTTP
/// date (`Wed, 21 Oct 2026 07:28:00 GMT`, zero once it has passed).
/// PostHog's throttles send seconds; proxies in front of it may send dates.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, value.parse().unwrap());
            headers
        };
        assert_eq!(retry_after(&headers("12")), Some(Duration::from_secs(12)));
        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(61));
        let wait = retry_after(&headers(&in_a_minute)).unwrap();
        assert!(
            (Duration::from_secs(59)..=Duration::from_secs(61)).contains(&wait),
            "{wait:?}"
        );
        let passed = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(retry_after(&headers(passed)), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon")), None);
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let policy = RetryPolicy::default()
            .first_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        let random = Mutex::new(fastrand::Rng::with_seed(7));
        for (retry, ceiling) in [(1, 100), (2, 200), (3, 350), (9, 350)] {
            let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(retry, &random)).collect();
            let ceiling = Duration::from_millis(ceiling);
            assert!(waits.iter().all(|wait| *wait <= ceiling), "retry {retry}");
            // Drawn, not fixed: spread over the range.
            let low = waits.iter().filter(|wait| **wait < ceiling / 4).count();
            let high = waits.iter().filter(|wait| **wait > ceiling * 3 / 4).count();
            assert!(
                low > 20 && high > 20,
                "retry {retry}: {low} low, {high} high"
            );
        }
    }

    #[test]
    fn the_budget_is_spent_by_retries_and_earned_back_by_successes() {
        let state = RetryState::new(&RetryPolicy::default().budget(2));
        assert!(state.spend_retry());
        assert!(state.spend_retry());
        assert!(!state.spend_retry(), "two retries, then none");
        for _ in 0..4 {
            state.earn();
        }
        assert!(!state.spend_retry(), "four successes earn four fifths");
        state.earn();
        assert!(state.spend_retry(), "the fifth earns one retry back");
        for _ in 0..100 {
            state.earn();
        }
        assert!(state.spend_retry() && state.spend_retry());
        assert!(!state.spend_retry(), "never more than the budget");
    }
}
