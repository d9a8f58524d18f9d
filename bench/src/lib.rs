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
use std::time::{Duration, Instant};

mod cold;
mod machine;
mod peer;
mod scratch;
mod stats;
mod synthetic;

pub use synthetic::synthetic_spec;

use scratch::{Scratch, run};
use stats::{Summary, millis, ratio, time_interleaved, time_runs};

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

/// Timed runs of each whole command.
const COMMAND_RUNS: usize = 10;

/// The targets BENCHMARKS.md records; the report states and checks each.
/// The generation core on our spec, in milliseconds.
const CORE_TARGET_MS: f64 = 30.0;
/// A spec of this many operations generates within [`GROWTH_TARGET_MS`].
const GROWTH_TARGET_OPERATIONS: usize = 1_000;
const GROWTH_TARGET_MS: f64 = 1_000.0;
/// The real-world spec generates within this many milliseconds.
const REAL_WORLD_TARGET_MS: f64 = 2_000.0;
/// A warm `cargo xtask gen`, in milliseconds.
const GEN_TARGET_MS: f64 = 300.0;
/// A warm `cargo xtask gen --check` takes at most this many times
/// `cargo xtask --help`, cargo's own floor for any xtask command.
const CHECK_OVER_FLOOR_TARGET: f64 = 1.3;
/// The commit a cold first `cargo xtask gen` is compared with, built in the
/// same run (the last before the generator's dependencies grew), and how
/// much slower HEAD may be.
const COLD_BASELINE: &str = "9e56bd7";
const COLD_SLOWDOWN_LIMIT: f64 = 1.2;
/// The `posthog-api` a downstream crate's cold build is compared with: the
/// last whose default TLS was rustls on *ring* (no post-quantum key
/// exchange; rustls has since deprecated that provider), so the table
/// shows what rustls' recommended provider costs. How many interleaved
/// rounds.
const DOWNSTREAM_BASELINE: &str = "b7c3c3e";
const DOWNSTREAM_RUNS: usize = 5;
/// HEAD's build at most this many times the same request through bare
/// reqwest with the same TLS: what the client itself adds.
const DOWNSTREAM_OVER_FLOOR_TARGET: f64 = 1.15;
/// The downstream builds measured: the baseline, HEAD, the floor (bare
/// reqwest at HEAD's versions), and HEAD with the lever left to the
/// downstream crate's author, the `idna` crate's own switch to ASCII-only
/// host names (no ICU4X; PostHog's hosts are ASCII).
const DOWNSTREAM_SIDES: [cold::DownstreamSide; 4] = [
    cold::DownstreamSide {
        revision: DOWNSTREAM_BASELINE,
        through: cold::Through::Client,
        extra: "",
    },
    cold::DownstreamSide {
        revision: "HEAD",
        through: cold::Through::Client,
        extra: "",
    },
    cold::DownstreamSide {
        revision: "HEAD",
        through: cold::Through::BareReqwest,
        extra: "",
    },
    cold::DownstreamSide {
        revision: "HEAD",
        through: cold::Through::Client,
        extra: "idna_adapter = \"=1.0.0\"",
    },
];
/// How many times faster than openapi-generator, whole command to whole command.
const PEER_TARGET_FACTOR: f64 = 20.0;
/// Above this growth factor (time ratio / size ratio) growth is not linear.
const LINEAR_LIMIT: f64 = 1.25;

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
fn runs_for(operations: usize) -> usize {
    match operations {
        0..=100 => 10,
        101..=1_000 => 5,
        _ => 3,
    }
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

/// One size's numbers, as `bench-one` printed them.
#[derive(Debug)]
struct GrowthRow {
    operations: usize,
    summary: Summary,
    peak_rss_kib: u64,
    spec_kib: u64,
}

fn growth_in_child(root: &Path, operations: usize) -> anyhow::Result<GrowthRow> {
    in_child(root, &operations.to_string())
}

/// Runs `xtask bench-one SUBJECT` (a size or a spec file) and reads its line.
fn in_child(root: &Path, subject: &str) -> anyhow::Result<GrowthRow> {
    let exe = std::env::current_exe().context("cannot find xtask itself")?;
    let output = run(Command::new(exe)
        .arg(GROWTH_CHILD)
        .arg(subject)
        .arg("--root")
        .arg(root))?;
    parse_growth_line(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| anyhow::anyhow!("`xtask {GROWTH_CHILD} {subject}` printed no result line"))
}

fn parse_growth_line(line: &str) -> Option<GrowthRow> {
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

/// The whole-command timings.
#[derive(Debug)]
struct Commands {
    generate: Summary,
    check: Summary,
    /// `cargo xtask --help`: cargo's start and freshness check, the floor
    /// under every `cargo xtask` command.
    cargo_floor: Summary,
    /// This xtask binary's `gen`, without cargo in front.
    binary: Summary,
    /// `cargo xtask gen` after an edit of a spec comment: the freshness
    /// stamp misses, so it generates (and writes nothing new).
    generate_edited: Summary,
    /// `cargo xtask gen --check` after such an edit: generates and compares.
    check_edited: Summary,
}

/// Warm `cargo xtask gen` and `cargo xtask gen --check`, run by cargo as a
/// user types them, and the two parts of their time; then both again after
/// an edit of a spec comment, which misses xtask's freshness stamp, so they
/// generate. They work on copies of the spec and generated files (`--root`),
/// so the checkout is never written, even when another change to the spec
/// is in progress; the edited runs have a copy of their own, so their edits
/// never make the unedited runs generate.
fn whole_commands(workspace: &Workspace<'_>) -> anyhow::Result<Commands> {
    let root = workspace.root;
    let unchanged = copy_spec_and_generated(workspace, "gen")?;
    let edited = copy_spec_and_generated(workspace, "gen-edited")?;
    let cargo_xtask = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.arg("xtask").args(args).current_dir(root);
        run(&mut command).map(drop)
    };
    let unchanged_root = utf8(unchanged.path())?;
    let edited_root = utf8(edited.path())?;
    let edited_spec = edited.path().join(workspace.spec);
    let original_spec = fs::read_to_string(&edited_spec).context("cannot read the spec copy")?;
    let edits = std::cell::Cell::new(0_usize);
    // A new comment line each time: the spec's bytes change, its meaning
    // does not, so the generated files stay as they are.
    let edit_spec = || {
        edits.set(edits.get() + 1);
        fs::write(
            &edited_spec,
            format!("{original_spec}# bench edit {}\n", edits.get()),
        )
        .context("cannot edit the spec copy")
    };
    let exe = std::env::current_exe().context("cannot find xtask itself")?;
    // The untimed first run of each builds xtask if needed and brings the
    // copies up to date. Interleaved, because `--check` is judged against
    // `--help`: a load change mid-measurement must not fall on one of them.
    let summaries = time_interleaved(
        COMMAND_RUNS,
        &mut [
            &mut || cargo_xtask(&["gen", "--root", unchanged_root]),
            &mut || cargo_xtask(&["gen", "--check", "--root", unchanged_root]),
            &mut || cargo_xtask(&["--help"]),
            &mut || run(Command::new(&exe).args(["gen", "--root", unchanged_root])).map(drop),
            &mut || {
                edit_spec()?;
                cargo_xtask(&["gen", "--root", edited_root])
            },
            &mut || {
                edit_spec()?;
                cargo_xtask(&["gen", "--check", "--root", edited_root])
            },
        ],
    )?;
    // Struct fields are evaluated in the order written: the tasks' order.
    let mut summaries = summaries.into_iter();
    let mut next = || summaries.next().expect("one summary per command");
    Ok(Commands {
        generate: next(),
        check: next(),
        cargo_floor: next(),
        binary: next(),
        generate_edited: next(),
        check_edited: next(),
    })
}

/// A scratch folder holding a copy of the spec and the generated files.
fn copy_spec_and_generated(workspace: &Workspace<'_>, purpose: &str) -> anyhow::Result<Scratch> {
    let copy = Scratch::new(purpose)?;
    for file in std::iter::once(&workspace.spec).chain(workspace.generated) {
        let target = copy.path().join(file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        // A missing generated file is fine: the warm-up run writes it.
        let _ = fs::copy(workspace.root.join(file), &target);
    }
    Ok(copy)
}

fn utf8(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not UTF-8", path.display()))
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

fn report_growth(report: &mut String, spec: &str, growth: anyhow::Result<Vec<GrowthRow>>) {
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

fn report_real_world(report: &mut String, spec: &Path, row: anyhow::Result<GrowthRow>) {
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

fn report_commands(report: &mut String, commands: &anyhow::Result<Commands>) {
    let _ = writeln!(
        report,
        "\n### Whole command\n\n\
         Warm (xtask already built, generated files current), spawned as a user \
         types it, through cargo; on a copy of the spec and generated files \
         (`--root`); one untimed warm-up run each, then the rows' runs \
         interleaved. The first two rows find xtask's freshness stamp and do \
         not generate; the next two split `cargo xtask gen` into cargo's part \
         and xtask's part; the last two follow an edit of a spec comment, \
         which misses the stamp, so they generate.\n\
         Reproduce: `{}`, or by hand `time cargo xtask gen`.\n",
        this_command("bench"),
    );
    let Some(commands) = measured(report, commands, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| command | runs | median | min – max | target | met |\n\
         | --- | ---: | ---: | ---: | --- | --- |"
    );
    let rows = [
        ("`cargo xtask gen`", &commands.generate, Some(GEN_TARGET_MS)),
        ("`cargo xtask gen --check`", &commands.check, None),
        (
            "`cargo xtask --help` (cargo alone)",
            &commands.cargo_floor,
            None,
        ),
        (
            &format!(
                "`xtask gen`, this {} binary without cargo",
                machine::short_profile()
            ),
            &commands.binary,
            None,
        ),
        (
            "`cargo xtask gen` after a spec edit (generates)",
            &commands.generate_edited,
            None,
        ),
        (
            "`cargo xtask gen --check` after a spec edit (generates)",
            &commands.check_edited,
            None,
        ),
    ];
    for (command, summary, target) in rows {
        let (target, met_it) = match target {
            Some(ms) => (
                format!("≤ {}", target_time(ms)),
                met(as_ms(summary.median) <= ms),
            ),
            None => ("–".into(), "–"),
        };
        let _ = writeln!(
            report,
            "| {command} | {} | {} | {} | {target} | {met_it} |",
            summary.runs,
            millis(summary.median),
            summary.spread()
        );
    }
    let factor = commands.check.median.as_secs_f64() / commands.cargo_floor.median.as_secs_f64();
    let _ = writeln!(
        report,
        "\nTarget warm `cargo xtask gen --check` ≤ {CHECK_OVER_FLOOR_TARGET}× \
         `cargo xtask --help`, same run: {} ({factor:.2}×).",
        met(factor <= CHECK_OVER_FLOOR_TARGET),
    );
}

fn report_peer(
    report: &mut String,
    spec: &str,
    peer: &anyhow::Result<peer::PeerResult>,
    ours: Option<&Commands>,
    core: &Summary,
) {
    let _ = writeln!(
        report,
        "\n### Peer generator\n\n\
         openapi-generator (`-g rust`, the pinned PyPI package in \
         `target/bench/venv`, installed by `{}`), whole command on the same spec, \
         one untimed warm-up run; a fresh output folder each run.\n\
         Reproduce: `{}`, or by hand \
         `target/bench/venv/bin/openapi-generator-cli generate -g rust -i {spec} -o \"$(mktemp -d)\"`.\n",
        peer::INSTALL_SCRIPT,
        this_command("bench"),
    );
    let Some(peer) = measured(report, peer, "Skipped") else {
        return;
    };
    let _ = writeln!(
        report,
        "| generator | runs | median | min – max | openapi-generator / this |\n\
         | --- | ---: | ---: | ---: | ---: |\n\
         | openapi-generator {} | {} | {} | {} | – |",
        peer.version,
        peer.summary.runs,
        millis(peer.summary.median),
        peer.summary.spread()
    );
    let mut rows = vec![];
    if let Some(ours) = ours {
        rows.push(("`cargo xtask gen` (above)".to_owned(), &ours.generate));
        rows.push((
            "`cargo xtask gen` after a spec edit (above)".to_owned(),
            &ours.generate_edited,
        ));
        rows.push((
            format!(
                "`xtask gen`, this {} binary without cargo (above)",
                machine::short_profile()
            ),
            &ours.binary,
        ));
    }
    rows.push(("generation core, in-process (above)".to_owned(), core));
    for (what, summary) in rows {
        let _ = writeln!(
            report,
            "| {what} | {} | {} | {} | {} |",
            summary.runs,
            millis(summary.median),
            summary.spread(),
            ratio(peer.summary.median, summary.median)
        );
    }
    if let Some(ours) = ours {
        // openapi-generator always generates, so the verdict compares it
        // with our command when it generates too, not with a stamp hit.
        let factor = peer.summary.median.as_secs_f64() / ours.generate_edited.median.as_secs_f64();
        let _ = writeln!(
            report,
            "\nTarget ≥ {PEER_TARGET_FACTOR}× faster than openapi-generator, whole command \
             against whole command, both generating (`cargo xtask gen` after a spec \
             edit): {} ({factor:.1}×).",
            met(factor >= PEER_TARGET_FACTOR),
        );
    }
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

fn report_cold(
    report: &mut String,
    head: anyhow::Result<cold::ColdResult>,
    baseline: anyhow::Result<cold::ColdResult>,
) {
    let _ = writeln!(
        report,
        "\n### Cold start\n\n\
         A fresh `git clone` with an empty target folder, then \
         `cargo run --package xtask -- gen` (what `cargo xtask gen` runs, without \
         `--quiet` so cargo names each crate it compiles), at HEAD and at the \
         baseline `{COLD_BASELINE}`, one after the other; crates come from the \
         local cargo cache, so no download time. One run each.\n\
         Reproduce: `cargo xtask bench --cold`.\n"
    );
    let Some(head) = measured(report, &head, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| command | wall | crates compiled |\n\
         | --- | ---: | ---: |\n\
         | `cargo xtask gen`, fresh clone of HEAD | {:.1} s | {} |",
        head.wall.as_secs_f64(),
        head.crates.len(),
    );
    if let Some(baseline) = measured(report, &baseline, "\nBaseline not measured") {
        let factor = head.wall.as_secs_f64() / baseline.wall.as_secs_f64();
        let _ = writeln!(
            report,
            "| `cargo xtask gen`, fresh clone of `{COLD_BASELINE}` | {:.1} s | {} |\n\n\
             Target HEAD at most {COLD_SLOWDOWN_LIMIT}× the baseline: {} ({factor:.2}×).",
            baseline.wall.as_secs_f64(),
            baseline.crates.len(),
            met(factor <= COLD_SLOWDOWN_LIMIT),
        );
    }
    let _ = writeln!(report, "\nCompiled at HEAD: {}.", head.crates.join(", "));
}

fn report_downstream(report: &mut String, builds: anyhow::Result<Vec<cold::DownstreamBuild>>) {
    let _ = writeln!(
        report,
        "\n### Cold build of a downstream crate\n\n\
         A fresh crate outside the workspace (the README's first example: \
         `posthog-api` by path, with its default features, and tokio; or the \
         same request through bare reqwest with the client's features, its \
         default TLS and JSON, and serde_json), \
         `cargo build` (dev profile) into an empty target folder, against a \
         fresh clone of HEAD and of the baseline `{DOWNSTREAM_BASELINE}`; each \
         side starts from its clone's `Cargo.lock`, crates come from the local \
         cargo cache (`cargo fetch` first, `--offline` on the clock). One \
         untimed build each, then the sides interleaved, round by round.\n\
         Reproduce: `cargo xtask bench --downstream`.\n"
    );
    let Some(builds) = measured(report, &builds, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| versions of | request through | downstream crate adds | runs | median | min – max | crates compiled | serde_json features |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | --- |"
    );
    for build in builds {
        let _ = writeln!(
            report,
            "| `{}` | {} | {} | {} | {:.1} s | {:.1} s – {:.1} s | {} | {} |",
            build.side.revision,
            match build.side.through {
                cold::Through::Client => "`posthog-api`",
                cold::Through::BareReqwest => "bare reqwest",
            },
            if build.side.extra.is_empty() {
                "–".to_owned()
            } else {
                format!("`{}`", build.side.extra)
            },
            build.summary.runs,
            build.summary.median.as_secs_f64(),
            build.summary.min.as_secs_f64(),
            build.summary.max.as_secs_f64(),
            build.crates.len(),
            build.serde_json_features.join(", "),
        );
    }
    let [baseline, head, floor, levers @ ..] = builds.as_slice() else {
        return;
    };
    let median = |build: &cold::DownstreamBuild| build.summary.median.as_secs_f64();
    let over_floor = median(head) / median(floor);
    let _ = writeln!(
        report,
        "\nTarget HEAD at most {DOWNSTREAM_OVER_FLOOR_TARGET}× bare reqwest with the same TLS: \
         {} ({over_floor:.2}× its median; per round {}).",
        met(over_floor <= DOWNSTREAM_OVER_FLOOR_TARGET),
        per_round(&head.rounds, &floor.rounds),
    );
    let _ = writeln!(
        report,
        "\nHEAD against the baseline: {:.2}× ({:+.1} s of the medians; per round {}).",
        median(head) / median(baseline),
        median(head) - median(baseline),
        per_round(&head.rounds, &baseline.rounds),
    );
    let only = |these: &[String], those: &[String]| {
        let only: Vec<&str> = these
            .iter()
            .filter(|name| !those.contains(name))
            .map(String::as_str)
            .collect();
        if only.is_empty() {
            "none".to_owned()
        } else {
            only.join(", ")
        }
    };
    let _ = writeln!(
        report,
        "\nCompiled only at `{}`: {}.\n\nCompiled only at `{}`: {}.\n\n\
         Compiled for HEAD's client, not for bare reqwest: {}.",
        baseline.side.revision,
        only(&baseline.crates, &head.crates),
        head.side.revision,
        only(&head.crates, &baseline.crates),
        only(&head.crates, &floor.crates),
    );
    for lever in levers {
        let _ = writeln!(
            report,
            "\nWith `{}` as well: {:.2}× bare reqwest, {:.2}× the baseline (per round {}); \
             not compiled then: {}.",
            lever.side.extra,
            median(lever) / median(floor),
            median(lever) / median(baseline),
            per_round(&lever.rounds, &baseline.rounds),
            only(&head.crates, &lever.crates),
        );
    }
}

/// `these / those` round by round, as `median 0.50× (0.40× – 0.60×)`: the
/// sides of a round shared the machine's load of the moment.
fn per_round(these: &[Duration], those: &[Duration]) -> String {
    let mut ratios: Vec<f64> = these
        .iter()
        .zip(those)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    match ratios.as_slice() {
        [] => "not measured".into(),
        [first, .., last] | [first @ last] => {
            let middle = ratios.len() / 2;
            let median = if ratios.len() % 2 == 1 {
                ratios[middle]
            } else {
                f64::midpoint(ratios[middle - 1], ratios[middle])
            };
            format!("median {median:.2}× ({first:.2}× – {last:.2}×)")
        }
    }
}

/// The measurement, or `None` once the report says why there is none
/// (`{note}: {reason}`).
fn measured<'a, T>(
    report: &mut String,
    result: &'a anyhow::Result<T>,
    note: &str,
) -> Option<&'a T> {
    match result {
        Ok(value) => Some(value),
        Err(reason) => {
            let _ = writeln!(report, "{note}: {reason:#}");
            None
        }
    }
}

/// `xtask ARGS` as typed for the profile this xtask was built with.
fn this_command(args: &str) -> String {
    match machine::short_profile() {
        "release" => format!("cargo run --release -p xtask -- {args}"),
        _ => format!("cargo xtask {args}"),
    }
}

fn as_ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A target time as the report states it: `30 ms`, `1 s`.
fn target_time(ms: f64) -> String {
    if ms >= 1_000.0 && ms % 1_000.0 == 0.0 {
        format!("{} s", ms / 1_000.0)
    } else {
        format!("{ms} ms")
    }
}

/// `1000` as `1,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "**missed**" }
}

/// A progress line on stderr, with the time so far.
fn progress(what: &str) {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    eprintln!(
        "[{:>5.1} s] measuring {what} …",
        start.elapsed().as_secs_f64()
    );
}
