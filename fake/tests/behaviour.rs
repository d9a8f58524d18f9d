//! Each rule the fake enforces, over raw HTTP: remove a rule from
//! `src/api.rs` and a test here fails. The expected bodies are PostHog's,
//! as its own tests and code state them (named beside each test).

use std::time::Duration;

use posthog_fake::FakePostHog;
use reqwest::Method;
use serde_json::{Value, json};

/// A status, the response headers we look at, and the body.
struct Answer {
    status: u16,
    content_type: Option<String>,
    retry_after: Option<String>,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// PostHog's error body: (type, code, detail, attr).
    fn error(&self) -> (String, String, String, Value) {
        let body = self.json();
        (
            body["type"].as_str().unwrap().into(),
            body["code"].as_str().unwrap().into(),
            body["detail"].as_str().unwrap().into(),
            body["attr"].clone(),
        )
    }
}

enum Key<'a> {
    Personal,
    Session,
    Other(&'a str),
    Nothing,
}

async fn call(
    fake: &FakePostHog,
    method: Method,
    rest: &str,
    key: Key<'_>,
    body: Option<Value>,
) -> Answer {
    let url = format!(
        "{}/api/environments/{}/{rest}",
        fake.url(),
        fake.project_id()
    );
    call_url(fake, method, &url, key, body).await
}

async fn call_url(
    fake: &FakePostHog,
    method: Method,
    url: &str,
    key: Key<'_>,
    body: Option<Value>,
) -> Answer {
    let mut request = reqwest::Client::new().request(method, url);
    let token = match key {
        Key::Personal => Some(fake.personal_api_key().to_owned()),
        Key::Session => Some(fake.session_token().to_owned()),
        Key::Other(token) => Some(token.to_owned()),
        Key::Nothing => None,
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    Answer {
        status: response.status().as_u16(),
        content_type: header("content-type"),
        retry_after: header("retry-after"),
        text: response.text().await.unwrap(),
    }
}

async fn create(fake: &FakePostHog, body: Value) -> Answer {
    call(
        fake,
        Method::POST,
        "session_recording_playlists/",
        Key::Personal,
        Some(body),
    )
    .await
}

/// Creates a playlist that must succeed; returns its short id.
async fn created(fake: &FakePostHog, body: Value) -> String {
    let answer = create(fake, body).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.json()["short_id"].as_str().unwrap().into()
}

async fn collection(fake: &FakePostHog, name: &str) -> String {
    created(fake, json!({"type": "collection", "name": name})).await
}

async fn saved_filters(fake: &FakePostHog) -> String {
    created(
        fake,
        json!({"type": "filters", "filters": {"events": [{"id": "$pageview"}]}}),
    )
    .await
}

async fn patch(fake: &FakePostHog, short_id: &str, body: Value) -> Answer {
    let rest = format!("session_recording_playlists/{short_id}/");
    call(fake, Method::PATCH, &rest, Key::Personal, Some(body)).await
}

async fn get(fake: &FakePostHog, rest: &str) -> Answer {
    call(fake, Method::GET, rest, Key::Personal, None).await
}

fn invalid_input(answer: &Answer, detail: &str) {
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(
        answer.error(),
        (
            "validation_error".into(),
            "invalid_input".into(),
            detail.into(),
            Value::Null
        )
    );
}

// --- authentication, scopes, throttling (posthog/auth.py, posthog/permissions.py)

#[tokio::test]
async fn no_credentials_is_401_not_authenticated() {
    let fake = FakePostHog::start().unwrap();
    let answer = get(&fake, "session_recording_playlists/").await;
    assert_eq!(answer.status, 200, "the personal key works");
    let answer = call(
        &fake,
        Method::GET,
        "session_recording_playlists/",
        Key::Nothing,
        None,
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error().1, "not_authenticated");
}

#[tokio::test]
async fn a_wrong_key_is_401_authentication_failed() {
    let fake = FakePostHog::start().unwrap();
    let answer = call(
        &fake,
        Method::GET,
        "session_recording_playlists/",
        Key::Other("phx_wrong"),
        None,
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.error(),
        (
            "authentication_error".into(),
            "authentication_failed".into(),
            "Personal API key found in request Authorization header is invalid.".into(),
            Value::Null
        )
    );
}

/// The calls whose actions declare no API scope, on collection `short_id`.
fn actions_without_a_scope(short_id: &str) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::POST, "query/check_auth_for_async/".to_owned(), None),
        (Method::GET, "query/draft_sql/?prompt=x".to_owned(), None),
        (
            Method::POST,
            "query/upgrade/".to_owned(),
            Some(json!({"query": {"kind": "EventsNode"}})),
        ),
        (
            Method::POST,
            format!("session_recording_playlists/{short_id}/recordings/r1/"),
            None,
        ),
        // After the add, so there is an item to remove.
        (
            Method::DELETE,
            format!("session_recording_playlists/{short_id}/recordings/r1/"),
            None,
        ),
    ]
}

#[tokio::test]
async fn actions_without_a_scope_refuse_scoped_personal_keys_whatever_they_hold() {
    let fake = FakePostHog::builder().scopes(&["*"]).start().unwrap();
    let short_id = collection(&fake, "x").await;
    for (method, rest, body) in actions_without_a_scope(&short_id) {
        let answer = call(&fake, method.clone(), &rest, Key::Personal, body.clone()).await;
        assert_eq!(answer.status, 403, "{rest}: {}", answer.text);
        assert_eq!(
            answer.error(),
            (
                "authentication_error".into(),
                "permission_denied".into(),
                "This action does not support Personal API Key access".into(),
                Value::Null
            ),
            "{rest}"
        );
        let answer = call(&fake, method, &rest, Key::Session, body).await;
        assert_eq!(answer.status, 200, "a session may: {rest}: {}", answer.text);
    }
}

#[tokio::test]
async fn a_legacy_key_without_scopes_may_call_what_scoped_keys_may_not() {
    // posthog/permissions.py, `APIScopePermission.has_permission`: "Legacy Personal
    // API keys have no scopes and are allowed to do anything".
    let legacy = FakePostHog::builder().scopes(&[]).start().unwrap();
    let scoped = FakePostHog::builder().scopes(&["*"]).start().unwrap();
    for fake in [&legacy, &scoped] {
        let short_id = collection(fake, "x").await;
        for (method, rest, body) in actions_without_a_scope(&short_id) {
            let answer = call(fake, method, &rest, Key::Personal, body).await;
            let expected = if std::ptr::eq(fake, &legacy) {
                200
            } else {
                403
            };
            assert_eq!(answer.status, expected, "{rest}: {}", answer.text);
        }
    }
    // It passes the scoped actions too, writes included.
    assert_eq!(
        get(&legacy, "session_recording_playlists/").await.status,
        200
    );
    assert_eq!(
        create(&legacy, json!({"type": "collection"})).await.status,
        201
    );
}

#[tokio::test]
async fn a_missing_scope_is_403_naming_it_and_write_implies_read() {
    let fake = FakePostHog::builder()
        .scopes(&["session_recording_playlist:read"])
        .start()
        .unwrap();
    assert_eq!(get(&fake, "session_recording_playlists/").await.status, 200);
    let answer = create(&fake, json!({"type": "collection"})).await;
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.error().2,
        "API key missing required scope 'session_recording_playlist:write'"
    );
    // Sessions skip scope checks.
    let answer = call(
        &fake,
        Method::POST,
        "session_recording_playlists/",
        Key::Session,
        Some(json!({"type": "collection"})),
    )
    .await;
    assert_eq!(answer.status, 201);

    let fake = FakePostHog::builder()
        .scopes(&["session_recording_playlist:write"])
        .start()
        .unwrap();
    assert_eq!(
        get(&fake, "session_recording_playlists/").await.status,
        200,
        ":write grants :read"
    );
    let fake = FakePostHog::builder()
        .scopes(&["query:read"])
        .start()
        .unwrap();
    let answer = get(&fake, "session_recording_playlists/").await;
    assert_eq!(
        answer.error().2,
        "API key missing required scope 'session_recording_playlist:read'"
    );
}

#[tokio::test]
async fn throttled_requests_answer_429_with_retry_after_then_recover() {
    let fake = FakePostHog::start().unwrap();
    fake.throttle_next(2, 12);
    for _ in 0..2 {
        let answer = get(&fake, "session_recording_playlists/").await;
        assert_eq!(answer.status, 429);
        assert_eq!(answer.retry_after.as_deref(), Some("12"));
        assert_eq!(
            answer.error(),
            (
                "throttled_error".into(),
                "throttled".into(),
                "Request was throttled. Expected available in 12 seconds.".into(),
                Value::Null
            )
        );
    }
    assert_eq!(get(&fake, "session_recording_playlists/").await.status, 200);
    // Authentication comes first: a wrong key is still 401 while throttled.
    fake.throttle_next(1, 1);
    let answer = call(
        &fake,
        Method::GET,
        "session_recording_playlists/",
        Key::Other("x"),
        None,
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        get(&fake, "session_recording_playlists/").await.error().2,
        "Request was throttled. Expected available in 1 second."
    );
}

#[tokio::test]
async fn an_unknown_project_or_path_is_404() {
    let fake = FakePostHog::start().unwrap();
    let url = format!(
        "{}/api/environments/999/session_recording_playlists/",
        fake.url()
    );
    let answer = call_url(&fake, Method::GET, &url, Key::Personal, None).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error().1, "not_found");
    let answer = call_url(
        &fake,
        Method::GET,
        &format!("{}/api/nothing/", fake.url()),
        Key::Personal,
        None,
    )
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.content_type.as_deref(), Some("text/html"));
    // The same views answer under /api/projects/ too.
    let url = format!(
        "{}/api/projects/4242/session_recording_playlists/",
        fake.url()
    );
    assert_eq!(
        call_url(&fake, Method::GET, &url, Key::Personal, None)
            .await
            .status,
        200
    );
}

// --- posthog/api/query.py

#[tokio::test]
async fn check_auth_for_async_answers_user_ok() {
    let fake = FakePostHog::start().unwrap();
    let answer = call(
        &fake,
        Method::POST,
        "query/check_auth_for_async/",
        Key::Session,
        None,
    )
    .await;
    assert_eq!((answer.status, answer.json()), (200, json!({"user": "ok"})));
}

#[tokio::test]
async fn draft_sql_needs_a_prompt_of_at_most_400_characters() {
    let fake = FakePostHog::start().unwrap();
    let draft = |query: String| {
        let fake = &fake;
        async move {
            call(
                fake,
                Method::GET,
                &format!("query/draft_sql/{query}"),
                Key::Session,
                None,
            )
            .await
        }
    };
    let answer = draft(String::new()).await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.error(),
        (
            "validation_error".into(),
            "required".into(),
            "This field is required.".into(),
            json!("prompt")
        )
    );
    let answer = draft(format!("?prompt={}", "x".repeat(401))).await;
    assert_eq!(answer.error().1, "too_long");
    assert_eq!(answer.error().3, json!("prompt"));
    let answer = draft(format!(
        "?prompt={}&current_query=SELECT+1",
        "count+%26+sum"
    ))
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), json!({"sql": "SELECT 1 -- count & sum"}));
}

#[tokio::test]
async fn upgrade_answers_the_query_and_500s_without_one() {
    let fake = FakePostHog::start().unwrap();
    let query = json!({"kind": "EventsNode", "event": "$pageview"});
    let answer = call(
        &fake,
        Method::POST,
        "query/upgrade/",
        Key::Session,
        Some(json!({"query": query})),
    )
    .await;
    assert_eq!(
        (answer.status, answer.json()),
        (200, json!({"query": query}))
    );
    let answer = call(
        &fake,
        Method::POST,
        "query/upgrade/",
        Key::Session,
        Some(json!({})),
    )
    .await;
    assert_eq!(answer.status, 500);
    // Not an object at all: `upgrade` hands it back, and indexing it raises `TypeError`.
    let answer = call(
        &fake,
        Method::POST,
        "query/upgrade/",
        Key::Session,
        Some(json!([query])),
    )
    .await;
    assert_eq!(answer.status, 500, "{}", answer.text);
}

// --- session_recording_playlist_api.py: create (test_session_recording_playlist.py)

#[tokio::test]
async fn create_needs_a_type() {
    // `test_creates_playlist_without_type`
    let fake = FakePostHog::start().unwrap();
    for body in [
        json!({"name": "test"}),
        json!({"name": "test", "type": null}),
    ] {
        invalid_input(
            &create(&fake, body).await,
            "Must provide a valid playlist type: either filters or collection",
        );
    }
    let answer = create(&fake, json!({"name": "test", "type": "tomato"})).await;
    assert_eq!(
        answer.error(),
        (
            "validation_error".into(),
            "invalid_choice".into(),
            "\"tomato\" is not a valid choice.".into(),
            json!("type")
        )
    );
}

#[tokio::test]
async fn a_collection_cannot_be_created_with_filters() {
    // `test_cannot_create_collection_with_filters`
    let fake = FakePostHog::start().unwrap();
    let answer = create(
        &fake,
        json!({"type": "collection", "filters": {"events": [{"id": "test"}]}}),
    )
    .await;
    invalid_input(&answer, "You cannot create a collection with filters");
    let answer = create(&fake, json!({"type": "collection", "filters": {}})).await;
    assert_eq!(answer.status, 201, "empty filters are no filters");
}

#[tokio::test]
async fn saved_filters_cannot_be_created_without_filters() {
    // `test_cannot_create_saved_filters_with_no_filters`
    let fake = FakePostHog::start().unwrap();
    for body in [
        json!({"type": "filters"}),
        json!({"type": "filters", "filters": {}}),
    ] {
        invalid_input(
            &create(&fake, body).await,
            "You must provide a valid filters when creating a saved filter",
        );
    }
    let answer = create(&fake, json!({"type": "filters", "filters": null})).await;
    assert_eq!(
        answer.error(),
        (
            "validation_error".into(),
            "null".into(),
            "This field may not be null.".into(),
            json!("filters")
        )
    );
}

#[tokio::test]
async fn create_validates_the_fields_and_answers_the_serializer_shape() {
    let fake = FakePostHog::start().unwrap();
    let answer = create(
        &fake,
        json!({"type": "collection", "name": "x".repeat(401)}),
    )
    .await;
    assert_eq!(
        answer.error(),
        (
            "validation_error".into(),
            "max_length".into(),
            "Ensure this field has no more than 400 characters.".into(),
            json!("name")
        )
    );
    let answer = create(&fake, json!({"type": "collection", "description": null})).await;
    assert_eq!(answer.error().3, json!("description"));
    let answer = create(&fake, json!({"type": "collection", "pinned": "yes"})).await;
    assert_eq!(answer.error().3, json!("pinned"));

    let answer = create(
        &fake,
        json!({"type": "collection", "name": "n", "_create_in_folder": "Unfiled"}),
    )
    .await;
    assert_eq!(answer.status, 201);
    let body = answer.json();
    // The serializer's fields, sorted: JSON gives key order no meaning, and
    // serde_json keeps it only under a feature (`preserve_order`) that
    // neither the fake nor its users need.
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut fields = [
        "id",
        "short_id",
        "name",
        "derived_name",
        "description",
        "pinned",
        "created_at",
        "created_by",
        "deleted",
        "filters",
        "last_modified_at",
        "last_modified_by",
        "recordings_counts",
        "type",
        "is_synthetic",
    ];
    fields.sort_unstable();
    assert_eq!(keys, fields, "`_create_in_folder` is write-only");
    assert_eq!(body["description"], "");
    assert_eq!(body["is_synthetic"], false);
    assert_eq!(
        body["recordings_counts"]["collection"],
        json!({"count": null, "watched_count": 0})
    );
}

// --- retrieve, update, destroy

#[tokio::test]
async fn create_in_folder_is_text_on_create_and_on_the_update_that_restores() {
    // `SessionRecordingPlaylistSerializer._create_in_folder`: a `CharField`, read on
    // create and update alike (PostHog's undo restores into a folder this way).
    let fake = FakePostHog::start().unwrap();
    let short_id = created(
        &fake,
        json!({"type": "collection", "_create_in_folder": "Unfiled/Replay"}),
    )
    .await;
    assert_eq!(
        patch(&fake, &short_id, json!({"deleted": true}))
            .await
            .status,
        200
    );
    let restored = patch(
        &fake,
        &short_id,
        json!({"deleted": false, "_create_in_folder": "Team/Checkout"}),
    )
    .await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert!(
        restored.json().get("_create_in_folder").is_none(),
        "write-only"
    );
    for (value, code, detail) in [
        (Value::Null, "null", "This field may not be null."),
        (json!(true), "invalid", "Not a valid string."),
        (json!(["a"]), "invalid", "Not a valid string."),
    ] {
        let body = json!({"type": "collection", "_create_in_folder": value});
        for answer in [
            create(&fake, body.clone()).await,
            patch(&fake, &short_id, body).await,
        ] {
            assert_eq!(answer.status, 400, "{}", answer.text);
            assert_eq!(
                answer.error(),
                (
                    "validation_error".into(),
                    code.into(),
                    detail.into(),
                    json!("_create_in_folder")
                )
            );
        }
    }
}

#[tokio::test]
async fn soft_deleted_playlists_are_404_to_retrieve_but_found_by_updates() {
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    let rest = format!("session_recording_playlists/{short_id}/");
    assert_eq!(get(&fake, &rest).await.status, 200);
    assert_eq!(
        patch(&fake, &short_id, json!({"deleted": true}))
            .await
            .status,
        200
    );
    let answer = get(&fake, &rest).await;
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.error(),
        (
            "invalid_request".into(),
            "not_found".into(),
            "Not found.".into(),
            Value::Null
        )
    );
    // "Soft-deleted insights can be brought back with a PATCH request".
    let restored = patch(&fake, &short_id, json!({"deleted": false})).await;
    assert_eq!(restored.json()["deleted"], false);
    assert_eq!(get(&fake, &rest).await.status, 200);
}

#[tokio::test]
async fn updating_saved_filters_must_resend_non_empty_filters() {
    // `test_cannot_update_saved_filter_to_have_no_filters`
    let fake = FakePostHog::start().unwrap();
    let short_id = saved_filters(&fake).await;
    let message = "You cannot remove all filters when updating a saved filter";
    invalid_input(
        &patch(&fake, &short_id, json!({"deleted": true})).await,
        message,
    );
    invalid_input(
        &patch(&fake, &short_id, json!({"name": "x", "filters": {}})).await,
        message,
    );
    let answer = patch(
        &fake,
        &short_id,
        json!({"deleted": true, "filters": {"events": [{"id": "$pageview"}]}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["deleted"], true);
}

#[tokio::test]
async fn a_collection_cannot_be_given_filters() {
    // `test_cannot_update_collection_to_have_filters`, `test_does_not_count_empty_object_as_filters`
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    invalid_input(
        &patch(
            &fake,
            &short_id,
            json!({"filters": {"events": [{"id": "test"}]}}),
        )
        .await,
        "You cannot update a collection to add filters",
    );
    assert_eq!(
        patch(&fake, &short_id, json!({"filters": {}, "deleted": true}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn type_is_ignored_on_update() {
    // `test_rejects_updates_to_readonly_playlist_properties`
    let fake = FakePostHog::start().unwrap();
    let short_id = saved_filters(&fake).await;
    let answer = patch(
        &fake,
        &short_id,
        json!({"type": "collection", "name": "renamed", "filters": {"date_from": "-3d"}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["type"], "filters");
    assert_eq!(answer.json()["name"], "renamed");
}

#[tokio::test]
async fn synthetic_playlists_can_be_retrieved_but_not_updated() {
    // test_synthetic_playlists.py, `test_cannot_update_synthetic_playlist`
    let fake = FakePostHog::start().unwrap();
    let answer = get(
        &fake,
        "session_recording_playlists/synthetic-watch-history/",
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["id"], -1);
    assert_eq!(answer.json()["is_synthetic"], true);
    assert_eq!(answer.json()["created_by"], Value::Null);
    invalid_input(
        &patch(
            &fake,
            "synthetic-watch-history",
            json!({"name": "Modified name"}),
        )
        .await,
        "Cannot update synthetic playlists",
    );
}

#[tokio::test]
async fn a_synthetic_playlist_sends_every_field_null_where_posthog_builds_none() {
    // session_recording_playlist_api.py, `create_synthetic_playlist_instance`:
    // an unsaved row with no creator and no timestamps, serialized like any other.
    let fake = FakePostHog::start().unwrap();
    let saved = collection(&fake, "x").await;
    let saved = get(&fake, &format!("session_recording_playlists/{saved}/"))
        .await
        .json();
    let synthetic = get(&fake, "session_recording_playlists/synthetic-commented/")
        .await
        .json();
    // Sorted: key order is serde_json's build-wide `preserve_order`
    // feature's to decide, not the fake's.
    let keys = |playlist: &Value| -> Vec<String> {
        let mut keys: Vec<String> = playlist.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&synthetic), keys(&saved), "the same fields");
    let nulls: Vec<String> = keys(&synthetic)
        .into_iter()
        .filter(|key| synthetic[key].is_null())
        .collect();
    assert_eq!(
        nulls,
        [
            "created_at",
            "created_by",
            "derived_name",
            "last_modified_at",
            "last_modified_by"
        ]
    );
    assert_eq!(
        (
            &synthetic["filters"],
            &synthetic["pinned"],
            &synthetic["type"]
        ),
        (&json!({}), &json!(false), &json!("collection"))
    );
}

#[tokio::test]
async fn hard_delete_is_an_empty_405_without_a_lookup() {
    // posthog/api/forbid_destroy_model.py; test_synthetic_playlists.py, `test_cannot_delete_synthetic_playlist`
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    for target in [
        short_id.as_str(),
        "no-such-playlist",
        "synthetic-watch-history",
    ] {
        let rest = format!("session_recording_playlists/{target}/");
        let answer = call(&fake, Method::DELETE, &rest, Key::Personal, None).await;
        assert_eq!(answer.status, 405, "{target}");
        assert_eq!(answer.text, "", "{target}");
        assert_eq!(answer.content_type, None);
    }
    assert_eq!(
        get(&fake, &format!("session_recording_playlists/{short_id}/"))
            .await
            .status,
        200
    );
    // The scope is still checked first.
    let fake = FakePostHog::builder()
        .scopes(&["session_recording_playlist:read"])
        .start()
        .unwrap();
    let answer = call(
        &fake,
        Method::DELETE,
        "session_recording_playlists/x/",
        Key::Personal,
        None,
    )
    .await;
    assert_eq!(answer.status, 403);
}

// --- list

#[tokio::test]
async fn the_list_ranks_seven_synthetic_playlists_first_and_counts_them() {
    let fake = FakePostHog::start().unwrap();
    let first = collection(&fake, "first").await;
    let second = collection(&fake, "second").await;
    let page = get(&fake, "session_recording_playlists/").await.json();
    assert_eq!(page["count"], 9);
    let short_ids: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        &short_ids[..7],
        [
            "synthetic-watch-history",
            "synthetic-commented",
            "synthetic-shared",
            "synthetic-exported",
            "synthetic-expiring",
            "synthetic-frustrated",
            "synthetic-summarised"
        ]
    );
    assert_eq!(
        &short_ids[7..],
        [second.as_str(), first.as_str()],
        "newest change first"
    );
    // A material change moves a playlist to the front…
    assert_eq!(
        patch(&fake, &first, json!({"name": "renamed"}))
            .await
            .status,
        200
    );
    let page = get(&fake, "session_recording_playlists/").await.json();
    assert_eq!(page["results"][7]["short_id"], first.as_str());
    // …a soft delete takes it out.
    assert_eq!(
        patch(&fake, &first, json!({"deleted": true})).await.status,
        200
    );
    let page = get(&fake, "session_recording_playlists/").await.json();
    assert_eq!(page["count"], 8);
    assert!(
        page["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["short_id"] != first.as_str())
    );
}

// --- the list's filters: session_recording_playlist_api.py, `_filter_request` (saved
// playlists), `_filter_synthetic_playlists` (built-in ones), `resolve_playlist_order`

/// The seven synthetic playlists, in registry order.
const SYNTHETICS: [&str; 7] = [
    "synthetic-watch-history",
    "synthetic-commented",
    "synthetic-shared",
    "synthetic-exported",
    "synthetic-expiring",
    "synthetic-frustrated",
    "synthetic-summarised",
];

/// The short ids the list holds for `query` (one page of up to 500).
async fn listed_ids(fake: &FakePostHog, query: &str) -> Vec<String> {
    let answer = get(
        fake,
        &format!("session_recording_playlists/?limit=500&{query}"),
    )
    .await;
    assert_eq!(answer.status, 200, "{query}: {}", answer.text);
    let page = answer.json();
    let ids: Vec<String> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|playlist| playlist["short_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(page["count"], ids.len(), "{query}: `count` is what matched");
    ids
}

fn saved(ids: &[String]) -> Vec<&str> {
    ids.iter()
        .map(String::as_str)
        .filter(|id| !id.starts_with("synthetic-"))
        .collect()
}

fn synthetic(ids: &[String]) -> Vec<&str> {
    ids.iter()
        .map(String::as_str)
        .filter(|id| id.starts_with("synthetic-"))
        .collect()
}

#[tokio::test]
async fn search_matches_name_or_derived_name_ignoring_case() {
    let fake = FakePostHog::start().unwrap();
    let named = collection(&fake, "Checkout funnel").await;
    let derived = created(
        &fake,
        json!({"type": "collection", "derived_name": "checkout drop-offs"}),
    )
    .await;
    let nameless = created(&fake, json!({"type": "collection"})).await;
    let ids = listed_ids(&fake, "search=CHECKOUT").await;
    assert_eq!(saved(&ids), [derived.as_str(), named.as_str()]);
    // Synthetic playlists match on name or description: "Recordings you have watched".
    assert_eq!(synthetic(&ids), Vec::<&str>::new());
    let ids = listed_ids(&fake, "search=watched").await;
    assert_eq!(synthetic(&ids), ["synthetic-watch-history"]);
    // An empty search keeps every synthetic playlist, but `icontains` never matches a
    // playlist with no name and no derived name.
    let ids = listed_ids(&fake, "search=").await;
    assert_eq!(synthetic(&ids), SYNTHETICS);
    assert!(!saved(&ids).contains(&nameless.as_str()), "{ids:?}");
    assert_eq!(saved(&ids).len(), 2);
}

#[tokio::test]
async fn order_sorts_by_name_or_a_timestamp_and_places_the_synthetic_playlists() {
    let fake = FakePostHog::start().unwrap();
    let zebra = collection(&fake, "zebra").await;
    let apple = collection(&fake, "Apple").await;
    let nameless = created(&fake, json!({"type": "collection"})).await;
    // Descending timestamps: synthetic playlists (no timestamp) first; the default.
    for query in ["", "order=-last_modified_at", "order=bogus", "order="] {
        let ids = listed_ids(&fake, query).await;
        assert_eq!(ids[..7], SYNTHETICS, "{query}");
        assert_eq!(saved(&ids), [&nameless, &apple, &zebra], "{query}");
    }
    // Ascending: synthetic playlists last.
    let ids = listed_ids(&fake, "order=created_at").await;
    assert_eq!(saved(&ids), [&zebra, &apple, &nameless]);
    assert_eq!(ids[3..], SYNTHETICS);
    // A material change moves `last_modified_at`, not `created_at`.
    assert_eq!(
        patch(&fake, &zebra, json!({"name": "zebra!"})).await.status,
        200
    );
    let ids = listed_ids(&fake, "order=last_modified_at").await;
    assert_eq!(saved(&ids), [&apple, &nameless, &zebra]);
    let ids = listed_ids(&fake, "order=-created_at").await;
    assert_eq!(saved(&ids), [&nameless, &apple, &zebra]);
    // By name, ignoring case: the nameless one ("") first, synthetic playlists among the rest.
    let ids = listed_ids(&fake, "order=name").await;
    assert_eq!(
        ids,
        [
            nameless.as_str(),
            apple.as_str(),
            "synthetic-expiring",
            "synthetic-exported",
            "synthetic-frustrated",
            "synthetic-commented",
            "synthetic-shared",
            "synthetic-summarised",
            "synthetic-watch-history",
            zebra.as_str(),
        ]
    );
    let mut reversed = ids.clone();
    reversed.reverse();
    assert_eq!(listed_ids(&fake, "order=-name").await, reversed);
}

#[tokio::test]
async fn a_synthetic_playlist_comes_before_a_saved_one_of_the_same_name() {
    // `_synthetic_global_ranks` counts the saved playlists strictly before a synthetic
    // one (`test_pagination_with_name_ties_across_page_boundary`).
    let fake = FakePostHog::start().unwrap();
    let twin = collection(&fake, "EXPIRING SOON").await;
    for (query, expected) in [
        ("order=name", ["synthetic-expiring", twin.as_str()]),
        ("order=-name", ["synthetic-expiring", twin.as_str()]),
    ] {
        let ids = listed_ids(&fake, query).await;
        let at = ids.iter().position(|id| *id == twin).unwrap();
        assert_eq!(ids[at - 1..=at], expected, "{query}: {ids:?}");
    }
}

#[tokio::test]
async fn type_filters_by_kind_and_another_value_filters_nothing() {
    let fake = FakePostHog::start().unwrap();
    let kept = collection(&fake, "c").await;
    let saved_filters = saved_filters(&fake).await;
    let ids = listed_ids(&fake, "type=collection").await;
    assert_eq!(
        (saved(&ids), synthetic(&ids).len()),
        (vec![kept.as_str()], 7)
    );
    // Synthetic playlists are collections.
    let ids = listed_ids(&fake, "type=filters").await;
    assert_eq!(ids, [saved_filters.as_str()]);
    let ids = listed_ids(&fake, "type=tomato").await;
    assert_eq!(ids.len(), 9);
    // `request.GET.dict()`: the last value of a repeated parameter counts.
    let ids = listed_ids(&fake, "type=collection&type=filters").await;
    assert_eq!(ids, [saved_filters.as_str()]);
}

#[tokio::test]
async fn collection_type_keeps_the_custom_or_the_synthetic_playlists() {
    let fake = FakePostHog::start().unwrap();
    let mine = collection(&fake, "c").await;
    assert_eq!(
        listed_ids(&fake, "collection_type=custom").await,
        [mine.as_str()]
    );
    assert_eq!(
        listed_ids(&fake, "collection_type=synthetic").await,
        SYNTHETICS
    );
    assert_eq!(listed_ids(&fake, "collection_type=other").await.len(), 8);
}

#[tokio::test]
async fn pinned_and_user_filter_whatever_their_value() {
    let fake = FakePostHog::start().unwrap();
    let pinned = created(
        &fake,
        json!({"type": "collection", "name": "p", "pinned": true}),
    )
    .await;
    let other = collection(&fake, "o").await;
    // Only the key's presence is read: `pinned=false` lists pinned ones too.
    for query in ["pinned=true", "pinned=false", "pinned="] {
        assert_eq!(listed_ids(&fake, query).await, [pinned.as_str()], "{query}");
    }
    // `user`: the caller's own (the fake's one user made both), no synthetic ones.
    for query in ["user=true", "user=false"] {
        assert_eq!(
            listed_ids(&fake, query).await,
            [other.as_str(), pinned.as_str()],
            "{query}"
        );
    }
}

#[tokio::test]
async fn created_by_filters_by_user_id_and_is_a_500_when_not_a_number() {
    let fake = FakePostHog::start().unwrap();
    let mine = collection(&fake, "mine").await;
    assert_eq!(listed_ids(&fake, "created_by=1").await, [mine.as_str()]);
    assert_eq!(
        listed_ids(&fake, "created_by=%201%20").await,
        [mine.as_str()]
    );
    assert!(listed_ids(&fake, "created_by=2").await.is_empty());
    // The lookup's `int(value)` raises `ValueError`.
    let answer = get(&fake, "session_recording_playlists/?created_by=me").await;
    assert_eq!(answer.status, 500, "{}", answer.text);
    // `short_id` is not read: `list` runs no filter backend.
    assert_eq!(
        listed_ids(&fake, &format!("short_id={mine}")).await.len(),
        8
    );
}

#[tokio::test]
async fn date_from_and_date_to_compare_the_last_change_with_a_date_or_a_time_ago() {
    let fake = FakePostHog::start().unwrap();
    let old = collection(&fake, "old").await;
    fake.pass_time(Duration::from_secs(3 * 86_400));
    let new = collection(&fake, "new").await;
    // The clock began on 2025-01-02, so `old` changed that day and `new` on 2025-01-05.
    let cases = [
        ("date_from=-1d", vec![new.as_str()]),
        ("date_to=-1d", vec![old.as_str()]),
        ("date_from=2025-01-03", vec![new.as_str()]),
        ("date_to=2025-01-03T00:00:00Z", vec![old.as_str()]),
        ("date_from=-1w&date_to=-2d", vec![old.as_str()]),
        // What `relative_date_parse` cannot read is now: nothing changed after it…
        ("date_from=whenever", vec![]),
        // …and everything before it.
        ("date_to=whenever", vec![new.as_str(), old.as_str()]),
    ];
    for (query, expected) in cases {
        let ids = listed_ids(&fake, query).await;
        assert_eq!(saved(&ids), expected, "{query}");
        assert_eq!(synthetic(&ids), SYNTHETICS, "{query}: synthetic ones stay");
    }
}

#[tokio::test]
async fn session_recording_id_lists_the_playlists_that_hold_it() {
    let fake = FakePostHog::start().unwrap();
    let holding = collection(&fake, "holding").await;
    let other = collection(&fake, "other").await;
    let recording = fake.recording_ids()[0].clone();
    add_all(&fake, &holding, std::slice::from_ref(&recording)).await;
    add_all(&fake, &other, &fake.recording_ids()[1..]).await;
    let ids = listed_ids(&fake, &format!("session_recording_id={recording}")).await;
    assert_eq!(saved(&ids), [holding.as_str()]);
    assert_eq!(
        synthetic(&ids),
        SYNTHETICS,
        "synthetic ones are not filtered"
    );
    let ids = listed_ids(
        &fake,
        &format!("session_recording_id={recording}&collection_type=custom"),
    )
    .await;
    assert_eq!(ids, [holding.as_str()]);
}

#[tokio::test]
async fn the_list_pages_with_limit_and_offset_and_absolute_links() {
    let fake = FakePostHog::start().unwrap();
    let page = get(&fake, "session_recording_playlists/?limit=3&offset=3")
        .await
        .json();
    assert_eq!(page["results"].as_array().unwrap().len(), 3);
    assert_eq!(page["results"][0]["short_id"], "synthetic-exported");
    let base = format!(
        "{}/api/environments/4242/session_recording_playlists/",
        fake.url()
    );
    assert_eq!(page["next"], format!("{base}?limit=3&offset=6"));
    // At an offset up to the limit, `previous` drops `offset` (DRF's `remove_query_param`).
    assert_eq!(page["previous"], format!("{base}?limit=3"));
    let last = get(&fake, "session_recording_playlists/?limit=3&offset=6")
        .await
        .json();
    assert_eq!(last["next"], Value::Null);
    assert_eq!(last["previous"], format!("{base}?limit=3&offset=3"));
    // Other parameters stay, sorted by name.
    let page = get(
        &fake,
        "session_recording_playlists/?offset=0&limit=2&search=a",
    )
    .await
    .json();
    assert_eq!(page["next"], format!("{base}?limit=2&offset=2&search=a"));
}

#[tokio::test]
async fn the_list_limit_defaults_to_100_and_is_capped_at_500() {
    let fake = FakePostHog::start().unwrap();
    let base = format!(
        "{}/api/environments/4242/session_recording_playlists/",
        fake.url()
    );
    let page = get(&fake, "session_recording_playlists/?offset=150")
        .await
        .json();
    assert_eq!(page["previous"], format!("{base}?limit=100&offset=50"));
    let page = get(&fake, "session_recording_playlists/?offset=150&limit=0")
        .await
        .json();
    assert_eq!(
        page["previous"],
        format!("{base}?limit=100&offset=50"),
        "0 falls back to 100"
    );
    let page = get(&fake, "session_recording_playlists/?offset=600&limit=1000")
        .await
        .json();
    assert_eq!(page["previous"], format!("{base}?limit=500&offset=100"));
}

// --- recordings

/// Adds each of `ids` to collection `short_id` with the session stand-in.
async fn add_all(fake: &FakePostHog, short_id: &str, ids: &[String]) {
    for id in ids {
        let rest = format!("session_recording_playlists/{short_id}/recordings/{id}/");
        let answer = call(fake, Method::POST, &rest, Key::Session, None).await;
        assert_eq!(
            (answer.status, answer.json()),
            (200, json!({"success": true}))
        );
    }
}

/// The ids of a recordings page, and its `has_next`.
fn listed(page: &Value) -> (Vec<String>, bool) {
    let ids = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|recording| recording["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, page["has_next"].as_bool().unwrap())
}

#[tokio::test]
async fn recordings_are_added_once_and_a_collection_lists_them_newest_added_first() {
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    let ids = fake.recording_ids();
    let mut added = ids.clone();
    added.extend([ids[0].clone(), "no-data".to_owned()]);
    add_all(&fake, &short_id, &added).await;
    let rest = format!("session_recording_playlists/{short_id}/recordings/");
    let page = get(&fake, &rest).await.json();
    assert_eq!(page["version"], 4);
    // Newest added first; a recording with no data is not listed
    // (`test_get_pinned_recordings_for_playlist`), and one added twice is there once.
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(listed(&page), (newest_first, false));
    assert_eq!(get(&fake, &format!("{rest}?limit=lots")).await.status, 500);
    let playlist = get(&fake, &format!("session_recording_playlists/{short_id}/"))
        .await
        .json();
    assert_eq!(playlist["recordings_counts"]["collection"]["count"], 4);
}

#[tokio::test]
async fn a_collection_answers_its_first_fifty_whatever_limit_and_offset_say() {
    // session_recording_playlist_api.py, `recordings`: a collection's query names no
    // `limit` or `offset`, so the default page of 50 comes back every time.
    let fake = FakePostHog::builder().recordings(55).start().unwrap();
    let short_id = collection(&fake, "x").await;
    add_all(&fake, &short_id, &fake.recording_ids()).await;
    let rest = format!("session_recording_playlists/{short_id}/recordings/");
    let (first, has_next) = listed(&get(&fake, &rest).await.json());
    assert_eq!((first.len(), has_next), (50, true));
    for query in ["?limit=2", "?limit=2&offset=50", "?offset=50"] {
        let page = get(&fake, &format!("{rest}{query}")).await.json();
        assert_eq!(listed(&page), (first.clone(), true), "{query}");
    }
}

#[tokio::test]
async fn a_saved_filters_playlist_takes_no_recordings_and_lists_none() {
    // `test_cannot_pin_items_to_filters_type_playlist`
    let fake = FakePostHog::start().unwrap();
    let short_id = saved_filters(&fake).await;
    let rest = format!("session_recording_playlists/{short_id}/recordings/r1/");
    invalid_input(
        &call(&fake, Method::POST, &rest, Key::Session, None).await,
        "Cannot add recordings to a playlist that is type 'filters'.",
    );
    // `recordings` queries its items as `session_ids`, and it has none.
    let page = get(
        &fake,
        &format!("session_recording_playlists/{short_id}/recordings/"),
    )
    .await
    .json();
    assert_eq!(
        page,
        json!({"results": [], "has_next": false, "version": 4})
    );
}

/// PostHog's answer to an unhandled exception (exceptions_hog, `exception_handler`).
fn server_error(answer: &Answer) {
    assert_eq!(answer.status, 500, "{}", answer.text);
    assert_eq!(
        answer.error(),
        (
            "server_error".into(),
            "error".into(),
            "A server error occurred.".into(),
            Value::Null
        )
    );
}

async fn remove(fake: &FakePostHog, short_id: &str, recording: &str) -> Answer {
    let rest = format!("session_recording_playlists/{short_id}/recordings/{recording}/");
    call(fake, Method::DELETE, &rest, Key::Session, None).await
}

#[tokio::test]
async fn removing_a_recording_deletes_its_item_and_a_second_removal_is_a_500() {
    // session_recording_playlist_api.py, `modify_recordings`, DELETE
    // (`test_add_remove_static_playlist_items`).
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    let ids = fake.recording_ids();
    add_all(&fake, &short_id, &ids).await;
    let answer = remove(&fake, &short_id, &ids[1]).await;
    assert_eq!(
        (answer.status, answer.json()),
        (200, json!({"success": true}))
    );
    let page = get(
        &fake,
        &format!("session_recording_playlists/{short_id}/recordings/"),
    )
    .await
    .json();
    let (listed, _) = listed(&page);
    assert_eq!(listed, [ids[2].clone(), ids[0].clone()]);
    let holding = listed_ids(&fake, &format!("session_recording_id={}", ids[1])).await;
    assert_eq!(saved(&holding), Vec::<&str>::new());
    // The item is gone: `objects.get` raises `DoesNotExist`, which nothing turns into a 404.
    server_error(&remove(&fake, &short_id, &ids[1]).await);
    server_error(&remove(&fake, &short_id, "never-added").await);
    // Added again, it can be removed again.
    add_all(&fake, &short_id, &ids[1..2]).await;
    assert_eq!(remove(&fake, &short_id, &ids[1]).await.status, 200);
}

#[tokio::test]
async fn removing_from_a_saved_filters_synthetic_deleted_or_unknown_playlist() {
    let fake = FakePostHog::start().unwrap();
    // The DELETE does not look at the kind: a saved-filters playlist has no item, a 500.
    let saved_filters = saved_filters(&fake).await;
    server_error(&remove(&fake, &saved_filters, "r1").await);
    // A synthetic playlist is an unsaved row whose items cannot be looked up.
    server_error(&remove(&fake, "synthetic-shared", "r1").await);
    // `get_object`: unknown and soft-deleted playlists are not found.
    let deleted = collection(&fake, "gone").await;
    add_all(&fake, &deleted, &["r1".to_owned()]).await;
    assert_eq!(
        patch(&fake, &deleted, json!({"deleted": true}))
            .await
            .status,
        200
    );
    for short_id in [deleted.as_str(), "missing"] {
        let answer = remove(&fake, short_id, "r1").await;
        assert_eq!(answer.status, 404, "{short_id}: {}", answer.text);
    }
}

#[tokio::test]
async fn recordings_of_deleted_or_synthetic_playlists() {
    let fake = FakePostHog::start().unwrap();
    let short_id = collection(&fake, "x").await;
    assert_eq!(
        patch(&fake, &short_id, json!({"deleted": true}))
            .await
            .status,
        200
    );
    assert_eq!(
        get(
            &fake,
            &format!("session_recording_playlists/{short_id}/recordings/")
        )
        .await
        .status,
        404
    );
    let rest = format!("session_recording_playlists/{short_id}/recordings/r1/");
    assert_eq!(
        call(&fake, Method::POST, &rest, Key::Session, None)
            .await
            .status,
        404
    );
    let page = get(
        &fake,
        "session_recording_playlists/synthetic-shared/recordings/",
    )
    .await
    .json();
    assert_eq!(
        page,
        json!({"results": [], "has_next": false, "version": 4})
    );
}

#[tokio::test]
async fn every_request_is_logged() {
    let fake = FakePostHog::start().unwrap();
    get(&fake, "session_recording_playlists/?limit=1").await;
    assert_eq!(
        fake.requests(),
        ["GET /api/environments/4242/session_recording_playlists/?limit=1"]
    );
}
