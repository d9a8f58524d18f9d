//! `cargo xtask`: the workspace's own commands (see `cargo xtask --help`).
//! This file only wires them: the command line is read once ([`cli`]), the
//! checkout found, and each command runs from its own module in
//! [`commands`]. Every error is printed here, once, as `error: ` and its
//! chain of causes on one line; a usage error is followed by the help.

use std::process::ExitCode;

use cli::{Command, HELP, Invocation, UsageError};
use commands::CheckFailed;

mod cli;
mod commands;

fn main() -> ExitCode {
    match run(std::env::args().skip(1)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            if error.is::<UsageError>() {
                eprintln!("\n{HELP}");
            }
            if error.is::<CheckFailed>() {
                ExitCode::FAILURE
            } else {
                ExitCode::from(2)
            }
        }
    }
}

/// Runs the command `args` name; its exit code, or the error to print.
fn run(args: impl Iterator<Item = String>) -> anyhow::Result<ExitCode> {
    let Invocation { root, command } = cli::parse(args)?;
    // The help needs no checkout; every other command works on one.
    if command == Command::Help {
        print!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    }
    let root = root.map_or_else(xtask::workspace_root, Ok)?;
    let root = root.as_path();
    let done = |()| ExitCode::SUCCESS;
    match command {
        Command::Help => Ok(ExitCode::SUCCESS),
        Command::Gen {
            check: false,
            all: true,
        } => commands::generate::run_all(root).map(done),
        Command::Gen { check, .. } => commands::generate::run(root, check).map(done),
        Command::Ci => commands::ci::run(root).map(done),
        Command::Bench { scope } => commands::bench::run(root, scope).map(done),
        Command::BenchOne { subject } => commands::bench::run_one(root, &subject).map(done),
        Command::SpecDiff {
            base,
            fail_on_breaking,
        } => commands::spec_diff::run(root, base.as_deref(), fail_on_breaking).map(done),
        Command::Live => commands::live::run(root),
        Command::CheckSpec { spec } => commands::check_spec::run(root, &spec),
        Command::CheckPeerSpecs => commands::check_spec::run_peers(root),
        Command::UpstreamDiff { schema } => commands::upstream_diff::run(root, &schema).map(done),
    }
}
