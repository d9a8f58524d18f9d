//! `posthog-live` (run it with `cargo xtask live`): the scenario of
//! `posthog-scenario` against a real PostHog. It reads `POSTHOG_HOST`,
//! `POSTHOG_PERSONAL_API_KEY` and `POSTHOG_PROJECT_ID`, names what it
//! creates with a prefix unique to the run, prints one line per step, and
//! exits 0 when every step passed, 1 when one did not, 2 when a variable is
//! missing or unusable (saying which).

use std::num::NonZeroU64;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use posthog_api::{Client, ConfigError, ENV_API_KEY, ENV_HOST, Host};
use posthog_scenario::{Credential, ENV_PROJECT_ID, Target, all_passed, run};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let target = match target().await {
        Ok(target) => target,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    println!(
        "posthog-live: project {} at {}, playlists named `{} …`",
        target.project_id,
        std::env::var(ENV_HOST).unwrap_or_default(),
        target.name_prefix
    );
    let reports = run(&target, |report| println!("{report}")).await;
    let failed = reports
        .iter()
        .filter(|report| report.outcome != posthog_scenario::Outcome::Pass)
        .count();
    if all_passed(&reports) {
        println!("posthog-live: all {} steps passed", reports.len());
        ExitCode::SUCCESS
    } else {
        println!(
            "posthog-live: {failed} of {} steps did not pass",
            reports.len()
        );
        ExitCode::FAILURE
    }
}

/// Which kind of personal API key the client holds: PostHog answers an
/// action that declares no scope (`query_check_auth_for_async`, which
/// changes nothing) only to a legacy key, created without scopes.
async fn credential(client: &Client, project_id: &str) -> Credential {
    let probe = client
        .query_check_auth_for_async()
        .project_id(project_id)
        .send()
        .await;
    if probe.is_ok() {
        println!(
            "posthog-live: the key is a legacy one (no scopes): expecting the actions scoped keys are refused to work"
        );
        Credential::LegacyPersonalApiKey
    } else {
        Credential::PersonalApiKey
    }
}

/// The target the environment describes, or what is missing.
async fn target() -> Result<Target, NoTarget> {
    let read = |name: &'static str| {
        std::env::var(name)
            .ok()
            .filter(|value| !value.trim().is_empty())
            .ok_or(name)
    };
    let (host, key, project) = (read(ENV_HOST), read(ENV_API_KEY), read(ENV_PROJECT_ID));
    let missing: Vec<&'static str> = [&host, &key, &project]
        .into_iter()
        .filter_map(|value| value.as_ref().err().copied())
        .collect();
    let (Ok(host), Ok(key), Ok(project_id)) = (host, key, project) else {
        return Err(NoTarget::Missing(missing));
    };
    let host: Host = host.parse().map_err(NoTarget::Host)?;
    let client = Client::with_api_key(host, key).map_err(NoTarget::Client)?;
    let credential = credential(&client, &project_id).await;
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    Ok(Target {
        client,
        project_id,
        credential,
        name_prefix: format!("posthog-api live {started}-{}", std::process::id()),
        page_size: NonZeroU64::new(5).expect("not zero"),
        recording_id: None,
    })
}

/// Why the environment describes no target to run against: exit 2.
#[derive(Debug)]
enum NoTarget {
    /// These variables are unset or blank.
    Missing(Vec<&'static str>),
    /// The host variable is not a PostHog URL.
    Host(ConfigError),
    /// No client can be built (the key, or TLS); its message says why.
    Client(ConfigError),
}

impl std::fmt::Display for NoTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoTarget::Missing(names) => write!(
                f,
                "missing environment variable{} {}: set {ENV_HOST} (e.g. https://eu.posthog.com), \
                 {ENV_API_KEY} (a personal API key with session_recording_playlist:write) and \
                 {ENV_PROJECT_ID} to run the live scenario",
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            NoTarget::Host(error) => write!(f, "{ENV_HOST}: {error}"),
            NoTarget::Client(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for NoTarget {}
