//! The personal API key never shows in `Debug` output of the client or its
//! configuration, nor in any error's `Display` or `Debug`.

use std::time::Duration;

use posthog_api::{ApiKey, Client, ConfigError, Host};

use crate::scripted::{Reply, ScriptedServer};
use crate::{API_KEY, PROJECT};

fn assert_no_key(text: &str) {
    assert!(!text.contains(API_KEY), "the API key leaked into: {text}");
    assert!(
        !text.contains("test_key_0123456789"),
        "part of the API key leaked into: {text}"
    );
}

fn assert_error_hides_key(error: &impl std::error::Error) {
    assert_no_key(&error.to_string());
    assert_no_key(&format!("{error:?}"));
    assert_no_key(&format!("{error:#?}"));
}

#[test]
fn debug_of_client_and_config_hides_the_key() {
    let client = Client::builder(Host::us_cloud(), API_KEY).build().unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.contains("Sensitive"),
        "the header should show as redacted: {debug}"
    );
    assert_no_key(&debug);
    assert_no_key(&format!("{client:#?}"));
    assert_no_key(&format!("{:?}", Client::builder(Host::us_cloud(), API_KEY)));
    assert_no_key(&format!("{:?}", ApiKey::from(API_KEY)));
}

#[tokio::test]
async fn api_errors_hide_the_key() {
    let server = ScriptedServer::start(vec![Reply::Json(
        401,
        vec![],
        r#"{"type":"authentication_error","code":"invalid_personal_api_key","detail":"Invalid Personal API key.","attr":null}"#.into(),
    )]);
    let client =
        Client::with_api_key(Host::self_hosted(&server.base_url()).unwrap(), API_KEY).unwrap();
    let error = client
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn errors_raised_while_sending_hide_the_key() {
    // Bound but not listening: the port refuses connections, and no other
    // test's server can take it while the client retries.
    let refusing = tokio::net::TcpSocket::new_v4().unwrap();
    refusing.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = refusing.local_addr().unwrap();
    let client = Client::with_api_key(
        Host::self_hosted(&format!("http://{address}")).unwrap(),
        API_KEY,
    )
    .unwrap();
    let error = client
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, posthog_api::Error::Transport { .. }),
        "{error:?}"
    );
    assert_error_hides_key(&error);

    let silent = ScriptedServer::start(vec![Reply::Silence]);
    let client = Client::builder(Host::self_hosted(&silent.base_url()).unwrap(), API_KEY)
        .timeout(Duration::from_millis(100))
        .retry(posthog_api::RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client
        .query_draft_sql()
        .project_id(PROJECT)
        .prompt("count pageviews")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, posthog_api::Error::Timeout { .. }),
        "{error:?}"
    );
    assert_error_hides_key(&error);
}

#[test]
fn config_errors_hide_the_key() {
    let bad_key = format!("{API_KEY}\n");
    let error = Client::builder(Host::us_cloud(), bad_key.as_str())
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::InvalidApiKey), "{error:?}");
    assert_error_hides_key(&error);
}
