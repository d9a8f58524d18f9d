//! A behavioural fake of PostHog's API for a project's queries and session
//! recording playlists, for tests.
//!
//! Mocks generated from a spec can only prove that a client agrees with
//! that spec. This fake instead behaves as PostHog's server does, as read
//! from PostHog's own code (github.com/PostHog/posthog): each behaviour in
//! [`api`](crate) carries a one-line comment naming the file or test it
//! comes from, and every answer is written by hand in the shape PostHog's
//! serializers emit. It knows nothing of the `posthog-api` crate, so a spec
//! (or client) that drifts from the server fails against it.
//!
//! [`FakePostHog::start`] serves every [`Endpoint`] on 127.0.0.1 from a
//! thread of its own, so it works under any async runtime or none, and
//! stops when dropped. It keeps playlists, their recordings and a request
//! log in memory:
//!
//! - creating and updating a playlist behaves as PostHog's `type`/`filters`
//!   checks do; seven synthetic playlists are listed first, counted in `count`
//!   and refuse updates; soft-deleted playlists answer 404 and leave the
//!   list; the list takes PostHog's filters (`search`, `order`, `type`,
//!   `collection_type`, `pinned`, `user`, `created_by`, `date_from`,
//!   `date_to`, `session_recording_id`) and pages with `limit`/`offset` and
//!   absolute `next` links;
//! - recordings can be added to collections, which list them most recently
//!   added first, their first page whatever `limit` and `offset` say; a
//!   saved-filters playlist lists none;
//! - a wrong key answers 401, a missing scope 403, the actions that
//!   declare no scope 403 to a scoped key whatever it holds (a legacy key
//!   without scopes passes everywhere, as in PostHog), and a hard DELETE an
//!   empty 405; [`FakePostHog::throttle_next`] makes requests answer 429
//!   with `Retry-After`;
//! - [`FakePostHog::fail_next`] makes one operation fail as PostHog does on
//!   a bad day ([`Fault`]: a 5xx, a throttle, a closed connection, a slow or
//!   cut-off answer), before or after the action; the README shows a
//!   downstream test riding such faults out with `posthog-api`.
//!
//! ```
//! let fake = posthog_fake::FakePostHog::start()?;
//! // Point a client at `fake.url()`, authenticate with
//! // `fake.personal_api_key()`, and use project `fake.project_id()`.
//! assert!(fake.url().starts_with("http://127.0.0.1:"));
//! # Ok::<(), std::io::Error>(())
//! ```

mod api;
mod fault;
pub mod http;
mod list;
mod route;
mod state;
mod time;

pub use api::Endpoint;
pub use fault::Fault;

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::http::{LoopbackServer, lock};
use crate::state::State;

/// Every scope a personal API key can hold that these endpoints read.
pub const ALL_SCOPES: [&str; 2] = ["session_recording_playlist:write", "query:read"];

/// A running fake PostHog; it stops when dropped.
#[derive(Debug)]
pub struct FakePostHog {
    server: LoopbackServer,
    state: Arc<Mutex<State>>,
    personal_api_key: String,
    session_token: String,
    project_id: String,
}

/// Settings for [`FakePostHog::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Builder {
    project_id: String,
    scopes: Vec<String>,
    recordings: usize,
    port: u16,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            project_id: "4242".into(),
            scopes: ALL_SCOPES.iter().map(|&scope| scope.into()).collect(),
            recordings: 3,
            port: 0,
        }
    }
}

impl Builder {
    /// The one project the fake serves (default `4242`); any other answers 404.
    pub fn project_id(mut self, project_id: &str) -> Self {
        self.project_id = project_id.into();
        self
    }

    /// The scopes the personal API key holds (default [`ALL_SCOPES`]); `*`
    /// stands for every scope, as in PostHog. No scopes at all make it a
    /// legacy key, one created before PostHog had scopes, which PostHog lets
    /// do anything, the actions that refuse scoped keys included
    /// (posthog/permissions.py, `APIScopePermission`).
    pub fn scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = scopes.iter().map(|&scope| scope.into()).collect();
        self
    }

    /// How many recordings the fake has data for (default 3); see
    /// [`FakePostHog::recording_ids`].
    pub fn recordings(mut self, count: usize) -> Self {
        self.recordings = count;
        self
    }

    /// The port of 127.0.0.1 to listen on (default 0: a free one, which
    /// tests want; a fixed one suits the `posthog-fake` program).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts the fake on 127.0.0.1, on a free port unless [`Builder::port`]
    /// says otherwise.
    pub fn start(self) -> io::Result<FakePostHog> {
        let personal_api_key = "phx_fake_personal_api_key".to_owned();
        let session_token = "fake_logged_in_session".to_owned();
        let state = Arc::new(Mutex::new(State::new(
            &self.project_id,
            &personal_api_key,
            self.scopes,
            &session_token,
            self.recordings,
        )));
        let server = {
            let state = Arc::clone(&state);
            LoopbackServer::start_replying_on(self.port, move |request| {
                let (reply, delay) = api::reply(&mut lock(&state), &request);
                // Held back outside the lock, so other requests go on.
                if let Some(delay) = delay {
                    std::thread::sleep(delay);
                }
                reply
            })?
        };
        Ok(FakePostHog {
            server,
            state,
            personal_api_key,
            session_token,
            project_id: self.project_id,
        })
    }
}

impl FakePostHog {
    /// A fake with the default settings: project `4242`, a personal API key
    /// holding [`ALL_SCOPES`], three recordings with data.
    pub fn start() -> io::Result<Self> {
        Builder::default().start()
    }

    /// Other settings.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// `http://127.0.0.1:<port>`: the host to point a client at.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The project the fake serves.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// A valid personal API key, with the builder's scopes.
    pub fn personal_api_key(&self) -> &str {
        &self.personal_api_key
    }

    /// A bearer token the fake treats as a logged-in PostHog session, the
    /// one credential the actions that refuse personal API keys accept.
    /// (The real server knows sessions by cookie only; this stands in for
    /// one so those actions can be exercised.)
    pub fn session_token(&self) -> &str {
        &self.session_token
    }

    /// The ids of the recordings the fake has data for, newest first. Only
    /// these appear when a playlist's recordings are listed.
    pub fn recording_ids(&self) -> Vec<String> {
        lock(&self.state).recording_ids()
    }

    /// Answers the next `requests` authenticated and permitted requests
    /// with 429 and `Retry-After: retry_after_secs`, as PostHog's throttles do.
    pub fn throttle_next(&self, requests: u32, retry_after_secs: u64) {
        lock(&self.state).throttle(requests, retry_after_secs);
    }

    /// Fails the next `requests` requests of `operation` with `fault`, in
    /// place of the server; faults armed for one operation are used in the
    /// order they were armed. Requests for other operations are served.
    ///
    /// ```
    /// use posthog_fake::{FakePostHog, Fault, Endpoint};
    ///
    /// let fake = FakePostHog::start()?;
    /// // Two 503s from the load balancer, then PostHog answers.
    /// fake.fail_next(Endpoint::ListPlaylists, 2, Fault::status(503));
    /// // A create that happens, but whose answer is lost.
    /// fake.fail_next(Endpoint::CreatePlaylist, 1, Fault::close_connection().after_action());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn fail_next(&self, operation: Endpoint, requests: u32, fault: Fault) {
        lock(&self.state).faults.push(fault::Armed {
            operation,
            remaining: requests,
            fault,
        });
    }

    /// Moves the fake's clock on by `by`, as if that much time had passed:
    /// what is written later is stamped later, and relative dates a request
    /// names (`date_from=-1d`) count back from the new time. The clock
    /// starts on 2025-01-02 and moves a second with each write.
    pub fn pass_time(&self, by: Duration) {
        lock(&self.state).pass_time(by.as_secs());
    }

    /// Every request so far, in order, as `METHOD /path?query`.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.state).log.clone()
    }
}
