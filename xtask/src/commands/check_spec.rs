//! `cargo xtask check-spec FILE`: what a user runs before adopting this
//! workspace for their own API. It generates the client, typed mocks and
//! CLI from any OpenAPI 3.0 file (`.yaml`, `.json`, or either gzipped) into
//! a scratch crate around codegen's runtime shim (`codegen::runtime`),
//! `cargo check`s that crate with every feature, and reports the codegen
//! warnings, the compiler's warnings, and the time and peak memory of both
//! steps. `check-spec --posthog` does the same on PostHog's full schema,
//! found by [`xtask::posthog_full_spec`] (CI's step, in `.ci/run`).
//!
//! The scratch crate lives in `target/check-spec/crate` and builds into
//! `target/check-spec/target`, so a second run (or CI's next one) reuses
//! the compiled dependencies.

use std::fs;
use std::io::Read as _;
use std::path::Path;
use std::process::{Child, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::cli::SpecFile;

/// Diagnostics of the compiler shown in the report; the rest are counted.
const SHOWN_DIAGNOSTICS: usize = 20;

/// `cargo xtask check-spec FILE|--posthog`: 0 when the spec generates and
/// the crate compiles, 1 when it does not compile, 2 when it does not
/// generate or is not found.
pub(crate) fn run(root: &Path, spec: &SpecFile) -> ExitCode {
    let spec = match spec.path(root) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let spec = spec.as_path();
    let text = match xtask::read_spec(spec) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {}: {error:#}", spec.display());
            return ExitCode::from(2);
        }
    };
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
    let generated = match generated {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            println!("codegen failed after {}", seconds(generation_time));
            return ExitCode::from(2);
        }
    };
    println!(
        "codegen: client, mocks and CLI for {} operations in {} (peak memory of this process {}); {} lines",
        operations,
        seconds(generation_time),
        generation_memory.map_or_else(|| "unknown".into(), mebibytes),
        generated.client.lines().count()
            + generated.httpmock.lines().count()
            + generated.cli.lines().count(),
    );
    println!("codegen warnings: {}", generated.warnings.len());
    for warning in &generated.warnings {
        println!("  {}", warning.to_string().replace('\n', "\n  "));
    }

    let crate_dir = root.join("target/check-spec/crate");
    if let Err(error) = write_crate(root, &crate_dir, &generated) {
        eprintln!("error: cannot write {}: {error}", crate_dir.display());
        return ExitCode::from(2);
    }
    drop(generated);
    println!("\ncargo check --all-features in {} …", crate_dir.display());
    let check = match cargo_check(root, &crate_dir) {
        Ok(check) => check,
        Err(error) => {
            eprintln!("error: cannot run cargo check: {error}");
            return ExitCode::from(2);
        }
    };
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
        ExitCode::SUCCESS
    } else {
        if errors.is_empty() {
            eprintln!("{}", check.stderr_tail);
        }
        ExitCode::from(1)
    }
}

/// Writes the scratch crate: codegen's runtime shim, the generated files,
/// and the workspace's lockfile so dependencies resolve as they do here.
fn write_crate(root: &Path, dir: &Path, generated: &codegen::Generated) -> std::io::Result<()> {
    let source = dir.join("src");
    fs::create_dir_all(&source)?;
    fs::write(dir.join("Cargo.toml"), codegen::runtime::CARGO_TOML)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    fs::write(source.join("lib.rs"), codegen::runtime::LIB_RS)?;
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
