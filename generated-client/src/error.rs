//! One error type for every operation. Each variant says which operation
//! failed and how, how many attempts were made, and
//! ([`Error::may_have_taken_effect`]) whether PostHog may have acted on the
//! request; none can contain the API key (it lives only in a sensitive
//! header, and no variant keeps request headers).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::types::ErrorResponse;

/// How much of an unexpected body an error keeps and shows.
const BODY_PREVIEW_CHARS: usize = 200;

/// The `detail` of PostHog's 403 for an action that declares no API scope,
/// to a personal API key that holds scopes (posthog/permissions.py,
/// `APIScopePermission.has_permission`). Compared ignoring ASCII case, so
/// another spelling of it is still the refusal.
const PERSONAL_API_KEY_REFUSED: &str = "This action does not support Personal API Key access";

/// Why a request failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// PostHog answered with an error status (4xx or 5xx).
    Api(ApiError),
    /// PostHog refused a personal API key that holds scopes for this action
    /// (403 "This action does not support Personal API Key access"). Unlike
    /// a missing scope, no scope added to the key helps: the action declares
    /// no API scope, so PostHog turns away every personal API key that holds
    /// scopes, and every OAuth token, whatever they hold. A legacy personal
    /// API key (one created without scopes, which PostHog lets do anything)
    /// or a logged-in PostHog session may call it
    /// (posthog/permissions.py, `APIScopePermission.has_permission`). It
    /// happens on `query_check_auth_for_async`, `query_draft_sql`,
    /// `query_upgrade`, `session_recording_playlists_recordings_add` and
    /// `session_recording_playlists_recordings_remove`.
    PersonalApiKeyRefused(ApiError),
    /// A hard DELETE was refused with 405, as PostHog always does for
    /// playlists. Soft-delete instead:
    /// [`Client::soft_delete_session_recording_playlist`](crate::Client::soft_delete_session_recording_playlist)
    /// sends PATCH `deleted: true`.
    HardDeleteNotAllowed {
        /// The operation that tried to delete.
        operation: &'static str,
    },
    /// A success status whose body is not what the spec promises (or
    /// could not be read to its end): PostHog did what was asked.
    InvalidResponse {
        /// The operation whose answer did not parse.
        operation: &'static str,
        /// Attempts made, the first included.
        attempts: u32,
        /// The first 200 characters of the body.
        body_start: String,
        /// What the JSON parser said.
        source: serde_json::Error,
    },
    /// No answer within the client's timeout (per attempt).
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
        /// Attempts made, the first included.
        attempts: u32,
        /// reqwest's error (which names the URL, never headers).
        source: reqwest::Error,
    },
    /// The request could not be sent, or the answer not read: the
    /// connection was refused, reset or closed early.
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// Attempts made, the first included.
        attempts: u32,
        /// reqwest's error (which names the URL, never headers).
        source: reqwest::Error,
    },
    /// The call's deadline ([`RetryPolicy::deadline`](crate::RetryPolicy::deadline))
    /// passed while an attempt was still waiting for its answer.
    DeadlineExceeded {
        /// The operation that ran out of time.
        operation: &'static str,
        /// Attempts made, the abandoned one included.
        attempts: u32,
        /// The deadline of the whole call.
        deadline: Duration,
    },
    /// The request was incomplete, e.g. a required parameter was not set.
    InvalidRequest {
        /// The operation that was not sent.
        operation: &'static str,
        /// What is missing or wrong.
        message: String,
    },
    /// A listing's next page would not move forward (a `next` link that
    /// repeats, or a page of recordings that brings nothing new), so paging
    /// stopped rather than loop forever; the items already yielded are valid.
    PaginationStalled {
        /// The page that would have repeated: the `next` link, or the
        /// recordings page as `…/recordings/?limit=…&offset=…`.
        next: String,
    },
}

/// An error status from PostHog, with its error body when it had one.
#[derive(Debug)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    body: Option<ErrorResponse>,
    body_start: String,
    retry_after: Option<Duration>,
    attempts: u32,
}

impl ApiError {
    /// The operation that failed, e.g. `session_recording_playlists_list`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status, e.g. 401.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// PostHog's error body (`type`, `code`, `detail`, `attr`), when the
    /// answer had that shape.
    pub fn body(&self) -> Option<&ErrorResponse> {
        self.body.as_ref()
    }

    /// The first 200 characters of the raw body, e.g. an HTML error page.
    pub fn body_start(&self) -> &str {
        &self.body_start
    }

    /// How long the server asked to wait (`Retry-After`), on a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Attempts made, the first included; the status is the last one's.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl Error {
    /// The operation that failed, when one was called.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Api(error) | Self::PersonalApiKeyRefused(error) => Some(error.operation),
            Self::HardDeleteNotAllowed { operation }
            | Self::InvalidResponse { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::DeadlineExceeded { operation, .. }
            | Self::InvalidRequest { operation, .. } => Some(operation),
            Self::PaginationStalled { .. } => None,
        }
    }

    /// How many requests the call made: more than 1 when it was retried,
    /// 0 when it failed before sending anything.
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Api(error) | Self::PersonalApiKeyRefused(error) => error.attempts,
            Self::InvalidResponse { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Transport { attempts, .. }
            | Self::DeadlineExceeded { attempts, .. } => *attempts,
            Self::HardDeleteNotAllowed { .. } => 1,
            Self::InvalidRequest { .. } | Self::PaginationStalled { .. } => 0,
        }
    }

    /// Whether PostHog may have acted on the request before it failed, so
    /// that repeating an operation not safe to repeat (a create) could do
    /// it twice: look first. `false` when PostHog turned it away (a 4xx
    /// other than 408, including 429), when it never reached PostHog
    /// (connection refused, DNS, TLS) and when nothing was sent; `true`
    /// after a 5xx or a 408 (a proxy's timeout: the server may have gone on
    /// without it), a reset or closed connection, a timeout after sending,
    /// and a success whose body did not parse. These are the failures the
    /// client does not retry for such an operation.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Self::Api(error) => {
                error.status.is_server_error() || error.status == StatusCode::REQUEST_TIMEOUT
            }
            Self::Timeout { source, .. } | Self::Transport { source, .. } => !source.is_connect(),
            Self::InvalidResponse { .. } | Self::DeadlineExceeded { .. } => true,
            Self::PersonalApiKeyRefused(_)
            | Self::HardDeleteNotAllowed { .. }
            | Self::InvalidRequest { .. }
            | Self::PaginationStalled { .. } => false,
        }
    }

    /// The same error, naming `name` (a helper of this crate that made the
    /// call) as the operation that failed.
    pub(crate) fn in_operation(mut self, name: &'static str) -> Self {
        match &mut self {
            Self::Api(error) | Self::PersonalApiKeyRefused(error) => error.operation = name,
            Self::HardDeleteNotAllowed { operation }
            | Self::InvalidResponse { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::DeadlineExceeded { operation, .. }
            | Self::InvalidRequest { operation, .. } => *operation = name,
            Self::PaginationStalled { .. } => {}
        }
        self
    }

    /// The same error, counting `attempts` requests.
    pub(crate) fn after_attempts(mut self, made: u32) -> Self {
        match &mut self {
            Self::Api(error) | Self::PersonalApiKeyRefused(error) => error.attempts = made,
            Self::InvalidResponse { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Transport { attempts, .. }
            | Self::DeadlineExceeded { attempts, .. } => *attempts = made,
            Self::HardDeleteNotAllowed { .. }
            | Self::InvalidRequest { .. }
            | Self::PaginationStalled { .. } => {}
        }
        self
    }

    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) | Self::PersonalApiKeyRefused(error) => Some(error.status),
            Self::HardDeleteNotAllowed { .. } => Some(StatusCode::METHOD_NOT_ALLOWED),
            Self::InvalidResponse { .. }
            | Self::Timeout { .. }
            | Self::Transport { .. }
            | Self::DeadlineExceeded { .. }
            | Self::InvalidRequest { .. }
            | Self::PaginationStalled { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)?;
        let attempts = self.attempts();
        if attempts > 1 {
            write!(f, " (after {attempts} attempts)")?;
        }
        let not_safe_to_repeat = self
            .operation()
            .and_then(crate::Operation::named)
            .is_some_and(|operation| !operation.is_idempotent());
        if not_safe_to_repeat && self.may_have_taken_effect() {
            f.write_str(
                "; not retried, as PostHog may have acted on it: check (e.g. list) before trying again",
            )?;
        }
        Ok(())
    }
}

impl Error {
    /// What happened, without the attempt count and advice `Display` adds.
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => fmt::Display::fmt(error, f),
            Self::PersonalApiKeyRefused(error) => write!(
                f,
                "{}: PostHog refuses personal API keys that hold scopes for this action \
                 (403: {PERSONAL_API_KEY_REFUSED}). No scope added to the key helps: the action \
                 declares no API scope, so PostHog turns away every scoped personal API key and \
                 OAuth token; a legacy personal API key (one created without scopes) or a \
                 logged-in PostHog session may call it",
                error.operation
            ),
            Self::HardDeleteNotAllowed { operation } => write!(
                f,
                "{operation}: PostHog does not allow hard deletes (405); soft-delete with \
                 `Client::soft_delete_session_recording_playlist` (PATCH `deleted: true`, \
                 filters kept), or `Client::soft_delete_fetched_session_recording_playlist` \
                 for a playlist you have fetched"
            ),
            Self::InvalidResponse {
                operation,
                body_start,
                source,
                ..
            } => write!(
                f,
                "{operation}: the response does not match the spec ({source}); body starts with: {body_start}"
            ),
            Self::Timeout { operation, .. } => {
                write!(f, "{operation}: no answer within the timeout")
            }
            Self::Transport {
                operation, source, ..
            } => {
                write!(f, "{operation}: request failed: {source}")?;
                write_causes(f, source)
            }
            Self::DeadlineExceeded {
                operation,
                deadline,
                ..
            } => write!(
                f,
                "{operation}: no answer within the call's deadline of {} s",
                deadline.as_secs_f64()
            ),
            Self::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Self::PaginationStalled { next } => {
                write!(
                    f,
                    "pagination stopped: the next page `{next}` does not advance"
                )
            }
        }
    }
}

/// `: cause: its cause …` for what `error` wraps, each message once: the
/// reason a connection failed ("Connection refused") sits several causes
/// deep in reqwest's error.
fn write_causes(f: &mut fmt::Formatter<'_>, error: &reqwest::Error) -> fmt::Result {
    let mut shown = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        let text = inner.to_string();
        if !shown.contains(&text) {
            write!(f, ": {text}")?;
            shown.push_str(&text);
        }
        cause = inner.source();
    }
    Ok(())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: PostHog answered {}", self.operation, self.status)?;
        match &self.body {
            Some(body) => {
                write!(f, ": {} ({}/{})", body.detail, body.type_, body.code)?;
                if let Some(attr) = &body.attr {
                    write!(f, " on field `{attr}`")?;
                }
            }
            None if !self.body_start.is_empty() => {
                write!(f, "; body starts with: {}", self.body_start)?
            }
            None => {}
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {} s", wait.as_secs())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidResponse { source, .. } => Some(source),
            Self::Timeout { source, .. } | Self::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::error::Error for ApiError {}

/// What one failed attempt of `operation` got, as an [`Error`] counting
/// one attempt ([`crate::call`] counts the rest).
pub(crate) async fn classify<E>(
    called: &'static crate::Operation,
    error: progenitor_client::Error<E>,
) -> Error {
    use progenitor_client::Error as Generated;
    let operation = called.id();
    match error {
        Generated::UnexpectedResponse(response) => from_error_status(called, response).await,
        Generated::InvalidResponsePayload(body, source) => Error::InvalidResponse {
            operation,
            attempts: 1,
            body_start: preview(&body),
            source,
        },
        Generated::CommunicationError(source)
        | Generated::ResponseBodyError(source)
        | Generated::InvalidUpgrade(source) => {
            if source.is_timeout() {
                Error::Timeout {
                    operation,
                    attempts: 1,
                    source,
                }
            } else {
                Error::Transport {
                    operation,
                    attempts: 1,
                    source,
                }
            }
        }
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidRequest { operation, message }
        }
        // The generator declares no error responses (codegen's `prepare`),
        // so progenitor never parses one itself.
        Generated::ErrorResponse(response) => Error::Api(ApiError {
            operation,
            status: response.status(),
            body: None,
            body_start: String::new(),
            retry_after: None,
            attempts: 1,
        }),
    }
}

/// Reads a non-2xx answer into an [`Error`].
async fn from_error_status(
    called: &'static crate::Operation,
    response: reqwest::Response,
) -> Error {
    let operation = called.id();
    let status = response.status();
    let retry_after = crate::retry::retry_after(response.headers());
    // PostHog refuses every DELETE of these endpoints by design
    // (posthog/api/forbid_destroy_model.py); any other 405 is an ordinary
    // API error.
    if status == StatusCode::METHOD_NOT_ALLOWED && called.method() == "DELETE" {
        return Error::HardDeleteNotAllowed { operation };
    }
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(source) => {
            return Error::Transport {
                operation,
                attempts: 1,
                source,
            };
        }
    };
    let error = ApiError {
        operation,
        status,
        body: serde_json::from_slice(&body).ok(),
        body_start: preview(&body),
        retry_after,
        attempts: 1,
    };
    let refuses_the_key = status == StatusCode::FORBIDDEN
        && error
            .body
            .as_ref()
            .is_some_and(|body| body.detail.eq_ignore_ascii_case(PERSONAL_API_KEY_REFUSED));
    if refuses_the_key {
        Error::PersonalApiKeyRefused(error)
    } else {
        Error::Api(error)
    }
}

/// The first [`BODY_PREVIEW_CHARS`] characters of `body`, lossily decoded.
fn preview(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(BODY_PREVIEW_CHARS)
        .collect()
}
