//! `cargo xtask ci`: the workspace's one test command. It installs the
//! pinned spec tools when they are missing, lints the spec, runs the test
//! suite, then the ignored tests that need those tools (the lint gate and
//! the contract tests against Prism). Every step prints its time, and any
//! failure, a missing Node included, stops the run with a non-zero exit:
//! it never reports success without having run them all.

use anyhow::Context as _;
use std::ffi::OsString;
use std::path::Path;
use std::time::Instant;

use xtask::SPEC;
use xtask::tools::{self, PRISM_BIN_ENV};

use super::CheckFailed;

type Step = fn(&Path) -> anyhow::Result<()>;

const STEPS: [(&str, Step); 5] = [
    ("spec tools (npm ci when missing)", ensure_tools),
    ("Redocly lint of spec/openapi.yaml", lint_spec),
    ("cargo test --workspace", workspace_tests),
    ("lint gate rejects broken specs", lint_gate_tests),
    ("contract tests against Prism", contract_tests),
];

/// Runs every step in order under `root`; stops at the first failure, a
/// [`CheckFailed`] (exit 1) over its cause.
pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    for (name, step) in STEPS {
        println!("==> {name}");
        let step_started = Instant::now();
        if let Err(error) = step(root) {
            eprintln!(
                "==> {name}: FAILED after {:.1} s",
                step_started.elapsed().as_secs_f64()
            );
            return Err(error.context(CheckFailed(name.to_owned())));
        }
        println!(
            "==> {name}: ok in {:.1} s",
            step_started.elapsed().as_secs_f64()
        );
    }
    println!(
        "==> cargo xtask ci: all steps passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn ensure_tools(root: &Path) -> anyhow::Result<()> {
    if tools::tools_are_current(root) {
        println!("{}/node_modules matches the lockfile", tools::TOOLS_DIR);
        return Ok(());
    }
    tools::install_tools(root)
}

fn lint_spec(root: &Path) -> anyhow::Result<()> {
    let report = tools::lint(root, &root.join(SPEC))?;
    print!("{}", report.output);
    if report.clean {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{SPEC} must lint with zero errors and zero warnings"
        ))
    }
}

fn workspace_tests(root: &Path) -> anyhow::Result<()> {
    cargo(root, &["test", "--workspace", "--locked"], None)
}

/// The xtask test binary's ignored tests: the lint gate (`spec_tools::lint_gate`).
fn lint_gate_tests(root: &Path) -> anyhow::Result<()> {
    ignored_tests(root, "xtask", None)
}

fn contract_tests(root: &Path) -> anyhow::Result<()> {
    let prism = (PRISM_BIN_ENV, tools::prism_bin(root).into_os_string());
    ignored_tests(root, "client", Some(prism))
}

/// Runs the ignored tests of one test target, picked across `--workspace`
/// rather than with `-p`: the same features as `workspace_tests`, so
/// nothing is rebuilt.
fn ignored_tests(root: &Path, target: &str, env: Option<(&str, OsString)>) -> anyhow::Result<()> {
    let args = [
        "test",
        "--workspace",
        "--locked",
        "--test",
        target,
        "--",
        "--ignored",
    ];
    cargo(root, &args, env)
}

/// Runs the cargo that runs this xtask, so toolchain overrides carry over.
fn cargo(root: &Path, args: &[&str], env: Option<(&str, OsString)>) -> anyhow::Result<()> {
    let mut command = xtask::cargo();
    command.args(args).current_dir(root);
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    let status = command.status().context("cannot run cargo")?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "`cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}
