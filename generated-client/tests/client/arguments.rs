//! What builders take: ids as text or integers, page sizes as any integer
//! type; an empty id, a page size below 1 and a body without a required
//! field are refused before anything is sent, each error naming the
//! argument or field as PostHog's docs do.

use std::num::NonZeroU8;

use futures_util::TryStreamExt;
use httpmock::Method::GET;
use httpmock::MockServer;
use posthog_api::Error;
use posthog_api::types::KnownPlaylistType;
use serde_json::json;

use crate::{BEARER, client_for};

const EMPTY_PAGE: &str = r#"{"count": 0, "next": null, "previous": null, "results": []}"#;

#[tokio::test]
async fn integer_ids_and_page_sizes_of_any_integer_type_reach_the_request() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/projects/4242/session_recording_playlists/")
                .query_param("limit", "50")
                .header("authorization", BEARER);
            then.status(200)
                .header("content-type", "application/json")
                .body(EMPTY_PAGE);
        })
        .await;
    let client = client_for(&server);
    let project: i64 = 4242;
    let page_size: u32 = 50;
    client
        .session_recording_playlists_list()
        .project_id(project)
        .limit(page_size)
        .send()
        .await
        .unwrap();
    client
        .session_recording_playlists_list()
        .project_id(4242_u64)
        .limit(50_usize)
        .send()
        .await
        .unwrap();
    client
        .session_recording_playlists_list()
        .project_id(4242)
        .limit(NonZeroU8::new(50).unwrap())
        .send()
        .await
        .unwrap();
    let all: Vec<_> = client
        .session_recording_playlists_all(project, page_size)
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    mock.assert_calls_async(4).await;
}

/// The error of a call that must be refused before sending, from a server
/// that answers nothing.
async fn refused(call: impl AsyncFnOnce(&posthog_api::Client) -> Result<(), Error>) -> String {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).body(EMPTY_PAGE);
        })
        .await;
    let error = call(&client_for(&server)).await.unwrap_err();
    anything.assert_calls_async(0).await;
    let Error::InvalidRequest { message, .. } = &error else {
        panic!("not an InvalidRequest: {error:?}");
    };
    assert_eq!(error.attempts(), 0, "{error}");
    message.clone()
}

#[tokio::test]
async fn an_empty_id_is_refused_before_sending_naming_it() {
    let message = refused(async |client| {
        client
            .session_recording_playlists_list()
            .project_id("")
            .send()
            .await
            .map(drop)
    })
    .await;
    assert_eq!(message, "`project_id` is empty; give the id to send");
    let message = refused(async |client| {
        client
            .session_recording_playlists_retrieve()
            .project_id(4242)
            .short_id(String::new())
            .send()
            .await
            .map(drop)
    })
    .await;
    assert!(message.starts_with("`short_id` is empty"), "{message}");
}

#[tokio::test]
async fn a_page_size_below_1_is_refused_before_sending_naming_it() {
    for size in [0, -1] {
        let message = refused(async |client| {
            client
                .session_recording_playlists_list()
                .project_id(4242)
                .limit(size)
                .send()
                .await
                .map(drop)
        })
        .await;
        assert_eq!(
            message,
            "`limit` is less than 1; a page holds at least 1 item"
        );
    }
    let message = refused(async |client| {
        client
            .session_recording_playlists_all(4242, 0_u32)
            .try_collect::<Vec<_>>()
            .await
            .map(drop)
    })
    .await;
    assert!(
        message.starts_with("`page_size` is less than 1"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_field_left_out_is_named_as_the_json_names_it() {
    let message = refused(async |client| {
        client
            .session_recording_playlists_create()
            .project_id(4242)
            .body_map(|body| body.name(Some("No kind".to_owned())))
            .send()
            .await
            .map(drop)
    })
    .await;
    assert!(message.contains("no value supplied for type"), "{message}");
    assert!(!message.contains("type_"), "{message}");
    // The field set, the body converts and names nothing.
    let body = posthog_api::types::SessionRecordingPlaylistCreate::builder()
        .name(Some("x".to_owned()))
        .type_(KnownPlaylistType::Collection);
    let converted: Result<posthog_api::types::SessionRecordingPlaylistCreate, _> = body.try_into();
    assert_eq!(
        serde_json::to_value(converted.unwrap()).unwrap()["type"],
        json!("collection")
    );
}
