//! The spec-diff engine, tested the way a reviewer reads it: each rule as a
//! fixture pair (the base spec and one small edit of it) whose Markdown
//! bullet is checked word for word, so a test fails on a wrong
//! classification and on a wrong or vague reason alike. (The command,
//! `cargo xtask spec-diff`, is tested in `xtask/tests/`.)
//!
//! - `rules`: one pair per rule of the crate docs (`R1`…, `C1`…), breaking and
//!   compatible, then how `codegen::reading` shapes the verdicts;
//! - `generated`: the public-item view of the generated client;
//! - `model`: `codegen::model`'s reading of each type against the code
//!   `codegen::generate` writes.

use spec_diff::{Report, compare, render};

mod generated;
mod model;
mod rules;

/// The base side of every pair.
pub(crate) const BASE: &str = include_str!("../fixtures/base.yaml");

/// Section titles of the fixture's operations, as the Markdown writes them.
pub(crate) const LIST: &str = "`GET /api/projects/{project_id}/playlists/` (`playlists_list`)";
pub(crate) const CREATE: &str = "`POST /api/projects/{project_id}/playlists/` (`playlists_create`)";
pub(crate) const RETRIEVE: &str =
    "`GET /api/projects/{project_id}/playlists/{short_id}/` (`playlists_retrieve`)";

/// `text` with each `(from, to)` applied; every `from` must occur exactly
/// once, so an edit never silently misses or hits twice.
pub(crate) fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target must occur once: {from:?}"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The part of `BASE` from `start` up to (not including) `end`, to cut a
/// whole block out with an edit.
pub(crate) fn between(start: &str, end: &str) -> &'static str {
    let from = BASE.find(start).expect("start marker is in the base");
    let to = from
        + BASE[from..]
            .find(end)
            .expect("end marker follows the start");
    &BASE[from..to]
}

pub(crate) fn parse(text: &str) -> codegen::Spec {
    let spec = codegen::parse("spec/openapi.yaml", text).expect("fixture parses");
    codegen::validate(&spec).expect("fixture is valid");
    spec
}

/// A compared pair and its Markdown.
pub(crate) struct Diff {
    pub(crate) report: Report,
    pub(crate) markdown: String,
}

/// `BASE` against `BASE` with `edits`.
pub(crate) fn diff(edits: &[(&str, &str)]) -> Diff {
    diff_texts(BASE, &edit(BASE, edits))
}

pub(crate) fn diff_texts(old: &str, new: &str) -> Diff {
    let report = compare(&parse(old), &parse(new)).expect("both specs generate");
    let markdown = render(&report, "`base`", None);
    Diff { report, markdown }
}

impl Diff {
    /// The bullets under the heading `#### {title}`.
    pub(crate) fn section(&self, title: &str) -> Vec<&str> {
        let heading = format!("#### {title}\n");
        let Some(start) = self.markdown.find(&heading) else {
            panic!("no section {title}:\n{}", self.markdown);
        };
        self.markdown[start + heading.len()..]
            .lines()
            .skip_while(|line| line.is_empty())
            .take_while(|line| line.starts_with("- "))
            .collect()
    }

    /// Asserts that the section `title` lists exactly `- **{severity}** {text}`
    /// (`text` starts with the rule's id, `[R7]`).
    pub(crate) fn assert_bullet(&self, title: &str, severity: &str, text: &str) {
        let expected = format!("- **{severity}** {text}");
        let bullets = self.section(title);
        assert!(
            bullets.contains(&expected.as_str()),
            "expected under {title}:\n{expected}\nfound:\n{}\n\nwhole report:\n{}",
            bullets.join("\n"),
            self.markdown
        );
    }

    /// Asserts the one-line verdict.
    pub(crate) fn assert_verdict(&self, verdict: &str) {
        let line = format!("**{verdict}**");
        assert!(
            self.markdown.lines().any(|l| l == line),
            "expected verdict {line}:\n{}",
            self.markdown
        );
    }
}
