//! `cargo xtask check-spec FILE`: what a user runs before adopting this
//! workspace for their own API. It generates the client, typed mocks and
//! CLI from any OpenAPI 3.0 file (`.yaml`, `.json`, or either gzipped) into
//! a scratch crate around codegen's runtime shim (`codegen::runtime`),
//! `cargo check`s that crate with every feature, and reports the codegen
//! warnings, the compiler's warnings, and the time and peak memory of both
//! steps, then one `check-spec summary:` line of those figures.
//! `check-spec --posthog` does the same on PostHog's full schema, found by
//! [`xtask::posthog_full_spec`], and `check-spec --peer` on each spec of the
//! peer corpus ([`xtask::peer_specs`]), ending with their table (CI's
//! steps, in `.ci/run`).
//!
//! The scratch crate lives in `target/check-spec/crate` and builds into
//! `target/check-spec/target`, so a second run (or CI's next one) reuses
//! the compiled dependencies.

use anyhow::Context as _;
use std::fs;
use std::io::{BufRead as _, Read as _};
use std::path::Path;
use std::process::{Child, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::cli::SpecFile;

/// Diagnostics of the compiler shown in the report; the rest are counted.
const SHOWN_DIAGNOSTICS: usize = 20;

/// `cargo xtask check-spec FILE|--posthog`: 0 when the spec generates and
/// the crate compiles, 1 when it does not compile, an error (exit 2) when
/// it does not generate or is not found. The summary line ends the report
/// either way, once the spec is found.
pub(crate) fn run(root: &Path, spec: &SpecFile) -> anyhow::Result<ExitCode> {
    let spec = spec.path(root)?;
    let mut summary = Summary::default();
    let outcome = check(root, &spec, &mut summary);
    println!("\n{SUMMARY}{}: {summary}", spec.display());
    outcome
}

/// What the last line of a report starts with: the figures of the peer
/// table ([`run_peers`]), `key=value` each.
const SUMMARY: &str = "check-spec summary: ";

/// One spec's figures, as the report's last line gives them.
#[derive(Debug, Default, Clone, PartialEq)]
struct Summary {
    operations: usize,
    left_out: usize,
    loosened: usize,
    renamed: usize,
    codegen_seconds: f64,
    codegen_mib: Option<u64>,
    check_seconds: Option<f64>,
    check_mib: Option<u64>,
    /// `compiles`, `does-not-compile` or `does-not-generate`.
    result: &'static str,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known = |value: Option<String>| value.unwrap_or_else(|| "-".into());
        write!(
            f,
            "operations={} left_out={} loosened={} renamed={} codegen_s={:.1} codegen_mib={} check_s={} check_mib={} result={}",
            self.operations,
            self.left_out,
            self.loosened,
            self.renamed,
            self.codegen_seconds,
            known(self.codegen_mib.map(|mib| mib.to_string())),
            known(self.check_seconds.map(|seconds| format!("{seconds:.1}"))),
            known(self.check_mib.map(|mib| mib.to_string())),
            self.result,
        )
    }
}

impl Summary {
    /// The summary a report's last line gives, when `line` is one.
    fn parse(line: &str) -> Option<Summary> {
        let (_, figures) = line.strip_prefix(SUMMARY)?.rsplit_once(": ")?;
        let mut summary = Summary::default();
        for pair in figures.split_whitespace() {
            let (key, value) = pair.split_once('=')?;
            match key {
                "operations" => summary.operations = value.parse().ok()?,
                "left_out" => summary.left_out = value.parse().ok()?,
                "loosened" => summary.loosened = value.parse().ok()?,
                "renamed" => summary.renamed = value.parse().ok()?,
                "codegen_s" => summary.codegen_seconds = value.parse().ok()?,
                "codegen_mib" => summary.codegen_mib = value.parse().ok(),
                "check_s" => summary.check_seconds = value.parse().ok(),
                "check_mib" => summary.check_mib = value.parse().ok(),
                "result" => {
                    summary.result = ["compiles", "does-not-compile", "does-not-generate"]
                        .into_iter()
                        .find(|result| *result == value)?;
                }
                _ => return None,
            }
        }
        Some(summary)
    }
}

/// The report on `spec`, with its figures in `summary`; the exit code.
fn check(root: &Path, spec: &Path, summary: &mut Summary) -> anyhow::Result<ExitCode> {
    summary.result = "does-not-generate";
    let text = xtask::read_spec(spec).with_context(|| spec.display().to_string())?;
    println!("# check-spec {}\n", spec.display());

    let started = Instant::now();
    let mut operations = 0;
    let generated = codegen::parse(spec, &text).and_then(|parsed| {
        drop(text);
        codegen::validate(&parsed)?;
        operations = codegen::reading::count_operations(parsed.tree());
        let mut settings = codegen::Settings::default();
        settings.spec_label = spec.display().to_string();
        codegen::generate(&parsed, &settings)
    });
    let generation_time = started.elapsed();
    let generation_memory = bench::peak_rss_kib();
    summary.operations = operations;
    summary.codegen_seconds = generation_time.as_secs_f64();
    summary.codegen_mib = generation_memory.map(|kib| kib / 1024);
    let generated = generated.inspect_err(|_| {
        println!("codegen failed after {}", seconds(generation_time));
    })?;
    let count = |kind: codegen::WarningKind| {
        generated
            .warnings
            .iter()
            .filter(|warning| warning.kind == kind)
            .count()
    };
    summary.left_out = count(codegen::WarningKind::LeftOut);
    summary.loosened = count(codegen::WarningKind::Loosened);
    summary.renamed = count(codegen::WarningKind::Renamed);
    println!(
        "codegen: client, mocks and CLI for {} of {} operations ({} left out) in {} (peak memory of this process {}); {} lines",
        operations - summary.left_out,
        operations,
        summary.left_out,
        seconds(generation_time),
        generation_memory.map_or_else(|| "unknown".into(), mebibytes),
        generated.client.lines().count()
            + generated.httpmock.lines().count()
            + generated.cli.lines().count(),
    );
    println!(
        "codegen warnings: {} ({} operations left out, {} loosened, {} defaults ignored, {} operations renamed)",
        generated.warnings.len(),
        summary.left_out,
        summary.loosened,
        count(codegen::WarningKind::Ignored),
        summary.renamed,
    );
    // Gravest first, each kind in the order codegen met them.
    let mut warnings: Vec<&codegen::Warning> = generated.warnings.iter().collect();
    warnings.sort_by_key(|warning| warning.kind);
    for warning in warnings {
        println!("  {}", warning.to_string().replace('\n', "\n  "));
    }

    let crate_dir = root.join("target/check-spec/crate");
    write_crate(root, &crate_dir, &generated)
        .with_context(|| format!("cannot write {}", crate_dir.display()))?;
    drop(generated);
    println!("\ncargo check --all-features in {} …", crate_dir.display());
    let check = cargo_check(root, &crate_dir).context("cannot run cargo check")?;
    summary.check_seconds = Some(check.time.as_secs_f64());
    summary.check_mib = check.peak_kib.map(|kib| kib / 1024);
    let (errors, warnings): (Vec<&String>, Vec<&String>) = check
        .diagnostics
        .iter()
        .partition(|line| line.contains(": error"));
    println!(
        "cargo check: {} in {} (peak memory of cargo and rustc together {})",
        if check.success {
            "compiles"
        } else {
            "does not compile"
        },
        seconds(check.time),
        check.peak_kib.map_or_else(|| "unknown".into(), mebibytes),
    );
    for (label, lines) in [("rustc errors", &errors), ("rustc warnings", &warnings)] {
        println!("{label}: {}", lines.len());
        for line in lines.iter().take(SHOWN_DIAGNOSTICS) {
            println!("  {line}");
        }
        if lines.len() > SHOWN_DIAGNOSTICS {
            println!("  … and {} more", lines.len() - SHOWN_DIAGNOSTICS);
        }
    }
    if check.success {
        summary.result = "compiles";
        Ok(ExitCode::SUCCESS)
    } else {
        summary.result = "does-not-compile";
        // No diagnostic to show: cargo's own last words say why.
        if errors.is_empty() {
            eprintln!("{}", check.stderr_tail);
        }
        Ok(ExitCode::FAILURE)
    }
}

/// `cargo xtask check-spec --peer`: `check-spec` on every spec of the peer
/// corpus ([`xtask::peer_specs`]), one child process each (so each peak
/// memory is its own), their reports as they come, then a Markdown table
/// of their figures. The exit code is the worst of theirs; an error
/// (exit 2) when the corpus is not found or a child cannot start.
pub(crate) fn run_peers(root: &Path) -> anyhow::Result<ExitCode> {
    let specs = xtask::peer_specs(root)?;
    let program = std::env::current_exe().context("cannot find this program to run it again")?;
    let mut rows = Vec::new();
    let mut worst = 0;
    for spec in &specs {
        let mut child = std::process::Command::new(&program)
            .arg("check-spec")
            .arg(spec)
            .arg("--root")
            .arg(root)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run check-spec on {}", spec.display()))?;
        let mut summary = None;
        if let Some(stdout) = child.stdout.take() {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                println!("{line}");
                summary = Summary::parse(&line).or(summary);
            }
        }
        let code = child
            .wait()
            .ok()
            .and_then(|status| status.code())
            .map_or(2, |code| u8::try_from(code).unwrap_or(2));
        println!();
        worst = worst.max(code);
        let name = spec
            .file_name()
            .map(|name| name.to_string_lossy().trim_end_matches(".gz").to_owned())
            .unwrap_or_default();
        rows.push((name, summary));
    }
    print!("{}", peer_table(&rows));
    Ok(ExitCode::from(worst))
}

/// The peer table: one row per spec, its summary or a dash where the
/// child gave none.
fn peer_table(rows: &[(String, Option<Summary>)]) -> String {
    let mut table = String::from(
        "| spec | operations | generated | left out | loosened | renamed | codegen | cargo check | peak memory (codegen / cargo check) | result |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    for (name, summary) in rows {
        let Some(summary) = summary else {
            table.push_str(&format!(
                "| `{name}` | - | - | - | - | - | - | - | - | no report |\n"
            ));
            continue;
        };
        let mib = |mib: Option<u64>| mib.map_or_else(|| "-".into(), |mib| format!("{mib} MiB"));
        table.push_str(&format!(
            "| `{name}` | {} | {} | {} | {} | {} | {:.1} s | {} | {} / {} | {} |\n",
            summary.operations,
            summary.operations - summary.left_out,
            summary.left_out,
            summary.loosened,
            summary.renamed,
            summary.codegen_seconds,
            summary
                .check_seconds
                .map_or_else(|| "-".into(), |seconds| format!("{seconds:.1} s")),
            mib(summary.codegen_mib),
            mib(summary.check_mib),
            summary.result.replace('-', " "),
        ));
    }
    table
}

/// Writes the scratch crate: codegen's runtime shim, the generated files,
/// and the workspace's lockfile so dependencies resolve as they do here.
fn write_crate(root: &Path, dir: &Path, generated: &codegen::Generated) -> std::io::Result<()> {
    let source = dir.join("src");
    fs::create_dir_all(&source)?;
    let mut manifest = codegen::runtime::CARGO_TOML.to_owned();
    if generated.uses_websockets {
        manifest.push_str(codegen::runtime::WEBSOCKET_DEPENDENCIES);
    }
    fs::write(dir.join("Cargo.toml"), manifest)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    fs::write(source.join("lib.rs"), codegen::runtime::LIB_RS)?;
    fs::write(source.join("arguments.rs"), codegen::runtime::ARGUMENTS_RS)?;
    fs::write(source.join("generated.rs"), &generated.client)?;
    fs::write(source.join("generated_httpmock.rs"), &generated.httpmock)?;
    fs::write(source.join("generated_cli.rs"), &generated.cli)?;
    Ok(())
}

/// What `cargo check` said and cost.
struct Check {
    success: bool,
    time: Duration,
    /// The largest total resident memory of cargo and its compilers seen.
    peak_kib: Option<u64>,
    /// Compiler diagnostics of the scratch crate, one line each.
    diagnostics: Vec<String>,
    /// The end of cargo's output, for failures without diagnostics.
    stderr_tail: String,
}

fn cargo_check(root: &Path, dir: &Path) -> std::io::Result<Check> {
    let started = Instant::now();
    let mut child = xtask::cargo()
        .args([
            "check",
            "--all-features",
            "--message-format",
            "short",
            "--quiet",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root.join("target/check-spec/target"))
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    // Read stderr on a thread while this one samples memory.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let peak_kib = sample_peak_memory(&mut child)?;
    let status = child.wait()?;
    let time = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let diagnostics = stderr
        .lines()
        .filter(|line| {
            line.starts_with("src/") && (line.contains(": warning") || line.contains(": error"))
        })
        .map(str::to_owned)
        .collect();
    let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
    Ok(Check {
        success: status.success(),
        time,
        peak_kib,
        diagnostics,
        stderr_tail: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
    })
}

/// Until `child` exits, samples every 50 ms the resident memory of it and
/// all its descendants (from `/proc`); returns the largest total seen, or
/// `None` where `/proc` is not there.
fn sample_peak_memory(child: &mut Child) -> std::io::Result<Option<u64>> {
    let root = child.id();
    let mut peak = None;
    while child.try_wait()?.is_none() {
        if let Some(total) = tree_rss_kib(root) {
            peak = Some(peak.unwrap_or(0).max(total));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(peak)
}

/// Resident memory of process `root` and its descendants, in KiB.
fn tree_rss_kib(root: u32) -> Option<u64> {
    // (pid, parent, rss) of every process.
    let processes: Vec<(u32, u32, u64)> = fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let field = |name: &str| -> Option<u64> {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix(name))?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            };
            Some((
                pid,
                u32::try_from(field("PPid:")?).ok()?,
                field("VmRSS:").unwrap_or(0),
            ))
        })
        .collect();
    let mut tree = vec![root];
    let mut total = 0;
    let mut next = 0;
    while let Some(&pid) = tree.get(next) {
        next += 1;
        for &(child, parent, rss) in &processes {
            if parent == pid {
                tree.push(child);
                total += rss;
            }
        }
        if pid == root {
            total += processes.iter().find(|p| p.0 == root).map_or(0, |p| p.2);
        }
    }
    Some(total)
}

fn seconds(time: Duration) -> String {
    format!("{:.1} s", time.as_secs_f64())
}

fn mebibytes(kib: u64) -> String {
    format!("{} MiB", kib / 1024)
}

#[cfg(test)]
mod tests {
    use super::{Summary, peer_table};

    #[test]
    fn a_summary_line_reads_back_as_written() {
        let summary = Summary {
            operations: 767,
            left_out: 2,
            loosened: 21,
            renamed: 767,
            codegen_seconds: 92.25,
            codegen_mib: Some(710),
            check_seconds: None,
            check_mib: None,
            result: "does-not-generate",
        };
        let line = format!("check-spec summary: /a: b/api.json.gz: {summary}");
        let mut expected = summary.clone();
        expected.codegen_seconds = 92.2;
        assert_eq!(Summary::parse(&line), Some(expected));
        assert_eq!(Summary::parse("codegen: client, mocks and CLI"), None);
        assert_eq!(
            Summary::parse("check-spec summary: x: operations=1 result=maybe"),
            None
        );
    }

    #[test]
    fn the_peer_table_has_a_row_per_spec_and_says_which_gave_no_report() {
        let summary = Summary {
            operations: 10,
            left_out: 1,
            loosened: 0,
            renamed: 3,
            codegen_seconds: 0.4,
            codegen_mib: Some(20),
            check_seconds: Some(2.0),
            check_mib: Some(300),
            result: "compiles",
        };
        let table = peer_table(&[("a.json".into(), Some(summary)), ("b.json".into(), None)]);
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(
            rows,
            [
                "| `a.json` | 10 | 9 | 1 | 0 | 3 | 0.4 s | 2.0 s | 20 MiB / 300 MiB | compiles |",
                "| `b.json` | - | - | - | - | - | - | - | - | no report |",
            ]
        );
    }
}
