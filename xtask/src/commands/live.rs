//! `cargo xtask live`: the scenario of `posthog-scenario` against a real
//! PostHog. It needs network, so CI never runs it; it builds and runs the
//! `posthog-live` binary, which reads `POSTHOG_HOST`,
//! `POSTHOG_PERSONAL_API_KEY` and `POSTHOG_PROJECT_ID` itself (exit 2 and
//! the missing names when one is unset), prints a line per step and exits
//! non-zero on any failure. The same scenario runs against the behavioural
//! fake in `cargo test` (scenario/tests/scenario.rs).

use anyhow::Context as _;
use std::path::Path;
use std::process::ExitCode;

use super::CheckFailed;

/// Runs `posthog-live` in the checkout at `root`, passing its output and
/// exit code through; exit 1 ([`CheckFailed`]) when cargo cannot run, as
/// when the scenario fails.
pub(crate) fn run(root: &Path) -> anyhow::Result<ExitCode> {
    let status = xtask::cargo()
        .args([
            "run",
            "--quiet",
            "--locked",
            "--package",
            "posthog-scenario",
            "--bin",
            "posthog-live",
        ])
        .current_dir(root)
        .status()
        .context(CheckFailed("cannot run cargo".into()))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
