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
    let mut summaries = time_interleaved(runs, &mut [&mut task])?;
    Ok(summaries.remove(0))
}

/// Like [`time_runs`] for several tasks whose times are compared with each
/// other: each runs once untimed, then `runs` rounds run every task once,
/// starting each round at the next task, so a change in the machine's load
/// during the measurement reaches all of them alike. One summary per task,
/// in order.
pub(crate) fn time_interleaved<E>(
    runs: usize,
    tasks: &mut [&mut dyn FnMut() -> Result<(), E>],
) -> Result<Vec<Summary>, E> {
    for task in tasks.iter_mut() {
        task()?;
    }
    let mut samples = vec![Vec::with_capacity(runs); tasks.len()];
    for round in 0..runs {
        for offset in 0..tasks.len() {
            let index = (round + offset) % tasks.len();
            let started = Instant::now();
            tasks[index]()?;
            samples[index].push(started.elapsed());
        }
    }
    Ok(samples
        .iter()
        .map(|samples| Summary::of(samples).expect("at least one run"))
        .collect())
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

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::time_interleaved;

    #[test]
    fn interleaved_tasks_warm_up_once_then_take_turns_leading_each_round() {
        let calls = RefCell::new(String::new());
        let calls = &calls;
        let task = |name: char| {
            move || -> Result<(), ()> {
                calls.borrow_mut().push(name);
                Ok(())
            }
        };
        let (mut a, mut b, mut c) = (task('a'), task('b'), task('c'));
        let summaries = time_interleaved(3, &mut [&mut a, &mut b, &mut c]).unwrap();
        // One warm-up run each, then rounds led by a, b and c in turn.
        assert_eq!(
            calls.borrow().as_str(),
            "abc".to_owned() + "abc" + "bca" + "cab"
        );
        assert_eq!(
            summaries.iter().map(|s| s.runs).collect::<Vec<_>>(),
            [3, 3, 3]
        );
    }

    #[test]
    fn interleaved_timing_stops_at_the_first_error() {
        let mut ok = || Ok(());
        let mut failing = || Err("boom");
        assert_eq!(
            time_interleaved(5, &mut [&mut ok, &mut failing]),
            Err("boom")
        );
    }
}
