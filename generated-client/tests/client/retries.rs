//! Rate limits: 429 answers are waited out and retried, for every
//! operation (PostHog throttles before the view runs), a bounded number of
//! times, as long as `Retry-After` asks.

use std::time::{Duration, Instant};

use posthog_api::types::SessionRecordingPlaylistCreate;
use posthog_api::{Client, Error, Host, RetryPolicy};
use serde_json::json;

use crate::scripted::{Reply, ScriptedServer};
use crate::{API_KEY, BEARER, PROJECT, playlist_json, retrieve_abc123};

const THROTTLED: &str = r#"{"type":"throttled_error","code":"throttled","detail":"Request was throttled.","attr":null}"#;

fn throttled(retry_after: &'static str) -> Reply {
    Reply::Json(429, vec![("retry-after", retry_after)], THROTTLED.into())
}

fn playlist_reply() -> Reply {
    Reply::Json(200, vec![], playlist_json("abc123").to_string())
}

fn client(server: &ScriptedServer, policy: RetryPolicy) -> Client {
    Client::builder(Host::self_hosted(&server.base_url()).unwrap(), API_KEY)
        .retry(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn get_is_retried_after_429_then_succeeds() {
    let server = ScriptedServer::start(vec![throttled("0"), playlist_reply()]);
    let playlist = retrieve_abc123(&client(&server, RetryPolicy::default()))
        .await
        .unwrap();
    assert_eq!(playlist.short_id, "abc123");
    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.target,
            "/api/projects/4242/session_recording_playlists/abc123/"
        );
        assert_eq!(
            request.header("authorization"),
            Some(BEARER),
            "every attempt is authenticated"
        );
    }
}

#[tokio::test]
async fn the_wait_is_what_retry_after_asks_for() {
    let server = ScriptedServer::start(vec![throttled("1"), playlist_reply()]);
    let started = Instant::now();
    retrieve_abc123(&client(&server, RetryPolicy::default()))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried after {:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn always_429_gives_up_after_max_attempts() {
    let server = ScriptedServer::start(vec![throttled("0"); 10]);
    let error = retrieve_abc123(&client(&server, RetryPolicy::default().max_attempts(3)))
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 3);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.body().unwrap().code, "throttled");
}

#[tokio::test]
async fn a_wait_longer_than_the_cap_is_not_waited() {
    let server = ScriptedServer::start(vec![throttled("3600"), playlist_reply()]);
    let policy = RetryPolicy::default().max_wait(Duration::from_secs(60));
    let error = retrieve_abc123(&client(&server, policy)).await.unwrap_err();
    assert_eq!(server.received().len(), 1);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn disabled_policy_does_not_retry() {
    let server = ScriptedServer::start(vec![throttled("0"), playlist_reply()]);
    let error = retrieve_abc123(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_create_is_retried_after_429_with_the_same_body() {
    // PostHog's throttles answer before the view runs, so nothing was made.
    let server = ScriptedServer::start(vec![
        throttled("0"),
        Reply::Json(201, vec![], playlist_json("new").to_string()),
    ]);
    let created = client(&server, RetryPolicy::default())
        .session_recording_playlists_create()
        .project_id(PROJECT)
        .body(SessionRecordingPlaylistCreate::collection("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.short_id, "new");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].method, "POST");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&received[0].body_text()).unwrap(),
        json!({"type": "collection", "name": "x"})
    );
    assert_eq!(
        received[0].body, received[1].body,
        "the same body is sent again"
    );
}

#[tokio::test]
async fn soft_delete_retries_its_patch_on_429() {
    // The GET that learns the playlist, a throttled PATCH, the PATCH again.
    let server = ScriptedServer::start(vec![playlist_reply(), throttled("0"), playlist_reply()]);
    client(&server, RetryPolicy::default())
        .soft_delete_session_recording_playlist(PROJECT, "abc123")
        .await
        .unwrap();
    let methods: Vec<_> = server.received().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["GET", "PATCH", "PATCH"]);
    for patch in &server.received()[1..] {
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&patch.body_text()).unwrap(),
            json!({"deleted": true}),
            "a collection's soft delete sends no filters"
        );
    }
}

#[tokio::test]
async fn soft_delete_makes_no_attempts_beyond_the_policy() {
    // Each of its requests is retried by the call loop alone: the soft
    // delete must not multiply the attempts with a loop of its own.
    let server = ScriptedServer::start(vec![
        playlist_reply(),
        throttled("0"),
        throttled("0"),
        throttled("0"),
        playlist_reply(),
    ]);
    let error = client(&server, RetryPolicy::default())
        .soft_delete_session_recording_playlist(PROJECT, "abc123")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.received().len(), 4, "one GET, then 3 PATCH attempts");
}

#[tokio::test]
async fn own_reqwest_client_still_gets_auth_and_retries() {
    let server = ScriptedServer::start(vec![throttled("0"), playlist_reply()]);
    // From the crate's builder, as `ClientBuilder::http_client` advises.
    let http = posthog_api::http_client_builder()
        .unwrap()
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), API_KEY)
        .http_client(http)
        .build()
        .unwrap();
    retrieve_abc123(&client).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.header("authorization"), Some(BEARER));
        assert_eq!(request.header("user-agent"), Some("my-app/1.0"));
    }
}
