//! The built `posthog` binary against a loopback mock server set up with
//! the generated typed mocks: stdout, stderr and exit code of each run.

use std::path::Path;
use std::process::{Command, Output};

use httpmock::MockServer;
use posthog_api::mock::MockServerExt;
use posthog_api::types::{
    DraftSqlResponse, ErrorResponse, SessionRecordingPlaylist, SessionRecordingPlaylistCreate,
};
use posthog_fake::FakePostHog;
use serde_json::{Value, json};

const API_KEY: &str = "phx_cli_test_key_42";

fn playlist(short_id: &str) -> SessionRecordingPlaylist {
    serde_json::from_value(json!({
        "id": 1, "short_id": short_id, "name": "Checkout drop-offs", "derived_name": null,
        "description": "", "pinned": false, "created_at": null, "created_by": null,
        "deleted": false, "filters": {}, "last_modified_at": null, "last_modified_by": null,
        "recordings_counts": {}, "type": "collection", "is_synthetic": false
    }))
    .unwrap()
}

/// Runs `posthog args…` with host and key in the environment (either may be left out).
fn posthog(host: Option<&str>, api_key: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posthog"));
    command
        .args(args)
        .env_remove("POSTHOG_HOST")
        .env_remove("POSTHOG_PERSONAL_API_KEY")
        // Help is wrapped to this width when stdout is not a terminal.
        .env("COLUMNS", "80")
        .env("RUST_BACKTRACE", "1");
    if let Some(host) = host {
        command.env("POSTHOG_HOST", host);
    }
    if let Some(key) = api_key {
        command.env("POSTHOG_PERSONAL_API_KEY", key);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A usage error: exit code 2, exactly one line on stderr, nothing on stdout.
fn assert_usage_error(output: &Output, expected: &str) {
    let stderr = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(expected),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn list_prints_the_page_as_json() {
    let server = MockServer::start();
    let page = json!({"count": 1, "next": null, "previous": null, "results": [playlist("abc123")]});
    let mock = server.session_recording_playlists_list(|when, then| {
        when.into_inner()
            .path("/api/projects/4242/session_recording_playlists/")
            .query_param("limit", "2")
            .header("authorization", format!("Bearer {API_KEY}"));
        then.ok(&serde_json::from_value(page.clone()).unwrap());
    });

    let output = posthog(
        Some(&server.base_url()),
        Some(API_KEY),
        &[
            "session-recording-playlists-list",
            "--project-id",
            "4242",
            "--limit",
            "2",
        ],
    );

    mock.assert();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["results"][0]["short_id"], "abc123");
    assert_eq!(printed["count"], 1);
    assert!(
        stdout(&output).contains("\n  \"count\": 1"),
        "pretty-printed: {}",
        stdout(&output)
    );
}

#[test]
fn create_sends_the_json_body_file() {
    let server = MockServer::start();
    let body = SessionRecordingPlaylistCreate {
        pinned: Some(true),
        ..SessionRecordingPlaylistCreate::collection("From a file")
    };
    let mock = server.session_recording_playlists_create(|when, then| {
        when.project_id("4242").body(&body);
        then.created(&playlist("new123"));
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(
        &file,
        r#"{"type": "collection", "name": "From a file", "pinned": true}"#,
    )
    .unwrap();

    let output = posthog(
        Some(&server.base_url()),
        Some(API_KEY),
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--json-body",
            path(&file),
        ],
    );

    mock.assert();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["short_id"], "new123");
}

#[test]
fn api_error_prints_the_body_on_stderr_and_exits_1() {
    let server = MockServer::start();
    let mock = server.session_recording_playlists_retrieve(|when, then| {
        when.project_id("4242").short_id("abc123");
        then.unauthorized(&ErrorResponse {
            type_: "authentication_error".into(),
            code: "invalid_personal_api_key".into(),
            detail: "Invalid Personal API key.".into(),
            attr: None,
        });
    });

    let output = posthog(
        Some(&server.base_url()),
        Some(API_KEY),
        &[
            "session-recording-playlists-retrieve",
            "--project-id",
            "4242",
            "--short-id",
            "abc123",
        ],
    );

    mock.assert();
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.starts_with("error: session_recording_playlists_retrieve: PostHog answered 401 Unauthorized: Invalid Personal API key."), "{stderr}");
    assert!(
        stderr.contains("\"code\": \"invalid_personal_api_key\""),
        "the body is printed: {stderr}"
    );
    assert!(!stderr.contains(API_KEY), "{stderr}");
}

#[test]
fn hard_delete_names_the_cli_command_that_soft_deletes() {
    let fake = FakePostHog::start().unwrap();
    // An unknown short id: PostHog answers the DELETE 405 without a lookup.
    let output = posthog(
        Some(&fake.url()),
        Some(fake.personal_api_key()),
        &[
            "session-recording-playlists-destroy",
            "--project-id",
            fake.project_id(),
            "--short-id",
            "nope",
        ],
    );
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "soft-delete instead: posthog session-recording-playlists-soft-delete --project-id 4242 --short-id nope"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Client::"),
        "no Rust method names: {stderr}"
    );
}

/// Runs `posthog args…` against `fake` with `key`; returns stdout as JSON
/// documents (one per pretty-printed value), asserting exit code 0.
fn run_ok(fake: &FakePostHog, key: &str, args: &[&str]) -> Vec<Value> {
    let output = posthog(Some(&fake.url()), Some(key), args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::Deserializer::from_str(&stdout(&output))
        .into_iter::<Value>()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn removing_a_recording_says_when_the_playlist_does_not_hold_it() {
    let fake = FakePostHog::start().unwrap();
    // Adding and removing take a legacy key or a logged-in session; the fake has a stand-in.
    let session = fake.session_token();
    let short_id = create_collection(&fake, session);
    let recording = fake.recording_ids()[0].clone();
    let args = |command: &'static str| {
        vec![
            command.to_owned(),
            "--project-id".into(),
            "4242".into(),
            "--short-id".into(),
            short_id.clone(),
            "--session-recording-id".into(),
            recording.clone(),
        ]
    };
    let run = |command: &'static str| {
        let args = args(command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        posthog(Some(&fake.url()), Some(session), &args)
    };
    assert_eq!(
        run("session-recording-playlists-recordings-add")
            .status
            .code(),
        Some(0)
    );
    let removed = run("session-recording-playlists-recordings-remove");
    assert_eq!(removed.status.code(), Some(0), "{}", stderr(&removed));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&removed)).unwrap(),
        json!({"success": true})
    );
    // Again: PostHog answers 500; the CLI asks the list and says what happened.
    let again = run("session-recording-playlists-recordings-remove");
    let err = stderr(&again);
    assert_eq!(again.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "playlist `{short_id}` does not hold recording `{recording}`"
        )),
        "{err}"
    );
    assert!(stdout(&again).is_empty());
}

#[test]
fn soft_delete_command_deletes_a_saved_filters_playlist_it_never_saw() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    let short_id = create_saved_filters(&fake, r#"{"events": [{"id": "$rageclick"}]}"#);

    let deleted = run_ok(
        &fake,
        key,
        &[SOFT_DELETE, "--project-id", "4242", "--short-id", &short_id],
    );
    assert_eq!(deleted[0]["deleted"], true);
    assert_eq!(
        deleted[0]["filters"],
        json!({"events": [{"id": "$rageclick"}]})
    );

    let output = posthog(
        Some(&fake.url()),
        Some(key),
        &[
            "session-recording-playlists-retrieve",
            "--project-id",
            "4242",
            "--short-id",
            &short_id,
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "soft-deleted playlists answer 404"
    );
    assert!(stderr(&output).contains("404"), "{}", stderr(&output));
}

const SOFT_DELETE: &str = "session-recording-playlists-soft-delete";

/// Creates a saved-filters playlist with `filters` (JSON) through the CLI's
/// `--json-body`; its short id.
/// Creates a collection with `key`; returns its short id.
fn create_collection(fake: &FakePostHog, key: &str) -> String {
    let created = run_ok(
        fake,
        key,
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--type",
            "collection",
        ],
    );
    created[0]["short_id"].as_str().unwrap().to_owned()
}

fn create_saved_filters(fake: &FakePostHog, filters: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(
        &file,
        format!(r#"{{"type": "filters", "name": "Rage clicks", "filters": {filters}}}"#),
    )
    .unwrap();
    let created = run_ok(
        fake,
        fake.personal_api_key(),
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--json-body",
            path(&file),
        ],
    );
    created[0]["short_id"].as_str().unwrap().to_owned()
}

#[test]
fn create_without_a_type_is_a_usage_error() {
    let output = posthog(
        Some("http://127.0.0.1:9"),
        Some(API_KEY),
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--name",
            "x",
        ],
    );
    assert_usage_error(&output, "--type");
}

#[test]
fn a_refused_personal_key_says_no_scope_change_helps() {
    let fake = FakePostHog::start().unwrap();
    let output = posthog(
        Some(&fake.url()),
        Some(fake.personal_api_key()),
        &["query-check-auth-for-async", "--project-id", "4242"],
    );
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("No scope added to the key helps"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"detail\": \"This action does not support Personal API Key access\""),
        "PostHog's body is printed too: {stderr}"
    );
}

#[test]
fn recordings_all_prints_every_recording() {
    let fake = FakePostHog::start().unwrap();
    // Adding recordings takes a logged-in session; the fake has a stand-in.
    let session = fake.session_token();
    let short_id = create_collection(&fake, session);
    let recordings = fake.recording_ids();
    for recording in &recordings {
        run_ok(
            &fake,
            session,
            &[
                "session-recording-playlists-recordings-add",
                "--project-id",
                "4242",
                "--short-id",
                &short_id,
                "--session-recording-id",
                recording,
            ],
        );
    }
    let printed = run_ok(
        &fake,
        fake.personal_api_key(),
        &[
            "session-recording-playlists-recordings-all",
            "--project-id",
            "4242",
            "--short-id",
            &short_id,
            "--page-size",
            "2",
        ],
    );
    let mut ids: Vec<&str> = printed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected: Vec<&str> = recordings.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let pages = fake
        .requests()
        .iter()
        .filter(|request| request.starts_with("GET ") && request.contains("/recordings/?"))
        .count();
    // A collection answers its first page whatever the page size asks
    // (session_recording_playlist_api.py, `recordings`).
    assert_eq!(
        pages,
        1,
        "3 recordings on the first page: {:?}",
        fake.requests()
    );
}

#[test]
fn missing_key_is_a_usage_error() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200);
    });
    let output = posthog(
        Some(&server.base_url()),
        None,
        &["query-draft-sql", "--project-id", "4242", "--prompt", "x"],
    );
    assert_usage_error(
        &output,
        "no API key: set POSTHOG_PERSONAL_API_KEY or pass --api-key",
    );
    assert_eq!(any.calls(), 0);
}

#[test]
fn missing_host_is_a_usage_error() {
    let output = posthog(
        None,
        Some(API_KEY),
        &["query-draft-sql", "--project-id", "4242", "--prompt", "x"],
    );
    assert_usage_error(&output, "no PostHog host: set POSTHOG_HOST or pass --host");
}

#[test]
fn flags_override_the_environment() {
    let server = MockServer::start();
    let mock = server.query_draft_sql(|when, then| {
        when.project_id("7")
            .into_inner()
            .header("authorization", "Bearer phx_from_flag");
        then.ok(&DraftSqlResponse {
            sql: "select 1".into(),
        });
    });
    let output = posthog(
        Some("http://127.0.0.1:9"),
        Some(API_KEY),
        &[
            "query-draft-sql",
            "--project-id",
            "7",
            "--prompt",
            "count pageviews",
            "--host",
            &server.base_url(),
            "--api-key",
            "phx_from_flag",
        ],
    );
    mock.assert();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap(),
        json!({"sql": "select 1"})
    );
}

#[test]
fn malformed_json_body_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(&file, "{ not json").unwrap();
    let output = posthog(
        Some("http://127.0.0.1:9"),
        Some(API_KEY),
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--json-body",
            path(&file),
        ],
    );
    assert_usage_error(&output, "failed to parse");
}

#[test]
fn a_page_size_of_zero_is_a_usage_error() {
    let output = posthog(
        Some("http://127.0.0.1:9"),
        Some(API_KEY),
        &[
            "session-recording-playlists-recordings-all",
            "--project-id",
            "4242",
            "--short-id",
            "abc123",
            "--page-size",
            "0",
        ],
    );
    assert_usage_error(&output, "invalid value '0' for '--page-size");
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let output = posthog(
        Some("http://127.0.0.1:9"),
        Some(API_KEY),
        &["playlists-explode"],
    );
    assert_usage_error(&output, "unrecognized subcommand 'playlists-explode'");
}

#[test]
fn help_lists_every_operation_with_the_spec_text() {
    let output = posthog(None, Some(API_KEY), &["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for operation in posthog_api::cli::CliCommand::iter() {
        let name = operation.operation_id().replace('_', "-");
        assert!(
            help.contains(&format!("  {name}\n")),
            "{name} missing from:\n{help}"
        );
    }
    assert!(!help.contains(API_KEY), "the key's value is never shown");

    let output = posthog(
        None,
        None,
        &["session-recording-playlists-destroy", "--help"],
    );
    let help = stdout(&output);
    assert!(
        help.contains("Hard delete of this model is not allowed"),
        "{help}"
    );
    assert!(
        help.contains("Required API key scope: `session_recording_playlist:write`."),
        "{help}"
    );
}

fn path(file: &Path) -> &str {
    file.to_str().unwrap()
}

/// The CLI calls through the client, so it inherits its retry table: a 503
/// is ridden out for a list, and a create whose answer was lost is not
/// repeated, with a message that says to look first.
#[test]
fn the_cli_rides_out_transient_failures_as_the_client_does() {
    use posthog_fake::{Endpoint, Fault};

    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    fake.fail_next(Endpoint::ListPlaylists, 1, Fault::status(503));
    let output = posthog(
        Some(&fake.url()),
        Some(key),
        &[
            "session-recording-playlists-list",
            "--project-id",
            fake.project_id(),
        ],
    );
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed["count"], 7);
    assert_eq!(fake.requests().len(), 2, "the 503, then the answer");
    assert!(
        said.starts_with(
            "posthog: attempt 1 failed (session_recording_playlists_list: PostHog answered 503"
        ) && said.contains("; retrying in "),
        "the wait is announced: {said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");

    fake.fail_next(
        Endpoint::CreatePlaylist,
        1,
        Fault::close_connection().after_action(),
    );
    let output = posthog(
        Some(&fake.url()),
        Some(key),
        &[
            "session-recording-playlists-create",
            "--project-id",
            fake.project_id(),
            "--type",
            "collection",
            "--name",
            "Checkout",
        ],
    );
    let stderr = stderr(&output);
    // The connection closed before an answer came: no answer, exit 3.
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("not retried, as PostHog may have acted on it: check"),
        "{stderr}"
    );
    assert_eq!(fake.requests().len(), 3, "the create was sent once");
}

/// `posthog -h` and every subcommand's `-h`, as checked in at
/// `tests/help.txt`; `cargo xtask gen --all` rewrites it after a deliberate
/// change, by running this test with `UPDATE_HELP=1` (review the diff).
#[test]
fn short_help_matches_the_checked_in_text() {
    let mut help = String::new();
    let mut runs = vec![vec!["-h".to_owned()]];
    runs.extend(
        subcommands()
            .into_iter()
            .map(|name| vec![name, "-h".to_owned()]),
    );
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = posthog(None, None, &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        help.push_str(&format!(
            "$ posthog {}\n{}\n",
            args.join(" "),
            stdout(&output)
        ));
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/help.txt");
    if std::env::var_os("UPDATE_HELP").is_some() {
        std::fs::write(&file, &help).unwrap();
    }
    let checked_in = std::fs::read_to_string(&file).unwrap_or_default();
    let first_difference = checked_in
        .lines()
        .zip(help.lines())
        .enumerate()
        .find(|(_, (was, is))| was != is)
        .map(|(index, (was, is))| format!("line {}: was {was:?}, is {is:?}", index + 1));
    assert!(
        checked_in == help,
        "the CLI's help differs from {} ({}); if the change is meant, run `cargo xtask gen --all` (or `UPDATE_HELP=1 cargo test -p posthog-cli`) and review the diff",
        file.display(),
        first_difference.unwrap_or_else(|| "one is longer".into())
    );
}

/// The flags `posthog <name> -h` shows as required in its usage line.
fn required_flags(name: &str) -> Vec<String> {
    let help = stdout(&posthog(None, None, &[name, "-h"]));
    let usage = help
        .lines()
        .find(|line| line.starts_with("Usage:"))
        .unwrap_or_else(|| panic!("{name}: no usage line in {help}"));
    usage
        .split_whitespace()
        .filter(|word| word.starts_with("--"))
        .map(str::to_owned)
        .collect()
}

/// The subcommands `posthog -h` lists, `help` aside.
fn subcommands() -> Vec<String> {
    let help = stdout(&posthog(None, None, &["-h"]));
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .map(|line| line.trim().to_owned())
        .filter(|name| name != "help")
        .collect()
}

#[test]
fn short_help_is_one_line_per_command_in_80_columns_without_citations() {
    let help = stdout(&posthog(None, None, &["-h"]));
    for line in help.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}"
        );
    }
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .collect();
    // A name, then its one line of summary.
    assert_eq!(commands.len(), 2 * (subcommands().len() + 1), "{help}");
    for name in subcommands() {
        let short = stdout(&posthog(None, None, &[&name, "-h"]));
        assert!(
            !short.contains("posthog/"),
            "`{name} -h` cites server files:\n{short}"
        );
        for line in short.lines().filter(|line| !line.starts_with("Usage:")) {
            assert!(
                line.chars().count() <= 80,
                "`{name} -h` wider than 80 columns: {line:?}"
            );
        }
        let long = stdout(&posthog(None, None, &[&name, "--help"]));
        assert!(
            long.len() > short.len(),
            "`{name} --help` says no more than `-h`"
        );
    }
}

#[test]
fn updating_a_saved_filters_playlist_resends_its_filters() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    let short_id = create_saved_filters(&fake, r#"{"date_from": "-7d"}"#);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");

    let pinned = run_ok(
        &fake,
        key,
        &[
            "session-recording-playlists-partial-update",
            "--project-id",
            "4242",
            "--short-id",
            &short_id,
            "--pinned",
            "true",
        ],
    );
    assert_eq!(pinned[0]["pinned"], true);
    assert_eq!(pinned[0]["filters"], json!({"date_from": "-7d"}));

    // A body that brings its own filters is sent as it is, without a fetch.
    std::fs::write(&file, r#"{"filters": {"date_from": "-30d"}}"#).unwrap();
    let before = fake.requests().len();
    let updated = run_ok(
        &fake,
        key,
        &[
            "session-recording-playlists-partial-update",
            "--project-id",
            "4242",
            "--short-id",
            &short_id,
            "--json-body",
            path(&file),
        ],
    );
    assert_eq!(updated[0]["filters"], json!({"date_from": "-30d"}));
    assert_eq!(fake.requests().len(), before + 1, "{:?}", fake.requests());
}

/// Every subcommand `posthog -h` lists, run against the fake with a
/// personal API key: those in `runs` with what they answer and the exit code
/// scripts see; any other (a new operation of the spec) with its required
/// flags, read from its usage line, answering JSON (0) or an API error (1).
#[test]
fn every_subcommand_runs_against_the_fake() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    let created = run_ok(
        &fake,
        key,
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--type",
            "collection",
            "--name",
            "All commands",
        ],
    );
    let short_id = created[0]["short_id"].as_str().unwrap().to_owned();
    let recording = fake.recording_ids()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let query = dir.path().join("query.json");
    std::fs::write(
        &query,
        r#"{"query": {"kind": "HogQLQuery", "query": "select 1"}}"#,
    )
    .unwrap();
    let refused = "does not support Personal API Key access";
    // (subcommand, its arguments besides --project-id, exit code, what stdout or stderr shows)
    let runs: Vec<(&str, Vec<&str>, i32, &str)> = vec![
        ("query-check-auth-for-async", vec![], 1, refused),
        (
            "query-draft-sql",
            vec!["--prompt", "count events"],
            1,
            refused,
        ),
        (
            "query-upgrade",
            vec!["--json-body", path(&query)],
            1,
            refused,
        ),
        (
            "session-recording-playlists-list",
            vec![],
            0,
            "\"All commands\"",
        ),
        (
            "session-recording-playlists-create",
            vec!["--type", "collection", "--name", "Two"],
            0,
            "\"Two\"",
        ),
        (
            "session-recording-playlists-retrieve",
            vec!["--short-id", &short_id],
            0,
            "\"All commands\"",
        ),
        (
            "session-recording-playlists-destroy",
            vec!["--short-id", &short_id],
            1,
            "soft-delete instead",
        ),
        (
            "session-recording-playlists-partial-update",
            vec!["--short-id", &short_id, "--pinned", "true"],
            0,
            "\"pinned\": true",
        ),
        (
            "session-recording-playlists-recordings-list",
            vec!["--short-id", &short_id],
            0,
            "\"has_next\"",
        ),
        (
            "session-recording-playlists-recordings-add",
            vec![
                "--short-id",
                &short_id,
                "--session-recording-id",
                &recording,
            ],
            1,
            refused,
        ),
        (
            "session-recording-playlists-recordings-all",
            vec!["--short-id", &short_id],
            0,
            "",
        ),
        (
            "session-recording-playlists-list-all",
            vec!["--page-size", "3"],
            0,
            "\"All commands\"",
        ),
        (
            "session-recording-playlists-soft-delete",
            vec!["--short-id", &short_id],
            0,
            "\"deleted\": true",
        ),
    ];
    let listed = subcommands();
    for (name, ..) in &runs {
        assert!(
            listed.iter().any(|command| command == name),
            "no subcommand `{name}`"
        );
    }
    for name in listed
        .iter()
        .filter(|name| runs.iter().all(|run| run.0 != *name))
    {
        let mut all = vec![name.clone(), "--project-id".to_owned(), "4242".to_owned()];
        for flag in required_flags(name) {
            let value = match flag.as_str() {
                "--project-id" => continue,
                "--short-id" => &short_id,
                "--session-recording-id" => &recording,
                other => panic!("{name}: no value for its required {other}; add it to `runs`"),
            };
            all.extend([flag, value.clone()]);
        }
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let output = posthog(Some(&fake.url()), Some(key), &all);
        let (out, err) = (stdout(&output), stderr(&output));
        match output.status.code() {
            Some(0) => assert!(
                serde_json::from_str::<Value>(&out).is_ok(),
                "{name}: not JSON: {out}"
            ),
            Some(1) => assert!(
                err.contains("PostHog"),
                "{name}: an API error names PostHog: {err}"
            ),
            code => panic!("{name}: exit {code:?}: {out}{err}"),
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
    }

    for (name, args, code, shown) in runs {
        let mut all = vec![name, "--project-id", "4242"];
        all.extend(args);
        let output = posthog(Some(&fake.url()), Some(key), &all);
        let text = format!("{}{}", stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(code), "{name}: {text}");
        assert!(text.contains(shown), "{name}: no {shown:?} in {text}");
        assert!(!text.contains("panicked"), "{name}: {text}");
    }
}

/// Writes `body` as a JSON file named `name` in `dir`; its path.
fn body_file(dir: &Path, name: &str, body: &Value) -> std::path::PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, serde_json::to_string_pretty(body).unwrap()).unwrap();
    file
}

/// The fields of the body `--json-body-template` prints for `command`.
fn template_fields(command: &str) -> Vec<String> {
    let output = posthog(None, None, &[command, "--json-body-template"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let template: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let mut fields: Vec<String> = template.as_object().unwrap().keys().cloned().collect();
    fields.sort();
    fields
}

/// A body field and its flag, each given a different value.
struct Override {
    /// The field, as the body names it.
    field: &'static str,
    flag: &'static str,
    /// Its value in the `--json-body` file.
    in_file: Value,
    /// The flag's value.
    given: &'static str,
    /// What the playlist PostHog answers with holds for the field, when the
    /// flag won; `None` for a write-only field, whose value in the file
    /// PostHog would refuse instead.
    answered: Option<Value>,
}

/// Every body field of create and update with a flag: a value in the file,
/// another on the flag.
fn overrides(with_type: bool) -> Vec<Override> {
    let mut all = vec![
        Override {
            field: "_create_in_folder",
            flag: "--create-in-folder",
            // PostHog refuses a folder that is not text (400, `attr`
            // `_create_in_folder`), so only the flag's value succeeds.
            in_file: json!(5),
            given: "Playlists/Checkout",
            answered: None,
        },
        Override {
            field: "deleted",
            flag: "--deleted",
            in_file: json!(true),
            given: "false",
            answered: Some(json!(false)),
        },
        Override {
            field: "derived_name",
            flag: "--derived-name",
            in_file: json!("Derived in the file"),
            given: "Derived on the flag",
            answered: Some(json!("Derived on the flag")),
        },
        Override {
            field: "description",
            flag: "--description",
            in_file: json!("Described in the file"),
            given: "Described on the flag",
            answered: Some(json!("Described on the flag")),
        },
        Override {
            field: "filters",
            flag: "--filters",
            // PostHog refuses a collection with filters.
            in_file: json!({"date_from": "-7d"}),
            given: "{}",
            answered: Some(json!({})),
        },
        Override {
            field: "name",
            flag: "--name",
            in_file: json!("Named in the file"),
            given: "Named on the flag",
            answered: Some(json!("Named on the flag")),
        },
        Override {
            field: "pinned",
            flag: "--pinned",
            in_file: json!(true),
            given: "false",
            answered: Some(json!(false)),
        },
    ];
    if with_type {
        all.push(Override {
            field: "type",
            flag: "--type",
            in_file: json!("filters"),
            given: "collection",
            answered: Some(json!("collection")),
        });
    }
    all
}

/// Runs `command` against `fake` with a `--json-body` of every field in
/// `overrides` and every flag over it; asserts that each flag won.
fn assert_flags_win(fake: &FakePostHog, command: &str, args: &[&str], overrides: &[Override]) {
    let mut fields: Vec<String> = overrides.iter().map(|o| o.field.to_owned()).collect();
    fields.sort();
    assert_eq!(
        fields,
        template_fields(command),
        "{command}: a body field without a flag, or a flag without an override here"
    );
    let dir = tempfile::tempdir().unwrap();
    let body: serde_json::Map<String, Value> = overrides
        .iter()
        .map(|o| (o.field.to_owned(), o.in_file.clone()))
        .collect();
    let file = body_file(dir.path(), "body.json", &Value::Object(body));
    let mut all: Vec<&str> = vec![command, "--project-id", "4242", "--json-body", path(&file)];
    all.extend(args);
    for o in overrides {
        all.extend([o.flag, o.given]);
    }
    let answered = run_ok(fake, fake.personal_api_key(), &all);
    for o in overrides {
        if let Some(value) = &o.answered {
            assert_eq!(&answered[0][o.field], value, "{command} {}", o.flag);
        }
    }
}

/// `--json-body` and flags together: each flag replaces its field of the
/// body, for create and update alike, and every body field has a flag.
#[test]
fn flags_given_with_a_json_body_replace_its_fields() {
    let fake = FakePostHog::start().unwrap();
    assert_flags_win(
        &fake,
        "session-recording-playlists-create",
        &[],
        &overrides(true),
    );
    let short_id = create_collection(&fake, fake.personal_api_key());
    assert_flags_win(
        &fake,
        "session-recording-playlists-partial-update",
        &["--short-id", &short_id],
        &overrides(false),
    );
    // A file without a field the command requires, which a flag gives.
    let dir = tempfile::tempdir().unwrap();
    let file = body_file(
        dir.path(),
        "named.json",
        &json!({"name": "No kind in the file"}),
    );
    let created = run_ok(
        &fake,
        fake.personal_api_key(),
        &[
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--json-body",
            path(&file),
            "--type",
            "collection",
        ],
    );
    assert_eq!(created[0]["name"], "No kind in the file");
    assert_eq!(created[0]["type"], "collection");
    // `--help` says so.
    let help = stdout(&posthog(
        None,
        None,
        &["session-recording-playlists-create", "--help"],
    ))
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    assert!(
        help.contains("each body flag given too replaces its field"),
        "{help}"
    );
}

/// A typo in a body is refused before anything is sent, naming the field
/// and the fields the command knows.
#[test]
fn a_body_field_the_command_does_not_know_is_refused_by_name() {
    let fake = FakePostHog::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let runs: [(&str, Value, &[&str]); 3] = [
        (
            "session-recording-playlists-create",
            json!({"type": "collection", "nmae": "Typo"}),
            &[],
        ),
        (
            "session-recording-playlists-partial-update",
            json!({"nmae": "Typo"}),
            &["--short-id", "abc123"],
        ),
        (
            "query-upgrade",
            json!({"query": {"kind": "EventsNode"}, "quey": {}}),
            &[],
        ),
    ];
    for (command, body, args) in runs {
        let file = body_file(dir.path(), &format!("{command}.json"), &body);
        let mut all = vec![command, "--project-id", "4242", "--json-body", path(&file)];
        all.extend(args);
        let output = posthog(Some(&fake.url()), Some(fake.personal_api_key()), &all);
        let typo = body
            .as_object()
            .unwrap()
            .keys()
            .find(|key| key.starts_with("nmae") || key.starts_with("quey"))
            .unwrap()
            .clone();
        assert_usage_error(
            &output,
            &format!(
                "{}: `/{typo}` is not a field of the body of {command}; its fields are ",
                file.display()
            ),
        );
        let known = if command == "query-upgrade" {
            "query"
        } else {
            "name"
        };
        assert!(stderr(&output).contains(known), "{}", stderr(&output));
    }
    assert_eq!(fake.requests(), Vec::<String>::new(), "nothing is sent");
}

/// `--json-body-template` needs no other argument, takes the kind `--type`
/// gives (and any other flag's value), and what it prints is refused if it
/// comes back with a placeholder left in it.
#[test]
fn a_json_body_template_needs_nothing_follows_flags_and_is_refused_unedited() {
    let fake = FakePostHog::start().unwrap();
    let create = "session-recording-playlists-create";
    let update = "session-recording-playlists-partial-update";
    let template = |args: &[&str]| {
        let output = posthog(None, None, args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()
    };

    let bare = template(&[create, "--json-body-template"]);
    assert_eq!(bare["type"], "<collection|filters>", "{bare}");
    assert_eq!(bare["name"], "<string>", "{bare}");
    assert_eq!(bare["pinned"], "<true|false>", "{bare}");
    let saved = template(&[create, "--json-body-template", "--type", "filters"]);
    assert_eq!(saved["type"], "filters", "{saved}");
    assert_eq!(saved["filters"], "<JSON>", "{saved}");
    let collection = template(&[
        create,
        "--type",
        "collection",
        "--name",
        "X",
        "--json-body-template",
    ]);
    assert_eq!(collection["type"], "collection", "{collection}");
    assert_eq!(collection["name"], "X", "{collection}");
    assert!(
        collection.get("filters").is_none(),
        "a collection has none: {collection}"
    );
    let changes = template(&[update, "--json-body-template"]);
    assert_eq!(changes["deleted"], "<true|false>", "{changes}");
    assert_eq!(changes["filters"], "<JSON>", "{changes}");
    assert!(changes.get("type").is_none(), "{changes}");
    let upgrade = template(&["query-upgrade", "--json-body-template"]);
    assert!(upgrade["query"]["kind"].is_string(), "{upgrade}");

    // Sent back as printed: refused, naming every placeholder; nothing sent.
    let dir = tempfile::tempdir().unwrap();
    let sent_back = [
        (create, bare.clone(), vec![]),
        (update, changes.clone(), vec!["--short-id", "abc123"]),
    ];
    for (command, body, args) in &sent_back {
        let file = body_file(dir.path(), "template.json", body);
        let mut all = vec![*command, "--project-id", "4242", "--json-body", path(&file)];
        all.extend(args);
        let output = posthog(Some(&fake.url()), Some(fake.personal_api_key()), &all);
        assert_usage_error(
            &output,
            "still holds the placeholders of `--json-body-template` at ",
        );
        assert!(stderr(&output).contains("/name"), "{}", stderr(&output));
        assert!(stderr(&output).contains("/pinned"), "{}", stderr(&output));
    }
    // One placeholder left among real values is still refused, by name.
    let mut edited = collection.clone();
    let fields = edited.as_object_mut().unwrap();
    fields.insert("_create_in_folder".into(), json!("Playlists"));
    fields.insert("deleted".into(), json!(false));
    fields.insert("derived_name".into(), json!("x"));
    fields.insert("pinned".into(), json!(true));
    fields.insert("name".into(), json!("Edited"));
    let file = body_file(dir.path(), "edited.json", &edited);
    let output = posthog(
        Some(&fake.url()),
        Some(fake.personal_api_key()),
        &[create, "--project-id", "4242", "--json-body", path(&file)],
    );
    assert_usage_error(&output, "at /description: give each a value or remove it");
    assert_eq!(fake.requests(), Vec::<String>::new(), "nothing is sent");

    // Its last placeholder filled in, it is sent.
    edited["description"] = json!("Filled in");
    let file = body_file(dir.path(), "edited.json", &edited);
    let created = run_ok(
        &fake,
        fake.personal_api_key(),
        &[create, "--project-id", "4242", "--json-body", path(&file)],
    );
    assert_eq!(created[0]["description"], "Filled in");
}

/// What clap requires of a command, its usage line shows: for every
/// command, the arguments a bare run is refused for are in `-h`'s usage.
#[test]
fn usage_lines_show_the_arguments_a_command_requires() {
    for name in subcommands() {
        let help = stdout(&posthog(None, None, &[&name, "-h"]));
        let usage = help
            .lines()
            .find(|line| line.starts_with("Usage:"))
            .unwrap_or_else(|| panic!("{name}: no usage line in {help}"));
        let output = posthog(None, None, &[&name]);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        let refusal = stderr(&output);
        let required: Vec<&str> = refusal
            .split(|c: char| c.is_whitespace() || "<>|".contains(c))
            .filter(|word| word.starts_with("--"))
            .collect();
        assert!(
            required.contains(&"--project-id"),
            "{name}: every command needs a project: {refusal}"
        );
        for flag in required {
            assert!(
                usage.contains(&format!("{flag} <")),
                "{name}: `{flag}` is required but its usage line does not show it: {usage}"
            );
        }
    }
    let create = stdout(&posthog(
        None,
        None,
        &["session-recording-playlists-create", "-h"],
    ));
    assert!(
        create.contains(
            "[OPTIONS] --project-id <project-id> <--type <type>|--json-body <JSON-FILE>>"
        ),
        "{create}"
    );
}

/// `--filters` takes JSON or a file of it, and a saved-filters playlist
/// without filters is refused before anything is sent, as the client
/// refuses it (`SessionRecordingPlaylistCreate::saved_filters`).
#[test]
fn filters_take_json_or_a_file_and_are_checked_as_the_client_checks_them() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    let dir = tempfile::tempdir().unwrap();
    let rage = json!({"events": [{"id": "$rageclick"}]});
    let file = body_file(dir.path(), "filters.json", &rage);
    let create = |name: &str, filters: Option<&str>| {
        let mut args = vec![
            "session-recording-playlists-create",
            "--project-id",
            "4242",
            "--type",
            "filters",
            "--name",
            name,
        ];
        if let Some(filters) = filters {
            args.extend(["--filters", filters]);
        }
        posthog(Some(&fake.url()), Some(key), &args)
    };

    let from_file = create("From a file", Some(path(&file)));
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let from_file: Value = serde_json::from_str(&stdout(&from_file)).unwrap();
    assert_eq!(from_file["filters"], rage);
    let inline = create("Inline", Some(r#"{"date_from": "-7d"}"#));
    assert_eq!(inline.status.code(), Some(0), "{}", stderr(&inline));
    let sent = fake.requests().len();

    for (filters, said) in [
        (None, "a saved-filters playlist needs filters"),
        (Some("{}"), "a saved-filters playlist needs filters"),
        (Some("[1]"), "a saved-filters playlist needs filters"),
        (Some("{oops"), "not valid JSON"),
        (Some("no-such-file.json"), "neither JSON"),
    ] {
        let output = create("Refused", filters);
        assert_usage_error(&output, said);
    }
    assert_eq!(fake.requests().len(), sent, "nothing more is sent");

    // An update that brings filters sends them, without fetching the playlist first.
    let short_id = from_file["short_id"].as_str().unwrap();
    let updated = run_ok(
        &fake,
        key,
        &[
            "session-recording-playlists-partial-update",
            "--project-id",
            "4242",
            "--short-id",
            short_id,
            "--filters",
            r#"{"date_from": "-30d"}"#,
        ],
    );
    assert_eq!(updated[0]["filters"], json!({"date_from": "-30d"}));
    assert_eq!(fake.requests().len(), sent + 1, "{:?}", fake.requests());
}

/// Every playlist of a project, across pages, one JSON document per line.
#[test]
fn list_all_prints_every_playlist_one_line_each_across_pages() {
    let fake = FakePostHog::start().unwrap();
    let key = fake.personal_api_key();
    for _ in 0..3 {
        create_collection(&fake, key);
    }
    let listed = run_ok(
        &fake,
        key,
        &["session-recording-playlists-list", "--project-id", "4242"],
    );
    let count = listed[0]["count"].as_u64().unwrap();
    let before = fake.requests().len();

    let output = posthog(
        Some(&fake.url()),
        Some(key),
        &[
            "session-recording-playlists-list-all",
            "--project-id",
            "4242",
            "--page-size",
            "2",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, count, "{}", stdout(&output));
    let mut ids: Vec<i64> = lines.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, count, "each playlist once");
    let pages = fake.requests().len() - before;
    assert_eq!(pages as u64, count.div_ceil(2), "{:?}", fake.requests());
}

/// A server on 127.0.0.1 that answers every connection with text that is
/// not TLS, then closes it; its port.
fn not_tls_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = std::io::Write::write_all(&mut stream, b"HTTP/1.1 400 Not TLS\r\n\r\n");
        }
    });
    port
}

/// No answer from PostHog exits 3, apart from 1 (PostHog answered with an
/// error) and 2 (bad input): a host that is down, TLS that fails, and (in
/// `the_cli_rides_out_transient_failures_as_the_client_does`) a connection
/// closed before the answer.
#[test]
fn no_answer_from_posthog_exits_3() {
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let not_tls = not_tls_server();
    for (host, said) in [
        (format!("http://127.0.0.1:{down}"), "Connection refused"),
        (format!("https://127.0.0.1:{not_tls}"), "request failed"),
    ] {
        let output = posthog(
            Some(&host),
            Some(API_KEY),
            &["session-recording-playlists-list", "--project-id", "4242"],
        );
        let stderr = stderr(&output);
        assert_eq!(output.status.code(), Some(3), "{host}: {stderr}");
        let last = stderr.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("error: session_recording_playlists_list: request failed")
                && last.contains(said),
            "{host}: {stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    let help = stdout(&posthog(None, None, &["-h"]));
    assert!(
        help.contains("3 no answer from PostHog (host down, DNS, TLS"),
        "the exit codes are in `posthog -h`: {help}"
    );
}

/// `--help` speaks to a shell user: the spec's paragraphs that cite
/// PostHog's code or the client's Rust items stay in rustdoc.
#[test]
fn help_is_written_for_a_shell_user() {
    for name in subcommands() {
        let help = stdout(&posthog(None, None, &[&name, "--help"]));
        for developer in [
            "posthog/",
            ".py",
            "::",
            "RetryPolicy",
            "x-idempotent",
            "docs page",
            "Departs",
            "`Client",
            "the client",
        ] {
            assert!(
                !help.contains(developer),
                "`{name} --help` says {developer:?}:\n{help}"
            );
        }
    }
    let name = stdout(&posthog(
        None,
        None,
        &["session-recording-playlists-create", "--help"],
    ));
    assert!(
        name.contains("The playlist's name, at most 400 characters"),
        "{name}"
    );
}
