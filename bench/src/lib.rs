//! The benchmark harness behind `cargo xtask bench`: the speed claims of
//! the generator as numbers anyone can reproduce with one command, each
//! compared with something measured in the same run on the same machine
//! (see BENCHMARKS.md). It times the generation core in-process, its growth
//! to 3,000 operations (each size in a child process, `xtask bench-one N`,
//! so each has its own peak memory), the whole `cargo xtask gen` command,
//! openapi-generator on the same spec, the generated client against raw
//! reqwest (the `per_request` bench of `posthog-api`) and, with `--cold`, a
//! first build on a fresh clone and a first build of a fresh crate that
//! uses the client (alone: `--downstream`). It prints progress on stderr
//! and returns the report as Markdown.
//!
//! Which files generation reads and writes is xtask's policy; the harness
//! is told them ([`Workspace`]).

use anyhow::Context as _;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

mod cold;
mod commands;
mod format;
mod growth;
mod machine;
mod peer;
mod scratch;
mod stats;
mod synthetic;

pub use growth::{measure_one, measure_text};
pub use synthetic::synthetic_spec;

use cold::{
    COLD_BASELINE, DOWNSTREAM_BASELINE, DOWNSTREAM_RUNS, DOWNSTREAM_SIDES, report_cold,
    report_downstream,
};
use commands::{report_commands, whole_commands};
use format::{as_ms, met, progress, target_time, this_command};
use growth::{growth_in_child, in_child, report_growth, report_real_world};
use peer::report_peer;
use scratch::run;
use stats::{Summary, millis, time_runs};

/// The spec sizes, in operations, that growth is measured at.
pub const GROWTH_SIZES: [usize; 4] = [10, 100, 1_000, 3_000];

/// The xtask command that measures one spec in a child process, so each
/// has its own peak memory: `xtask bench-one N --root DIR` calls
/// [`measure_one`] for a synthetic spec of N operations, `xtask bench-one
/// FILE --root DIR` calls [`measure_text`] on that spec; each prints its line.
pub const GROWTH_CHILD: &str = "bench-one";

/// The checkout being measured, as xtask lays it out.
pub struct Workspace<'a> {
    /// The workspace root.
    pub root: &'a Path,
    /// The spec, relative to `root`.
    pub spec: &'a str,
    /// The files `cargo xtask gen` writes, relative to `root`.
    pub generated: &'a [&'a str],
    /// Everything `cargo xtask gen` does in memory, writing nothing: the
    /// generation core.
    pub generate: &'a dyn Fn() -> anyhow::Result<()>,
    /// A large real-world spec to time generation on (PostHog's whole API),
    /// when this machine has it; `.yaml`, `.json`, or either gzipped.
    pub real_world: Option<&'a Path>,
}

/// Timed runs of the in-process generation core.
const CORE_RUNS: usize = 15;

/// The targets BENCHMARKS.md records; the report states and checks each.
/// The generation core on our spec, in milliseconds.
const CORE_TARGET_MS: f64 = 30.0;
/// Measures everything and returns the report (`cargo xtask bench
/// [--cold]`); `Err` when the committed spec does not generate.
pub fn run_all(workspace: &Workspace<'_>, cold: bool) -> anyhow::Result<String> {
    let root = workspace.root;
    let machine = machine::describe(root);
    let mut report = String::new();
    let _ = writeln!(report, "## Results\n");
    for (label, value) in &machine {
        let _ = writeln!(report, "- {label}: {value}");
    }

    progress("generation core");
    let core =
        time_runs(CORE_RUNS, workspace.generate).context("the committed spec does not generate")?;
    report_core(&mut report, workspace, &core);

    let growth: Result<Vec<_>, _> = GROWTH_SIZES
        .iter()
        .map(|&size| {
            progress(&format!("growth, {size} operations"));
            growth_in_child(root, size)
        })
        .collect();
    report_growth(&mut report, workspace.spec, growth);

    if let Some(spec) = workspace.real_world {
        progress(&format!("real-world spec {}", spec.display()));
        let row = in_child(root, &spec.display().to_string());
        report_real_world(&mut report, spec, row);
    }

    progress("whole command");
    let commands = whole_commands(workspace);
    report_commands(&mut report, &commands);

    progress("peer generator");
    let peer = peer::measure(root, &root.join(workspace.spec));
    let ours = commands.as_ref().ok();
    report_peer(&mut report, workspace.spec, &peer, ours, &core);

    // The first time, cargo compiles the bench in release mode: minutes.
    progress("client per request (cargo bench -p posthog-api --bench per_request)");
    report_client(&mut report, root);

    if cold {
        progress("cold start (fresh clone, empty target dir)");
        let head = cold::measure(root, "HEAD");
        progress(&format!("cold start of the baseline, {COLD_BASELINE}"));
        report_cold(&mut report, head, cold::measure(root, COLD_BASELINE));
        downstream(&mut report, root);
    }
    end_report(&mut report);
    Ok(report)
}

/// Only the cold build of a downstream crate, HEAD beside the baseline
/// (`cargo xtask bench --downstream`): the report, machine included.
pub fn run_downstream(root: &Path) -> String {
    let mut report = String::new();
    let _ = writeln!(report, "## Results\n");
    for (label, value) in &machine::describe(root) {
        let _ = writeln!(report, "- {label}: {value}");
    }
    downstream(&mut report, root);
    end_report(&mut report);
    report
}

fn downstream(report: &mut String, root: &Path) {
    progress(&format!(
        "cold build of a downstream crate, HEAD beside {DOWNSTREAM_BASELINE} \
         ({DOWNSTREAM_RUNS} rounds after one untimed build each)"
    ));
    let builds = cold::measure_downstream(root, &DOWNSTREAM_SIDES, DOWNSTREAM_RUNS);
    report_downstream(report, builds);
}

fn end_report(report: &mut String) {
    let _ = writeln!(
        report,
        "\nLoad average at the end: {}.",
        machine::load_average().unwrap_or_else(|| "unknown".into())
    );
}

/// This process's peak resident memory (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn report_core(report: &mut String, workspace: &Workspace<'_>, core: &Summary) {
    let spec = workspace.spec;
    let operations = codegen::load(workspace.root.join(spec))
        .map(|spec| codegen::reading::count_operations(spec.tree()))
        .unwrap_or(0);
    let _ = writeln!(
        report,
        "\n### Generation core\n\n\
         load + validate + generate (progenitor, three outputs) + format, in-process, \
         on `{spec}` ({operations} operations); one untimed warm-up run.\n\
         Reproduce: `{}`.\n\n\
         | what | runs | median | min – max | target | met |\n\
         | --- | ---: | ---: | ---: | --- | --- |\n\
         | generation core | {} | {} | {} | ≤ {} | {} |",
        this_command("bench"),
        core.runs,
        millis(core.median),
        core.spread(),
        target_time(CORE_TARGET_MS),
        met(as_ms(core.median) <= CORE_TARGET_MS)
    );
}

/// Runs the client bench in its own cargo process (release profile, as
/// `cargo bench` builds it) and appends the Markdown it prints.
fn report_client(report: &mut String, root: &Path) {
    let output = run(Command::new("cargo")
        .args([
            "bench",
            "--quiet",
            "-p",
            "posthog-api",
            "--bench",
            "per_request",
        ])
        .current_dir(root));
    match output {
        Ok(output) => {
            let _ = write!(report, "\n{}", String::from_utf8_lossy(&output.stdout));
        }
        Err(error) => {
            let _ = writeln!(
                report,
                "\n### Client per request\n\nNot measured: {error:#}"
            );
        }
    }
}
