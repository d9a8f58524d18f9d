//! The client's conveniences against the behavioural fake, which enforces
//! PostHog's behaviour: what each costs in requests, and that it works for
//! both kinds of playlist.

use std::collections::BTreeSet;

use codegen::model::OperationModel;
use futures_util::{StreamExt, TryStreamExt};
use posthog_api::types::{
    KnownPlaylistType, PlaylistCollectionType, PlaylistOrder, PlaylistType,
    SessionRecordingPlaylist, SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
};
use posthog_api::{Client, Error, Host, RecordingRemoval, RetryPolicy};
use posthog_fake::{Endpoint, FakePostHog, Fault};
use serde_json::{Value, json};

use crate::scripted::{Reply, ScriptedServer};

fn client(fake: &FakePostHog, key: &str) -> Client {
    Client::with_api_key(Host::self_hosted(&fake.url()).unwrap(), key).unwrap()
}

async fn create(
    client: &Client,
    project: &str,
    body: SessionRecordingPlaylistCreate,
) -> SessionRecordingPlaylist {
    client
        .session_recording_playlists_create()
        .project_id(project)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
}

fn saved_filters() -> SessionRecordingPlaylistCreate {
    SessionRecordingPlaylistCreate::saved_filters(
        "Rage clicks",
        json!({"events": [{"id": "$rageclick"}]}),
    )
    .unwrap()
}

/// The requests the fake saw after the first `skip`, as `METHOD path`.
fn requests_after(fake: &FakePostHog, skip: usize) -> Vec<String> {
    fake.requests()
        .into_iter()
        .skip(skip)
        .map(|request| request.split('?').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_constructors_create_both_kinds_as_the_server_accepts_them() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let collection = create(
        &client,
        fake.project_id(),
        SessionRecordingPlaylistCreate::collection("Checkout"),
    )
    .await;
    assert_eq!(
        collection.type_,
        Some(PlaylistType::Known(KnownPlaylistType::Collection))
    );
    assert_eq!(collection.name.as_deref(), Some("Checkout"));
    let saved = create(&client, fake.project_id(), saved_filters()).await;
    assert_eq!(
        saved.type_,
        Some(PlaylistType::Known(KnownPlaylistType::Filters))
    );
    assert_eq!(saved.filters, json!({"events": [{"id": "$rageclick"}]}));
}

#[test]
fn saved_filters_without_filters_fail_before_any_request() {
    for filters in [json!({}), json!(null), json!([]), json!("date_from=-7d")] {
        let error =
            SessionRecordingPlaylistCreate::saved_filters("x", filters.clone()).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { operation: "session_recording_playlists_create", message } if message.contains("needs filters")),
            "{filters}: {error:?}"
        );
    }
}

#[tokio::test]
async fn soft_delete_by_short_id_works_for_both_kinds_in_two_requests() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let project = fake.project_id();
    for body in [
        SessionRecordingPlaylistCreate::collection("c"),
        saved_filters(),
    ] {
        let playlist = create(&client, project, body).await;
        let before = fake.requests().len();
        let deleted = client
            .soft_delete_session_recording_playlist(project, &playlist.short_id)
            .await
            .unwrap_or_else(|error| panic!("{:?}: {error}", playlist.type_));
        assert!(deleted.deleted);
        assert_eq!(deleted.filters, playlist.filters, "the filters are kept");
        let path = format!(
            "/api/projects/{project}/session_recording_playlists/{}/",
            playlist.short_id
        );
        assert_eq!(
            requests_after(&fake, before),
            [format!("GET {path}"), format!("PATCH {path}")]
        );
        let gone = client
            .session_recording_playlists_retrieve()
            .project_id(project)
            .short_id(&playlist.short_id)
            .send()
            .await
            .unwrap_err();
        assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
    }
}

#[tokio::test]
async fn soft_delete_of_a_fetched_playlist_is_one_request() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let saved = create(&client, fake.project_id(), saved_filters()).await;
    let before = fake.requests().len();
    let deleted = client
        .soft_delete_fetched_session_recording_playlist(fake.project_id(), &saved)
        .await
        .unwrap();
    assert!(deleted.deleted);
    assert_eq!(requests_after(&fake, before).len(), 1);
}

#[tokio::test]
async fn a_patch_without_the_saved_filters_is_what_the_server_refuses() {
    // What the soft delete works around: `deleted: true` alone.
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let saved = create(&client, fake.project_id(), saved_filters()).await;
    let error = client
        .session_recording_playlists_partial_update()
        .project_id(fake.project_id())
        .short_id(&saved.short_id)
        .body(SessionRecordingPlaylistUpdate {
            deleted: Some(true),
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        api.body().unwrap().detail,
        "You cannot remove all filters when updating a saved filter"
    );
    // `for_playlist` carries the filters, so the same change goes through.
    let updated = client
        .session_recording_playlists_partial_update()
        .project_id(fake.project_id())
        .short_id(&saved.short_id)
        .body(SessionRecordingPlaylistUpdate {
            name: Some("renamed".into()),
            ..SessionRecordingPlaylistUpdate::for_playlist(&saved)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("renamed"));
}

#[tokio::test]
async fn soft_delete_reports_what_the_server_refuses() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let synthetic = client
        .session_recording_playlists_retrieve()
        .project_id(fake.project_id())
        .short_id("synthetic-watch-history")
        .send()
        .await
        .unwrap();
    let error = client
        .soft_delete_fetched_session_recording_playlist(fake.project_id(), &synthetic)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Cannot update synthetic playlists"),
        "{error}"
    );
    let error = client
        .soft_delete_session_recording_playlist(fake.project_id(), "no-such-playlist")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn every_action_that_refuses_personal_keys_gives_the_typed_error() {
    let fake = FakePostHog::builder().scopes(&["*"]).start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let project = fake.project_id();
    let playlist = create(
        &client,
        project,
        SessionRecordingPlaylistCreate::collection("c"),
    )
    .await;
    let query = serde_json::from_value(json!({"kind": "EventsNode"})).unwrap();
    let errors = [
        client
            .query_check_auth_for_async()
            .project_id(project)
            .send()
            .await
            .err(),
        client
            .query_draft_sql()
            .project_id(project)
            .prompt("x")
            .send()
            .await
            .err(),
        client
            .query_upgrade()
            .project_id(project)
            .body(posthog_api::types::QueryUpgradeRequest { query })
            .send()
            .await
            .err(),
        client
            .session_recording_playlists_recordings_add()
            .project_id(project)
            .short_id(&playlist.short_id)
            .session_recording_id("r1")
            .send()
            .await
            .err(),
    ];
    for error in errors {
        let error = error.expect("refused");
        assert!(
            matches!(error, Error::PersonalApiKeyRefused(_)),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .contains("No scope added to the key helps"),
            "{error}"
        );
    }
}

/// A collection that holds `recordings`, made and filled with `session`.
async fn collection_holding(
    session: &Client,
    fake: &FakePostHog,
    recordings: &[String],
) -> SessionRecordingPlaylist {
    let project = fake.project_id();
    let playlist = create(
        session,
        project,
        SessionRecordingPlaylistCreate::collection("c"),
    )
    .await;
    for id in recordings {
        session
            .session_recording_playlists_recordings_add()
            .project_id(project)
            .short_id(&playlist.short_id)
            .session_recording_id(id)
            .send()
            .await
            .unwrap();
    }
    playlist
}

/// A client for `key` whose retries wait a millisecond.
fn quick_client(fake: &FakePostHog, key: &str) -> Client {
    Client::builder(Host::self_hosted(&fake.url()).unwrap(), key)
        .retry(RetryPolicy::default().first_backoff(std::time::Duration::from_millis(1)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn removing_a_recording_says_whether_the_playlist_held_it() {
    let fake = FakePostHog::start().unwrap();
    let session = quick_client(&fake, fake.session_token());
    let project = fake.project_id();
    let recording = fake.recording_ids()[0].clone();
    let playlist = collection_holding(&session, &fake, std::slice::from_ref(&recording)).await;
    let remove =
        || session.remove_session_recording_from_playlist(project, &playlist.short_id, &recording);
    let before = fake.requests().len();
    assert_eq!(remove().await.unwrap(), RecordingRemoval::Removed);
    assert_eq!(requests_after(&fake, before).len(), 1, "one DELETE");
    // PostHog answers 500 for the item it no longer finds (retried, as any 500 of an
    // operation safe to repeat); the list says the playlist does not hold it.
    let before = fake.requests().len();
    assert_eq!(remove().await.unwrap(), RecordingRemoval::NotInPlaylist);
    let made = requests_after(&fake, before);
    assert_eq!(made.len(), 4, "3 DELETEs, then the list: {made:?}");
    assert!(made[3].starts_with("GET "), "{made:?}");
    assert!(
        fake.requests()
            .last()
            .unwrap()
            .contains("collection_type=custom&limit=500&offset=0&session_recording_id="),
        "{:?}",
        fake.requests().last()
    );
}

#[tokio::test]
async fn a_500_while_the_playlist_holds_the_recording_is_the_error() {
    let fake = FakePostHog::start().unwrap();
    let session = quick_client(&fake, fake.session_token());
    let project = fake.project_id();
    let playlist = collection_holding(&session, &fake, &["r1".to_owned()]).await;
    // PostHog failing, not the item missing: every attempt answers 500 first.
    fake.fail_next(Endpoint::RemoveRecording, 3, Fault::status(500));
    let error = session
        .remove_session_recording_from_playlist(project, &playlist.short_id, "r1")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(api) if api.status() == 500 && api.attempts() == 3),
        "{error:?}"
    );
    assert_eq!(
        error.operation(),
        Some("session_recording_playlists_recordings_remove")
    );
    // It is still there, and removing it now works.
    assert_eq!(
        session
            .remove_session_recording_from_playlist(project, &playlist.short_id, "r1")
            .await
            .unwrap(),
        RecordingRemoval::Removed
    );
}

#[tokio::test]
async fn removing_needs_a_legacy_key_or_a_session() {
    for (scopes, refused) in [(&["*"][..], true), (&[][..], false)] {
        let fake = FakePostHog::builder().scopes(scopes).start().unwrap();
        let client = quick_client(&fake, fake.personal_api_key());
        let playlist = create(
            &client,
            fake.project_id(),
            SessionRecordingPlaylistCreate::collection("c"),
        )
        .await;
        let answer = client
            .remove_session_recording_from_playlist(fake.project_id(), &playlist.short_id, "r1")
            .await;
        if refused {
            assert!(
                matches!(answer, Err(Error::PersonalApiKeyRefused(_))),
                "{answer:?}"
            );
        } else {
            assert_eq!(answer.unwrap(), RecordingRemoval::NotInPlaylist);
        }
    }
}

#[tokio::test]
async fn the_list_filters_are_sent_as_posthog_reads_them() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    let project = fake.project_id();
    let pinned = create(
        &client,
        project,
        SessionRecordingPlaylistCreate {
            pinned: Some(true),
            ..SessionRecordingPlaylistCreate::collection("Checkout")
        },
    )
    .await;
    create(&client, project, saved_filters()).await;
    let before = fake.requests().len();
    let page = client
        .session_recording_playlists_list()
        .project_id(project)
        .search("CHECK")
        .order(PlaylistOrder::MinusName)
        .type_(KnownPlaylistType::Collection)
        .collection_type(PlaylistCollectionType::Custom)
        .pinned(true)
        .date_from("-1d")
        .send()
        .await
        .unwrap();
    let listed: Vec<&str> = page.results.iter().map(|p| p.short_id.as_str()).collect();
    assert_eq!((page.count, listed), (1, vec![pinned.short_id.as_str()]));
    let sent = &fake.requests()[before];
    assert!(
        sent.ends_with(
            "?collection_type=custom&date_from=-1d&order=-name&pinned=true&search=CHECK&type=collection"
        ),
        "{sent}"
    );
}

#[tokio::test]
async fn the_recordings_pager_follows_has_next() {
    // Saved-filters and synthetic playlists page with `limit` and `offset`.
    let page = |ids: &[&str], has_next: bool| {
        let results: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"results": results, "has_next": has_next, "version": 4}).to_string()
    };
    let server = ScriptedServer::start(vec![
        Reply::Json(200, vec![], page(&["a", "b"], true)),
        Reply::Json(200, vec![], page(&["c", "d"], true)),
        Reply::Json(200, vec![], page(&["e"], false)),
    ]);
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), "phx_k")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .session_recording_playlist_recordings_all("1", "abc", 2)
        .map_ok(|recording| recording.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let targets: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
    assert_eq!(targets.len(), 3, "2 + 2 + 1: {targets:?}");
    assert!(
        targets[2].ends_with("recordings/?limit=2&offset=4"),
        "{targets:?}"
    );
}

#[tokio::test]
async fn a_collection_of_more_than_fifty_yields_its_first_page_then_stalls() {
    // PostHog answers a collection's first 50 whatever the offset
    // (session_recording_playlist_api.py, `recordings`).
    let fake = FakePostHog::builder().recordings(51).start().unwrap();
    let session = client(&fake, fake.session_token());
    let project = fake.project_id();
    let playlist = collection_holding(&session, &fake, &fake.recording_ids()).await;
    let items: Vec<Result<String, Error>> = client(&fake, fake.personal_api_key())
        .session_recording_playlist_recordings_all(project, &playlist.short_id, 20)
        .map_ok(|recording| recording.id)
        .collect()
        .await;
    let mut newest_added_first = fake.recording_ids();
    newest_added_first.reverse();
    let yielded: Vec<String> = items
        .iter()
        .filter_map(|item| item.as_ref().ok().cloned())
        .collect();
    assert_eq!(
        yielded,
        newest_added_first[..50],
        "each once, newest added first"
    );
    assert!(
        matches!(items.last(), Some(Err(Error::PaginationStalled { .. }))),
        "{:?}",
        items.last()
    );
}

#[tokio::test]
async fn the_recordings_pager_stops_when_the_server_repeats_a_page() {
    // Newer PostHog servers ignore `offset` for collections.
    let page =
        json!({"results": [{"id": "a"}, {"id": "b"}], "has_next": true, "version": 4}).to_string();
    let server = ScriptedServer::start(vec![
        Reply::Json(200, vec![], page.clone()),
        Reply::Json(200, vec![], page),
    ]);
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), "phx_k")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let items: Vec<Result<String, Error>> = client
        .session_recording_playlist_recordings_all("1", "abc", 2)
        .map_ok(|recording| recording.id)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_deref().unwrap(), "a");
    assert_eq!(items[1].as_deref().unwrap(), "b");
    let Err(Error::PaginationStalled { next }) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(next, "…/recordings/?limit=2&offset=4");
    let targets: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
    assert!(
        targets[1].ends_with("recordings/?limit=2&offset=2"),
        "{targets:?}"
    );
}

#[tokio::test]
async fn a_throttled_get_is_retried_after_retry_after() {
    let fake = FakePostHog::start().unwrap();
    fake.throttle_next(1, 0);
    let page = client(&fake, fake.personal_api_key())
        .session_recording_playlists_list()
        .project_id(fake.project_id())
        .send()
        .await
        .unwrap();
    assert_eq!(page.count, 7);
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn paging_through_the_list_yields_each_playlist_once() {
    let fake = FakePostHog::start().unwrap();
    let client = client(&fake, fake.personal_api_key());
    for name in ["a", "b", "c"] {
        create(
            &client,
            fake.project_id(),
            SessionRecordingPlaylistCreate::collection(name),
        )
        .await;
    }
    let all: Vec<SessionRecordingPlaylist> = client
        .session_recording_playlists_all(fake.project_id(), 4)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 10, "7 synthetic + 3");
    let mut short_ids: Vec<&str> = all.iter().map(|p| p.short_id.as_str()).collect();
    short_ids.dedup();
    assert_eq!(short_ids.len(), 10);
    assert_eq!(fake.requests().len(), 3 + 3, "3 creates, 3 pages");
}

/// The fake's answers, each checked against the success response the spec
/// gives its operation and status, as `codegen::model` reads it; and which
/// operations were checked.
struct AnswerCheck<'s> {
    operations: Vec<OperationModel<'s>>,
    spec: &'s Value,
    http: reqwest::Client,
    url: String,
    project: String,
    token: String,
    checked: BTreeSet<&'s str>,
    shortfalls: Vec<String>,
}

impl<'s> AnswerCheck<'s> {
    fn new(spec: &'s Value, fake: &FakePostHog) -> Self {
        Self {
            operations: crate::spec::operations(spec),
            spec,
            // This crate's TLS setup: under the default features reqwest
            // has no crypto provider of its own.
            http: posthog_api::http_client_builder().unwrap().build().unwrap(),
            url: fake.url(),
            project: fake.project_id().to_owned(),
            // A session passes every scope check, the actions that refuse
            // personal API keys included.
            token: fake.session_token().to_owned(),
            checked: BTreeSet::new(),
            shortfalls: Vec::new(),
        }
    }

    /// Calls operation `id` at the spec's path with `params` in its
    /// `{name}`s, `query` after it and `body` as JSON, records where the
    /// answer falls short of the spec, and hands the answer back.
    async fn call(
        &mut self,
        id: &str,
        params: &[(&str, &str)],
        query: &str,
        body: Option<Value>,
    ) -> Value {
        let operation = self
            .operations
            .iter()
            .find(|operation| operation.id == Some(id))
            .unwrap_or_else(|| panic!("{id} is not an operation of the spec"));
        let mut path = operation
            .operation
            .path
            .replace("{project_id}", &self.project);
        for (name, value) in params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        assert!(!path.contains('{'), "{id}: {path} needs more params");
        let method = reqwest::Method::from_bytes(operation.http_method().as_bytes()).unwrap();
        let mut request = self
            .http
            .request(method, format!("{}{path}{query}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status();
        let answer: Value = answer.json().await.unwrap();
        let response = operation
            .successes()
            .find(|response| response.status == status.as_str())
            .unwrap_or_else(|| panic!("{id}: no success response {status} in the spec: {answer}"));
        let schema = response
            .schema()
            .unwrap_or_else(|| panic!("{id}: the spec's {status} has no body, the fake's has"));
        let id = operation.id.unwrap();
        self.shortfalls.extend(
            codegen::model::shortfalls(self.spec, schema, &answer)
                .iter()
                .map(|shortfall| format!("{id}: {shortfall}")),
        );
        self.checked.insert(id);
        answer
    }

    /// The operations with a JSON success body that no call checked.
    fn unchecked(&self) -> Vec<String> {
        self.operations
            .iter()
            .filter(|operation| {
                operation.successes().any(|response| {
                    response.schema().is_some()
                        && response
                            .media()
                            .is_some_and(|(kind, _)| kind.contains("json"))
                })
            })
            .map(crate::spec::id)
            .filter(|id| !self.checked.contains(id.as_str()))
            .collect()
    }
}

/// The fake is written from PostHog's serializers, not from the spec; it
/// must still send every field the spec requires, at every depth, and null
/// only where the spec allows it, in every success answer of every
/// operation (synthetic playlists included), or the client's strict types
/// would not parse what the fake proves.
#[tokio::test]
async fn every_answer_of_the_fake_has_what_the_spec_requires() {
    let spec = crate::spec::load();
    let fake = FakePostHog::start().unwrap();
    let mut check = AnswerCheck::new(&spec, &fake);

    check
        .call("query_check_auth_for_async", &[], "", None)
        .await;
    check
        .call("query_draft_sql", &[], "?prompt=pageviews", None)
        .await;
    let query = json!({"query": {"kind": "EventsNode", "event": "$pageview"}});
    check.call("query_upgrade", &[], "", Some(query)).await;

    let create = "session_recording_playlists_create";
    let collection = check
        .call(
            create,
            &[],
            "",
            Some(json!({"type": "collection", "name": "c"})),
        )
        .await;
    let saved_filters = json!({"type": "filters", "filters": {"events": [{"id": "$rageclick"}]}});
    let saved = check.call(create, &[], "", Some(saved_filters)).await;
    let (collection, saved) = (
        collection["short_id"].as_str().unwrap().to_owned(),
        saved["short_id"].as_str().unwrap().to_owned(),
    );

    let update = "session_recording_playlists_partial_update";
    let renamed = json!({"name": "renamed"});
    check
        .call(update, &[("short_id", &collection)], "", Some(renamed))
        .await;
    let refiltered = json!({"description": "d", "filters": {"date_from": "-1d"}});
    check
        .call(update, &[("short_id", &saved)], "", Some(refiltered))
        .await;

    let add = "session_recording_playlists_recordings_add";
    for recording in fake.recording_ids() {
        let params = [
            ("short_id", collection.as_str()),
            ("session_recording_id", &recording),
        ];
        check.call(add, &params, "", None).await;
    }

    let page = check
        .call("session_recording_playlists_list", &[], "?limit=100", None)
        .await;
    let short_ids: Vec<String> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|playlist| playlist["short_id"].as_str().unwrap().to_owned())
        .collect();
    let synthetic = short_ids.iter().filter(|id| id.starts_with("synthetic-"));
    assert_eq!(
        (short_ids.len(), synthetic.count()),
        (9, 7),
        "7 synthetic + 2"
    );
    for short_id in &short_ids {
        let params = [("short_id", short_id.as_str())];
        let retrieve = "session_recording_playlists_retrieve";
        check.call(retrieve, &params, "", None).await;
        let recordings = "session_recording_playlists_recordings_list";
        let page = check.call(recordings, &params, "", None).await;
        if *short_id == collection {
            assert_eq!(page["results"].as_array().unwrap().len(), 3, "{page}");
        }
    }

    let removed = [
        ("short_id", collection.as_str()),
        ("session_recording_id", &fake.recording_ids()[0]),
    ];
    check
        .call(
            "session_recording_playlists_recordings_remove",
            &removed,
            "",
            None,
        )
        .await;

    assert!(
        check.shortfalls.is_empty(),
        "the fake leaves out or nulls what the spec requires:\n{}",
        check.shortfalls.join("\n")
    );
    assert_eq!(
        check.unchecked(),
        Vec::<String>::new(),
        "call every operation with a JSON success body here"
    );
}
