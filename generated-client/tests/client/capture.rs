//! A `tracing` subscriber that keeps everything the client emits — every
//! span with its fields, every event with its fields and the span it was
//! in — so tests can read what a service's logs would show. Written by
//! hand so that nothing (no formatter, no filter) stands between what the
//! crate emits and what the test sees.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

/// A span as it was opened (and later recorded into).
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub(crate) name: &'static str,
    pub(crate) fields: Vec<(String, String)>,
}

/// An event and the span it was emitted in.
#[derive(Debug, Clone)]
pub(crate) struct Emitted {
    pub(crate) level: tracing::Level,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) span: Option<&'static str>,
}

impl Emitted {
    /// The value of field `name`, as `Debug` printed it.
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }
}

impl Span {
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.as_str())
}

#[derive(Debug, Default)]
struct Log {
    spans: Vec<Span>,
    events: Vec<Emitted>,
    /// The spans entered on this thread, innermost last (indexes into `spans`).
    entered: Vec<usize>,
}

/// What was emitted while [`Captured::install`]'s guard lived.
#[derive(Debug, Clone, Default)]
pub(crate) struct Captured {
    log: Arc<Mutex<Log>>,
}

impl Captured {
    /// Captures everything emitted on this thread until the guard drops
    /// (`#[tokio::test]` runs the whole test on one thread).
    pub(crate) fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        // `tracing` caches each callsite's interest for the whole process,
        // computed by the first thread to reach it. A test without a
        // subscriber reaching the client's callsites first would cache
        // "never" and silence them on this thread too, so every thread gets
        // a global subscriber that asks again at each event.
        static ANCHOR: Once = Once::new();
        ANCHOR.call_once(|| {
            let _ = tracing::subscriber::set_global_default(Anchor);
        });
        let captured = Self::default();
        let guard = tracing::subscriber::set_default(Collector {
            log: Arc::clone(&captured.log),
            next_id: AtomicU64::new(1),
        });
        tracing::callsite::rebuild_interest_cache();
        (captured, guard)
    }

    pub(crate) fn spans(&self) -> Vec<Span> {
        self.log.lock().unwrap().spans.clone()
    }

    pub(crate) fn events(&self) -> Vec<Emitted> {
        self.log.lock().unwrap().events.clone()
    }

    /// Every name and value of every span and event, one per line.
    pub(crate) fn all_text(&self) -> String {
        let log = self.log.lock().unwrap();
        let mut text = String::new();
        for span in &log.spans {
            let _ = writeln!(text, "span {} {:?}", span.name, span.fields);
        }
        for event in &log.events {
            let _ = writeln!(text, "event {} {:?}", event.level, event.fields);
        }
        text
    }
}

struct Collector {
    log: Arc<Mutex<Log>>,
    next_id: AtomicU64,
}

/// The global subscriber of the test process: it keeps nothing, and keeps
/// every callsite's interest at "ask each time", so the capturing
/// `Collector` of a test's thread always gets asked.
struct Anchor;

impl Subscriber for Anchor {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

/// Span ids are 1 + the span's index in `Log::spans`.
fn index(id: &Id) -> usize {
    usize::try_from(id.into_u64() - 1).unwrap()
}

impl Subscriber for Collector {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        self.log.lock().unwrap().spans.push(Span {
            name: attributes.metadata().name(),
            fields,
        });
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst))
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut log = self.log.lock().unwrap();
        values.record(&mut Fields(&mut log.spans[index(id)].fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let mut log = self.log.lock().unwrap();
        let span = log.entered.last().map(|&entered| log.spans[entered].name);
        log.events.push(Emitted {
            level: *event.metadata().level(),
            fields,
            span,
        });
    }

    fn enter(&self, id: &Id) {
        self.log.lock().unwrap().entered.push(index(id));
    }

    fn exit(&self, id: &Id) {
        let mut log = self.log.lock().unwrap();
        if let Some(position) = log
            .entered
            .iter()
            .rposition(|&entered| entered == index(id))
        {
            log.entered.remove(position);
        }
    }
}
