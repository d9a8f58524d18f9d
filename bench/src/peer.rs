//! The peer generator: openapi-generator's Rust client generator, run from
//! the pinned PyPI package in `target/bench/venv` (installed on first use by
//! `bench/install-openapi-generator.sh`). Timed as a whole command,
//! like `cargo xtask gen`, on the same spec in the same run. When it cannot
//! be installed or run, the row is skipped with the reason — never guessed.
//! Its row of the report, beside `cargo xtask gen`, is written here too.

use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::commands::Commands;
use super::format::{measured, met, this_command};
use super::scratch::{Scratch, run};
use super::stats::{Summary, millis, ratio, time_runs};

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

/// How many times faster than openapi-generator, whole command to whole command.
pub(crate) const PEER_TARGET_FACTOR: f64 = 20.0;
pub(crate) fn report_peer(
    report: &mut String,
    spec: &str,
    peer: &anyhow::Result<PeerResult>,
    ours: Option<&Commands>,
    core: &Summary,
) {
    let _ = writeln!(
        report,
        "\n### Peer generator\n\n\
         openapi-generator (`-g rust`, the pinned PyPI package in \
         `target/bench/venv`, installed by `{}`), whole command on the same spec, \
         one untimed warm-up run; a fresh output folder each run.\n\
         Reproduce: `{}`, or by hand \
         `target/bench/venv/bin/openapi-generator-cli generate -g rust -i {spec} -o \"$(mktemp -d)\"`.\n",
        INSTALL_SCRIPT,
        this_command("bench"),
    );
    let Some(peer) = measured(report, peer, "Skipped") else {
        return;
    };
    let _ = writeln!(
        report,
        "| generator | runs | median | min – max | openapi-generator / this |\n\
         | --- | ---: | ---: | ---: | ---: |\n\
         | openapi-generator {} | {} | {} | {} | – |",
        peer.version,
        peer.summary.runs,
        millis(peer.summary.median),
        peer.summary.spread()
    );
    let mut rows = vec![];
    if let Some(ours) = ours {
        rows.push(("`cargo xtask gen` (above)".to_owned(), &ours.generate));
        rows.push((
            "`cargo xtask gen` after a spec edit (above)".to_owned(),
            &ours.generate_edited,
        ));
        rows.push((
            format!(
                "`xtask gen`, this {} binary without cargo (above)",
                super::machine::short_profile()
            ),
            &ours.binary,
        ));
    }
    rows.push(("generation core, in-process (above)".to_owned(), core));
    for (what, summary) in rows {
        let _ = writeln!(
            report,
            "| {what} | {} | {} | {} | {} |",
            summary.runs,
            millis(summary.median),
            summary.spread(),
            ratio(peer.summary.median, summary.median)
        );
    }
    if let Some(ours) = ours {
        // openapi-generator always generates, so the verdict compares it
        // with our command when it generates too, not with a stamp hit.
        let factor = peer.summary.median.as_secs_f64() / ours.generate_edited.median.as_secs_f64();
        let _ = writeln!(
            report,
            "\nTarget ≥ {PEER_TARGET_FACTOR}× faster than openapi-generator, whole command \
             against whole command, both generating (`cargo xtask gen` after a spec \
             edit): {} ({factor:.1}×).",
            met(factor >= PEER_TARGET_FACTOR),
        );
    }
}
