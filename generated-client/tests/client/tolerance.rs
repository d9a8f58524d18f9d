//! Responses as real projects send them, not as the docs' example shows:
//! unknown fields, nulls where PostHog sends them (synthetic playlists
//! included), enum values added later, and links to other hosts. Every such
//! call must succeed with the data intact. And the other side: an answer
//! without a field PostHog's serializer always sends, or with null where it
//! never sends one, is refused, so the types say what the server does.

use httpmock::Method::GET;
use httpmock::MockServer;
use posthog_api::types::{
    KnownPlaylistType, KnownRoleAtOrganization, PlaylistType, RoleAtOrganization,
    SessionRecordingPlaylist,
};
use posthog_api::{Error, RetryPolicy};
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
    body["user_access_level"] = json!("editor");
    body["_create_in_folder"] = json!("Unfiled");
    body["created_by"]["is_staff"] = json!(false);
    let playlist = retrieve(body).await;
    assert_eq!(playlist.short_id, "abc123");
    assert_eq!(playlist.created_by.unwrap().first_name, "Ada");
}

#[tokio::test]
async fn null_in_every_nullable_field() {
    let mut body = playlist_json("abc123");
    for field in [
        "name",
        "derived_name",
        "created_at",
        "created_by",
        "last_modified_at",
        "last_modified_by",
        "type",
    ] {
        body[field] = Value::Null;
    }
    let playlist = retrieve(body).await;
    assert_eq!(playlist.id, 17);
    assert_eq!(playlist.name, None);
    assert_eq!(playlist.created_by, None);
    assert_eq!(playlist.last_modified_at, None);
    assert_eq!(playlist.type_, None);
    assert!(!playlist.is_collection() && !playlist.is_saved_filters());
}

/// A synthetic playlist as PostHog builds it in code
/// (session_recording_playlist_api.py, `create_synthetic_playlist_instance`):
/// no creator, no timestamps, no derived name.
#[tokio::test]
async fn a_synthetic_playlist_parses_with_its_nulls() {
    let playlist = retrieve(json!({
        "id": -1, "short_id": "synthetic-watch-history", "name": "Watch history",
        "derived_name": null, "description": "Recordings you have watched",
        "pinned": false, "created_at": null, "created_by": null, "deleted": false,
        "filters": {}, "last_modified_at": null, "last_modified_by": null,
        "recordings_counts": {"collection": {"count": null, "has_more": false}},
        "type": "collection", "is_synthetic": true
    }))
    .await;
    assert!(playlist.is_synthetic && playlist.is_collection());
    assert_eq!((playlist.created_at, playlist.created_by), (None, None));
    assert_eq!(playlist.filters, json!({}));
}

/// The fields PostHog's serializer sends in every answer, and those it never
/// sends as null (session_recording_playlist_api.py,
/// `SessionRecordingPlaylistSerializer`; the spec cites each).
const ALWAYS_SENT: [&str; 15] = [
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
const NEVER_NULL: [&str; 7] = [
    "id",
    "short_id",
    "description",
    "pinned",
    "deleted",
    "recordings_counts",
    "is_synthetic",
];

#[test]
fn a_playlist_missing_a_field_the_server_always_sends_is_refused() {
    let whole: Result<SessionRecordingPlaylist, _> = serde_json::from_value(playlist_json("a"));
    assert!(whole.is_ok(), "{whole:?}");
    for field in ALWAYS_SENT {
        let mut body = playlist_json("abc123");
        body.as_object_mut().unwrap().remove(field);
        let parsed: Result<SessionRecordingPlaylist, _> = serde_json::from_value(body);
        let error = parsed.expect_err(field).to_string();
        assert!(
            error.contains(&format!("missing field `{field}`")),
            "{error}"
        );
    }
}

#[tokio::test]
async fn an_answer_without_a_field_posthog_always_sends_is_an_invalid_response() {
    let mut body = playlist_json("abc123");
    body.as_object_mut().unwrap().remove("pinned");
    let error = retrieve_answered_with(200, &body.to_string(), RetryPolicy::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidResponse { .. }) && error.to_string().contains("pinned"),
        "{error:?}"
    );
}

#[test]
fn null_where_the_server_never_sends_it_is_refused() {
    for field in NEVER_NULL {
        let mut body = playlist_json("abc123");
        body[field] = Value::Null;
        let parsed: Result<SessionRecordingPlaylist, _> = serde_json::from_value(body);
        assert!(parsed.is_err(), "{field}: {parsed:?}");
    }
}

#[tokio::test]
async fn user_fields_may_be_null_where_the_user_model_allows() {
    let mut body = playlist_json("abc123");
    body["created_by"] = json!({
        "id": 9, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        "distinct_id": null, "first_name": "", "last_name": "", "email": "ada@example.com",
        "is_email_verified": null, "hedgehog_config": null, "role_at_organization": null
    });
    let user = retrieve(body).await.created_by.unwrap();
    assert_eq!(user.id, 9);
    assert_eq!(
        (user.first_name.as_str(), user.email.as_str()),
        ("", "ada@example.com")
    );
    assert_eq!((user.distinct_id, user.is_email_verified), (None, None));
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
    let counts = retrieve(body).await.recordings_counts;
    assert_eq!(counts["saved_filters"]["has_more"], json!(true));
    assert_eq!(counts["saved_filters"]["count"], Value::Null);
}

#[tokio::test]
async fn page_links_may_point_at_another_host() {
    let server = MockServer::start_async().await;
    let next = "http://posthog-web.internal:8000/api/projects/4242/session_recording_playlists/?limit=1&offset=1";
    let previous =
        "https://proxy.example.com/api/projects/4242/session_recording_playlists/?limit=1";
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
