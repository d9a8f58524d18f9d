//! How generation grows with the spec: synthetic specs of each size and a
//! real-world one, each measured in a child process of its own.

use super::format::{as_ms, grouped, measured, met, target_time, this_command};
use super::scratch::run;
use super::stats::{Summary, millis, time_runs};
use super::synthetic::synthetic_spec;
use crate::{GROWTH_CHILD, peak_rss_kib};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A spec of this many operations generates within [`GROWTH_TARGET_MS`].
pub(crate) const GROWTH_TARGET_OPERATIONS: usize = 1_000;
pub(crate) const GROWTH_TARGET_MS: f64 = 1_000.0;
/// The real-world spec generates within this many milliseconds.
pub(crate) const REAL_WORLD_TARGET_MS: f64 = 2_000.0;
/// Above this growth factor (time ratio / size ratio) growth is not linear.
pub(crate) const LINEAR_LIMIT: f64 = 1.25;

/// One growth size ([`GROWTH_CHILD`], one child process per size):
/// generates a synthetic spec of `operations` operations, grown from
/// `spec`, several times and returns one line of `key=value` pairs, peak
/// memory included.
pub fn measure_one(spec: &Path, operations: usize) -> anyhow::Result<String> {
    let template = codegen::load(spec).map_err(|error| anyhow::anyhow!("{error}"))?;
    let tree = synthetic_spec(template.tree(), operations);
    // JSON is YAML, so the synthetic spec goes through the same parser.
    let text = tree.to_string();
    drop((template, tree));
    measure_text("synthetic.yaml", &text)
}

/// Times parse + validate + generate of the spec `text` (named `label` in
/// errors) several times and returns one line of `key=value` pairs, peak
/// memory included: what [`GROWTH_CHILD`] prints.
pub fn measure_text(label: &str, text: &str) -> anyhow::Result<String> {
    let operations =
        codegen::parse(label, text).map(|spec| codegen::reading::count_operations(spec.tree()))?;
    let runs = runs_for(operations);
    let summary = time_runs(runs, || {
        let spec = codegen::parse(label, text)?;
        codegen::validate(&spec)?;
        codegen::generate(&spec, &codegen::Settings::default()).map(drop)
    })?;
    Ok(format!(
        "operations={operations} runs={} median_us={} min_us={} max_us={} peak_rss_kib={} spec_kib={}",
        summary.runs,
        summary.median.as_micros(),
        summary.min.as_micros(),
        summary.max.as_micros(),
        peak_rss_kib().unwrap_or(0),
        text.len() / 1024
    ))
}

/// Fewer runs for big specs: each one takes seconds, and the spread there
/// is small next to the time.
pub(crate) fn runs_for(operations: usize) -> usize {
    match operations {
        0..=100 => 10,
        101..=1_000 => 5,
        _ => 3,
    }
}

/// One size's numbers, as `bench-one` printed them.
#[derive(Debug)]
pub(crate) struct GrowthRow {
    operations: usize,
    summary: Summary,
    peak_rss_kib: u64,
    spec_kib: u64,
}

pub(crate) fn growth_in_child(root: &Path, operations: usize) -> anyhow::Result<GrowthRow> {
    in_child(root, &operations.to_string())
}

/// Runs `xtask bench-one SUBJECT` (a size or a spec file) and reads its line.
pub(crate) fn in_child(root: &Path, subject: &str) -> anyhow::Result<GrowthRow> {
    let exe = std::env::current_exe().context("cannot find xtask itself")?;
    let output = run(Command::new(exe)
        .arg(GROWTH_CHILD)
        .arg(subject)
        .arg("--root")
        .arg(root))?;
    parse_growth_line(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| anyhow::anyhow!("`xtask {GROWTH_CHILD} {subject}` printed no result line"))
}

pub(crate) fn parse_growth_line(line: &str) -> Option<GrowthRow> {
    let field = |key: &str| -> Option<u64> {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    let micros = |key: &str| field(key).map(Duration::from_micros);
    Some(GrowthRow {
        operations: usize::try_from(field("operations")?).ok()?,
        summary: Summary {
            median: micros("median_us")?,
            min: micros("min_us")?,
            max: micros("max_us")?,
            runs: usize::try_from(field("runs")?).ok()?,
        },
        peak_rss_kib: field("peak_rss_kib")?,
        spec_kib: field("spec_kib")?,
    })
}

pub(crate) fn report_growth(
    report: &mut String,
    spec: &str,
    growth: anyhow::Result<Vec<GrowthRow>>,
) {
    let _ = writeln!(
        report,
        "\n### Growth\n\n\
         Synthetic specs made from `{spec}` by copying its paths, operations and \
         component schemas under new names (`bench/src/synthetic.rs`); \
         parse + validate + generate + format, each size in its own process \
         (`xtask {GROWTH_CHILD} N`), one untimed warm-up run. Peak RSS is that process's \
         VmHWM. Growth factor = (time ratio) / (size ratio) against the previous row: \
         1.0 is linear.\n\
         Reproduce: `{}` (one size: `{}`).\n",
        this_command("bench"),
        this_command(&format!("{GROWTH_CHILD} {GROWTH_TARGET_OPERATIONS}")),
    );
    let Some(rows) = measured(report, &growth, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| operations | spec (JSON) | runs | median | min – max | per operation | peak RSS | growth factor |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut worst_factor: f64 = 0.0;
    for (index, row) in rows.iter().enumerate() {
        let factor = index.checked_sub(1).map(|previous| {
            let previous = &rows[previous];
            let time = row.summary.median.as_secs_f64() / previous.summary.median.as_secs_f64();
            time / (row.operations as f64 / previous.operations as f64)
        });
        worst_factor = worst_factor.max(factor.unwrap_or(0.0));
        let _ = writeln!(
            report,
            "| {} | {} KiB | {} | {} | {} | {} | {} MiB | {} |",
            row.operations,
            row.spec_kib,
            row.summary.runs,
            millis(row.summary.median),
            row.summary.spread(),
            millis(row.summary.median / u32::try_from(row.operations).unwrap_or(u32::MAX)),
            row.peak_rss_kib / 1024,
            factor.map_or_else(|| "–".into(), |f| format!("{f:.2}")),
        );
    }
    if let (Some(target_row), Some(first), Some(last)) = (
        rows.iter()
            .find(|row| row.operations == GROWTH_TARGET_OPERATIONS),
        rows.first(),
        rows.last(),
    ) {
        // Time ∝ operations^k over the whole range: k = 1 is linear.
        let exponent = (last.summary.median.as_secs_f64() / first.summary.median.as_secs_f64())
            .ln()
            / (last.operations as f64 / first.operations as f64).ln();
        let _ = writeln!(
            report,
            "\nTarget {} operations ≤ {}: {} ({}). Target growth close to linear \
             (no factor above {LINEAR_LIMIT}): {} (largest {worst_factor:.2}; \
             time ∝ operations^{exponent:.2} from {} to {}).",
            grouped(GROWTH_TARGET_OPERATIONS),
            target_time(GROWTH_TARGET_MS),
            met(as_ms(target_row.summary.median) <= GROWTH_TARGET_MS),
            millis(target_row.summary.median),
            met(worst_factor <= LINEAR_LIMIT),
            first.operations,
            last.operations,
        );
    }
}

pub(crate) fn report_real_world(report: &mut String, spec: &Path, row: anyhow::Result<GrowthRow>) {
    let _ = writeln!(
        report,
        "\n### Real-world spec\n\n\
         `{}`: parse + validate + generate + format in its own process \
         (`xtask {GROWTH_CHILD} FILE`), one untimed warm-up run; peak RSS is that \
         process's VmHWM.\n\
         Reproduce: `{}`.\n",
        spec.display(),
        this_command(&format!("{GROWTH_CHILD} {}", spec.display())),
    );
    let Some(row) = measured(report, &row, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| operations | spec text | runs | median | min – max | peak RSS | target | met |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n\
         | {} | {} KiB | {} | {} | {} | {} MiB | ≤ {} | {} |",
        row.operations,
        row.spec_kib,
        row.summary.runs,
        millis(row.summary.median),
        row.summary.spread(),
        row.peak_rss_kib / 1024,
        target_time(REAL_WORLD_TARGET_MS),
        met(as_ms(row.summary.median) <= REAL_WORLD_TARGET_MS),
    );
}
