//! `Client::session_recording_playlists_all`: every playlist across pages,
//! following `limit`/`offset` and `next`, and never looping forever.

use std::num::NonZeroU64;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::Method::GET;
use httpmock::{Mock, MockServer};
use posthog_api::Error;
use serde_json::json;

use crate::{BEARER, PROJECT, client_for, playlist_json, project_path};

/// Serves the page at `offset` (size `limit`) with the given ids and `next` link.
async fn page<'a>(
    server: &'a MockServer,
    limit: u64,
    offset: u64,
    ids: &[&str],
    next: Option<String>,
) -> Mock<'a> {
    let results: Vec<_> = ids.iter().map(|id| playlist_json(id)).collect();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/"))
                .header("authorization", BEARER)
                .query_param("limit", limit.to_string())
                .query_param("offset", offset.to_string());
            then.status(200)
                .json_body(json!({"count": 5, "next": next, "previous": null, "results": results}));
        })
        .await
}

/// A `next` link on a host the client never talks to (a proxy's backend).
fn next_link(limit: u64, offset: u64) -> Option<String> {
    Some(format!(
        "http://posthog-web.internal:8000/api/projects/{PROJECT}/session_recording_playlists/?limit={limit}&offset={offset}"
    ))
}

fn short_ids(playlists: &[posthog_api::types::SessionRecordingPlaylist]) -> Vec<&str> {
    playlists.iter().map(|p| p.short_id.as_str()).collect()
}

#[tokio::test]
async fn follows_next_across_three_pages() {
    let server = MockServer::start_async().await;
    let pages = [
        page(&server, 2, 0, &["a", "b"], next_link(2, 2)).await,
        page(&server, 2, 2, &["c", "d"], next_link(2, 4)).await,
        page(&server, 2, 4, &["e"], None).await,
    ];
    let client = client_for(&server);
    let all: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(short_ids(&all), ["a", "b", "c", "d", "e"]);
    for mock in &pages {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn one_page_when_next_is_null() {
    let server = MockServer::start_async().await;
    let only = page(&server, 100, 0, &["a", "b", "c"], None).await;
    let client = client_for(&server);
    let all: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(short_ids(&all), ["a", "b", "c"]);
    only.assert_async().await;
}

#[tokio::test]
async fn empty_result() {
    let server = MockServer::start_async().await;
    let only = page(&server, 10, 0, &[], None).await;
    let client = client_for(&server);
    let all: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 10)
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    only.assert_async().await;
}

#[tokio::test]
async fn a_repeating_next_ends_with_an_error_instead_of_looping() {
    let server = MockServer::start_async().await;
    let first = page(&server, 2, 0, &["a", "b"], next_link(2, 2)).await;
    // The second page points back at itself.
    let stuck = page(&server, 2, 2, &["c", "d"], next_link(2, 2)).await;
    let client = client_for(&server);
    let items: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 2)
        .take(100)
        .collect()
        .await;
    assert_eq!(items.len(), 5, "four playlists, then the error: {items:?}");
    let ids: Vec<_> = items[..4]
        .iter()
        .map(|item| item.as_ref().unwrap().short_id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert!(
        matches!(&items[4], Err(Error::PaginationStalled { next }) if next.ends_with("offset=2")),
        "{:?}",
        items[4]
    );
    first.assert_async().await;
    stuck.assert_async().await;
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_that_error() {
    let server = MockServer::start_async().await;
    let first = page(&server, 1, 0, &["a"], next_link(1, 1)).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/"))
                .query_param("offset", "1");
            then.status(400).body("boom");
        })
        .await;
    let client = client_for(&server);
    let items: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 1)
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().short_id, "a");
    assert_eq!(
        items[1].as_ref().unwrap_err().status().map(|s| s.as_u16()),
        Some(400)
    );
    first.assert_async().await;
    failing.assert_async().await;
}

#[tokio::test]
async fn ids_and_page_sizes_take_what_the_builders_take() {
    let server = MockServer::start_async().await;
    let only = page(&server, 3, 0, &["a"], None).await;
    let client = client_for(&server);
    let project = String::from(PROJECT);
    // An owned or borrowed `String` id, a `NonZeroU64` or `u64` page size:
    // each is what the list builder's `project_id` and `limit` accept.
    let by_reference: Vec<_> = client
        .session_recording_playlists_all(&project, NonZeroU64::new(3).unwrap())
        .try_collect()
        .await
        .unwrap();
    let owned: Vec<_> = client
        .session_recording_playlists_all(project, 3_u64)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        (short_ids(&by_reference), short_ids(&owned)),
        (vec!["a"], vec!["a"])
    );
    only.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_page_size_of_zero_fails_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let client = client_for(&server);
    let playlists: Vec<_> = client
        .session_recording_playlists_all(PROJECT, 0_u64)
        .collect()
        .await;
    let recordings: Vec<_> = client
        .session_recording_playlist_recordings_all(PROJECT, "abc123", 0_u64)
        .collect()
        .await;
    for (operation, items) in [
        (
            "session_recording_playlists_all",
            playlists
                .iter()
                .map(|item| item.as_ref().err())
                .collect::<Vec<_>>(),
        ),
        (
            "session_recording_playlist_recordings_all",
            recordings.iter().map(|item| item.as_ref().err()).collect(),
        ),
    ] {
        assert!(
            matches!(
                items.as_slice(),
                [Some(Error::InvalidRequest { operation: named, message })]
                    if *named == operation && message.contains("page_size")
            ),
            "{operation}: the error alone, naming the helper and the argument: {items:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
}
