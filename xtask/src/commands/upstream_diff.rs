//! `cargo xtask upstream-diff SCHEMA|--posthog`: where PostHog's published
//! schema and our spec part ways, as Markdown. The file is read as
//! `check-spec` reads it ([`xtask::read_spec`]: `.yaml` or `.json`, either
//! gzipped) and parsed by codegen; `--posthog` finds PostHog's full schema
//! as `check-spec --posthog` does ([`xtask::posthog_full_spec`]). The
//! comparing is the `upstream-diff` engine's.

use anyhow::Context as _;
use std::path::Path;

use crate::cli::SpecFile;
use xtask::SPEC;

use super::CheckFailed;

/// Prints the report; drift is a [`CheckFailed`] (exit 1).
pub(crate) fn run(root: &Path, schema: &SpecFile) -> anyhow::Result<()> {
    let schema = schema.path(root)?;
    let (markdown, drift) = report(root, &schema)?;
    print!("{markdown}");
    if drift > 0 {
        return Err(CheckFailed(format!(
            "{drift} difference(s) between {SPEC} and {} are not declared as departures (x-upstream-departure); follow PostHog in the spec, or declare why not",
            schema.display()
        ))
        .into());
    }
    Ok(())
}

/// The Markdown and the drift count, or why a document cannot be read.
pub(crate) fn report(root: &Path, schema: &Path) -> anyhow::Result<(String, usize)> {
    let ours = codegen::load(root.join(SPEC))?;
    codegen::validate(&ours)?;
    let text = xtask::read_spec(schema).with_context(|| schema.display().to_string())?;
    let theirs = codegen::parse(schema, &text)?;
    drop(text);
    upstream_diff::check_document(&theirs)?;
    let report = upstream_diff::compare(&ours, &theirs);
    let label = schema.file_name().map_or_else(
        || schema.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    Ok((upstream_diff::render(&report, SPEC, &label), report.drift()))
}
