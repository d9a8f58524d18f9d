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

/// `N breaking, M compatible changes`.
pub fn verdict(report: &Report) -> String {
    let (breaking, compatible) = (
        report.count(Severity::Breaking),
        report.count(Severity::Compatible),
    );
    let noun = if compatible == 1 { "change" } else { "changes" };
    format!("{breaking} breaking, {compatible} compatible {noun}")
}

/// The whole comment. `base` names the base revision, e.g. `` `main` (`abc1234`) ``.
pub fn render(report: &Report, base: &str, generated: Option<&GeneratedView>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Spec changes: {base} → working tree\n");
    let _ = writeln!(out, "**{}**", verdict(report));
    if let Some(GeneratedView::Compared { items, .. }) = generated
        && report.count(Severity::Breaking) == 0
        && items.iter().any(ItemChange::is_breaking)
    {
        let _ = writeln!(
            out,
            "\n> **Note:** no spec rule found a breaking change, but the generated client loses or changes public items; see below."
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
        "- **{}** {}",
        change.severity.word(),
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
                let _ = writeln!(out, "- {}", item.text());
            }
        }
    }
}
