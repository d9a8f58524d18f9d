//! Median-of-N timing: enough to compare within one run on a noisy
//! two-core machine without a benchmarking framework's compile time. The
//! median resists the odd slow run; min and max show the spread.

use std::time::{Duration, Instant};

/// Several timings of the same thing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub(crate) median: Duration,
    pub(crate) min: Duration,
    pub(crate) max: Duration,
    pub(crate) runs: usize,
}

impl Summary {
    /// Summarizes `samples`; `None` when there are none.
    pub(crate) fn of(samples: &[Duration]) -> Option<Self> {
        let mut sorted = samples.to_vec();
        sorted.sort();
        let middle = sorted.len() / 2;
        let median = match sorted.len() {
            0 => return None,
            n if n % 2 == 1 => sorted[middle],
            _ => (sorted[middle - 1] + sorted[middle]) / 2,
        };
        Some(Self {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            runs: sorted.len(),
        })
    }

    /// `min – max` as a table cell.
    pub(crate) fn spread(&self) -> String {
        format!("{} – {}", millis(self.min), millis(self.max))
    }
}

/// Runs `task` once untimed (caches, lazy statics, page cache), then `runs`
/// times timed; stops at the first error.
pub(crate) fn time_runs<E>(
    runs: usize,
    mut task: impl FnMut() -> Result<(), E>,
) -> Result<Summary, E> {
    task()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        task()?;
        samples.push(started.elapsed());
    }
    Ok(Summary::of(&samples).expect("at least one run"))
}

/// A duration as milliseconds for a table: `12.3 ms`, `1 234 ms`.
pub(crate) fn millis(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// `a / b` as `12.3×`.
pub(crate) fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64())
}
