//! The scripted faults, over raw HTTP: each answers in the server's place
//! for the operation and the number of requests it was armed for, and
//! nothing else changes.

use std::time::{Duration, Instant};

use posthog_fake::{Endpoint, FakePostHog, Fault};
use serde_json::{Value, json};

fn url(fake: &FakePostHog, rest: &str) -> String {
    format!(
        "{}/api/environments/{}/{rest}",
        fake.url(),
        fake.project_id()
    )
}

async fn list(fake: &FakePostHog) -> Result<reqwest::Response, reqwest::Error> {
    reqwest::Client::new()
        .get(url(fake, "session_recording_playlists/"))
        .bearer_auth(fake.personal_api_key())
        .send()
        .await
}

async fn create(fake: &FakePostHog, name: &str) -> Result<reqwest::Response, reqwest::Error> {
    reqwest::Client::new()
        .post(url(fake, "session_recording_playlists/"))
        .bearer_auth(fake.personal_api_key())
        .json(&json!({"type": "collection", "name": name}))
        .send()
        .await
}

/// The names of the playlists callers made, newest first.
async fn names(fake: &FakePostHog) -> Vec<String> {
    let page: Value = list(fake).await.unwrap().json().await.unwrap();
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|playlist| playlist["name"].as_str().map(str::to_owned))
        .filter(|name| name.starts_with("made "))
        .collect()
}

#[tokio::test]
async fn a_status_fault_answers_the_next_requests_of_its_operation_only() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 2, Fault::status(503));
    let created = create(&fake, "made 1").await.unwrap();
    assert_eq!(created.status(), 201, "other operations are served");
    for _ in 0..2 {
        let answer = list(&fake).await.unwrap();
        assert_eq!(answer.status(), 503);
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["type"], "server_error");
    }
    assert_eq!(
        list(&fake).await.unwrap().status(),
        200,
        "then the server answers"
    );
}

#[tokio::test]
async fn a_fault_answers_before_authentication_as_a_load_balancer_does() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(502));
    let unauthenticated = reqwest::Client::new()
        .get(url(&fake, "session_recording_playlists/"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 502);
}

#[tokio::test]
async fn faults_for_one_operation_are_used_in_the_order_armed() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(503));
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(504));
    assert_eq!(list(&fake).await.unwrap().status(), 503);
    assert_eq!(list(&fake).await.unwrap().status(), 504);
    assert_eq!(list(&fake).await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_429_carries_the_throttle_body_and_retry_after_as_given() {
    let fake = FakePostHog::start().unwrap();
    let date = "Wed, 21 Oct 2026 07:28:00 GMT";
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after("7"),
    );
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after(date),
    );
    let seconds = list(&fake).await.unwrap();
    assert_eq!(seconds.headers()["retry-after"], "7");
    let body: Value = seconds.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "type": "throttled_error",
            "code": "throttled",
            "detail": "Request was throttled. Expected available in 7 seconds.",
            "attr": null
        })
    );
    let dated = list(&fake).await.unwrap();
    assert_eq!(dated.headers()["retry-after"], date);
}

#[tokio::test]
async fn a_fault_before_the_action_leaves_nothing_done() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::CreatePlaylist, 1, Fault::status(500));
    assert_eq!(create(&fake, "made 1").await.unwrap().status(), 500);
    assert!(names(&fake).await.is_empty());
}

#[tokio::test]
async fn a_fault_after_the_action_leaves_it_done() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::CreatePlaylist,
        1,
        Fault::status(500).after_action(),
    );
    fake.fail_next(
        Endpoint::CreatePlaylist,
        1,
        Fault::close_connection().after_action(),
    );
    assert_eq!(create(&fake, "made 1").await.unwrap().status(), 500);
    assert!(create(&fake, "made 2").await.is_err(), "no answer");
    assert_eq!(names(&fake).await, ["made 2", "made 1"]);
}

#[tokio::test]
async fn a_closed_connection_answers_nothing_and_does_nothing() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::CreatePlaylist, 1, Fault::close_connection());
    let error = create(&fake, "made 1").await.unwrap_err();
    assert!(
        !error.is_connect(),
        "the connection was made, then closed: {error:?}"
    );
    assert!(names(&fake).await.is_empty());
}

#[tokio::test]
async fn a_truncated_body_breaks_off_after_the_head() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::CreatePlaylist, 1, Fault::truncated_body());
    let answer = create(&fake, "made 1").await.unwrap();
    assert_eq!(answer.status(), 201);
    assert!(answer.bytes().await.is_err(), "the body is cut off");
    assert_eq!(names(&fake).await, ["made 1"], "the action happened");
}

#[tokio::test]
async fn a_delay_holds_the_answer_back_and_other_requests_go_on() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::delay(Duration::from_secs(2)),
    );
    let started = Instant::now();
    let slow = list(&fake);
    let quick = async {
        let answer = create(&fake, "made 1").await.unwrap();
        (answer.status(), started.elapsed())
    };
    let (slow, (status, quick_took)) = tokio::join!(slow, quick);
    assert_eq!(slow.unwrap().status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(status, 201);
    assert!(quick_took < Duration::from_millis(1500), "{quick_took:?}");
}

#[tokio::test]
async fn every_operation_can_be_failed() {
    let fake = FakePostHog::start().unwrap();
    let client = reqwest::Client::new();
    for operation in Endpoint::ALL {
        fake.fail_next(operation, 1, Fault::status(503));
        let path = operation
            .path()
            .replace("{project_id}", fake.project_id())
            .replace("{short_id}", "abc123")
            .replace("{session_recording_id}", "rec");
        let method = reqwest::Method::from_bytes(operation.method().as_bytes()).unwrap();
        let answer = client
            .request(method, format!("{}{path}", fake.url()))
            .bearer_auth(fake.personal_api_key())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 503, "{operation:?}");
    }
}
