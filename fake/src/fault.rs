//! Failures a test arranges, per operation: what PostHog and the load
//! balancer in front of it do on a bad day (502/503 during a deploy, 500,
//! a reset connection, a slow or cut-off answer, a throttle), so a client's
//! handling of each can be tested. A fault answers in place of the server;
//! [`Fault::after_action`] makes the action happen first, the case where
//! a client cannot know whether its request took effect.

use std::time::Duration;

use crate::api::Endpoint;
use crate::http::{Reply, Response};

/// One way to fail a request; arm it with [`crate::FakePostHog::fail_next`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    kind: Kind,
    after_action: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Status {
        status: u16,
        retry_after: Option<String>,
    },
    Close,
    Delay(Duration),
    Truncated,
}

impl Fault {
    /// Answer `status` with a JSON error body in PostHog's shape, as its
    /// load balancer (502, 503, 504) or an unhandled exception (500) would.
    /// A 429 carries PostHog's throttle body; add `Retry-After` with
    /// [`retry_after`](Self::retry_after).
    pub fn status(status: u16) -> Self {
        Self::of(Kind::Status {
            status,
            retry_after: None,
        })
    }

    /// Close the connection without answering (a reset during a deploy).
    pub fn close_connection() -> Self {
        Self::of(Kind::Close)
    }

    /// Answer as usual, after `delay` (for timeouts and deadlines). The
    /// action happens either way.
    pub fn delay(delay: Duration) -> Self {
        Self::of(Kind::Delay(delay))
    }

    /// Answer as usual, but cut the body off half-way and close.
    pub fn truncated_body() -> Self {
        Self::of(Kind::Truncated)
    }

    /// With a `Retry-After` header of exactly `value`: seconds (`"2"`) or an
    /// HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`). For [`Fault::status`].
    #[must_use]
    pub fn retry_after(mut self, value: &str) -> Self {
        if let Kind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(value.to_owned());
        }
        self
    }

    /// Do what the request asks first, then fail: the client cannot tell
    /// whether it took effect (a create that did create).
    #[must_use]
    pub fn after_action(mut self) -> Self {
        self.after_action = true;
        self
    }

    fn of(kind: Kind) -> Self {
        Self {
            kind,
            after_action: false,
        }
    }

    /// How long to wait before replying.
    pub(crate) fn delay_before_reply(&self) -> Option<Duration> {
        match self.kind {
            Kind::Delay(delay) => Some(delay),
            _ => None,
        }
    }

    /// The reply in place of the server's; `act` carries the request out
    /// and returns what the server would have answered.
    pub(crate) fn reply(&self, act: impl FnOnce() -> Response) -> Reply {
        let reply = match &self.kind {
            Kind::Delay(_) => return Reply::Answer(act()),
            Kind::Truncated => return Reply::Truncated(act()),
            Kind::Close => Reply::Close,
            Kind::Status {
                status: 429,
                retry_after,
            } => Reply::Answer(crate::api::throttle_response(retry_after.as_deref())),
            Kind::Status {
                status,
                retry_after,
            } => {
                let response = crate::api::server_failure(*status);
                Reply::Answer(match retry_after {
                    Some(value) => response.with_header("retry-after", value),
                    None => response,
                })
            }
        };
        if self.after_action {
            act();
        }
        reply
    }
}

/// A fault armed for the next `remaining` requests of `operation`.
#[derive(Debug, Clone)]
pub(crate) struct Armed {
    pub(crate) operation: Endpoint,
    pub(crate) remaining: u32,
    pub(crate) fault: Fault,
}

/// The fault for the next request of `operation`, if one is armed; each
/// use counts down, the first armed first.
pub(crate) fn take(armed: &mut Vec<Armed>, operation: Endpoint) -> Option<Fault> {
    let index = armed
        .iter()
        .position(|a| a.operation == operation && a.remaining > 0)?;
    let slot = &mut armed[index];
    slot.remaining -= 1;
    let fault = slot.fault.clone();
    if slot.remaining == 0 {
        armed.remove(index);
    }
    Some(fault)
}
