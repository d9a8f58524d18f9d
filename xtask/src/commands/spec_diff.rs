//! `cargo xtask spec-diff [--base REF] [--fail-on-breaking]`: what the spec
//! change from a git revision to the working tree does to users of the
//! generated client, as Markdown for a pull-request comment. The base spec
//! and generated client come from `git show`, never a checkout; the
//! working-tree side is the spec on disk and the client generated from it
//! in memory, so the answer is right before `cargo xtask gen` ran. The
//! comparing is the `spec-diff` engine's.

use anyhow::Context as _;
use std::path::Path;
use std::process::Command;

use spec_diff::GeneratedView;
use xtask::{CLIENT, SPEC, generate_all};

use super::CheckFailed;

/// Prints the Markdown; with `fail_on_breaking`, a breaking change is a
/// [`CheckFailed`] (exit 1).
pub(crate) fn run(root: &Path, base: Option<&str>, fail_on_breaking: bool) -> anyhow::Result<()> {
    let outcome = compare(root, base)?;
    print!("{}", outcome.markdown);
    if fail_on_breaking && outcome.breaking > 0 {
        return Err(CheckFailed(format!(
            "the spec change breaks users of the generated client ({} breaking)",
            outcome.breaking
        ))
        .into());
    }
    Ok(())
}

/// What the command prints, and how many breaking changes it found.
struct Outcome {
    markdown: String,
    breaking: usize,
}

/// Compares the spec at `base` (default: the merge-base of `HEAD` and
/// `main`, else `HEAD`) with the working tree under `root`.
fn compare(root: &Path, base: Option<&str>) -> anyhow::Result<Outcome> {
    let revision = match base {
        Some(revision) => revision.to_owned(),
        None => default_base(root),
    };
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|_| anyhow::anyhow!("base `{revision}`: no such revision in {}", root.display()))?;
    let short = git(root, &["rev-parse", "--short", &commit]).unwrap_or_else(|_| commit.clone());
    let side = format!("base {short}");

    let old_text = git(root, &["show", &format!("{commit}:./{SPEC}")])
        .with_context(|| format!("{side}: {SPEC} is not in this revision"))?;
    let old = load(&old_text).with_context(|| side.clone())?;
    let new_text = std::fs::read_to_string(root.join(SPEC))
        .with_context(|| format!("working tree: cannot read {SPEC}"))?;
    let new = load(&new_text).context("working tree")?;

    let report = spec_diff::compare(&old, &new)?;
    let generated = match git(root, &["show", &format!("{commit}:./{CLIENT}")]) {
        Err(_) => GeneratedView::Unavailable(format!("the base revision has no `{CLIENT}`")),
        Ok(old_client) => {
            let files = generate_all(root).context("working tree")?;
            let new_client = files
                .iter()
                .find(|file| file.path == CLIENT)
                .map_or("", |file| &file.content);
            spec_diff::compare_generated(CLIENT, &old_client, new_client)
        }
    };
    let label = if revision == short || revision == commit {
        format!("`{short}`")
    } else {
        format!("`{revision}` (`{short}`)")
    };
    Ok(Outcome {
        markdown: spec_diff::render(&report, &label, Some(&generated)),
        breaking: spec_diff::breaking(&report, Some(&generated)),
    })
}

/// Parses and validates spec text, as `cargo xtask gen` would.
fn load(text: &str) -> Result<codegen::Spec, codegen::Error> {
    let spec = codegen::parse(SPEC, text)?;
    codegen::validate(&spec)?;
    Ok(spec)
}

/// Where the branch left `main`; `HEAD` when there is no `main`.
fn default_base(root: &Path) -> String {
    git(root, &["merge-base", "HEAD", "main"]).unwrap_or_else(|_| "HEAD".into())
}

/// Runs git in `root`; its trimmed stdout, or its first line of stderr.
fn git(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(anyhow::anyhow!(
            "{}",
            stderr.lines().next().unwrap_or("git failed")
        ))
    }
}
