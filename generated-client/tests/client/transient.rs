//! PostHog's transient failures, made by the fake's scripted faults: which
//! are retried for which operations, how long the client waits, where it
//! stops, what the caller's error says and what `tracing` shows. Each row of
//! the retry table in `RetryPolicy`'s docs has a test here.

use std::time::{Duration, Instant, SystemTime};

use posthog_api::types::{SessionRecordingPlaylist, SessionRecordingPlaylistCreate};
use posthog_api::{Client, Error, Host, RetryPolicy};
use posthog_fake::{Endpoint, FakePostHog, Fault};

use crate::capture::Captured;

/// Whether an operation is safe to repeat is the spec's to say, for each
/// one, from PostHog's code: no operation is left to its method's default.
#[test]
fn every_operation_of_the_spec_declares_whether_it_is_safe_to_repeat() {
    let spec = crate::spec::load();
    let operations = crate::spec::operations(&spec);
    assert_eq!(operations.len(), posthog_api::operations::ALL.len());
    for operation in operations {
        let id = crate::spec::id(&operation);
        let declared = operation
            .operation
            .node
            .get(codegen::reading::IDEMPOTENT_EXTENSION);
        let declared = declared.and_then(serde_json::Value::as_bool);
        let Some(declared) = declared else {
            panic!("{id}: no `x-idempotent: true|false`")
        };
        let client = posthog_api::Operation::named(&id).unwrap();
        assert_eq!(client.is_idempotent(), declared, "{id}");
        assert_eq!(
            operation.idempotent, declared,
            "{id}: the model reads it as declared"
        );
    }
}

/// The fake serves exactly the operations the client calls (the fake is
/// written without the client, so this is checked rather than shared).
#[test]
fn the_fake_serves_exactly_the_clients_operations() {
    let mut client: Vec<_> = posthog_api::operations::ALL
        .iter()
        .map(|operation| (operation.method(), operation.path()))
        .collect();
    let mut fake: Vec<_> = Endpoint::ALL
        .iter()
        .map(|operation| (operation.method(), operation.path()))
        .collect();
    client.sort_unstable();
    fake.sort_unstable();
    assert_eq!(client, fake);
}

/// Retries with waits short enough for tests, drawn from a fixed seed.
fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .first_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(40))
        .jitter_seed(7)
}

fn client(fake: &FakePostHog, policy: RetryPolicy) -> Client {
    Client::builder(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .retry(policy)
    .build()
    .unwrap()
}

async fn list(client: &Client, fake: &FakePostHog) -> Result<usize, Error> {
    client
        .session_recording_playlists_list()
        .project_id(fake.project_id())
        .send()
        .await
        .map(|page| page.results.len())
}

async fn create(client: &Client, fake: &FakePostHog) -> Result<SessionRecordingPlaylist, Error> {
    client
        .session_recording_playlists_create()
        .project_id(fake.project_id())
        .body(SessionRecordingPlaylistCreate::collection("Checkout"))
        .send()
        .await
        .map(|created| created.into_inner())
}

/// `check_auth_for_async`: a POST that PostHog's code makes safe to repeat.
/// The fake refuses the personal API key once past the fault, so a retry
/// shows as a second request ending in that refusal.
async fn check_auth(client: &Client, fake: &FakePostHog) -> Result<(), Error> {
    client
        .query_check_auth_for_async()
        .project_id(fake.project_id())
        .send()
        .await
        .map(|_| ())
}

/// How many of the project's playlists are named "Checkout" (what
/// [`create`] makes), as a caller looking before a retry would count them.
async fn checkouts(client: &Client, fake: &FakePostHog) -> usize {
    client
        .session_recording_playlists_list()
        .project_id(fake.project_id())
        .send()
        .await
        .unwrap()
        .results
        .iter()
        .filter(|playlist| playlist.name.as_deref() == Some("Checkout"))
        .count()
}

/// The failures that may have reached PostHog: retried for operations safe
/// to repeat (a GET, and a POST declared safe), never for a create.
fn failures_that_may_have_reached_posthog() -> Vec<(&'static str, Fault)> {
    vec![
        ("500", Fault::status(500)),
        ("502", Fault::status(502)),
        ("503", Fault::status(503)),
        ("504", Fault::status(504)),
        ("408", Fault::status(408)),
        ("closed connection", Fault::close_connection()),
        ("truncated body", Fault::truncated_body()),
    ]
}

#[tokio::test]
async fn operations_safe_to_repeat_ride_out_failures_that_may_have_reached_posthog() {
    for (what, fault) in failures_that_may_have_reached_posthog() {
        let fake = FakePostHog::start().unwrap();
        let client = client(&fake, quick());
        fake.fail_next(Endpoint::ListPlaylists, 2, fault.clone());
        assert!(list(&client, &fake).await.is_ok(), "GET after {what}");
        assert_eq!(
            fake.requests().len(),
            3,
            "GET after {what}: {:?}",
            fake.requests()
        );

        fake.fail_next(Endpoint::CheckAuthForAsync, 1, fault);
        let error = check_auth(&client, &fake).await.unwrap_err();
        assert!(
            matches!(error, Error::PersonalApiKeyRefused(_)),
            "POST safe to repeat, after {what}: {error:?}"
        );
        assert_eq!(error.attempts(), 2, "POST safe to repeat, after {what}");
    }
}

#[tokio::test]
async fn a_create_is_not_repeated_after_a_failure_that_may_have_reached_posthog() {
    for (what, fault) in failures_that_may_have_reached_posthog() {
        let fake = FakePostHog::start().unwrap();
        fake.fail_next(Endpoint::CreatePlaylist, 1, fault);
        let error = create(&client(&fake, quick()), &fake).await.unwrap_err();
        assert_eq!(error.attempts(), 1, "after {what}: {error:?}");
        assert_eq!(fake.requests().len(), 1, "after {what}");
        assert!(error.may_have_taken_effect(), "after {what}: {error:?}");
        assert!(
            error.to_string().contains("may have acted on it: check"),
            "after {what}: {error}"
        );
    }
}

#[tokio::test]
async fn a_create_that_happened_before_the_failure_is_made_once() {
    for fault in [Fault::close_connection(), Fault::status(500)] {
        let fake = FakePostHog::start().unwrap();
        let client = client(&fake, quick());
        fake.fail_next(Endpoint::CreatePlaylist, 1, fault.after_action());
        let error = create(&client, &fake).await.unwrap_err();
        assert!(error.may_have_taken_effect(), "{error:?}");
        assert_eq!(error.attempts(), 1, "{error:?}");
        // Looking first, as the error says, finds the playlist made once.
        assert_eq!(checkouts(&client, &fake).await, 1, "{:?}", fake.requests());
    }
}

#[tokio::test]
async fn a_throttled_create_is_retried_and_made_once() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::CreatePlaylist,
        2,
        Fault::status(429).retry_after("0"),
    );
    let client = client(&fake, quick());
    let created = create(&client, &fake).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("Checkout"));
    assert_eq!(fake.requests().len(), 3, "two throttled, then made");
    assert_eq!(checkouts(&client, &fake).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_create() {
    // A socket bound but not listening holds the port and refuses every
    // connection, so no other test's server can take the port between attempts.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let client = Client::builder(
        Host::self_hosted(&format!("http://{address}")).unwrap(),
        "phx_unused",
    )
    .retry(quick())
    .build()
    .unwrap();
    let error = client
        .session_recording_playlists_create()
        .project_id("4242")
        .body(SessionRecordingPlaylistCreate::collection("Checkout"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.attempts(), 3, "{error}");
    assert!(!error.may_have_taken_effect(), "it never reached PostHog");
    assert!(error.to_string().contains("Connection refused"), "{error}");
    drop(socket);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_for_a_get_only() {
    let fake = FakePostHog::start().unwrap();
    let client = Client::builder(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .timeout(Duration::from_millis(200))
    .retry(quick())
    .build()
    .unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::delay(Duration::from_secs(1)),
    );
    list(&client, &fake).await.unwrap();
    assert_eq!(fake.requests().len(), 2);

    fake.fail_next(
        Endpoint::CreatePlaylist,
        1,
        Fault::delay(Duration::from_secs(1)),
    );
    let error = create(&client, &fake).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_taken_effect());
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 409] {
        let fake = FakePostHog::start().unwrap();
        fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(status));
        let error = list(&client(&fake, quick()), &fake).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.attempts(), 1, "{status}");
        assert!(!error.may_have_taken_effect(), "{status}");
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_out() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after("1"),
    );
    let started = Instant::now();
    list(&client(&fake, quick()), &fake).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_out() {
    // Two seconds ahead, which the header's whole seconds make 1 to 2 s.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after(&date),
    );
    let started = Instant::now();
    list(&client(&fake, quick()), &fake).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited {waited:?} for {date}"
    );
    assert!(
        waited < Duration::from_secs(5),
        "waited {waited:?} for {date}"
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_past_max_wait_ends_the_retries() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after("30"),
    );
    let policy = quick().max_wait(Duration::from_secs(10));
    let started = Instant::now();
    let error = list(&client(&fake, policy), &fake).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.attempts(), 1);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.retry_after(), Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn the_deadline_abandons_a_slow_attempt() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::delay(Duration::from_secs(3)),
    );
    let policy = quick().deadline(Some(Duration::from_millis(400)));
    let started = Instant::now();
    let error = list(&client(&fake, policy), &fake).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(error, Error::DeadlineExceeded { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert!(error.to_string().contains("deadline of 0.4 s"), "{error}");
}

#[tokio::test]
async fn no_wait_starts_that_would_end_past_the_deadline() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after("2"),
    );
    let policy = quick().deadline(Some(Duration::from_secs(1)));
    let started = Instant::now();
    let error = list(&client(&fake, policy), &fake).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn the_retry_budget_is_shared_by_the_clients_clones() {
    let fake = FakePostHog::start().unwrap();
    let first = client(&fake, quick().budget(2));
    let second = first.clone();
    fake.fail_next(Endpoint::ListPlaylists, 100, Fault::status(503));
    let error = list(&first, &fake).await.unwrap_err();
    assert_eq!(error.attempts(), 3, "the two retries the budget holds");
    let error = list(&second, &fake).await.unwrap_err();
    assert_eq!(
        error.attempts(),
        1,
        "the budget is spent, for the clone too"
    );
    assert_eq!(fake.requests().len(), 4);
}

#[tokio::test]
async fn the_error_counts_the_attempts_and_keeps_the_last_answer() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 2, Fault::status(503));
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(502));
    let error = list(&client(&fake, quick()), &fake).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
}

#[tokio::test]
async fn a_disabled_policy_makes_one_attempt() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(503));
    let error = list(&client(&fake, RetryPolicy::disabled()), &fake)
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(fake.requests().len(), 1);
}

/// The waits the client announced before each retry, in milliseconds.
async fn waits_with(policy: RetryPolicy) -> Vec<u64> {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 4, Fault::status(503));
    let (captured, _guard) = Captured::install();
    list(&client(&fake, policy.max_attempts(5)), &fake)
        .await
        .unwrap();
    captured
        .events()
        .iter()
        .filter_map(|event| event.field("retry_in_ms"))
        .map(|wait| wait.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn backoff_is_drawn_at_random_below_a_doubling_capped_ceiling() {
    let policy = RetryPolicy::default()
        .first_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(100));
    let ceilings = [40, 80, 100, 100];
    let mut sequences = Vec::new();
    for seed in 1..=8 {
        let waits = waits_with(policy.clone().jitter_seed(seed)).await;
        assert_eq!(waits.len(), 4, "{waits:?}");
        for (wait, ceiling) in waits.iter().zip(ceilings) {
            assert!(
                *wait <= ceiling,
                "seed {seed}: {waits:?} above {ceilings:?}"
            );
        }
        sequences.push(waits);
    }
    assert_eq!(
        waits_with(policy.clone().jitter_seed(3)).await,
        sequences[2],
        "a seed repeats its waits"
    );
    sequences.sort();
    sequences.dedup();
    assert!(
        sequences.len() > 4,
        "seeds draw different waits: {sequences:?}"
    );
    let all: Vec<u64> = sequences.concat();
    assert!(
        all.iter().any(|&wait| wait < 20),
        "full jitter reaches near zero: {all:?}"
    );
}

#[tokio::test]
async fn each_call_is_one_span_and_each_attempt_one_event() {
    let fake = FakePostHog::start().unwrap();
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(503));
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::close_connection());
    let (captured, _guard) = Captured::install();
    list(&client(&fake, quick()), &fake).await.unwrap();

    let calls: Vec<_> = captured
        .spans()
        .into_iter()
        .filter(|span| span.name == "posthog_api.call")
        .collect();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].field("operation"),
        Some("session_recording_playlists_list")
    );
    assert_eq!(calls[0].field("method"), Some("GET"));
    assert_eq!(
        calls[0].field("path"),
        Some("/api/projects/{project_id}/session_recording_playlists/")
    );

    let attempts: Vec<_> = captured
        .events()
        .into_iter()
        .filter(|event| event.field("attempt").is_some())
        .collect();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    for event in &attempts {
        assert_eq!(event.span, Some("posthog_api.call"));
        assert!(event.field("elapsed_ms").is_some(), "{event:?}");
    }
    assert_eq!(attempts[0].field("status"), Some("503"));
    assert_eq!(
        attempts[0].level,
        tracing::Level::INFO,
        "a retry is worth a log line"
    );
    assert!(attempts[0].field("retry_in_ms").is_some());
    assert_eq!(attempts[1].field("status"), None, "no answer, no status");
    assert!(attempts[1].field("retry_in_ms").is_some());
    assert_eq!(attempts[2].field("status"), Some("200"));
    assert_eq!(attempts[2].field("attempt"), Some("3"));
}

#[tokio::test]
async fn no_span_or_event_carries_the_api_key() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key().to_owned();
    let client = client(&fake, quick());
    let (captured, _guard) = Captured::install();
    fake.fail_next(
        Endpoint::ListPlaylists,
        1,
        Fault::status(429).retry_after("0"),
    );
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::close_connection());
    list(&client, &fake).await.unwrap();
    fake.fail_next(Endpoint::CreatePlaylist, 1, Fault::status(500));
    create(&client, &fake).await.unwrap_err();
    check_auth(&client, &fake).await.unwrap_err();
    let wrong_key =
        Client::with_api_key(Host::self_hosted(&fake.url()).unwrap(), "phx_wrong_key_42").unwrap();
    list(&wrong_key, &fake).await.unwrap_err();

    let text = captured.all_text();
    assert!(captured.events().len() >= 6, "{text}");
    for secret in [key.as_str(), "phx_wrong_key_42", "Bearer"] {
        assert!(
            !text.contains(secret),
            "`{secret}` in what was emitted:\n{text}"
        );
    }
}
