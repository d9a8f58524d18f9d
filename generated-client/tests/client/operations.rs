//! Each of the spec's operations, called once: method, exact path (with
//! PostHog's trailing slash), `Authorization`, query or body, parsed answer.

use httpmock::Method::{DELETE, GET, PATCH, POST};
use httpmock::MockServer;
use posthog_api::Error;
use posthog_api::types::{
    KnownPlaylistType, KnownRoleAtOrganization, PlaylistType, QueryNode, QueryUpgradeRequest,
    RoleAtOrganization, SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
};
use serde_json::json;

use crate::{BEARER, PROJECT, client_for, playlist_json, project_path};

#[tokio::test]
async fn query_check_auth_for_async_parses_the_user_ok() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(project_path("query/check_auth_for_async/"))
                .header("authorization", BEARER);
            then.status(200).json_body(json!({"user": "ok"}));
        })
        .await;

    let answer = client_for(&server)
        .query_check_auth_for_async()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.user, "ok");
}

#[tokio::test]
async fn query_draft_sql_sends_the_prompt_and_parses_the_sql() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("query/draft_sql/"))
                .query_param("prompt", "count pageviews")
                .query_param("current_query", "select 1")
                .header("authorization", BEARER);
            then.status(200)
                .json_body(json!({"sql": "select count() from events"}));
        })
        .await;

    let answer = client_for(&server)
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews")
        .current_query("select 1")
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.sql, "select count() from events");
}

#[tokio::test]
async fn query_draft_sql_refuses_a_prompt_over_400_characters_without_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;

    let error = client_for(&server)
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("x".repeat(401).as_str())
        .send()
        .await
        .unwrap_err();

    any.assert_calls_async(0).await;
    assert!(
        matches!(&error, Error::InvalidRequest { operation: "query_draft_sql", message } if message.contains("prompt")),
        "{error:?}"
    );
}

#[tokio::test]
async fn query_upgrade_round_trips_any_node_kind() {
    let node = json!({
        "kind": "TrendsQuery",
        "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"}],
        "interval": "day",
        "version": 2
    });
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(project_path("query/upgrade/"))
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({"query": {"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "$pageview"}], "interval": "day"}}));
            then.status(200).json_body(json!({"query": node}));
        })
        .await;

    let query: QueryNode =
        serde_json::from_value(json!({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "$pageview"}], "interval": "day"}))
            .unwrap();
    let answer = client_for(&server)
        .query_upgrade()
        .project_id(PROJECT)
        .body(QueryUpgradeRequest { query })
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(answer.query.kind, "TrendsQuery");
    assert_eq!(answer.query.extra["version"], json!(2));
    assert_eq!(
        serde_json::to_value(&answer.query).unwrap(),
        node,
        "no field may be lost"
    );
}

#[tokio::test]
async fn session_recording_playlists_list_sends_filters_and_parses_the_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/"))
                .header("authorization", BEARER)
                .query_param("created_by", "3")
                .query_param("limit", "2")
                .query_param("offset", "4")
                .query_param("short_id", "abc123");
            then.status(200).json_body(json!({
                "count": 7,
                "next": "https://us.posthog.com/api/projects/4242/session_recording_playlists/?limit=2&offset=6",
                "previous": null,
                "results": [playlist_json("abc123")]
            }));
        })
        .await;

    let page = client_for(&server)
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .created_by(3)
        .limit(2)
        .offset(4)
        .short_id("abc123")
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(page.count, 7);
    assert_eq!(page.previous, None);
    assert!(page.next.unwrap().ends_with("?limit=2&offset=6"));
    let playlist = &page.results[0];
    assert_eq!((playlist.id, playlist.short_id.as_str()), (17, "abc123"));
    assert_eq!(playlist.name.as_deref(), Some("Checkout drop-offs"));
    assert_eq!(
        playlist.type_,
        Some(PlaylistType::Known(KnownPlaylistType::Collection))
    );
    let author = playlist.created_by.as_ref().unwrap();
    assert_eq!(author.first_name, "Ada");
    assert_eq!(
        author.role_at_organization,
        Some(RoleAtOrganization::Known(
            KnownRoleAtOrganization::Engineering
        ))
    );
    assert_eq!(playlist.last_modified_by, None);
    assert_eq!(playlist.recordings_counts["collection"]["count"], json!(2));
}

#[tokio::test]
async fn session_recording_playlists_create_posts_the_body_and_parses_201() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(project_path("session_recording_playlists/"))
                .header("authorization", BEARER)
                .json_body(json!({"type": "collection", "name": "Checkout drop-offs", "pinned": true, "_create_in_folder": "Unfiled/Replay"}));
            then.status(201).json_body(playlist_json("new123"));
        })
        .await;

    let created = client_for(&server)
        .session_recording_playlists_create()
        .project_id(PROJECT)
        .body(SessionRecordingPlaylistCreate {
            pinned: Some(true),
            create_in_folder: Some("Unfiled/Replay".into()),
            ..SessionRecordingPlaylistCreate::collection("Checkout drop-offs")
        })
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.short_id, "new123");
}

#[tokio::test]
async fn session_recording_playlists_retrieve_gets_one_playlist() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/abc123/"))
                .header("authorization", BEARER);
            then.status(200).json_body(playlist_json("abc123"));
        })
        .await;

    let playlist = client_for(&server)
        .session_recording_playlists_retrieve()
        .project_id(PROJECT)
        .short_id("abc123")
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(playlist.short_id, "abc123");
    assert_eq!(playlist.filters, json!({"date_from": "-7d"}));
}

#[tokio::test]
async fn session_recording_playlists_partial_update_sends_only_given_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(project_path("session_recording_playlists/abc123/"))
                .header("authorization", BEARER)
                .json_body(json!({"name": "Renamed", "pinned": true}));
            let mut playlist = playlist_json("abc123");
            playlist["name"] = json!("Renamed");
            playlist["pinned"] = json!(true);
            then.status(200).json_body(playlist);
        })
        .await;

    let updated = client_for(&server)
        .session_recording_playlists_partial_update()
        .project_id(PROJECT)
        .short_id("abc123")
        .body(SessionRecordingPlaylistUpdate {
            name: Some("Renamed".into()),
            pinned: Some(true),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(updated.name.as_deref(), Some("Renamed"));
    assert!(updated.pinned);
}

#[tokio::test]
async fn session_recording_playlists_destroy_surfaces_the_405() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(project_path("session_recording_playlists/abc123/"))
                .header("authorization", BEARER);
            // posthog/api/forbid_destroy_model.py: no body at all.
            then.status(405);
        })
        .await;

    let Err(error) = client_for(&server)
        .session_recording_playlists_destroy()
        .project_id(PROJECT)
        .short_id("abc123")
        .send()
        .await
    else {
        panic!("DELETE must not succeed");
    };

    mock.assert_async().await;
    assert!(
        matches!(
            error,
            Error::HardDeleteNotAllowed {
                operation: "session_recording_playlists_destroy"
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(405));
    assert!(
        error
            .to_string()
            .contains("soft-delete with `Client::soft_delete_session_recording_playlist`"),
        "{error}"
    );
}

#[tokio::test]
async fn session_recording_playlists_recordings_list_sends_the_page_and_parses_it() {
    let body = json!({"results": [{"id": "0190-rec", "viewed": false, "person": {"id": null, "distinct_ids": ["x"]}}], "has_next": false, "version": 4});
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path(
                    "session_recording_playlists/abc123/recordings/",
                ))
                .query_param("limit", "20")
                .query_param("offset", "40")
                .header("authorization", BEARER);
            then.status(200).json_body(body.clone());
        })
        .await;

    let answer = client_for(&server)
        .session_recording_playlists_recordings_list()
        .project_id(PROJECT)
        .short_id("abc123")
        .limit(20)
        .offset(40)
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(
        serde_json::to_value(answer.into_inner()).unwrap(),
        json!({"results": [{"id": "0190-rec", "viewed": false, "person": {"distinct_ids": ["x"]}}], "has_next": false, "version": 4})
    );
}

#[tokio::test]
async fn session_recording_playlists_recordings_add_posts_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(project_path(
                    "session_recording_playlists/abc123/recordings/0190-rec/",
                ))
                .header("authorization", BEARER)
                .body("");
            then.status(200).json_body(json!({"success": true}));
        })
        .await;

    let answer = client_for(&server)
        .session_recording_playlists_recordings_add()
        .project_id(PROJECT)
        .short_id("abc123")
        .session_recording_id("0190-rec")
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert!(answer.success);
}

#[tokio::test]
async fn session_recording_playlists_recordings_remove_deletes_the_item_path() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(project_path(
                    "session_recording_playlists/abc123/recordings/0190-rec/",
                ))
                .header("authorization", BEARER)
                .body("");
            then.status(200).json_body(json!({"success": true}));
        })
        .await;

    let answer = client_for(&server)
        .session_recording_playlists_recordings_remove()
        .project_id(PROJECT)
        .short_id("abc123")
        .session_recording_id("0190-rec")
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert!(answer.success);
}
