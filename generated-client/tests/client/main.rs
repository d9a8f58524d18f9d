//! `posthog-api` over real HTTP: every test starts an in-process mock server
//! on 127.0.0.1, calls the client, and asserts both the request the client
//! sent and what the caller got back.

mod against_fake;
mod arguments;
mod capture;
mod contract;
mod errors;
mod kinds;
mod operations;
mod pagination;
mod prism;
mod retries;
mod scripted;
mod secrets;
mod spec;
mod spec_docs;
mod spec_examples;
mod timeouts;
mod tls;
mod tolerance;
mod transient;
mod typed_mocks;

use httpmock::Method::GET;
use httpmock::MockServer;
use posthog_api::types::SessionRecordingPlaylist;
use posthog_api::{Client, Error, Host, RetryPolicy};
use serde_json::{Value, json};

/// The key every test client authenticates with.
const API_KEY: &str = "phx_test_key_0123456789";

/// The `Authorization` header the server must see.
const BEARER: &str = "Bearer phx_test_key_0123456789";

const PROJECT: &str = "4242";

fn client_for(server: &MockServer) -> Client {
    Client::with_api_key(Host::self_hosted(&server.base_url()).unwrap(), API_KEY).unwrap()
}

/// GET playlist `abc123` of the test project: the call most behaviour tests make.
async fn retrieve_abc123(client: &Client) -> Result<SessionRecordingPlaylist, Error> {
    client
        .session_recording_playlists_retrieve()
        .project_id(PROJECT)
        .short_id("abc123")
        .send()
        .await
        .map(|response| response.into_inner())
}

/// Retrieves playlist `abc123` from a server that answers the
/// authenticated GET with `status` and `body`, asserting it was asked once.
async fn retrieve_answered_with(
    status: u16,
    body: &str,
    policy: RetryPolicy,
) -> Result<SessionRecordingPlaylist, Error> {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/abc123/"))
                .header("authorization", BEARER);
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), API_KEY)
        .retry(policy)
        .build()
        .unwrap();
    let result = retrieve_abc123(&client).await;
    mock.assert_async().await;
    result
}

/// `/api/projects/4242/<rest>`, as the server sees it.
fn project_path(rest: &str) -> String {
    format!("/api/projects/{PROJECT}/{rest}")
}

/// A playlist as a real server sends it (the docs' example, with live values).
fn playlist_json(short_id: &str) -> Value {
    json!({
        "id": 17,
        "short_id": short_id,
        "name": "Checkout drop-offs",
        "derived_name": null,
        "description": "",
        "pinned": false,
        "created_at": "2025-01-02T03:04:05Z",
        "created_by": {
            "id": 3,
            "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
            "distinct_id": "abc",
            "first_name": "Ada",
            "last_name": "",
            "email": "ada@example.com",
            "is_email_verified": true,
            "hedgehog_config": null,
            "role_at_organization": "engineering"
        },
        "deleted": false,
        "filters": {"date_from": "-7d"},
        "last_modified_at": "2025-01-02T03:04:05Z",
        "last_modified_by": null,
        "recordings_counts": {
            "collection": {"count": 2, "watched_count": 1},
            "saved_filters": {"count": null, "has_more": false}
        },
        "type": "collection",
        "is_synthetic": false
    })
}
