//! `cargo xtask`: the workspace's own commands (see `cargo xtask --help`).
//! This file only wires them: the command line is read once ([`cli`]), the
//! checkout found, and each command runs from its own module in
//! [`commands`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli::{Command, HELP};

mod cli;
mod commands;

fn main() -> ExitCode {
    let invocation = match cli::parse(std::env::args().skip(1)) {
        Ok(invocation) => invocation,
        Err(message) => {
            eprintln!("error: {message}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let root = invocation.root;
    match invocation.command {
        Command::Help => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Command::Gen {
            check: false,
            all: true,
        } => in_checkout(root, commands::generate::run_all),
        Command::Gen { check, .. } => {
            in_checkout(root, |root| commands::generate::run(root, check))
        }
        Command::Ci => in_checkout(root, commands::ci::run),
        Command::Bench { scope } => in_checkout(root, |root| commands::bench::run(root, scope)),
        Command::BenchOne { subject } => {
            in_checkout(root, |root| commands::bench::run_one(root, &subject))
        }
        Command::SpecDiff {
            base,
            fail_on_breaking,
        } => in_checkout(root, |root| {
            commands::spec_diff::run(root, base.as_deref(), fail_on_breaking)
        }),
        Command::Live => in_checkout(root, commands::live::run),
        Command::CheckSpec { spec } => {
            in_checkout(root, |root| commands::check_spec::run(root, &spec))
        }
        Command::CheckPeerSpecs => in_checkout(root, commands::check_spec::run_peers),
        Command::UpstreamDiff { schema } => {
            in_checkout(root, |root| commands::upstream_diff::run(root, &schema))
        }
    }
}

/// Runs `command` on the checkout at `root`, else on the one this runs in.
fn in_checkout(root: Option<PathBuf>, command: impl FnOnce(&Path) -> ExitCode) -> ExitCode {
    match root.map_or_else(xtask::workspace_root, Ok) {
        Ok(root) => command(&root),
        Err(message) => {
            eprintln!("error: {message:#}");
            ExitCode::from(2)
        }
    }
}
