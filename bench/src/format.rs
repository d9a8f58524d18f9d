//! How the report writes numbers, targets and progress.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The measurement, or `None` once the report says why there is none
/// (`{note}: {reason}`).
pub(crate) fn measured<'a, T>(
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
pub(crate) fn this_command(args: &str) -> String {
    match crate::machine::short_profile() {
        "release" => format!("cargo run --release -p xtask -- {args}"),
        _ => format!("cargo xtask {args}"),
    }
}

pub(crate) fn as_ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A target time as the report states it: `30 ms`, `1 s`.
pub(crate) fn target_time(ms: f64) -> String {
    if ms >= 1_000.0 && ms % 1_000.0 == 0.0 {
        format!("{} s", ms / 1_000.0)
    } else {
        format!("{ms} ms")
    }
}

/// `1000` as `1,000`.
pub(crate) fn grouped(n: usize) -> String {
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

pub(crate) fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "**missed**" }
}

/// A progress line on stderr, with the time so far.
pub(crate) fn progress(what: &str) {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    eprintln!(
        "[{:>5.1} s] measuring {what} …",
        start.elapsed().as_secs_f64()
    );
}
