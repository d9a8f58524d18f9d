//! The vocabulary of a spec diff: one [`Change`], how bad it is, where it
//! sits, and the [`Report`] that groups them. The rules produce these and the
//! Markdown shows them, so both agree on what a change is and how changes
//! are counted.

use std::collections::BTreeSet;

/// Whether a change breaks code that uses the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Existing code keeps compiling and working.
    Compatible,
    /// Existing code stops compiling, or meets a value it cannot handle.
    Breaking,
}

impl Severity {
    /// `breaking` or `compatible`, as the Markdown marks it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Compatible => "compatible",
            Severity::Breaking => "breaking",
        }
    }
}

/// One difference between the two specs, and what it means for client users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or compatible.
    pub severity: Severity,
    /// Where in the operation the value sits: `request body`,
    /// ``parameter `limit` (query)``, `response 200`; empty at the top.
    pub context: String,
    /// The property path below `context`, e.g. `results[].name`; empty for
    /// the value itself.
    pub path: String,
    /// What changed, e.g. `made required`.
    pub what: String,
    /// Why it breaks or not, in terms of the generated Rust.
    pub why: String,
    /// The component schema the change is inside, if any. Such a change is
    /// counted once, in that schema's section, however many operations
    /// reach it.
    pub schema: Option<String>,
}

impl Change {
    /// `context` and `path` as one phrase: ``response 200 `results[].name` ``.
    pub fn place(&self) -> String {
        place(&self.context, &self.path)
    }
}

/// `context` followed by the code-formatted `path`, either of which may be empty.
pub(crate) fn place(context: &str, path: &str) -> String {
    match (context.is_empty(), path.is_empty()) {
        (_, true) => context.to_owned(),
        (true, false) => format!("`{path}`"),
        (false, false) => format!("{context} `{path}`"),
    }
}

/// A heading and the changes under it: one operation or one component schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading, already in Markdown: `` `GET /api/x/` (`x_list`) ``.
    pub title: String,
    /// The changes, in the order they were found.
    pub changes: Vec<Change>,
}

/// Everything that changed between two specs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One section per operation that changed, sorted by path then method.
    pub operations: Vec<Section>,
    /// One section per component schema that changed, sorted by name.
    pub schemas: Vec<Section>,
    /// Changes outside operations and schemas: `info`, shared parameters'
    /// documentation, security schemes.
    pub document: Vec<Change>,
}

impl Report {
    /// True when the two specs describe the same API, docs included.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.schemas.is_empty() && self.document.is_empty()
    }

    /// How many distinct changes have `severity`. A change inside a
    /// component schema is listed at every operation that reaches it but
    /// counted once, in the schema's section.
    pub fn count(&self, severity: Severity) -> usize {
        self.counted().filter(|c| c.severity == severity).count()
    }

    fn counted(&self) -> impl Iterator<Item = &Change> {
        let own = self
            .operations
            .iter()
            .flat_map(|section| &section.changes)
            .filter(|change| change.schema.is_none());
        own.chain(self.schemas.iter().flat_map(|section| &section.changes))
            .chain(&self.document)
    }
}

/// Which side of an exchange a schema is on; the rules differ (a new
/// required property breaks requests, a new enum value breaks responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Side {
    /// Parameters and request bodies: the caller builds the value.
    Request,
    /// Success responses: the generated code parses the value.
    Response,
    /// Error responses: the hand-written layer parses them, so they never
    /// change `send()`'s type, but callers read them as `ApiError::body()`.
    Error,
}

/// How a schema is reached: its side, and whether through the `Known`
/// branch of an open enum (whose unknown values parse as `Other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Use {
    pub(crate) side: Side,
    pub(crate) open: bool,
}

impl Use {
    pub(crate) const REQUEST: Use = Use {
        side: Side::Request,
        open: false,
    };
    pub(crate) const RESPONSE: Use = Use {
        side: Side::Response,
        open: false,
    };
    pub(crate) const ERROR: Use = Use {
        side: Side::Error,
        open: false,
    };

    /// The same side, no longer directly under an open enum.
    pub(crate) fn closed(self) -> Use {
        Use {
            open: false,
            ..self
        }
    }

    /// The same side, directly under an open enum.
    pub(crate) fn opened(self) -> Use {
        Use { open: true, ..self }
    }

    /// How a component schema no operation reaches is judged: as if both
    /// requests and responses used it, since its Rust type exists anyway.
    pub(crate) fn unreached() -> BTreeSet<Use> {
        BTreeSet::from([Use::REQUEST, Use::RESPONSE])
    }
}
