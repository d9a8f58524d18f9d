//! The Node tools of the spec quality gate: Redocly CLI (lint) and Prism
//! (mock server for the contract tests), pinned in `tools/package.json` and
//! its committed lockfile and installed into `tools/node_modules` by
//! `npm ci`. `cargo xtask ci` and the lint tests both reach them through
//! this module, so they run the same binaries with the same settings.

use anyhow::Context as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where the tools' `package.json` and lockfile live, relative to the root.
pub const TOOLS_DIR: &str = "tools";

/// Redocly's configuration (its lint checks), relative to the workspace root.
pub const REDOCLY_CONFIG: &str = "redocly.yaml";

/// The environment variable that tells the contract tests where Prism is.
pub const PRISM_BIN_ENV: &str = "PRISM_BIN";

/// Written after a successful `npm ci`, relative to [`TOOLS_DIR`]: a copy
/// of the lockfile installed, so a changed lockfile means a fresh install.
pub const INSTALL_STAMP: &str = "node_modules/.installed-package-lock.json";

/// Redocly CLI, as `npm ci` installs it under `root`.
pub fn redocly_bin(root: &Path) -> PathBuf {
    root.join(TOOLS_DIR).join("node_modules/.bin/redocly")
}

/// Prism, as `npm ci` installs it under `root`.
pub fn prism_bin(root: &Path) -> PathBuf {
    root.join(TOOLS_DIR).join("node_modules/.bin/prism")
}

/// Whether `tools/node_modules` holds exactly what the lockfile pins.
pub fn tools_are_current(root: &Path) -> bool {
    let tools = root.join(TOOLS_DIR);
    let installed = fs::read(tools.join(INSTALL_STAMP));
    let pinned = fs::read(tools.join("package-lock.json"));
    matches!((installed, pinned), (Ok(installed), Ok(pinned)) if installed == pinned)
        && redocly_bin(root).is_file()
        && prism_bin(root).is_file()
}

/// Installs the pinned tools with `npm ci` (which starts from an empty
/// `node_modules`). Fails with a message saying what to do when Node or npm
/// is missing or the install fails; never leaves a stamp after a failure.
pub fn install_tools(root: &Path) -> anyhow::Result<()> {
    let node = tool_version("node")?;
    let npm = tool_version("npm")?;
    println!("node {node}, npm {npm}: running `npm ci` in {TOOLS_DIR}/");
    let tools = root.join(TOOLS_DIR);
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&tools)
        .status()
        .with_context(|| format!("cannot run `npm ci` in {}", tools.display()))?;
    if !status.success() {
        return Err(anyhow::anyhow!(
            "`npm ci` in {} failed ({status}); the spec lint and contract tests need its tools",
            tools.display()
        ));
    }
    fs::copy(tools.join("package-lock.json"), tools.join(INSTALL_STAMP))
        .context("cannot record the installed lockfile")?;
    if tools_are_current(root) {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "`npm ci` succeeded but {} or {} is missing",
            redocly_bin(root).display(),
            prism_bin(root).display()
        ))
    }
}

/// `program --version`, or a message saying the program is needed.
fn tool_version(program: &str) -> anyhow::Result<String> {
    let missing = |detail: String| {
        anyhow::anyhow!(
            "`{program}` is needed to install the spec tools (Node.js 20 with npm) but {detail}; \
             install Node.js 20 and run `cargo xtask ci` again"
        )
    };
    let output = Command::new(program)
        .arg("--version")
        .output()
        .map_err(|error| missing(format!("cannot be run: {error}")))?;
    if !output.status.success() {
        return Err(missing(format!("`{program} --version` failed")));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// What one Redocly lint run found.
#[derive(Debug)]
pub struct LintReport {
    /// Whether the spec has no errors and no warnings.
    pub clean: bool,
    /// Redocly's output, stdout then stderr.
    pub output: String,
}

/// Lints `spec` with Redocly with the lint checks of `root`'s `redocly.yaml`,
/// telemetry and update checks off. A warning counts as a failure too.
pub fn lint(root: &Path, spec: &Path) -> anyhow::Result<LintReport> {
    let redocly = redocly_bin(root);
    if !redocly.is_file() {
        return Err(anyhow::anyhow!(
            "Redocly CLI is not installed at {}; run `cargo xtask ci`, which installs it",
            redocly.display()
        ));
    }
    let output = Command::new(&redocly)
        .arg("lint")
        .arg(spec)
        .arg("--config")
        .arg(root.join(REDOCLY_CONFIG))
        // A mistyped check in redocly.yaml fails the run instead of being skipped.
        .args(["--lint-config", "error"])
        // Telemetry off: CI sends nothing anywhere; no update checks either.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .env("REDOCLY_SUPPRESS_NOTIFICATIONS", "true")
        .output()
        .with_context(|| format!("cannot run {}", redocly.display()))?;
    Ok(report(&output))
}

fn report(output: &Output) -> LintReport {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Redocly exits 0 on warnings and then prints "You have N warning(s).".
    let warned = text
        .lines()
        .any(|line| line.starts_with("You have ") && line.contains(" warning"));
    LintReport {
        clean: output.status.success() && !warned,
        output: text,
    }
}
