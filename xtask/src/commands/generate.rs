//! `cargo xtask gen [--check | --all]`: writes the generated files that
//! differ from what the spec generates, each atomically; with `--check`,
//! writes nothing and prints a unified diff per stale file instead. Both
//! answer at once when the freshness stamp says nothing changed since `gen`
//! last left every file current (`xtask::freshness`). With `--all`, `gen`
//! then rewrites the two committed outputs that follow the spec too:
//! upstream-diff's report on PostHog's schema snapshot
//! ([`xtask::UPSTREAM_GOLDEN`]) and the CLI's help ([`xtask::CLI_HELP`]),
//! each by the code its test checks it with.

use anyhow::Context as _;
use std::path::Path;

use xtask::{
    CLI_HELP, GENERATED, GeneratedFile, SPEC, UPSTREAM_GOLDEN, diff, freshness, generate_all,
    write_if_changed,
};

use super::CheckFailed;

/// `gen --all`: the generated files, then the upstream report and the CLI
/// help. Both are tried when one fails; an error when either cannot be
/// made.
pub(crate) fn run_all(root: &Path) -> anyhow::Result<()> {
    run(root, false)?;
    let upstream =
        upstream_report(root).with_context(|| format!("cannot rewrite {UPSTREAM_GOLDEN}"));
    let help = cli_help(root).with_context(|| format!("cannot rewrite {CLI_HELP}"));
    match (upstream, help) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(error), Ok(())) | (Ok(()), Err(error)) => Err(error),
        (Err(upstream), Err(help)) => Err(anyhow::anyhow!("{upstream:#}; and {help:#}")),
    }
}

/// Rewrites [`UPSTREAM_GOLDEN`] with `cargo xtask upstream-diff`'s report on
/// the schema snapshot, found as `--posthog` finds it.
fn upstream_report(root: &Path) -> anyhow::Result<()> {
    let schema = xtask::posthog_full_spec(root)?;
    let (markdown, drift) = super::upstream_diff::report(root, &schema)?;
    let golden = GeneratedFile {
        path: UPSTREAM_GOLDEN,
        content: markdown,
    };
    let wrote = write_if_changed(root, &golden).context("cannot write it")?;
    println!(
        "{UPSTREAM_GOLDEN} {}",
        if wrote { "rewritten" } else { "is up to date" }
    );
    if drift > 0 {
        eprintln!(
            "warning: the report finds {drift} difference(s) the spec does not declare (x-upstream-departure); CI fails on them"
        );
    }
    Ok(())
}

/// Rewrites [`CLI_HELP`] by running the CLI test that checks it, with
/// `UPDATE_HELP=1` (it builds the `posthog` binary).
fn cli_help(root: &Path) -> anyhow::Result<()> {
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
        .status()
        .context("cargo did not run")?;
    if !status.success() {
        anyhow::bail!("its test failed ({status})");
    }
    println!("{CLI_HELP} rewritten from `posthog -h`");
    Ok(())
}

/// Writes every stale generated file; with `check`, writes nothing and
/// fails with [`CheckFailed`] (exit 1) when one is stale.
pub(crate) fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    if freshness::known_current(root) {
        if check {
            println!("generated code is up to date with {SPEC}");
        } else {
            GENERATED
                .iter()
                .for_each(|path| println!("{path} is up to date"));
        }
        return Ok(());
    }
    let files = generate_all(root)?;
    if check {
        let stale: Vec<_> = files.iter().filter_map(|file| diff(root, file)).collect();
        if stale.is_empty() {
            println!("generated code is up to date with {SPEC}");
            return Ok(());
        }
        freshness::forget(root);
        stale.iter().for_each(|patch| print!("{patch}"));
        return Err(CheckFailed(
            "generated code is stale; run `cargo xtask gen` and commit the result".into(),
        )
        .into());
    }
    for file in &files {
        let wrote =
            write_if_changed(root, file).with_context(|| format!("cannot write {}", file.path))?;
        if wrote {
            println!(
                "wrote {} ({} lines)",
                file.path,
                file.content.lines().count()
            );
        } else {
            println!("{} is up to date", file.path);
        }
    }
    // Only `gen` leaves the stamp; `--check` never writes one.
    freshness::record_current(root);
    Ok(())
}
