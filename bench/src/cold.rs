//! Cold start: what a contributor waits for the first time. A fresh
//! `git clone` of this checkout at a revision (HEAD, or the baseline it is
//! compared with; uncommitted changes are in neither) with its own empty
//! target folder, then `cargo xtask gen` there, counting the crates cargo
//! compiles on the way. Crates already downloaded to the cargo home are
//! reused, so this is compile time, not download time.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::scratch::{Scratch, run};

/// One cold run of `cargo xtask gen`.
#[derive(Debug)]
pub(crate) struct ColdResult {
    pub(crate) wall: Duration,
    pub(crate) crates: Vec<String>,
}

/// Clones `root` at `revision` and times the first `cargo xtask gen` in
/// the clone.
pub(crate) fn measure(root: &Path, revision: &str) -> Result<ColdResult, String> {
    let scratch = Scratch::new("cold")?;
    let clone = scratch.path().join("repo");
    run(Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks", "--no-checkout"])
        .arg(root)
        .arg(&clone))?;
    run(Command::new("git")
        .args(["checkout", "--quiet", revision])
        .current_dir(&clone))?;
    // `cargo xtask` is `cargo run --quiet --package xtask --`; without
    // `--quiet` cargo names each crate it compiles, which is what we count.
    let started = Instant::now();
    let output = run(Command::new("cargo")
        .args(["run", "--package", "xtask", "--", "gen"])
        .current_dir(&clone)
        .env("CARGO_TARGET_DIR", clone.join("target"))
        .env("CARGO_TERM_COLOR", "never"))?;
    let wall = started.elapsed();
    Ok(ColdResult {
        wall,
        crates: compiled_crates(&String::from_utf8_lossy(&output.stderr)),
    })
}

/// `name version` of every `Compiling name vX.Y.Z (…)` line cargo printed.
fn compiled_crates(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .map(|rest| rest.split(" (").next().unwrap_or(rest).to_owned())
        .collect()
}
