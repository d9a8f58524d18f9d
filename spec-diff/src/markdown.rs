//! The report as Markdown for a pull-request comment: the verdict first
//! (what a reviewer needs before anything else), then operations, component
//! schemas, document-level changes and the generated code's public items.

use std::fmt::Write as _;

use super::change::{Change, Report, Section, Severity};
use super::rust_items::ItemChange;

/// The generated-code view beside the spec rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratedView {
    /// Public items that differ between the base's committed client and
    /// the client generated from the working tree.
    Compared {
        /// The generated client's path, e.g. `generated-client/src/generated.rs`.
        file: String,
        /// What changed, removals and changes first.
        items: Vec<ItemChange>,
    },
    /// Why there is nothing to compare (e.g. no generated file at the base).
    Unavailable(String),
}

/// How many public items of the generated client are removed or changed.
fn broken_items(generated: Option<&GeneratedView>) -> usize {
    match generated {
        Some(GeneratedView::Compared { items, .. }) => {
            items.iter().filter(|item| item.is_breaking()).count()
        }
        _ => 0,
    }
}

/// The breaking changes a reviewer is told of: the spec rules' count, or,
/// when no rule found one, each public item of the generated client that
/// is removed or changed. It is never 0 while the client loses or changes
/// a public item, whatever the spec change that caused it; the headline
/// and `--fail-on-breaking` both read it.
pub fn breaking(report: &Report, generated: Option<&GeneratedView>) -> usize {
    match report.count(Severity::Breaking) {
        0 => broken_items(generated),
        rules => rules,
    }
}

/// `N breaking, M compatible changes`, and how many public items of the
/// generated client are removed or changed when any are.
pub fn verdict(report: &Report, generated: Option<&GeneratedView>) -> String {
    let (breaking, compatible) = (
        breaking(report, generated),
        report.count(Severity::Compatible),
    );
    let noun = if compatible == 1 { "change" } else { "changes" };
    let headline = format!("{breaking} breaking, {compatible} compatible {noun}");
    match broken_items(generated) {
        0 => headline,
        1 => format!("{headline}; 1 public item of the generated client removed or changed"),
        items => {
            format!("{headline}; {items} public items of the generated client removed or changed")
        }
    }
}

/// The whole comment. `base` names the base revision, e.g. `` `main` (`abc1234`) ``.
pub fn render(report: &Report, base: &str, generated: Option<&GeneratedView>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Spec changes: {base} → working tree\n");
    let _ = writeln!(out, "**{}**", verdict(report, generated));
    if report.count(Severity::Breaking) == 0 && broken_items(generated) > 0 {
        let _ = writeln!(
            out,
            "\n> **Note:** no spec rule names it, but the generated client loses or changes public items, so the change is breaking; see below."
        );
    }
    if report.is_empty() {
        let _ = writeln!(out, "\nNo changes: both specs describe the same API.");
    }
    sections(&mut out, "Operations", &report.operations, true);
    sections(&mut out, "Component schemas", &report.schemas, false);
    if !report.document.is_empty() {
        let _ = writeln!(out, "\n### Document\n");
        for change in &report.document {
            bullet(&mut out, change, false);
        }
    }
    if let Some(generated) = generated {
        generated_section(&mut out, generated);
    }
    out
}

fn sections(out: &mut String, heading: &str, sections: &[Section], in_operation: bool) {
    if sections.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {heading}");
    for section in sections {
        let _ = writeln!(out, "\n#### {}\n", section.title);
        for change in &section.changes {
            bullet(out, change, in_operation);
        }
    }
}

/// `- **breaking** place: what — why`, the one place a change becomes
/// text; at an operation, a change found inside a component schema names
/// the schema.
fn bullet(out: &mut String, change: &Change, in_operation: bool) {
    let via = match (&change.schema, in_operation) {
        (Some(schema), true) => format!(" (in `{schema}`)"),
        _ => String::new(),
    };
    let place = change.place();
    let text = if place.is_empty() && via.is_empty() {
        format!("{} — {}", change.what, change.why)
    } else {
        format!("{place}{via}: {} — {}", change.what, change.why)
    };
    let _ = writeln!(
        out,
        "- **{}** [{}] {}",
        change.severity.word(),
        change.rule.id(),
        text.trim_start()
    );
}

fn generated_section(out: &mut String, generated: &GeneratedView) {
    let _ = writeln!(out, "\n### Generated client\n");
    match generated {
        GeneratedView::Unavailable(reason) => {
            let _ = writeln!(out, "_Not compared: {reason}._");
        }
        GeneratedView::Compared { items, .. } if items.is_empty() => {
            let _ = writeln!(out, "No public item of the generated client changes.");
        }
        GeneratedView::Compared { file, items } => {
            let _ = writeln!(
                out,
                "Public items of `{file}`, committed at the base versus generated from the working-tree spec:\n"
            );
            for item in items {
                let marker = if item.is_breaking() {
                    "**breaking** "
                } else {
                    ""
                };
                let _ = writeln!(out, "- {marker}{}", item.text());
            }
        }
    }
}
