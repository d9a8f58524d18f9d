//! One operation call: every generated `send()` comes here with its
//! builder. The call makes the attempts (each from a copy of the builder,
//! so every attempt is the same request), decides after each failure
//! whether another is worth making — by what failed and whether the
//! operation is safe to repeat — waits, keeps to the call's deadline and
//! the client's retry budget, and says what it did: one `tracing` span per
//! call, one event per attempt. The API key is in none of them: it lives in
//! a sensitive header that no span, event or error records.

use std::future::Future;
use std::time::{Duration, Instant};

use progenitor_client::ClientInfo;

use crate::ResponseValue;
use tracing::Instrument;

use crate::error::{Error, classify};
use crate::{Client, RetryPolicy};

/// What the client knows of one operation of the spec beside its builder:
/// see [`operations`](crate::operations) for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    idempotent: bool,
}

impl Operation {
    pub(crate) const fn new(
        id: &'static str,
        method: &'static str,
        path: &'static str,
        idempotent: bool,
    ) -> Self {
        Self {
            id,
            method,
            path,
            idempotent,
        }
    }

    /// The spec's `operationId`, also the `Client` method's name.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The HTTP method, upper case: `GET`.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The path template: `/api/projects/{project_id}/…`.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// Whether repeating the operation is harmless (the spec's
    /// `x-idempotent`, from PostHog's code), so that PostHog's transient
    /// failures are retried for it.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The operation called `id`.
    pub fn named(id: &str) -> Option<&'static Operation> {
        crate::operations::ALL
            .iter()
            .find(|operation| operation.id == id)
    }
}

/// Which failures are worth another attempt. [`retried`] says for which
/// operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transient {
    /// 429: PostHog's throttles answer before the view runs
    /// (posthog/rate_limit.py; DRF checks throttles before the handler).
    Throttled(Option<Duration>),
    /// The request never reached PostHog: refused, DNS, TLS handshake.
    NotSent,
    /// 408, 500, 502, 503, 504: PostHog (or its load balancer) failed, and
    /// may have acted first.
    ServerFailed,
    /// The connection was reset or closed before the answer, or the answer
    /// did not come in time: the request may have been acted on.
    Interrupted,
}

fn transient(error: &Error) -> Option<Transient> {
    match error {
        Error::Api(api) => match api.status().as_u16() {
            429 => Some(Transient::Throttled(api.retry_after())),
            408 | 500 | 502 | 503 | 504 => Some(Transient::ServerFailed),
            _ => None,
        },
        Error::Timeout { source, .. } | Error::Transport { source, .. } => {
            Some(if source.is_connect() {
                Transient::NotSent
            } else {
                Transient::Interrupted
            })
        }
        _ => None,
    }
}

/// Whether `failure` is retried for `operation`.
fn retried(failure: Transient, operation: &Operation) -> bool {
    match failure {
        Transient::Throttled(_) | Transient::NotSent => true,
        Transient::ServerFailed | Transient::Interrupted => operation.idempotent,
    }
}

/// Why a failed attempt is the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    NotTransient,
    NotSafeToRepeat,
    OutOfAttempts,
    RetryAfterTooLong,
    PastDeadline,
    BudgetSpent,
}

impl Last {
    fn says(self) -> &'static str {
        match self {
            Self::NotTransient => "not a transient failure",
            Self::NotSafeToRepeat => "the operation is not safe to repeat",
            Self::OutOfAttempts => "no attempts left",
            Self::RetryAfterTooLong => "Retry-After is longer than the policy's max_wait",
            Self::PastDeadline => "the wait would pass the call's deadline",
            Self::BudgetSpent => "the client's retry budget is spent",
        }
    }
}

/// Sends `builder` through `attempt` until it succeeds or the policy says
/// stop; the error that reaches the caller counts the attempts made.
pub(crate) async fn send<B, T, E, Fut>(
    operation: &'static Operation,
    client: &Client,
    builder: B,
    attempt: impl Fn(B) -> Fut,
) -> Result<ResponseValue<T>, Error>
where
    B: Clone,
    Fut: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
{
    let span = tracing::info_span!(
        "posthog_api.call",
        operation = operation.id,
        method = operation.method,
        path = operation.path,
    );
    let config = client.inner();
    attempts(operation, config, builder, attempt)
        .instrument(span)
        .await
}

async fn attempts<B, T, E, Fut>(
    operation: &'static Operation,
    config: &crate::ClientConfig,
    builder: B,
    attempt: impl Fn(B) -> Fut,
) -> Result<ResponseValue<T>, Error>
where
    B: Clone,
    Fut: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
{
    let policy = &config.retry;
    let started = Instant::now();
    let deadline = policy.call_deadline().map(|limit| started + limit);
    let mut number = 1;
    loop {
        let attempt_started = Instant::now();
        let sent = attempt(builder.clone());
        let left = deadline.map(|deadline| deadline.saturating_duration_since(attempt_started));
        // An attempt the HTTP client gives up on before the deadline needs
        // no timer of ours (one fewer timer per call).
        let ends_in_time = |left: Duration| config.attempt_timeout.is_some_and(|own| own < left);
        let outcome = match left {
            Some(left) if !ends_in_time(left) => match tokio::time::timeout(left, sent).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    tracing::debug!(
                        attempt = number,
                        elapsed_ms = millis(attempt_started.elapsed()),
                        "abandoned at the call's deadline"
                    );
                    return Err(Error::DeadlineExceeded {
                        operation: operation.id,
                        attempts: number,
                        deadline: policy.call_deadline().unwrap_or_default(),
                    });
                }
            },
            _ => sent.await,
        };
        let elapsed_ms = millis(attempt_started.elapsed());
        let error = match outcome {
            Ok(value) => {
                config.retry_state.earn();
                tracing::debug!(
                    attempt = number,
                    status = value.status().as_u16(),
                    elapsed_ms,
                    "answered"
                );
                return Ok(ResponseValue::from_generated(value));
            }
            Err(error) => classify(operation, error).await,
        };
        // None (no answer: refused, reset, timed out) records no `status`.
        let status = error.status().map(|status| status.as_u16());
        match next_wait(operation, policy, config, &error, number, deadline) {
            Ok(wait) => {
                tracing::info!(
                    attempt = number,
                    status,
                    elapsed_ms,
                    retry_in_ms = millis(wait),
                    error = %error,
                    "failed; retrying"
                );
                tokio::time::sleep(wait).await;
                number += 1;
            }
            Err(last) => {
                tracing::debug!(
                    attempt = number,
                    status,
                    elapsed_ms,
                    error = %error,
                    not_retried = last.says(),
                    "failed"
                );
                return Err(error.after_attempts(number));
            }
        }
    }
}

/// The wait before attempt `number + 1`, after attempt `number` failed
/// with `error`; or why there is none.
fn next_wait(
    operation: &Operation,
    policy: &RetryPolicy,
    config: &crate::ClientConfig,
    error: &Error,
    number: u32,
    deadline: Option<Instant>,
) -> Result<Duration, Last> {
    let failure = transient(error).ok_or(Last::NotTransient)?;
    if !retried(failure, operation) {
        return Err(Last::NotSafeToRepeat);
    }
    if number >= policy.attempts() {
        return Err(Last::OutOfAttempts);
    }
    let wait = match failure {
        Transient::Throttled(Some(asked)) if !policy.waits_out(asked) => {
            return Err(Last::RetryAfterTooLong);
        }
        Transient::Throttled(Some(asked)) => asked,
        _ => policy.backoff(number, &config.retry_state.random),
    };
    if deadline.is_some_and(|deadline| Instant::now() + wait >= deadline) {
        return Err(Last::PastDeadline);
    }
    if !config.retry_state.spend_retry() {
        return Err(Last::BudgetSpent);
    }
    Ok(wait)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::operations::{
        QUERY_UPGRADE, SESSION_RECORDING_PLAYLISTS_CREATE as CREATE,
        SESSION_RECORDING_PLAYLISTS_DESTROY as DELETE, SESSION_RECORDING_PLAYLISTS_LIST as LIST,
    };

    /// The retry table of the README, row by row.
    #[test]
    fn which_failures_are_retried_for_which_operations() {
        for (failure, for_list, for_create) in [
            (Transient::Throttled(None), true, true),
            (Transient::NotSent, true, true),
            (Transient::ServerFailed, true, false),
            (Transient::Interrupted, true, false),
        ] {
            assert_eq!(retried(failure, &LIST), for_list, "{failure:?}");
            assert_eq!(retried(failure, &CREATE), for_create, "{failure:?}");
        }
    }

    /// Every kind of failure, each as the client meets it, says whether
    /// PostHog may have acted on it; the retries agree: what may have taken
    /// effect is never repeated for a create, and what is repeated for a
    /// list but not for a create is what may have taken effect. `Display`
    /// gives the advice to look first exactly then.
    #[tokio::test]
    async fn every_failure_says_whether_it_may_have_taken_effect_as_the_retries_treat_it() {
        let mut failures = Vec::new();
        for status in [
            400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503, 504,
        ] {
            let expected = status >= 500 || status == 408;
            failures.push((
                status.to_string(),
                answered(&CREATE, status, "").await,
                expected,
            ));
        }
        let refused_key = r#"{"type":"authentication_error","code":"permission_denied","detail":"This action does not support Personal API Key access","attr":null}"#;
        failures.push((
            "scoped key".into(),
            answered(&CREATE, 403, refused_key).await,
            false,
        ));
        failures.push((
            "hard delete".into(),
            answered(&DELETE, 405, "").await,
            false,
        ));
        let unparsed = serde_json::from_str::<()>("{").unwrap_err();
        let invalid = progenitor_client::Error::<()>::InvalidResponsePayload("{".into(), unparsed);
        failures.push(("bad body".into(), classify(&CREATE, invalid).await, true));
        for (name, error, expected) in unanswered().await {
            failures.push((name.into(), error, expected));
        }
        failures.push((
            "deadline".into(),
            Error::DeadlineExceeded {
                operation: CREATE.id(),
                attempts: 1,
                deadline: Duration::from_secs(1),
            },
            true,
        ));
        failures.push((
            "not sent".into(),
            Error::InvalidRequest {
                operation: CREATE.id(),
                message: "`name` is missing".into(),
            },
            false,
        ));
        failures.push((
            "stalled".into(),
            Error::PaginationStalled {
                next: "/x/?offset=0".into(),
            },
            false,
        ));

        let mut kinds = std::collections::BTreeSet::new();
        for (name, error, expected) in &failures {
            kinds.insert(match error {
                Error::Api(_) => "Api",
                Error::PersonalApiKeyRefused(_) => "PersonalApiKeyRefused",
                Error::HardDeleteNotAllowed { .. } => "HardDeleteNotAllowed",
                Error::InvalidResponse { .. } => "InvalidResponse",
                Error::Timeout { .. } => "Timeout",
                Error::Transport { .. } => "Transport",
                Error::DeadlineExceeded { .. } => "DeadlineExceeded",
                Error::InvalidRequest { .. } => "InvalidRequest",
                Error::PaginationStalled { .. } => "PaginationStalled",
            });
            let may_have = error.may_have_taken_effect();
            assert_eq!(may_have, *expected, "{name}: {error}");
            let retried_for = |operation: &Operation| {
                transient(error).is_some_and(|failure| retried(failure, operation))
            };
            if may_have {
                assert!(
                    !retried_for(&CREATE),
                    "{name}: a create is repeated after {error}"
                );
            }
            if retried_for(&LIST) && !retried_for(&CREATE) {
                assert!(
                    may_have,
                    "{name}: held back for a create, yet said harmless: {error}"
                );
            }
            let advises = error.to_string().contains("may have acted");
            let on_create = error
                .operation()
                .is_some_and(|operation| operation == CREATE.id());
            assert_eq!(advises, may_have && on_create, "{name}: {error}");
        }
        assert_eq!(kinds.len(), 9, "every variant of Error is tried: {kinds:?}");
    }

    /// A 405 is a refused hard delete only when the method was DELETE,
    /// whatever the operation is called.
    #[tokio::test]
    async fn only_a_delete_answered_405_is_a_refused_hard_delete() {
        let error = answered(&DELETE, 405, "").await;
        assert!(
            matches!(error, Error::HardDeleteNotAllowed { .. }),
            "{error:?}"
        );
        for operation in [&LIST, &QUERY_UPGRADE] {
            let error = answered(operation, 405, "").await;
            assert!(
                matches!(&error, Error::Api(api) if api.status().as_u16() == 405),
                "{}: {error:?}",
                operation.id()
            );
        }
    }

    async fn answered(operation: &'static Operation, status: u16, body: &str) -> Error {
        let response = reqwest::Response::from(
            http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body.as_bytes().to_vec())
                .unwrap(),
        );
        let answer = progenitor_client::Error::<()>::UnexpectedResponse(response);
        classify(operation, answer).await
    }

    /// Failures with no answer, made by a client against real listeners on
    /// 127.0.0.1: one closed (refused), one that hangs up after reading the
    /// request, one that never answers (a 200 ms timeout).
    async fn unanswered() -> Vec<(&'static str, Error, bool)> {
        use tokio::io::AsyncReadExt;
        use tokio::net::TcpListener;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let send = |port: u16| {
            let client = client.clone();
            async move {
                let failed = client
                    .post(format!("http://127.0.0.1:{port}/x/"))
                    .body("{}")
                    .send()
                    .await
                    .unwrap_err();
                classify(
                    &CREATE,
                    progenitor_client::Error::<()>::CommunicationError(failed),
                )
                .await
            }
        };

        let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let closed_port = closed.local_addr().unwrap().port();
        drop(closed);
        let refused = send(closed_port).await;

        let hangs_up = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = hangs_up.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut stream, _) = hangs_up.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request).await;
        });
        let reset = send(port).await;
        server.await.unwrap();

        let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = silent.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (stream, _) = silent.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(2)).await;
            drop(stream);
        });
        let timed_out = send(port).await;
        server.abort();

        assert!(matches!(refused, Error::Transport { .. }), "{refused:?}");
        assert!(matches!(reset, Error::Transport { .. }), "{reset:?}");
        assert!(matches!(timed_out, Error::Timeout { .. }), "{timed_out:?}");
        vec![
            ("refused", refused, false),
            ("closed", reset, true),
            ("timed out", timed_out, true),
        ]
    }

    #[test]
    fn every_operation_is_named_by_its_id() {
        for operation in crate::operations::ALL {
            assert_eq!(Operation::named(operation.id()), Some(operation));
        }
        assert_eq!(Operation::named("no_such_operation"), None);
    }
}
