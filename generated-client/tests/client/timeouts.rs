//! A server that never answers yields a timeout error within the bound the
//! caller chose, not a hang.

use std::time::{Duration, Instant};

use posthog_api::{Client, DEFAULT_TIMEOUT, Error, Host, RetryPolicy};

use crate::scripted::{Reply, ScriptedServer};
use crate::{API_KEY, PROJECT};

#[tokio::test]
async fn a_silent_server_times_out_within_the_configured_bound() {
    let server = ScriptedServer::start(vec![Reply::Silence]);
    let client = Client::builder(Host::self_hosted(&server.base_url()).unwrap(), API_KEY)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews")
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "query_draft_sql",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(300),
        "gave up early: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(10), "hung for {elapsed:?}");
    assert_eq!(server.received().len(), 1);
    assert_eq!(
        error.to_string(),
        "query_draft_sql: no answer within the timeout"
    );
}

/// The generated `Client::new` and the hand-written constructors agree on
/// the default timeout: codegen's setting is the crate's constant.
#[test]
fn the_generated_client_times_out_like_the_hand_written_constructors() {
    let generated = codegen::Settings::default().timeout_secs;
    assert_eq!(Duration::from_secs(generated), DEFAULT_TIMEOUT);
}
