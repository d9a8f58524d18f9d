//! `cargo xtask gen [--check | --all]`: writes the generated files that
//! differ from what the spec generates, each atomically; with `--check`,
//! writes nothing and prints a unified diff per stale file instead. Both
//! answer at once when the freshness stamp says nothing changed since `gen`
//! last left every file current (`xtask::freshness`). With `--all`, `gen`
//! then rewrites the two committed outputs that follow the spec too:
//! upstream-diff's report on PostHog's schema snapshot
//! ([`xtask::UPSTREAM_GOLDEN`]) and the CLI's help ([`xtask::CLI_HELP`]),
//! each by the code its test checks it with.

use std::path::Path;
use std::process::ExitCode;

use xtask::{
    CLI_HELP, GENERATED, GeneratedFile, SPEC, UPSTREAM_GOLDEN, diff, freshness, generate_all,
    write_if_changed,
};

/// `gen --all`: the generated files, then the upstream report and the CLI
/// help. Exit 0 when all three are current, 2 when one cannot be made.
pub(crate) fn run_all(root: &Path) -> ExitCode {
    let generated = run(root, false);
    if generated != ExitCode::SUCCESS {
        return generated;
    }
    let upstream = upstream_report(root);
    let help = cli_help(root);
    if upstream && help {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// Rewrites [`UPSTREAM_GOLDEN`] with `cargo xtask upstream-diff`'s report on
/// the schema snapshot, found as `--posthog` finds it.
fn upstream_report(root: &Path) -> bool {
    let schema = match xtask::posthog_full_spec(root) {
        Ok(schema) => schema,
        Err(error) => {
            eprintln!("error: cannot rewrite {UPSTREAM_GOLDEN}: {error}");
            return false;
        }
    };
    let (markdown, drift) = match super::upstream_diff::report(root, &schema) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: cannot rewrite {UPSTREAM_GOLDEN}: {error:#}");
            return false;
        }
    };
    let golden = GeneratedFile {
        path: UPSTREAM_GOLDEN,
        content: markdown,
    };
    match write_if_changed(root, &golden) {
        Ok(wrote) => println!(
            "{UPSTREAM_GOLDEN} {}",
            if wrote { "rewritten" } else { "is up to date" }
        ),
        Err(error) => {
            eprintln!("error: cannot write {UPSTREAM_GOLDEN}: {error}");
            return false;
        }
    }
    if drift > 0 {
        eprintln!(
            "warning: the report finds {drift} difference(s) the spec does not declare (x-upstream-departure); CI fails on them"
        );
    }
    true
}

/// Rewrites [`CLI_HELP`] by running the CLI test that checks it, with
/// `UPDATE_HELP=1` (it builds the `posthog` binary).
fn cli_help(root: &Path) -> bool {
    let status = xtask::cargo()
        .current_dir(root)
        .args([
            "test",
            "--quiet",
            "-p",
            "posthog-cli",
            "--test",
            "cli",
            "--",
            "--exact",
            "short_help_matches_the_checked_in_text",
        ])
        .env("UPDATE_HELP", "1")
        .status();
    match status {
        Ok(status) if status.success() => {
            println!("{CLI_HELP} rewritten from `posthog -h`");
            true
        }
        Ok(status) => {
            eprintln!("error: cannot rewrite {CLI_HELP}: its test failed ({status})");
            false
        }
        Err(error) => {
            eprintln!("error: cannot rewrite {CLI_HELP}: cargo did not run: {error}");
            false
        }
    }
}

/// Exit 0 when every file is current (or written), 1 when `--check` finds
/// a stale one, 2 on a bad spec or a failed write.
pub(crate) fn run(root: &Path, check: bool) -> ExitCode {
    if freshness::known_current(root) {
        if check {
            println!("generated code is up to date with {SPEC}");
        } else {
            GENERATED
                .iter()
                .for_each(|path| println!("{path} is up to date"));
        }
        return ExitCode::SUCCESS;
    }
    let files = match generate_all(root) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if check {
        let stale: Vec<_> = files.iter().filter_map(|file| diff(root, file)).collect();
        if stale.is_empty() {
            println!("generated code is up to date with {SPEC}");
            return ExitCode::SUCCESS;
        }
        freshness::forget(root);
        stale.iter().for_each(|patch| print!("{patch}"));
        eprintln!("error: generated code is stale; run `cargo xtask gen` and commit the result");
        return ExitCode::from(1);
    }
    for file in &files {
        match write_if_changed(root, file) {
            Ok(true) => println!(
                "wrote {} ({} lines)",
                file.path,
                file.content.lines().count()
            ),
            Ok(false) => println!("{} is up to date", file.path),
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", file.path);
                return ExitCode::from(2);
            }
        }
    }
    // Only `gen` leaves the stamp; `--check` never writes one.
    freshness::record_current(root);
    ExitCode::SUCCESS
}
