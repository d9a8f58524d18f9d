//! What a set of numbers was measured on: BENCHMARKS.md has to name the
//! machine, toolchain, date and load, or nobody can compare against it.

use std::path::Path;
use std::process::Command;

/// `label: value` lines describing this machine and checkout, now.
pub(crate) fn describe(root: &Path) -> Vec<(&'static str, String)> {
    let unknown = || "unknown".to_owned();
    vec![
        (
            "date",
            output("date", &["-u", "+%Y-%m-%d %H:%M UTC"], root).unwrap_or_else(unknown),
        ),
        ("CPU", cpu_model().unwrap_or_else(unknown)),
        (
            "cores",
            std::thread::available_parallelism().map_or_else(|_| unknown(), |n| n.to_string()),
        ),
        ("memory", memory().unwrap_or_else(unknown)),
        (
            "kernel",
            read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_else(unknown),
        ),
        (
            "toolchain",
            output("rustc", &["--version"], root).unwrap_or_else(unknown),
        ),
        ("xtask build", profile().into()),
        ("commit", commit(root).unwrap_or_else(unknown)),
        (
            "load average at start",
            load_average().unwrap_or_else(unknown),
        ),
    ]
}

/// The 1, 5 and 15 minute load averages, as `uptime` shows them.
pub(crate) fn load_average() -> Option<String> {
    let text = read_trimmed("/proc/loadavg")?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// Generation is timed in the profile xtask was built with; `cargo xtask`
/// is a dev build, so that is what users get.
fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev profile (as `cargo xtask` builds it)"
    } else {
        "release profile (`cargo run --release -p xtask -- bench`)"
    }
}

/// `dev` or `release`: the profile of this running xtask.
pub(crate) fn short_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    }
}

fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

fn memory() -> Option<String> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
}

/// The short commit, marked `+ uncommitted changes` when the tree differs.
fn commit(root: &Path) -> Option<String> {
    let head = output("git", &["rev-parse", "--short", "HEAD"], root)?;
    let dirty = output("git", &["status", "--porcelain"], root).is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{head} + uncommitted changes")
    } else {
        head
    })
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
}

/// A command's trimmed stdout, when it runs and succeeds.
fn output(program: &str, args: &[&str], dir: &Path) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
