//! Responses as real projects send them, not as the docs' example shows:
//! unknown fields, nulls, missing optional fields, enum values added later,
//! and links to other hosts. Every call must succeed with the data intact.

use httpmock::Method::GET;
use httpmock::MockServer;
use posthog_api::RetryPolicy;
use posthog_api::types::{
    KnownPlaylistType, KnownRoleAtOrganization, PlaylistType, RoleAtOrganization,
    SessionRecordingPlaylist,
};
use serde_json::{Value, json};

use crate::{PROJECT, client_for, playlist_json, project_path, retrieve_answered_with};

/// Retrieves playlist `abc123` from a server that answers `body`.
async fn retrieve(body: Value) -> SessionRecordingPlaylist {
    retrieve_answered_with(200, &body.to_string(), RetryPolicy::default())
        .await
        .expect("a real server's playlist parses")
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let mut body = playlist_json("abc123");
    body["is_synthetic"] = json!(true);
    body["_create_in_folder"] = json!("Unfiled");
    body["created_by"]["is_staff"] = json!(false);
    let playlist = retrieve(body).await;
    assert_eq!(playlist.short_id, "abc123");
    assert_eq!(
        playlist.created_by.unwrap().first_name.as_deref(),
        Some("Ada")
    );
}

#[tokio::test]
async fn null_in_every_nullable_field() {
    let playlist = retrieve(json!({
        "id": 1, "short_id": "abc123",
        "name": null, "derived_name": null, "description": null, "pinned": null,
        "created_at": null, "created_by": null, "deleted": null, "filters": null,
        "last_modified_at": null, "last_modified_by": null, "recordings_counts": null,
        "type": null
    }))
    .await;
    assert_eq!(playlist.id, 1);
    assert_eq!(playlist.name, None);
    assert_eq!(playlist.created_by, None);
    assert_eq!(playlist.type_, None);
    assert_eq!(playlist.recordings_counts, None);
}

#[tokio::test]
async fn optional_fields_may_be_missing() {
    let playlist = retrieve(json!({"id": 2, "short_id": "abc123"})).await;
    assert_eq!((playlist.id, playlist.short_id.as_str()), (2, "abc123"));
    assert_eq!(playlist.created_at, None);
    assert_eq!(playlist.filters, None);
}

#[tokio::test]
async fn user_fields_may_be_null_or_missing() {
    let mut body = playlist_json("abc123");
    body["created_by"] = json!({
        "id": 9, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        "distinct_id": null, "first_name": null, "last_name": null,
        "is_email_verified": null, "hedgehog_config": null, "role_at_organization": null
    });
    let user = retrieve(body).await.created_by.unwrap();
    assert_eq!(user.id, 9);
    assert_eq!(user.email, None);
    assert_eq!(user.role_at_organization, None);
}

#[tokio::test]
async fn playlist_types_added_later_stay_visible() {
    let mut body = playlist_json("abc123");
    body["type"] = json!("smart_collection");
    let playlist = retrieve(body).await;
    assert_eq!(
        playlist.type_,
        Some(PlaylistType::Other("smart_collection".into()))
    );

    let mut body = playlist_json("abc123");
    body["type"] = json!("filters");
    let playlist = retrieve(body).await;
    assert_eq!(
        playlist.type_,
        Some(PlaylistType::Known(KnownPlaylistType::Filters))
    );
}

#[tokio::test]
async fn roles_empty_or_added_later_stay_visible() {
    for (sent, expected) in [
        ("", RoleAtOrganization::Other(String::new())),
        ("designer", RoleAtOrganization::Other("designer".into())),
        (
            "founder",
            RoleAtOrganization::Known(KnownRoleAtOrganization::Founder),
        ),
    ] {
        let mut body = playlist_json("abc123");
        body["created_by"]["role_at_organization"] = json!(sent);
        let user = retrieve(body).await.created_by.unwrap();
        assert_eq!(user.role_at_organization, Some(expected), "role {sent:?}");
    }
}

#[tokio::test]
async fn recording_counts_keep_whatever_the_server_sends() {
    let mut body = playlist_json("abc123");
    body["recordings_counts"] = json!({
        "saved_filters": {"count": null, "has_more": true, "last_refreshed_at": "2025-01-02T03:04:05Z"}
    });
    let counts = retrieve(body).await.recordings_counts.unwrap();
    assert_eq!(counts["saved_filters"]["has_more"], json!(true));
    assert_eq!(counts["saved_filters"]["count"], Value::Null);
}

#[tokio::test]
async fn page_links_may_point_at_another_host() {
    let server = MockServer::start_async().await;
    let next = "http://posthog-web.internal:8000/api/environments/4242/session_recording_playlists/?limit=1&offset=1";
    let previous =
        "https://proxy.example.com/api/environments/4242/session_recording_playlists/?limit=1";
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(project_path("session_recording_playlists/"));
            then.status(200).json_body(json!({
                "count": 3, "next": next, "previous": previous,
                "results": [playlist_json("abc123")]
            }));
        })
        .await;
    let page = client_for(&server)
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(page.next.as_deref(), Some(next));
    assert_eq!(page.previous.as_deref(), Some(previous));
}
