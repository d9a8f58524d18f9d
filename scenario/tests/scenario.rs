//! The scenario against the behavioural fake: with a personal API key (as
//! `cargo xtask live` runs it against a real PostHog) and with the fake's
//! stand-in for a logged-in session; and the `posthog-live` runner itself,
//! started as a process against the fake.

use std::num::NonZeroU64;
use std::process::{Command, Output};

use posthog_api::{Client, Error, Host};
use posthog_fake::FakePostHog;
use posthog_scenario::{Credential, Outcome, STEPS, StepReport, Target, all_passed, run};

fn target(fake: &FakePostHog, key: &str, credential: Credential) -> Target {
    Target {
        client: Client::with_api_key(Host::self_hosted(&fake.url()).unwrap(), key).unwrap(),
        project_id: fake.project_id().into(),
        credential,
        name_prefix: "scenario-test".into(),
        page_size: NonZeroU64::new(4).unwrap(),
        recording_id: fake.recording_ids().first().cloned(),
    }
}

/// Runs the scenario, checking each report arrives as its step ends.
async fn run_collecting(target: &Target) -> Vec<StepReport> {
    let mut streamed = Vec::new();
    let reports = run(target, |report| streamed.push(report.clone())).await;
    assert_eq!(streamed, reports);
    reports
}

fn assert_all_pass(reports: &[StepReport]) {
    let lines: Vec<String> = reports.iter().map(ToString::to_string).collect();
    assert!(all_passed(reports), "{}", lines.join("\n"));
    assert_eq!(reports.len(), STEPS.len());
}

/// The playlists of the fake's project that are not soft-deleted.
async fn live_playlists(fake: &FakePostHog) -> Vec<String> {
    let client = Client::with_api_key(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .unwrap();
    let page = client
        .session_recording_playlists_list()
        .project_id(fake.project_id())
        .send()
        .await
        .unwrap();
    page.results
        .iter()
        .filter(|playlist| !playlist.is_synthetic)
        .map(|playlist| playlist.short_id.clone())
        .collect()
}

/// How many times a recording was added to a playlist.
fn recordings_added(fake: &FakePostHog) -> usize {
    fake.requests()
        .into_iter()
        .filter(|request| request.starts_with("POST ") && request.contains("/recordings/"))
        .count()
}

#[tokio::test]
async fn every_step_passes_with_a_personal_api_key() {
    let fake = FakePostHog::start().unwrap();
    let reports = run_collecting(&target(
        &fake,
        fake.personal_api_key(),
        Credential::PersonalApiKey,
    ))
    .await;
    assert_all_pass(&reports);
    assert!(
        live_playlists(&fake).await.is_empty(),
        "nothing is left behind"
    );
}

#[tokio::test]
async fn every_step_passes_with_a_session_which_may_add_recordings() {
    let fake = FakePostHog::start().unwrap();
    let reports = run_collecting(&target(&fake, fake.session_token(), Credential::Session)).await;
    assert_all_pass(&reports);
    assert_eq!(recordings_added(&fake), 1, "the add itself ran");
}

#[tokio::test]
async fn every_step_passes_with_a_legacy_key_which_may_add_recordings() {
    let fake = FakePostHog::builder().scopes(&[]).start().unwrap();
    let reports = run_collecting(&target(
        &fake,
        fake.personal_api_key(),
        Credential::LegacyPersonalApiKey,
    ))
    .await;
    assert_all_pass(&reports);
    assert_eq!(recordings_added(&fake), 1, "the add itself ran");
}

#[tokio::test]
async fn a_failing_step_is_reported_and_the_playlists_are_still_soft_deleted() {
    let fake = FakePostHog::start().unwrap();
    // Expecting a session's answers while holding a personal key: the add,
    // the removal and the query actions are refused, so steps 4, 5 and 8 fail.
    let reports =
        run_collecting(&target(&fake, fake.personal_api_key(), Credential::Session)).await;
    let failed: Vec<usize> = reports
        .iter()
        .filter(|report| matches!(report.outcome, Outcome::Fail(_)))
        .map(|report| report.number)
        .collect();
    assert_eq!(failed, [4, 5, 8], "{reports:#?}");
    assert!(!all_passed(&reports));
    assert_eq!(
        reports.last().unwrap().outcome,
        Outcome::Pass,
        "cleanup ran"
    );
    assert!(
        live_playlists(&fake).await.is_empty(),
        "nothing is left behind"
    );
}

#[tokio::test]
async fn the_cleanup_soft_deletes_what_a_failed_run_created() {
    let fake = FakePostHog::start().unwrap();
    // Every request after the two creates is throttled for longer than the
    // client waits, so steps 2 to 8 fail; the cleanup then gets through.
    let mut target = target(&fake, fake.personal_api_key(), Credential::PersonalApiKey);
    target.client = Client::builder(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .retry(posthog_api::RetryPolicy::disabled())
    .build()
    .unwrap();
    let mut lines = Vec::new();
    let reports = run(&target, |report| {
        lines.push(report.to_string());
        if report.number == 1 {
            fake.throttle_next(u32::MAX, 60);
        }
        if report.number == 8 {
            fake.throttle_next(0, 0);
        }
    })
    .await;
    assert!(matches!(reports[1].outcome, Outcome::Fail(_)), "{lines:#?}");
    assert_eq!(reports.last().unwrap().outcome, Outcome::Pass, "{lines:#?}");
    assert!(live_playlists(&fake).await.is_empty(), "{lines:#?}");
}

#[tokio::test]
async fn steps_after_a_failed_create_are_skipped_not_passed() {
    // A key that may only read: nothing can be created.
    let fake = FakePostHog::builder()
        .scopes(&["session_recording_playlist:read"])
        .start()
        .unwrap();
    let reports = run_collecting(&target(
        &fake,
        fake.personal_api_key(),
        Credential::PersonalApiKey,
    ))
    .await;
    let Outcome::Fail(why) = &reports[0].outcome else {
        panic!("{reports:#?}");
    };
    assert!(
        why.contains("missing required scope 'session_recording_playlist:write'"),
        "{why}"
    );
    for report in &reports[1..7] {
        assert!(matches!(report.outcome, Outcome::Skip(_)), "{report}");
    }
    assert_eq!(
        reports[7].outcome,
        Outcome::Pass,
        "the refusals need no playlist"
    );
}

fn posthog_live(vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posthog-live"));
    command
        .env_remove("POSTHOG_HOST")
        .env_remove("POSTHOG_PERSONAL_API_KEY")
        .env_remove("POSTHOG_PROJECT_ID");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn live_without_the_variables_names_them_and_exits_2() {
    let output = posthog_live(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "missing environment variables POSTHOG_HOST, POSTHOG_PERSONAL_API_KEY, POSTHOG_PROJECT_ID"
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    let output = posthog_live(&[
        ("POSTHOG_HOST", "https://eu.posthog.com"),
        ("POSTHOG_PERSONAL_API_KEY", "phx_secret_value"),
        ("POSTHOG_PROJECT_ID", " "),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("missing environment variable POSTHOG_PROJECT_ID:"),
        "{stderr}"
    );
    assert!(!stderr.contains("phx_secret_value"), "{stderr}");
}

#[test]
fn live_against_the_fake_prints_a_line_per_step_and_exits_0() {
    let fake = FakePostHog::start().unwrap();
    let output = posthog_live(&[
        ("POSTHOG_HOST", &fake.url()),
        ("POSTHOG_PERSONAL_API_KEY", fake.personal_api_key()),
        ("POSTHOG_PROJECT_ID", fake.project_id()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let steps: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("PASS "))
        .collect();
    for (index, name) in STEPS.iter().enumerate() {
        assert_eq!(
            steps[index],
            format!("PASS {}. {name}", index + 1),
            "{stdout}"
        );
    }
    assert!(stdout.contains("all 9 steps passed"), "{stdout}");
    assert!(!stdout.contains(fake.personal_api_key()), "{stdout}");
    // Everything it made is named with the run's prefix.
    assert!(
        stdout.contains("playlists named `posthog-api live "),
        "{stdout}"
    );
}

#[test]
fn live_with_a_legacy_key_expects_what_posthog_lets_it_do() {
    let fake = FakePostHog::builder().scopes(&[]).start().unwrap();
    let output = posthog_live(&[
        ("POSTHOG_HOST", &fake.url()),
        ("POSTHOG_PERSONAL_API_KEY", fake.personal_api_key()),
        ("POSTHOG_PROJECT_ID", fake.project_id()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("the key is a legacy one (no scopes)"),
        "{stdout}"
    );
    assert!(stdout.contains("all 9 steps passed"), "{stdout}");
}

#[test]
fn live_with_a_failing_step_prints_fail_and_exits_1() {
    let fake = FakePostHog::builder()
        .scopes(&["session_recording_playlist:read"])
        .start()
        .unwrap();
    let output = posthog_live(&[
        ("POSTHOG_HOST", &fake.url()),
        ("POSTHOG_PERSONAL_API_KEY", fake.personal_api_key()),
        ("POSTHOG_PROJECT_ID", fake.project_id()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL 1. create a collection and a saved-filters playlist: create a collection playlist: "), "{stdout}");
    assert!(
        stdout.contains("SKIP 2. page through the list: needs the two playlists of step 1"),
        "{stdout}"
    );
    assert!(stdout.contains("PASS 8. "), "{stdout}");
    assert!(stdout.contains("steps did not pass"), "{stdout}");
}

#[tokio::test]
async fn a_refused_key_is_the_typed_error_against_the_fake() {
    let fake = FakePostHog::start().unwrap();
    let client = Client::with_api_key(
        Host::self_hosted(&fake.url()).unwrap(),
        fake.personal_api_key(),
    )
    .unwrap();
    let refused = client
        .query_check_auth_for_async()
        .project_id(fake.project_id())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::PersonalApiKeyRefused(_)),
        "{refused:?}"
    );
}
