//! Every way a call can fail reaches the caller as a typed `Error` that
//! names the operation and keeps the status and PostHog's error body.

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use posthog_api::types::SessionRecordingPlaylistCreate;
use posthog_api::{Client, Error, Host, RetryPolicy};
use serde_json::json;

use crate::{
    API_KEY, BEARER, PROJECT, client_for, project_path, retrieve_abc123, retrieve_answered_with,
};

/// Retrieves playlist `abc123` from a server that answers `status` with
/// `body`, retries off.
async fn retrieve_error(status: u16, body: &str) -> Error {
    retrieve_answered_with(status, body, RetryPolicy::disabled())
        .await
        .expect_err("an error status must be an error")
}

/// The `ApiError` inside `error`, with its operation checked.
fn api_error(error: &Error) -> &posthog_api::ApiError {
    let Error::Api(api) = error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation(), "session_recording_playlists_retrieve");
    api
}

#[tokio::test]
async fn validation_error_400_names_the_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(project_path("session_recording_playlists/"))
                .header("authorization", BEARER)
                .json_body(json!({"type": "collection", "name": "x".repeat(401)}));
            then.status(400).json_body(json!({
                "type": "validation_error",
                "code": "max_length",
                "detail": "Ensure this field has no more than 400 characters.",
                "attr": "name"
            }));
        })
        .await;

    let error = client_for(&server)
        .session_recording_playlists_create()
        .project_id(PROJECT)
        .body(SessionRecordingPlaylistCreate::collection("x".repeat(401)))
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status().as_u16(), 400);
    let body = api.body().expect("PostHog's error body is parsed");
    assert_eq!(
        (body.type_.as_str(), body.code.as_str()),
        ("validation_error", "max_length")
    );
    assert_eq!(body.attr.as_deref(), Some("name"));
    assert_eq!(
        error.to_string(),
        "session_recording_playlists_create: PostHog answered 400 Bad Request: Ensure this field has no more than 400 characters. (validation_error/max_length) on field `name`"
    );
}

#[tokio::test]
async fn invalid_key_401_is_an_authentication_error() {
    let error = retrieve_error(
        401,
        r#"{"type":"authentication_error","code":"authentication_failed","detail":"Personal API key found in request Authorization header is invalid.","attr":null}"#,
    )
    .await;
    let api = api_error(&error);
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(api.body().unwrap().code, "authentication_failed");
    assert_eq!(api.body().unwrap().attr, None);
}

#[tokio::test]
async fn missing_scope_403_says_which_scope() {
    let error = retrieve_error(
        403,
        r#"{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'session_recording_playlist:read'","attr":null}"#,
    )
    .await;
    let api = api_error(&error);
    assert_eq!(api.status().as_u16(), 403);
    assert!(
        error
            .to_string()
            .contains("missing required scope 'session_recording_playlist:read'"),
        "{error}"
    );
}

#[tokio::test]
async fn not_found_404() {
    let error = retrieve_error(
        404,
        r#"{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}"#,
    )
    .await;
    assert_eq!(api_error(&error).status().as_u16(), 404);
    assert_eq!(api_error(&error).body().unwrap().detail, "Not found.");
}

#[tokio::test]
async fn throttled_429_keeps_the_retry_after() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/abc123/"));
            then.status(429).header("retry-after", "12").json_body(json!({
                "type": "throttled_error", "code": "throttled",
                "detail": "Request was throttled. Expected available in 12 seconds.", "attr": null
            }));
        })
        .await;
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), API_KEY)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = retrieve_abc123(&client).await.unwrap_err();
    mock.assert_async().await;
    let api = api_error(&error);
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.retry_after(), Some(std::time::Duration::from_secs(12)));
    assert_eq!(api.body().unwrap().type_, "throttled_error");
    assert!(error.to_string().ends_with("; retry after 12 s"), "{error}");
}

#[tokio::test]
async fn server_error_500_with_json_body() {
    let error = retrieve_error(
        500,
        r#"{"type":"server_error","code":"error","detail":"A server error occurred.","attr":null}"#,
    )
    .await;
    let api = api_error(&error);
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(api.body().unwrap().type_, "server_error");
}

#[tokio::test]
async fn error_body_that_is_not_json_keeps_status_and_text() {
    let error = retrieve_error(502, "<html><body>Bad Gateway</body></html>").await;
    let api = api_error(&error);
    assert_eq!(api.status().as_u16(), 502);
    assert!(api.body().is_none());
    assert_eq!(api.body_start(), "<html><body>Bad Gateway</body></html>");
    assert_eq!(
        error.to_string(),
        "session_recording_playlists_retrieve: PostHog answered 502 Bad Gateway; body starts with: <html><body>Bad Gateway</body></html>"
    );
}

#[tokio::test]
async fn missing_scope_403_stays_an_api_error_not_a_key_refusal() {
    let error = retrieve_error(
        403,
        r#"{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'session_recording_playlist:read'","attr":null}"#,
    )
    .await;
    assert!(matches!(error, Error::Api(_)), "{error:?}");
}

#[tokio::test]
async fn personal_key_refusal_403_is_its_own_error_saying_no_scope_helps() {
    let error = retrieve_error(
        403,
        r#"{"type":"authentication_error","code":"permission_denied","detail":"This action does not support Personal API Key access","attr":null}"#,
    )
    .await;
    let Error::PersonalApiKeyRefused(api) = &error else {
        panic!("expected Error::PersonalApiKeyRefused, got {error:?}");
    };
    assert_eq!(api.operation(), "session_recording_playlists_retrieve");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let message = error.to_string();
    assert!(
        message.contains("No scope added to the key helps"),
        "{message}"
    );
    assert!(
        message.contains("a legacy personal API key (one created without scopes)"),
        "{message}"
    );
    assert!(message.contains("logged-in PostHog session"), "{message}");
}

#[tokio::test]
async fn personal_key_refusal_is_recognised_however_posthog_capitalises_it() {
    // posthog/permissions.py spells it "Personal API Key"; the check ignores
    // case, so another spelling is still the refusal.
    let error = retrieve_error(
        403,
        r#"{"type":"authentication_error","code":"permission_denied","detail":"This action does not support personal API key access","attr":null}"#,
    )
    .await;
    assert!(
        matches!(error, Error::PersonalApiKeyRefused(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn success_with_a_body_that_is_not_json_names_the_operation() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/abc123/"));
            then.status(200)
                .header("content-type", "text/html")
                .body("<!doctype html><title>Login</title>");
        })
        .await;
    let error = retrieve_abc123(&client_for(&server)).await.unwrap_err();
    mock.assert_async().await;
    let Error::InvalidResponse {
        operation,
        body_start,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "session_recording_playlists_retrieve");
    assert_eq!(body_start, "<!doctype html><title>Login</title>");
    assert!(
        error.to_string().starts_with(
            "session_recording_playlists_retrieve: the response does not match the spec"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn success_with_json_of_the_wrong_shape_names_the_operation() {
    let server = MockServer::start_async().await;
    let long_name = "n".repeat(500);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/"));
            then.status(200)
                .json_body(json!({"count": "many", "results": [], "padding": long_name}));
        })
        .await;
    let error = client_for(&server)
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap_err();
    mock.assert_async().await;
    let Error::InvalidResponse {
        operation,
        body_start,
        source,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "session_recording_playlists_list");
    assert!(
        source.to_string().contains("invalid type: string \"many\""),
        "{source}"
    );
    assert_eq!(
        body_start.chars().count(),
        200,
        "only the start of a long body is kept"
    );
}

#[tokio::test]
async fn a_missing_required_parameter_is_reported_without_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let error = client_for(&server)
        .session_recording_playlists_retrieve()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(any.calls_async().await, 0);
    assert!(
        matches!(
            error,
            Error::InvalidRequest {
                operation: "session_recording_playlists_retrieve",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("short_id was not initialized"),
        "{error}"
    );
}
