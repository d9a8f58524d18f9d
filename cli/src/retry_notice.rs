//! One stderr line each time the client waits to retry, so a command that
//! rides out a throttle or a 503 says why it is slow instead of hanging
//! silently. It reads the client's own `tracing` events (the INFO event of
//! each retry); everything else the client emits is left out.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Prints the client's retries to stderr for the rest of the process.
pub(crate) fn install() {
    let _ = tracing::subscriber::set_global_default(RetryNotice {
        next_span: AtomicU64::new(1),
    });
}

struct RetryNotice {
    next_span: AtomicU64,
}

/// The fields of a retry event this prints.
#[derive(Default)]
struct Retry {
    attempt: Option<u64>,
    retry_in_ms: Option<u64>,
    error: Option<String>,
}

impl Visit for Retry {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = Some(value),
            "retry_in_ms" => self.retry_in_ms = Some(value),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "error" {
            self.error = Some(format!("{value:?}"));
        }
    }
}

impl Subscriber for RetryNotice {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("posthog_api") && *metadata.level() <= Level::INFO
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut retry = Retry::default();
        event.record(&mut retry);
        if let (Some(attempt), Some(wait), Some(error)) =
            (retry.attempt, retry.retry_in_ms, retry.error)
        {
            #[allow(clippy::cast_precision_loss)]
            let seconds = wait as f64 / 1000.0;
            eprintln!("posthog: attempt {attempt} failed ({error}); retrying in {seconds:.1} s");
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
