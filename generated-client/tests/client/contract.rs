//! The client and the spec agree on the wire. Each of the spec's operations
//! is called through the generated client against Prism serving the spec.
//! Prism checks every request against the spec and lists what is wrong in
//! the `sl-violations` response header: there must be none, and the client
//! must parse every answer Prism builds from the spec's examples.

use std::collections::BTreeSet;

use posthog_api::types::{
    KnownPlaylistType, PlaylistCollectionType, PlaylistOrder, QueryNode, QueryUpgradeRequest,
    SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
};
use posthog_api::{Client, Error, Host, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use crate::prism::Prism;
use crate::spec;

const API_KEY: &str = "phx_contract_test_key";
const PROJECT: &str = "4242";
const SHORT_ID: &str = "abc123";
const RECORDING: &str = "0190a1b2-rec";

/// Asserts Prism found nothing wrong with the request, then hands back the
/// parsed answer.
#[track_caller]
fn conforming<T>(operation: &str, result: Result<ResponseValue<T>, Error>) -> ResponseValue<T> {
    // The client's errors name the operation already.
    let answer = result.unwrap_or_else(|error| panic!("{error}"));
    assert_no_violations(operation, answer.headers());
    answer
}

#[track_caller]
fn assert_no_violations(operation: &str, headers: &HeaderMap) {
    if let Some(violations) = headers.get("sl-violations") {
        panic!("{operation}: Prism says the request breaks the spec: {violations:?}");
    }
}

#[test]
#[should_panic(expected = "query_draft_sql: Prism says the request breaks the spec")]
fn a_reported_violation_fails_the_contract_test() {
    let mut headers = HeaderMap::new();
    let violation =
        r#"[{"location":["request"],"severity":"Error","message":"Invalid security scheme used"}]"#;
    headers.insert("sl-violations", HeaderValue::from_static(violation));
    assert_no_violations("query_draft_sql", &headers);
}

fn client(prism: &Prism) -> Client {
    Client::with_api_key(Host::self_hosted(&prism.base_url()).unwrap(), API_KEY).unwrap()
}

/// The DELETE documents no 2xx, so Prism would answer its lowest documented
/// status (401); `Prefer: code=405` asks for the one the server sends.
fn client_preferring_405(prism: &Prism) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert("prefer", HeaderValue::from_static("code=405"));
    let http = posthog_api::http_client_builder()
        .unwrap()
        .default_headers(headers)
        .build()
        .unwrap();
    Client::builder(Host::self_hosted(&prism.base_url()).unwrap(), API_KEY)
        .http_client(http)
        .build()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Prism: run cargo xtask ci"]
async fn every_operation_passes_prism_and_parses_its_answer() {
    let prism = Prism::start();
    let client = client(&prism);
    let mut called = BTreeSet::new();

    let op = "query_check_auth_for_async";
    let answer = conforming(
        op,
        client
            .query_check_auth_for_async()
            .project_id(PROJECT)
            .send()
            .await,
    );
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.user, "ok", "{op}");
    called.insert(op);

    let op = "query_draft_sql";
    let request = client
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews per day")
        .current_query("SELECT 1");
    let answer = conforming(op, request.send().await);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(!answer.sql.is_empty(), "{op}: {:?}", *answer);
    called.insert(op);

    let op = "query_upgrade";
    let query: QueryNode =
        serde_json::from_value(json!({"kind": "EventsNode", "event": "$pageview"})).unwrap();
    let request = client
        .query_upgrade()
        .project_id(PROJECT)
        .body(QueryUpgradeRequest { query });
    let answer = conforming(op, request.send().await);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(!answer.query.kind.is_empty(), "{op}: {:?}", *answer);
    called.insert(op);

    let op = "session_recording_playlists_list";
    let request = client
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .created_by(3)
        .collection_type(PlaylistCollectionType::Custom)
        .date_from("-7d")
        .date_to("2025-01-31")
        .order(PlaylistOrder::MinusName)
        .pinned(true)
        .search("checkout")
        .session_recording_id(RECORDING)
        .type_(KnownPlaylistType::Collection)
        .user(true)
        .limit(2)
        .offset(4);
    // `short_id` is deprecated (the server ignores it), and Prism says so.
    let page = conforming(op, request.send().await);
    assert_eq!(page.status(), StatusCode::OK);
    assert!(!page.results.is_empty(), "{op}: {:?}", *page);
    called.insert(op);

    let op = "session_recording_playlists_create";
    let body = SessionRecordingPlaylistCreate {
        description: Some("Sessions that left on the payment page.".into()),
        pinned: Some(true),
        create_in_folder: Some("Unfiled/Replay".into()),
        ..SessionRecordingPlaylistCreate::saved_filters(
            "Checkout drop-offs",
            json!({"date_from": "-7d"}),
        )
        .unwrap()
    };
    let request = client
        .session_recording_playlists_create()
        .project_id(PROJECT)
        .body(body);
    let created = conforming(op, request.send().await);
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(!created.short_id.is_empty(), "{op}: {:?}", *created);
    called.insert(op);

    let op = "session_recording_playlists_retrieve";
    let request = client
        .session_recording_playlists_retrieve()
        .project_id(PROJECT)
        .short_id(SHORT_ID);
    let playlist = conforming(op, request.send().await);
    assert_eq!(playlist.status(), StatusCode::OK);
    assert!(playlist.created_by.is_some(), "{op}: {:?}", *playlist);
    called.insert(op);

    let op = "session_recording_playlists_partial_update";
    let body = SessionRecordingPlaylistUpdate {
        name: Some("Renamed".into()),
        deleted: Some(true),
        ..Default::default()
    };
    let request = client
        .session_recording_playlists_partial_update()
        .project_id(PROJECT)
        .short_id(SHORT_ID)
        .body(body);
    let updated = conforming(op, request.send().await);
    assert_eq!(updated.status(), StatusCode::OK);
    assert!(updated.deleted, "{op}: {:?}", *updated);
    called.insert(op);

    // Prism answers the preferred 405 only to a request that passes its
    // checks (otherwise 401, 400 or 422), and the client keeps no headers
    // for this error, so the 405 itself is the proof of conformance here.
    let op = "session_recording_playlists_destroy";
    let result = client_preferring_405(&prism)
        .session_recording_playlists_destroy()
        .project_id(PROJECT)
        .short_id(SHORT_ID)
        .send()
        .await;
    let error = result
        .err()
        .unwrap_or_else(|| panic!("{op}: a hard delete must fail"));
    assert!(
        matches!(error, Error::HardDeleteNotAllowed { operation } if operation == op),
        "{op}: expected the typed 405, got {error:?}"
    );
    assert_eq!(error.status(), Some(StatusCode::METHOD_NOT_ALLOWED));
    called.insert(op);

    let op = "session_recording_playlists_recordings_list";
    let request = client
        .session_recording_playlists_recordings_list()
        .project_id(PROJECT)
        .short_id(SHORT_ID)
        .limit(20)
        .offset(40);
    let answer = conforming(op, request.send().await);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(!answer.results.is_empty(), "{op}: {:?}", *answer);
    called.insert(op);

    let op = "session_recording_playlists_recordings_add";
    let request = client
        .session_recording_playlists_recordings_add()
        .project_id(PROJECT)
        .short_id(SHORT_ID)
        .session_recording_id(RECORDING);
    let answer = conforming(op, request.send().await);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.success, "{op}");
    called.insert(op);

    let op = "session_recording_playlists_recordings_remove";
    let request = client
        .session_recording_playlists_recordings_remove()
        .project_id(PROJECT)
        .short_id(SHORT_ID)
        .session_recording_id(RECORDING);
    let answer = conforming(op, request.send().await);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.success, "{op}");
    called.insert(op);

    let in_spec: BTreeSet<String> = spec::operations(&spec::load())
        .iter()
        .map(spec::id)
        .collect();
    let called: BTreeSet<String> = called.into_iter().map(str::to_owned).collect();
    assert_eq!(
        called, in_spec,
        "call every operation of the spec here, and only those"
    );
}
