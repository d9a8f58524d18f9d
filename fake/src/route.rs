//! The route table: for every operation the fake serves, the methods and
//! path PostHog's routers map to it, the API key scope it needs and the
//! action that answers it. [`Operation`] (and so what a fault can be armed
//! for), the scope check and the routing are all read from this one table,
//! so a route is added by one row here and its action in [`api`](crate::api).

use crate::api::{self, Call};
use crate::http::Response;
use crate::state::State;

// posthog/permissions.py, `ScopeBasePermission._get_required_scopes`: an
// action in the viewset's read actions needs `<object>:read`, one in its
// write actions (`create`, `update`, `partial_update`, `patch`, `destroy`)
// `<object>:write`, and any other declares no scope.
/// `SessionRecordingPlaylistViewSet.scope_object_read_actions` is `list`,
/// `retrieve` and `recordings`
/// (posthog/session_recordings/session_recording_playlist_api.py).
const PLAYLIST_READ: Option<&str> = Some("session_recording_playlist:read");
/// The default write actions.
const PLAYLIST_WRITE: Option<&str> = Some("session_recording_playlist:write");
/// An action in neither list: `modify_recordings`, and the query viewset's
/// extra actions (posthog/api/query.py, `QueryViewSet` names only
/// `retrieve`, `create`, `list` and `destroy` as read actions).
const NO_SCOPE: Option<&str> = None;

/// One row of the table.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) operation: Operation,
    /// The methods PostHog maps to the action; the first is the one the
    /// client calls.
    pub(crate) methods: &'static [&'static str],
    /// The path template under `/api/projects/`, where the client calls it
    /// (PostHog also serves it under `/api/environments/`, and so does the
    /// fake); `{name}` segments are captured.
    pub(crate) path: &'static str,
    /// The scope a personal API key needs; `None` when the action declares
    /// none.
    pub(crate) scope: Option<&'static str>,
    /// What answers a request that passed authentication, the scope check,
    /// the throttle and the project check.
    pub(crate) action: fn(&mut State, &Call<'_>) -> Response,
}

macro_rules! routes {
    ($(
        $(#[$doc:meta])*
        $operation:ident: $($method:literal)|+ $path:literal, $scope:expr => $action:path;
    )*) => {
        /// The operations the fake serves, as PostHog's router maps them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $(
                $(#[$doc])*
                #[doc = concat!("\n\n", $("`", $method, "` ",)+ "`", $path, "`")]
                $operation,
            )*
        }

        impl Operation {
            /// Every operation, in the order PostHog's docs page lists them
            /// (operations it does not list come last).
            pub const ALL: [Operation; [$(stringify!($operation)),*].len()] =
                [$(Self::$operation),*];
        }

        /// The table, one row per operation, in [`Operation::ALL`]'s order.
        pub(crate) const ROUTES: &[Route] = &[$(
            Route {
                operation: Operation::$operation,
                methods: &[$($method),+],
                path: $path,
                scope: $scope,
                action: $action,
            },
        )*];
    };
}

routes! {
    /// Whether the caller may run asynchronous queries.
    CheckAuthForAsync: "POST" "/api/projects/{project_id}/query/check_auth_for_async/", NO_SCOPE => api::check_auth_for_async;
    /// Drafts HogQL from a prompt.
    DraftSql: "GET" "/api/projects/{project_id}/query/draft_sql/", NO_SCOPE => api::draft_sql;
    /// Upgrades a query's nodes.
    Upgrade: "POST" "/api/projects/{project_id}/query/upgrade/", NO_SCOPE => api::upgrade;
    /// Lists playlists, a page at a time.
    ListPlaylists: "GET" "/api/projects/{project_id}/session_recording_playlists/", PLAYLIST_READ => api::list;
    /// Creates a playlist.
    CreatePlaylist: "POST" "/api/projects/{project_id}/session_recording_playlists/", PLAYLIST_WRITE => api::create;
    /// Fetches one playlist.
    RetrievePlaylist: "GET" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_READ => api::retrieve;
    /// Updates (or soft-deletes) a playlist; PostHog takes `PUT` too.
    UpdatePlaylist: "PATCH" | "PUT" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_WRITE => api::update;
    /// The hard delete PostHog refuses.
    DestroyPlaylist: "DELETE" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_WRITE => api::refuse_hard_delete;
    /// Lists a playlist's recordings.
    ListRecordings: "GET" "/api/projects/{project_id}/session_recording_playlists/{short_id}/recordings/", PLAYLIST_READ => api::recordings;
    /// Adds a recording to a collection.
    AddRecording: "POST" "/api/projects/{project_id}/session_recording_playlists/{short_id}/recordings/{session_recording_id}/", NO_SCOPE => api::add_recording;
}

impl Operation {
    /// The method PostHog routes to it (`PATCH` for an update; the fake
    /// takes `PUT` too, as PostHog does).
    pub fn method(self) -> &'static str {
        self.route().methods[0]
    }

    /// The path template under `/api/projects/`, where the client calls
    /// it (the fake also answers under `/api/environments/`).
    pub fn path(self) -> &'static str {
        self.route().path
    }

    fn route(self) -> &'static Route {
        ROUTES
            .iter()
            .find(|route| route.operation == self)
            .expect("every operation has a row: the table makes both")
    }
}

/// Where a request goes: its project, and the row whose path it names
/// (`None` for a known path asked with a method the row does not map,
/// which DRF answers 405 once the key has been checked).
pub(crate) struct Routed {
    pub(crate) project_id: String,
    pub(crate) route: Option<&'static Route>,
    /// The path's `{name}` segments.
    pub(crate) params: Vec<(&'static str, String)>,
}

impl Routed {
    /// The scope the request needs; an unmapped method has no action, so
    /// it declares none.
    pub(crate) fn scope(&self) -> Option<&'static str> {
        self.route.and_then(|route| route.scope)
    }
}

/// The route of `method` on `path`, if the path is one of the fake's.
pub(crate) fn find(method: &str, path: &str) -> Option<Routed> {
    let mut path_known = None;
    for route in ROUTES {
        let Some((project_id, params)) = matching(route.path, path) else {
            continue;
        };
        if route.methods.contains(&method) {
            return Some(Routed {
                project_id,
                route: Some(route),
                params,
            });
        }
        path_known.get_or_insert(Routed {
            project_id,
            route: None,
            params,
        });
    }
    path_known
}

/// The project id and captured segments when `path` fits `template`.
/// posthog/api/__init__.py registers these views under both
/// `/api/projects/` and `/api/environments/`; a captured segment is DRF's
/// default lookup, `[^/.]+`.
fn matching(template: &'static str, path: &str) -> Option<(String, Vec<(&'static str, String)>)> {
    let wanted: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    let given: Vec<&str> = path.trim_matches('/').split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut project_id = None;
    let mut params = Vec::new();
    for (index, (want, got)) in wanted.iter().zip(&given).enumerate() {
        if index == 1 {
            // The prefix: both routers serve every view.
            if !matches!(*got, "projects" | "environments") {
                return None;
            }
            continue;
        }
        match want
            .strip_prefix('{')
            .and_then(|name| name.strip_suffix('}'))
        {
            Some(_) if got.is_empty() || got.contains('.') => return None,
            Some("project_id") => project_id = Some((*got).to_owned()),
            Some(name) => params.push((name, (*got).to_owned())),
            None if want != got => return None,
            None => {}
        }
    }
    Some((project_id?, params))
}
