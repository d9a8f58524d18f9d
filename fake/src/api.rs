//! How the fake answers a request, in the order Django REST framework runs
//! a PostHog view: route, authenticate (401), check the API scope (403),
//! throttle (429), then the action itself. Each behaviour names the PostHog file
//! (and function or test) it comes from; paths are in github.com/PostHog/posthog.

use serde_json::{Map, Value, json};

use std::time::Duration;

use crate::fault;
use crate::http::{Reply, Request, Response, form_encode, parse_query};
use crate::list;
use crate::route::{self, routes};
use crate::state::{
    Kind, Playlist, SYNTHETIC, State, playlist_json, recording_json, synthetic_json,
};

// The scopes of the route table. posthog/permissions.py,
// `ScopeBasePermission._get_required_scopes`: an action among the viewset's
// read actions needs `<object>:read`, one among its write actions (`create`,
// `update`, `partial_update`, `patch`, `destroy`) `<object>:write`, and any
// other declares none.
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

// The route table: one row per operation, `Name: "METHOD" "path", scope => action;`
// (`route::routes!` makes `Endpoint` and the routing from it). A route is a row
// here and its action below.
routes! {
    /// Whether the caller may run asynchronous queries.
    CheckAuthForAsync: "POST" "/api/projects/{project_id}/query/check_auth_for_async/", NO_SCOPE => check_auth_for_async;
    /// Drafts HogQL from a prompt.
    DraftSql: "GET" "/api/projects/{project_id}/query/draft_sql/", NO_SCOPE => draft_sql;
    /// Upgrades a query's nodes.
    Upgrade: "POST" "/api/projects/{project_id}/query/upgrade/", NO_SCOPE => upgrade;
    /// Lists playlists, a page at a time.
    ListPlaylists: "GET" "/api/projects/{project_id}/session_recording_playlists/", PLAYLIST_READ => list;
    /// Creates a playlist.
    CreatePlaylist: "POST" "/api/projects/{project_id}/session_recording_playlists/", PLAYLIST_WRITE => create;
    /// Fetches one playlist.
    RetrievePlaylist: "GET" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_READ => retrieve;
    /// Updates (or soft-deletes) a playlist; PostHog takes `PUT` too.
    UpdatePlaylist: "PATCH" | "PUT" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_WRITE => update;
    /// The hard delete PostHog refuses.
    DestroyPlaylist: "DELETE" "/api/projects/{project_id}/session_recording_playlists/{short_id}/", PLAYLIST_WRITE => refuse_hard_delete;
    /// Lists a playlist's recordings.
    ListRecordings: "GET" "/api/projects/{project_id}/session_recording_playlists/{short_id}/recordings/", PLAYLIST_READ => recordings;
    /// Adds a recording to a collection.
    AddRecording: "POST" "/api/projects/{project_id}/session_recording_playlists/{short_id}/recordings/{session_recording_id}/", NO_SCOPE => add_recording;
    /// Removes a recording from a playlist.
    RemoveRecording: "DELETE" "/api/projects/{project_id}/session_recording_playlists/{short_id}/recordings/{session_recording_id}/", NO_SCOPE => remove_recording;
}

/// A request that reached its action, with the path's `{name}` segments.
pub(crate) struct Call<'a> {
    pub(crate) request: &'a Request,
    params: &'a [(&'static str, String)],
}

impl Call<'_> {
    /// The path segment the route's template names `{name}`.
    fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(param, _)| *param == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credential {
    PersonalApiKey,
    Session,
}

/// The reply to `request` and how long to hold it back. A fault armed for
/// its operation answers in the server's place, as the load balancer in
/// front of PostHog would: before authentication, and after the action
/// only when the fault says so.
pub(crate) fn reply(state: &mut State, request: &Request) -> (Reply, Option<Duration>) {
    state
        .log
        .push(format!("{} {}", request.method, request.target));
    let operation = route::find(&request.method, request.path())
        .and_then(|routed| routed.route)
        .map(|route| route.operation);
    match operation.and_then(|operation| fault::take(&mut state.faults, operation)) {
        Some(fault) => (
            fault.reply(|| handle(state, request)),
            fault.delay_before_reply(),
        ),
        None => (Reply::Answer(handle(state, request)), None),
    }
}

/// What PostHog answers to `request`.
fn handle(state: &mut State, request: &Request) -> Response {
    let Some(routed) = route::find(&request.method, request.path()) else {
        // Django's own 404 for a URL no router knows: a page, not JSON.
        return Response {
            status: 404,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<h1>Not Found</h1>".to_vec(),
        };
    };
    let credential = match authenticate(state, request) {
        Ok(credential) => credential,
        Err(response) => return response,
    };
    if let Err(response) = check_scope(state, credential, routed.scope()) {
        return response;
    }
    if let Some(response) = throttled(state) {
        return response;
    }
    // posthog/api/routing.py, `TeamAndOrgViewSetMixin.team`: an unknown project is a 404.
    if routed.project_id != state.project_id {
        return error(404, "invalid_request", "not_found", "Not found.", None);
    }
    let Some(route) = routed.route else {
        // A known path with a method its viewset does not map (DRF's `action` is None).
        return error(
            405,
            "invalid_request",
            "method_not_allowed",
            &format!("Method \"{}\" not allowed.", request.method),
            None,
        );
    };
    let call = Call {
        request,
        params: &routed.params,
    };
    (route.action)(state, &call)
}

fn authenticate(state: &State, request: &Request) -> Result<Credential, Response> {
    let token = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        // DRF's `IsAuthenticated` with no credentials: `NotAuthenticated`.
        None => Err(error(
            401,
            "authentication_error",
            "not_authenticated",
            "Authentication credentials were not provided.",
            None,
        )
        .with_header("www-authenticate", "Bearer")),
        Some(token) if token == state.session_token => Ok(Credential::Session),
        Some(token) if token == state.personal_api_key => Ok(Credential::PersonalApiKey),
        // posthog/auth.py, `PersonalAPIKeyAuthentication.validate_key`.
        Some(_) => Err(error(
            401,
            "authentication_error",
            "authentication_failed",
            "Personal API key found in request Authorization header is invalid.",
            None,
        )
        .with_header("www-authenticate", "Bearer")),
    }
}

fn check_scope(state: &State, credential: Credential, scope: Option<&str>) -> Result<(), Response> {
    // posthog/permissions.py, `APIScopePermission.has_permission`: sessions skip scope
    // checks, and so does a personal API key with no scopes ("Legacy Personal API keys
    // have no scopes and are allowed to do anything").
    if credential == Credential::Session || state.scopes.is_empty() {
        return Ok(());
    }
    let Some(required) = scope else {
        // Same function: no declared scope refuses every scoped key, whatever it holds (even `*`).
        return Err(forbidden(
            "This action does not support Personal API Key access",
        ));
    };
    let holds = |scope: &str| state.scopes.iter().any(|held| held == scope);
    // Same function: `*` grants all, and a `:write` scope grants its `:read`.
    let write = required.replace(":read", ":write");
    if holds("*") || holds(required) || holds(&write) {
        Ok(())
    } else {
        Err(forbidden(&format!(
            "API key missing required scope '{required}'"
        )))
    }
}

fn forbidden(detail: &str) -> Response {
    error(
        403,
        "authentication_error",
        "permission_denied",
        detail,
        None,
    )
}

/// DRF's `Throttled`, as PostHog's throttles raise it (posthog/rate_limit.py).
fn throttled(state: &mut State) -> Option<Response> {
    let throttle = state.throttle.as_mut().filter(|t| t.remaining > 0)?;
    throttle.remaining -= 1;
    Some(throttle_response(Some(
        &throttle.retry_after_secs.to_string(),
    )))
}

/// A 429 with DRF's throttle body and `Retry-After: retry_after`, if any
/// (DRF words the wait only when it is a number of seconds).
pub(crate) fn throttle_response(retry_after: Option<&str>) -> Response {
    let detail = match retry_after.and_then(|value| value.parse::<u64>().ok()) {
        Some(1) => "Request was throttled. Expected available in 1 second.".to_owned(),
        Some(wait) => format!("Request was throttled. Expected available in {wait} seconds."),
        None => "Request was throttled.".to_owned(),
    };
    let response = error(429, "throttled_error", "throttled", &detail, None);
    match retry_after {
        Some(value) => response.with_header("retry-after", value),
        None => response,
    }
}

/// A failure with PostHog's error body, as an unhandled exception (500) or
/// the load balancer (502, 503, 504) answers.
pub(crate) fn server_failure(status: u16) -> Response {
    error(
        status,
        "server_error",
        "error",
        &format!("The fake was told to answer {status}."),
        None,
    )
}

/// PostHog's error body (exceptions_hog): `type`, `code`, `detail`, `attr`.
fn error(status: u16, kind: &str, code: &str, detail: &str, attr: Option<&str>) -> Response {
    Response::json(
        status,
        &json!({"type": kind, "code": code, "detail": detail, "attr": attr}),
    )
}

/// A `ValidationError` about one field.
fn invalid_field(code: &str, detail: &str, attr: &str) -> Response {
    error(400, "validation_error", code, detail, Some(attr))
}

/// A `ValidationError` raised with a message only (`code: invalid_input`).
fn invalid_input(detail: &str) -> Response {
    error(400, "validation_error", "invalid_input", detail, None)
}

fn not_found() -> Response {
    error(404, "invalid_request", "not_found", "Not found.", None)
}

fn server_error() -> Response {
    error(
        500,
        "server_error",
        "error",
        "A server error occurred.",
        None,
    )
}

/// posthog/api/query.py, `check_auth_for_async`: always `{"user": "ok"}`.
pub(crate) fn check_auth_for_async(_: &mut State, _: &Call<'_>) -> Response {
    Response::json(200, &json!({"user": "ok"}))
}

pub(crate) fn draft_sql(_: &mut State, call: &Call<'_>) -> Response {
    let request = call.request;
    let query = request.query_pairs();
    let param = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    // posthog/api/query.py, `draft_sql`: `prompt` is required…
    let prompt = match param("prompt") {
        Some(prompt) if !prompt.is_empty() => prompt,
        _ => return invalid_field("required", "This field is required.", "prompt"),
    };
    // …and at most 400 characters.
    if prompt.chars().count() > 400 {
        return invalid_field("too_long", "This field is too long.", "prompt");
    }
    // The real server asks a model; the fake answers `{"sql": …}` the same shape.
    let base = param("current_query").unwrap_or("SELECT count() FROM events");
    Response::json(200, &json!({"sql": format!("{base} -- {prompt}")}))
}

pub(crate) fn upgrade(_: &mut State, call: &Call<'_>) -> Response {
    let request = call.request;
    // posthog/api/query.py, `upgrade`: answers `{"query": …}` (here unchanged).
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(mut body)) => match body.remove("query") {
            Some(query) => Response::json(200, &json!({ "query": query })),
            // `upgraded_query["query"]` raises KeyError: a 500.
            None => server_error(),
        },
        // `upgrade` hands a list or a scalar back as it came, and indexing it by
        // "query" raises `TypeError`: a 500.
        Ok(_) => server_error(),
        Err(parse) => parse_error(&parse),
    }
}

fn parse_error(error_: &serde_json::Error) -> Response {
    error(
        400,
        "invalid_request",
        "parse_error",
        &format!("JSON parse error - {error_}"),
        None,
    )
}

pub(crate) fn list(state: &mut State, call: &Call<'_>) -> Response {
    let request = call.request;
    let query = request.query_pairs();
    // `request.GET.dict()` and `request.GET[name]` take a parameter's last value.
    let param = |name: &str| {
        query
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    // session_recording_playlist_api.py, `list`: `parse_positive_int`, default 100,
    // capped at `PLAYLIST_LIST_MAX_LIMIT` (500); `parse_non_negative_int` for offset.
    let limit = param("limit")
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|&limit| limit > 0)
        .map_or(100, |limit| limit.min(500)) as usize;
    let offset = param("offset")
        .and_then(|text| text.trim().parse::<i64>().ok())
        .map_or(0, |offset| offset.max(0)) as usize;
    // `short_id` is not read: `list` never runs the filter backends.
    let Some(all) = list::playlists(state, &param) else {
        return server_error();
    };
    let count = all.len();
    let results: Vec<Value> = all.into_iter().skip(offset).take(limit).collect();
    // `_pagination_links`: DRF's `LimitOffsetPagination` over the merged count.
    let next = (offset + limit < count).then(|| {
        page_link(
            request,
            &[
                ("limit", limit.to_string()),
                ("offset", (offset + limit).to_string()),
            ],
            None,
        )
    });
    let previous = (offset > 0).then(|| {
        if offset <= limit {
            page_link(request, &[("limit", limit.to_string())], Some("offset"))
        } else {
            page_link(
                request,
                &[
                    ("limit", limit.to_string()),
                    ("offset", (offset - limit).to_string()),
                ],
                None,
            )
        }
    });
    Response::json(
        200,
        &json!({"count": count, "next": next, "previous": previous, "results": results}),
    )
}

/// The request's absolute URL (`request.build_absolute_uri()`) with `set`
/// replaced and `remove` removed, the query sorted by name as DRF's
/// `replace_query_param` and `remove_query_param` write it.
fn page_link(request: &Request, set: &[(&str, String)], remove: Option<&str>) -> String {
    let mut pairs = parse_query(request.raw_query());
    pairs.retain(|(name, _)| {
        Some(name.as_str()) != remove && !set.iter().any(|(key, _)| key == name)
    });
    pairs.extend(
        set.iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone())),
    );
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", form_encode(name), form_encode(value)))
        .collect();
    let host = request.header("host").unwrap_or("127.0.0.1");
    format!("http://{host}{}?{}", request.path(), query.join("&"))
}

/// The writable fields of a playlist body, validated as
/// `SessionRecordingPlaylistSerializer`'s fields do; absent ones are `None`.
#[derive(Debug, Default)]
struct Fields {
    kind: Option<Kind>,
    name: Option<Option<String>>,
    derived_name: Option<Option<String>>,
    description: Option<String>,
    pinned: Option<bool>,
    deleted: Option<bool>,
    filters: Option<Value>,
}

impl Fields {
    fn parse(body: &[u8]) -> Result<Self, Response> {
        let body = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(body)) => body,
            Ok(_) => {
                return Err(invalid_input(
                    "Invalid data. Expected a dictionary, but got a different type.",
                ));
            }
            Err(parse) => return Err(parse_error(&parse)),
        };
        // `_create_in_folder = serializers.CharField(required=False, allow_blank=True,
        // write_only=True)`, read on create and update alike; the fake keeps no file
        // system, so only its validation shows.
        char_field(&body, "_create_in_folder")?;
        Ok(Self {
            // The `type` ChoiceField (allow_null): a value outside the choices is refused.
            kind: match body.get("type") {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) if Kind::parse(text).is_some() => Kind::parse(text),
                Some(other) => {
                    let shown = other
                        .as_str()
                        .map_or_else(|| other.to_string(), str::to_owned);
                    return Err(invalid_field(
                        "invalid_choice",
                        &format!("\"{shown}\" is not a valid choice."),
                        "type",
                    ));
                }
            },
            // `name = serializers.CharField(max_length=400, allow_null=True, …)`.
            name: optional_text(&body, "name", true)?,
            // The model's `derived_name = CharField(max_length=400, null=True, blank=True)`.
            derived_name: optional_text(&body, "derived_name", true)?,
            // `description = serializers.CharField(required=False, allow_blank=True)`: no null.
            description: optional_text(&body, "description", false)?.map(Option::unwrap_or_default),
            pinned: boolean(&body, "pinned")?,
            deleted: boolean(&body, "deleted")?,
            // `filters = serializers.JSONField(required=False)`: any JSON but null.
            filters: match body.get("filters") {
                Some(Value::Null) => {
                    return Err(invalid_field(
                        "null",
                        "This field may not be null.",
                        "filters",
                    ));
                }
                other => other.cloned(),
            },
        })
    }
}

/// A string field: `None` when absent, `Some(None)` for an allowed null.
fn optional_text(
    body: &Map<String, Value>,
    name: &str,
    nullable: bool,
) -> Result<Option<Option<String>>, Response> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Null) if nullable => Ok(Some(None)),
        Some(Value::Null) => Err(invalid_field("null", "This field may not be null.", name)),
        Some(Value::String(text)) if text.chars().count() > 400 => Err(invalid_field(
            "max_length",
            "Ensure this field has no more than 400 characters.",
            name,
        )),
        Some(Value::String(text)) => Ok(Some(Some(text.clone()))),
        Some(_) => Err(invalid_field("invalid", "Not a valid string.", name)),
    }
}

/// Checks a field as DRF's `CharField` does: text, or a number it turns into
/// text; not null, a boolean, a list or an object.
fn char_field(body: &Map<String, Value>, name: &str) -> Result<(), Response> {
    match body.get(name) {
        None | Some(Value::String(_) | Value::Number(_)) => Ok(()),
        Some(Value::Null) => Err(invalid_field("null", "This field may not be null.", name)),
        Some(_) => Err(invalid_field("invalid", "Not a valid string.", name)),
    }
}

fn boolean(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, Response> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Bool(value)) => Ok(Some(*value)),
        Some(_) => Err(invalid_field("invalid", "Must be a valid boolean.", name)),
    }
}

/// Python's `len()` of a JSON value, as the serializer's checks take it;
/// `None` where `len()` raises (a number or boolean: a 500).
fn json_len(value: &Value) -> Option<usize> {
    match value {
        Value::Object(map) => Some(map.len()),
        Value::Array(items) => Some(items.len()),
        Value::String(text) => Some(text.chars().count()),
        Value::Null => Some(0),
        Value::Bool(_) | Value::Number(_) => None,
    }
}

pub(crate) fn create(state: &mut State, call: &Call<'_>) -> Response {
    let request = call.request;
    let fields = match Fields::parse(&request.body) {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(filters_len) = json_len(fields.filters.as_ref().unwrap_or(&Value::Null)) else {
        return server_error();
    };
    // session_recording_playlist_api.py, `SessionRecordingPlaylistSerializer.create`
    // (test_session_recording_playlist.py, `test_creates_playlist_without_type`).
    let Some(kind) = fields.kind else {
        return invalid_input("Must provide a valid playlist type: either filters or collection");
    };
    // Same function (`test_cannot_create_collection_with_filters`).
    if kind == Kind::Collection && filters_len > 0 {
        return invalid_input("You cannot create a collection with filters");
    }
    // Same function (`test_cannot_create_saved_filters_with_no_filters`).
    if kind == Kind::Filters && filters_len == 0 {
        return invalid_input("You must provide a valid filters when creating a saved filter");
    }
    let mut playlist = state.new_playlist(kind);
    apply(&mut playlist, fields);
    let body = playlist_json(&playlist);
    state.playlists.push(playlist);
    Response::json(201, &body)
}

fn apply(playlist: &mut Playlist, fields: Fields) {
    if let Some(name) = fields.name {
        playlist.name = name;
    }
    if let Some(derived_name) = fields.derived_name {
        playlist.derived_name = derived_name;
    }
    if let Some(description) = fields.description {
        playlist.description = description;
    }
    if let Some(pinned) = fields.pinned {
        playlist.pinned = pinned;
    }
    if let Some(deleted) = fields.deleted {
        playlist.deleted = deleted;
    }
    if let Some(filters) = fields.filters {
        playlist.filters = filters;
    }
}

/// posthog/api/forbid_destroy_model.py: 405 with no body, before any lookup.
pub(crate) fn refuse_hard_delete(_: &mut State, _: &Call<'_>) -> Response {
    Response::empty(405)
}

fn synthetic(short_id: &str) -> Option<&'static crate::state::Synthetic> {
    SYNTHETIC
        .iter()
        .find(|synthetic| synthetic.short_id == short_id)
}

pub(crate) fn retrieve(state: &mut State, call: &Call<'_>) -> Response {
    let short_id = call.param("short_id");
    // session_recording_playlist_api.py, `safely_get_object`: `synthetic-…` short ids resolve.
    if let Some(synthetic) = synthetic(short_id) {
        return Response::json(200, &synthetic_json(synthetic));
    }
    // `safely_get_queryset`: outside updates, soft-deleted playlists are not found.
    match state.live_playlist(short_id) {
        Some(playlist) => Response::json(200, &playlist_json(playlist)),
        None => not_found(),
    }
}

pub(crate) fn update(state: &mut State, call: &Call<'_>) -> Response {
    let (request, short_id) = (call.request, call.param("short_id"));
    // `SessionRecordingPlaylistSerializer.update` (test_synthetic_playlists.py,
    // `test_cannot_update_synthetic_playlist`).
    if synthetic(short_id).is_some() {
        return invalid_input("Cannot update synthetic playlists");
    }
    let now = state.tick();
    // `safely_get_queryset`: updates still find soft-deleted playlists (to restore them).
    let Some(playlist) = state.playlist_mut(short_id) else {
        return not_found();
    };
    // `fields.kind` is left unapplied: `type` cannot be changed after creation
    // (test_session_recording_playlist.py, `test_rejects_updates_to_readonly_playlist_properties`).
    let fields = match Fields::parse(&request.body) {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(filters_len) = json_len(fields.filters.as_ref().unwrap_or(&Value::Null)) else {
        return server_error();
    };
    // Same function (`test_cannot_update_collection_to_have_filters`; `{}` is
    // allowed: `test_does_not_count_empty_object_as_filters`).
    if playlist.kind == Kind::Collection && filters_len > 0 {
        return invalid_input("You cannot update a collection to add filters");
    }
    // Same function (`test_cannot_update_saved_filter_to_have_no_filters`): every
    // update of a saved filter, a soft delete included, must send its filters.
    if playlist.kind == Kind::Filters && filters_len == 0 {
        return invalid_input("You cannot remove all filters when updating a saved filter");
    }
    // `MATERIAL_PLAYLIST_FIELDS` (name, description, filters) move `last_modified_at`
    // (posthog/session_recordings/models/session_recording_playlist.py).
    if fields.name.is_some() || fields.description.is_some() || fields.filters.is_some() {
        playlist.last_modified_at = now;
    }
    apply(playlist, fields);
    Response::json(200, &playlist_json(playlist))
}

/// The page size of a recordings query that names none
/// (posthog/session_recordings/queries/session_recording_list_from_query.py,
/// `SessionRecordingListFromQuery.SESSION_RECORDINGS_DEFAULT_LIMIT`).
const RECORDINGS_DEFAULT_LIMIT: usize = 50;

pub(crate) fn recordings(state: &mut State, call: &Call<'_>) -> Response {
    let (request, short_id) = (call.request, call.param("short_id"));
    let query = request.query_pairs();
    let number = |name: &str, default: usize| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map_or(Some(default), |(_, value)| value.trim().parse().ok())
    };
    // session_recording_playlist_api.py, `recordings`: `int(request.GET.get("limit", 50))`,
    // offset 0; a value `int()` cannot read raises a 500.
    let (Some(limit), Some(offset)) = (number("limit", 50), number("offset", 0)) else {
        return server_error();
    };
    // The same function, in the version the November 2025 schema describes and later: a
    // collection (synthetic ones included) is queried as `RecordingsQuery(session_ids=…,
    // date_from="-1y")`, without the request's `limit` and `offset`, so it answers the
    // first page of `SessionRecordingListFromQuery.SESSION_RECORDINGS_DEFAULT_LIMIT` (50)
    // every time; a saved-filters playlist is queried with the request's parameters and
    // its items as `session_ids`.
    let (session_ids, limit, offset): (Vec<String>, usize, usize) = if synthetic(short_id).is_some()
    {
        // The fake keeps no watch history, comments, shares or exports.
        (Vec::new(), RECORDINGS_DEFAULT_LIMIT, 0)
    } else {
        // `get_object`: soft-deleted playlists are not found.
        let Some(playlist) = state.live_playlist(short_id) else {
            return not_found();
        };
        match playlist.kind {
            // Items newest added first (`order_by("-created_at")`), and the listing keeps
            // that order (session_recording_api.py, `list_recordings_from_query`). The
            // one-year bound never bites: the fake's recordings are all recent.
            Kind::Collection => (playlist.items.clone(), RECORDINGS_DEFAULT_LIMIT, 0),
            // Adding to a saved-filters playlist is refused, so it has no items, and
            // `session_id IN []` matches nothing (session_recording_list_from_query.py,
            // `_where_predicates`: "we want to allow empty lists").
            Kind::Filters => (playlist.items.clone(), limit, offset),
        }
    };
    // `list_recordings_from_query` only finds recordings with data
    // (test_session_recording_playlist.py, `test_get_pinned_recordings_for_playlist`).
    let with_data: Vec<Value> = session_ids
        .iter()
        .filter_map(|session_id| state.recording(session_id))
        .map(recording_json)
        .collect();
    let has_next = with_data.len() > offset + limit;
    let results: Vec<Value> = with_data.into_iter().skip(offset).take(limit).collect();
    // session_recording_api.py, `list_recordings_response`.
    Response::json(
        200,
        &json!({"results": results, "has_next": has_next, "version": 4}),
    )
}

/// The playlist whose items `modify_recordings` adds or removes, as its
/// `get_object` finds it: a soft-deleted or unknown one is a 404, and a
/// synthetic one an unsaved row whose items cannot be written or looked
/// up, a 500.
fn items_of<'a>(state: &'a mut State, short_id: &str) -> Result<&'a mut Playlist, Response> {
    if synthetic(short_id).is_some() {
        return Err(server_error());
    }
    state.live_playlist_mut(short_id).ok_or_else(not_found)
}

pub(crate) fn add_recording(state: &mut State, call: &Call<'_>) -> Response {
    let short_id = call.param("short_id");
    let recording = call.param("session_recording_id");
    let playlist = match items_of(state, short_id) {
        Ok(playlist) => playlist,
        Err(response) => return response,
    };
    // `modify_recordings` (test_session_recording_playlist.py, `test_cannot_pin_items_to_filters_type_playlist`).
    if playlist.kind == Kind::Filters {
        return invalid_input("Cannot add recordings to a playlist that is type 'filters'.");
    }
    // `get_or_create`: adding twice keeps one item; the newest comes first.
    if !playlist.items.iter().any(|item| item == recording) {
        playlist.items.insert(0, recording.to_owned());
    }
    Response::json(200, &json!({"success": true}))
}

pub(crate) fn remove_recording(state: &mut State, call: &Call<'_>) -> Response {
    let short_id = call.param("short_id");
    let recording = call.param("session_recording_id");
    let playlist = match items_of(state, short_id) {
        Ok(playlist) => playlist,
        Err(response) => return response,
    };
    // `modify_recordings`, DELETE: `SessionRecordingPlaylistItem.objects.get(playlist=…,
    // recording=…)` whatever the playlist's kind; no such item raises `DoesNotExist`,
    // which exceptions_hog answers as any unhandled exception, 500.
    let Some(index) = playlist.items.iter().position(|item| item == recording) else {
        return server_error();
    };
    // `playlist_item.delete()` (test_session_recording_playlist.py,
    // `test_add_remove_static_playlist_items`).
    playlist.items.remove(index);
    Response::json(200, &json!({"success": true}))
}
