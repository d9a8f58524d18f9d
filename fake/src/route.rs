//! How the route table is read. The table itself is in [`api`](crate::api),
//! beside the actions it names: for every operation the fake serves, the
//! methods and path PostHog's routers map to it, the API key scope it needs
//! and the action that answers it. [`Endpoint`] (and so what a fault can be
//! armed for), the scope check and the routing all come from it, so a route
//! is one row there and its action.

use crate::api::{Call, Endpoint, ROUTES};
use crate::http::Response;
use crate::state::State;

/// One row of the table.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) operation: Endpoint,
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

/// Makes [`Endpoint`], `Endpoint::ALL` and `ROUTES` from the table's rows:
/// `Name: "METHOD" | … "path", scope => action;`, each with its docs.
macro_rules! routes {
    ($(
        $(#[$doc:meta])*
        $operation:ident: $($method:literal)|+ $path:literal, $scope:expr => $action:path;
    )*) => {
        /// The operations the fake serves, as PostHog's router maps them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Endpoint {
            $(
                $(#[$doc])*
                #[doc = concat!("\n\n", $("`", $method, "` ",)+ "`", $path, "`")]
                $operation,
            )*
        }

        impl Endpoint {
            /// Every operation, in the order PostHog's docs page lists them
            /// (operations it does not list come last).
            pub const ALL: [Endpoint; [$(stringify!($operation)),*].len()] =
                [$(Self::$operation),*];
        }

        /// The table, one row per operation, in [`Endpoint::ALL`]'s order.
        pub(crate) const ROUTES: &[crate::route::Route] = &[$(
            crate::route::Route {
                operation: Endpoint::$operation,
                methods: &[$($method),+],
                path: $path,
                scope: $scope,
                action: $action,
            },
        )*];
    };
}
pub(crate) use routes;

impl Endpoint {
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
