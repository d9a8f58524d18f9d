//! The generated typed mocks (`posthog_api::mock`, feature `httpmock`) used
//! the way a downstream crate's tests use them: expectations set through
//! `server.<operation>(|when, then| …)`, each mock hit exactly once.

use std::future::Future;
use std::num::NonZeroU64;

use httpmock::MockServer;
use posthog_api::Error;
use posthog_api::mock::MockServerExt;
use posthog_api::types::{
    ErrorResponse, PaginatedSessionRecordingPlaylistList, SessionRecordingPlaylist,
    SessionRecordingPlaylistCreate,
};

use crate::{PROJECT, client_for, playlist_json};

/// The typed mocks are synchronous; the client is async.
fn block_on<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn playlist(short_id: &str) -> SessionRecordingPlaylist {
    serde_json::from_value(playlist_json(short_id)).unwrap()
}

#[test]
fn list_with_query_parameters() {
    let server = MockServer::start();
    let page = PaginatedSessionRecordingPlaylistList {
        count: 1,
        next: None,
        previous: None,
        results: vec![playlist("abc123")],
    };
    let mock = server.session_recording_playlists_list(|when, then| {
        when.project_id(PROJECT)
            .limit(NonZeroU64::new(25).unwrap())
            .created_by(3)
            .short_id("abc123");
        then.ok(&page);
    });

    let answer = block_on(
        client_for(&server)
            .session_recording_playlists_list()
            .project_id(PROJECT)
            .limit(25)
            .created_by(3)
            .short_id("abc123")
            .send(),
    )
    .unwrap();

    mock.assert();
    assert_eq!(answer.into_inner(), page);
}

#[test]
fn create_answers_201() {
    let server = MockServer::start();
    let body = SessionRecordingPlaylistCreate::collection("Checkout drop-offs");
    let mock = server.session_recording_playlists_create(|when, then| {
        when.project_id(PROJECT).body(&body);
        then.created(&playlist("new123"));
    });

    let created = block_on(
        client_for(&server)
            .session_recording_playlists_create()
            .project_id(PROJECT)
            .body(body.clone())
            .send(),
    )
    .unwrap();

    mock.assert();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.into_inner(), playlist("new123"));
}

#[test]
fn delete_answers_405() {
    let server = MockServer::start();
    let mock = server.session_recording_playlists_destroy(|when, then| {
        when.project_id(PROJECT).short_id("abc123");
        then.method_not_allowed();
    });

    let result = block_on(
        client_for(&server)
            .session_recording_playlists_destroy()
            .project_id(PROJECT)
            .short_id("abc123")
            .send(),
    );

    mock.assert();
    assert!(
        matches!(result, Err(Error::HardDeleteNotAllowed { .. })),
        "{result:?}"
    );
}

#[test]
fn an_error_answer() {
    let server = MockServer::start();
    let mock = server.session_recording_playlists_retrieve(|when, then| {
        when.project_id(PROJECT).short_id("gone");
        then.not_found(&ErrorResponse {
            type_: "invalid_request".into(),
            code: "not_found".into(),
            detail: "Not found.".into(),
            attr: None,
        });
    });

    let error = block_on(
        client_for(&server)
            .session_recording_playlists_retrieve()
            .project_id(PROJECT)
            .short_id("gone")
            .send(),
    )
    .unwrap_err();

    mock.assert();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.body().unwrap().code, "not_found");
}
