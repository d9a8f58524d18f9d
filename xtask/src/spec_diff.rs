//! `cargo xtask spec-diff`: what a spec change does to users of the
//! generated client, as Markdown for a pull-request comment. A reviewer of
//! a spec change sees YAML lines and a long generated diff; this says which
//! operations changed and whether crates using `posthog-api` break, in
//! Rust terms (an `operationId` is a method name, a required non-nullable
//! property is `T` and otherwise `Option<T>`).
//!
//! The base spec and generated client come from `git show`, never a
//! checkout; the working-tree side is the spec on disk and the client
//! generated from it in memory, so the answer is right before
//! `cargo xtask gen` ran.

use std::fmt;
use std::path::Path;
use std::process::{Command, ExitCode};

mod change;
mod components;
mod markdown;
mod node;
mod operations;
pub mod rust_items;
mod schema;

pub use change::{Change, Report, Section, Severity};
pub use markdown::{GeneratedView, render, verdict};

use crate::{CLIENT, SPEC, generate_all};

/// Compares two parsed specs: every change, classified and grouped.
pub fn compare(old: &codegen::Spec, new: &codegen::Spec) -> Report {
    let (old, new) = (old.tree(), new.tree());
    let renames = components::renames(old, new);
    let specs = schema::Specs {
        old,
        new,
        renames: &renames,
    };
    Report {
        operations: operations::operation_sections(specs),
        schemas: components::schema_sections(specs),
        document: components::document_changes(old, new),
    }
}

/// The generated-code view: public items of the two client sources.
pub fn compare_generated(old: &str, new: &str) -> GeneratedView {
    match (rust_items::public_items(old), rust_items::public_items(new)) {
        (Ok(old), Ok(new)) => GeneratedView::Compared(rust_items::compare(&old, &new)),
        (Err(error), _) => {
            GeneratedView::Unavailable(format!("the base's `{CLIENT}` does not parse ({error})"))
        }
        (_, Err(error)) => {
            GeneratedView::Unavailable(format!("the generated client does not parse ({error})"))
        }
    }
}

/// What the command prints, and how many breaking changes it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The Markdown comment.
    pub markdown: String,
    /// Breaking changes, as the verdict counts them.
    pub breaking: usize,
}

/// Why the comparison could not be made; `Display` names the side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// `cargo xtask spec-diff`: prints the Markdown; exit 1 on a breaking
/// change when `fail_on_breaking`, 2 when the comparison cannot be made.
pub fn command(root: &Path, base: Option<&str>, fail_on_breaking: bool) -> ExitCode {
    match run(root, base) {
        Ok(outcome) => {
            print!("{}", outcome.markdown);
            if fail_on_breaking && outcome.breaking > 0 {
                eprintln!(
                    "error: the spec change breaks users of the generated client ({} breaking)",
                    outcome.breaking
                );
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
    }
}

/// Compares the spec at `base` (default: the merge-base of `HEAD` and
/// `main`, else `HEAD`) with the working tree under `root`.
pub fn run(root: &Path, base: Option<&str>) -> Result<Outcome, Failure> {
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
    .map_err(|_| {
        Failure(format!(
            "base `{revision}`: no such revision in {}",
            root.display()
        ))
    })?;
    let short = git(root, &["rev-parse", "--short", &commit]).unwrap_or_else(|_| commit.clone());
    let side = format!("base {short}");

    let old_text = git(root, &["show", &format!("{commit}:./{SPEC}")])
        .map_err(|error| Failure(format!("{side}: {SPEC} is not in this revision ({error})")))?;
    let old = load(&old_text).map_err(|error| Failure(format!("{side}: {error}")))?;
    let new_text = std::fs::read_to_string(root.join(SPEC))
        .map_err(|error| Failure(format!("working tree: cannot read {SPEC}: {error}")))?;
    let new = load(&new_text).map_err(|error| Failure(format!("working tree: {error}")))?;

    let report = compare(&old, &new);
    let generated = match git(root, &["show", &format!("{commit}:./{CLIENT}")]) {
        Err(_) => GeneratedView::Unavailable(format!("the base revision has no `{CLIENT}`")),
        Ok(old_client) => {
            let files =
                generate_all(root).map_err(|error| Failure(format!("working tree: {error}")))?;
            let new_client = files
                .iter()
                .find(|file| file.path == CLIENT)
                .map_or("", |file| &file.content);
            compare_generated(&old_client, new_client)
        }
    };
    let label = if revision == short || revision == commit {
        format!("`{short}`")
    } else {
        format!("`{revision}` (`{short}`)")
    };
    Ok(Outcome {
        markdown: render(&report, &label, Some(&generated)),
        breaking: report.count(Severity::Breaking),
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
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").to_owned())
    }
}
