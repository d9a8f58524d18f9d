//! The report as Markdown: the verdict first, then one section per
//! operation, then PostHog's operations the spec lacks.

use std::fmt::Write as _;

use super::finding::{Match, Report, Stale, Verdict};

/// The headline: `3 drift, 40 known departures; 10 of 10 operations
/// matched (10 on the exact path); 2 PostHog operations on these paths not
/// in the spec`.
pub fn verdict(report: &Report) -> String {
    let operations = report.operations.len();
    let matched: Vec<&Match> = report
        .operations
        .iter()
        .filter_map(|op| op.matched.as_ref())
        .collect();
    let exact = matched.iter().filter(|m| m.exact).count();
    let twin = matched.len() - exact;
    let mut how = vec![format!("{exact} on the exact path")];
    if twin > 0 {
        how.push(format!("{twin} on a twin path"));
    }
    let known = report.known();
    format!(
        "{} drift, {known} known {}; {} of {operations} operations matched ({}); {} PostHog {} on these paths not in the spec",
        report.drift(),
        if known == 1 {
            "departure"
        } else {
            "departures"
        },
        matched.len(),
        how.join(", "),
        report.left_out.len(),
        if report.left_out.len() == 1 {
            "operation"
        } else {
            "operations"
        },
    )
}

/// The report as Markdown: the verdict, then one section per operation,
/// then PostHog's operations the spec lacks. `ours` and `theirs` name the
/// two files.
pub fn render(report: &Report, ours: &str, theirs: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Upstream drift: `{ours}` against `{theirs}`\n");
    let _ = writeln!(out, "**{}**", verdict(report));
    if report.drift() == 0 {
        let _ = writeln!(
            out,
            "\nNo drift: every difference is a departure the spec declares."
        );
    }
    let _ = writeln!(out, "\n### Operations");
    for op in &report.operations {
        let id = op
            .id
            .as_deref()
            .map_or_else(String::new, |id| format!(" (`{id}`)"));
        let _ = writeln!(out, "\n#### `{} {}`{id}\n", op.method, op.path);
        match &op.matched {
            None => {
                let looked: Vec<String> = op
                    .looked_at
                    .iter()
                    .map(|path| format!("`{path}`"))
                    .collect();
                let _ = writeln!(
                    out,
                    "- **drift** PostHog's schema has no `{}` here (looked at {})",
                    op.method,
                    looked.join(", ")
                );
            }
            Some(matched) => {
                let id = matched
                    .id
                    .as_deref()
                    .map_or_else(String::new, |id| format!(" (`{id}`)"));
                let how = if matched.exact {
                    "the exact path".to_owned()
                } else {
                    format!("a twin path, `{}`", matched.path)
                };
                let twins: Vec<String> = op
                    .twins
                    .iter()
                    .map(|twin| {
                        let id = twin
                            .id
                            .as_deref()
                            .map_or_else(String::new, |id| format!(" (`{id}`)"));
                        format!("`{}`{id}", twin.path)
                    })
                    .collect();
                let twins = if twins.is_empty() {
                    String::new()
                } else {
                    format!("; twins: {}", twins.join(", "))
                };
                let _ = writeln!(out, "PostHog's{id} on {how}{twins}.\n");
                if op.findings.is_empty() && op.stale.is_empty() {
                    let _ = writeln!(out, "No differences.");
                }
                for finding in &op.findings {
                    bullet(&mut out, &finding.place, &finding.what, &finding.verdict);
                }
            }
        }
        for stale in &op.stale {
            stale_bullet(&mut out, stale);
        }
    }
    if !report.left_out.is_empty() || !report.stale.is_empty() {
        let _ = writeln!(out, "\n### PostHog operations the spec lacks\n");
        for left in &report.left_out {
            let id = left
                .id
                .as_deref()
                .map_or_else(String::new, |id| format!(" (`{id}`)"));
            let twins: Vec<String> = left.twins.iter().map(|t| format!("`{t}`")).collect();
            let twins = if twins.is_empty() {
                String::new()
            } else {
                format!(", also at {}", twins.join(", "))
            };
            bullet(
                &mut out,
                &format!("`{} {}`{id}{twins}", left.method, left.path),
                "not in the spec",
                &left.verdict,
            );
        }
        for stale in &report.stale {
            stale_bullet(&mut out, stale);
        }
    }
    out
}

fn bullet(out: &mut String, place: &str, what: &str, verdict: &Verdict) {
    let place = if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    };
    let _ = match verdict {
        Verdict::Drift => writeln!(out, "- **drift** {place}{what}"),
        Verdict::Known(reason) => writeln!(out, "- **known** {place}{what} — {reason}"),
    };
}

fn stale_bullet(out: &mut String, stale: &Stale) {
    let _ = writeln!(
        out,
        "- **stale** {}: declares a departure that no difference needs any more (\"{}\"); remove it, or follow PostHog",
        stale.place, stale.reason
    );
}
