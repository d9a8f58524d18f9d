//! A playlist's kind, asked in a word: `is_collection`, `is_saved_filters`
//! and `known_type` read `type` as PostHog sends it, for real playlists,
//! synthetic ones and those saved before PostHog had kinds.

use futures_util::TryStreamExt;
use posthog_api::types::{KnownPlaylistType, SessionRecordingPlaylist};
use posthog_api::{Client, Host};
use posthog_fake::FakePostHog;
use serde_json::{Value, json};

use crate::playlist_json;

fn with_type(kind: Value) -> SessionRecordingPlaylist {
    let mut body = playlist_json("abc123");
    body["type"] = kind;
    serde_json::from_value(body).unwrap()
}

#[test]
fn each_kind_answers_its_own_question_only() {
    let cases = [
        (
            json!("collection"),
            Some(KnownPlaylistType::Collection),
            (true, false),
        ),
        (
            json!("filters"),
            Some(KnownPlaylistType::Filters),
            (false, true),
        ),
        // Saved before PostHog had kinds.
        (Value::Null, None, (false, false)),
        // A kind PostHog adds later stays text, and is neither.
        (json!("smart"), None, (false, false)),
    ];
    for (sent, known, (collection, saved_filters)) in cases {
        let playlist = with_type(sent.clone());
        assert_eq!(playlist.known_type(), known, "{sent}");
        assert_eq!(
            (playlist.is_collection(), playlist.is_saved_filters()),
            (collection, saved_filters),
            "{sent}"
        );
    }
}

#[tokio::test]
async fn the_fakes_synthetic_playlists_are_collections_that_say_they_are_synthetic() {
    let fake = FakePostHog::start().unwrap();
    let client = Client::with_api_key(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .unwrap();
    let all: Vec<SessionRecordingPlaylist> = client
        .session_recording_playlists_all(fake.project_id(), 100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        7,
        "the fake starts with PostHog's synthetic playlists only"
    );
    for playlist in &all {
        assert!(
            playlist.is_synthetic && playlist.is_collection(),
            "{playlist:?}"
        );
        assert!(!playlist.is_saved_filters(), "{playlist:?}");
        // What `create_synthetic_playlist_instance` leaves out.
        assert_eq!(
            (
                &playlist.created_by,
                &playlist.created_at,
                &playlist.last_modified_at
            ),
            (&None, &None, &None),
            "{}",
            playlist.short_id
        );
    }
}
