//! The peer generator: openapi-generator's Rust client generator, run from
//! the pinned PyPI package in `target/bench/venv` (installed on first use by
//! `bench/install-openapi-generator.sh`). Timed as a whole command,
//! like `cargo xtask gen`, on the same spec in the same run. When it cannot
//! be installed or run, the row is skipped with the reason — never guessed.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::scratch::{Scratch, run};
use super::stats::{Summary, time_runs};

/// The install script, relative to the workspace root.
pub(crate) const INSTALL_SCRIPT: &str = "bench/install-openapi-generator.sh";

/// Runs per measurement; each takes seconds (a JVM start and generation).
const RUNS: usize = 5;

/// The peer's version and its timings.
#[derive(Debug)]
pub(crate) struct PeerResult {
    pub(crate) version: String,
    pub(crate) summary: Summary,
}

/// Installs the peer if needed, then times `openapi-generator-cli generate
/// -g rust` on `spec`. `Err` says why the row is skipped.
pub(crate) fn measure(root: &Path, spec: &Path) -> anyhow::Result<PeerResult> {
    let cli = install(root)?;
    let version = run(Command::new(&cli).arg("version"))
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())?;
    let scratch = Scratch::new("peer")?;
    let mut n = 0;
    let summary = time_runs(RUNS, || {
        n += 1;
        // A fresh output folder each run: the same work every time.
        let out = scratch.path().join(format!("run-{n}"));
        run(Command::new(&cli)
            .args(["generate", "-g", "rust", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(&out))
        .map(drop)
    })?;
    Ok(PeerResult { version, summary })
}

/// The command line to time. The script always runs: it returns at once
/// when the pinned version is there, and reinstalls when the pin changed.
fn install(root: &Path) -> anyhow::Result<PathBuf> {
    run(Command::new("bash")
        .arg(root.join(INSTALL_SCRIPT))
        .current_dir(root))
    .context("openapi-generator could not be installed")?;
    Ok(venv(root).join("bin/openapi-generator-cli"))
}

/// Where the install script puts the virtual environment.
fn venv(root: &Path) -> PathBuf {
    root.join("target/bench/venv")
}
