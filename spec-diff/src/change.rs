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

/// The rule that judged a change, with a stable id the Markdown shows
/// (`[R7]`) so a reviewer can look it up in the crate docs. `R` rules are
/// breaking, `C` rules compatible; ids are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// R1: an operation removed, or its path or method changed.
    OperationRemovedOrMoved,
    /// R2: an `operationId` renamed.
    OperationRenamed,
    /// R3: a required parameter added, or an optional one made required.
    ParameterRequired,
    /// R4: a parameter removed, or its type or location changed.
    ParameterChanged,
    /// R5: a required request-body property added, or one made required.
    RequestPropertyRequired,
    /// R6: a request-body property removed or its type changed.
    RequestPropertyChanged,
    /// R7: a response property removed, retyped, or made optional or
    /// nullable (its Rust field type changes).
    ResponsePropertyChanged,
    /// R8: an enum value removed from a request enum, or added to a strict
    /// response enum.
    EnumValueBreaks,
    /// R9: a success status or the success body changed.
    SuccessResponseChanged,
    /// R10: a component schema renamed or removed (its Rust type goes).
    SchemaRenamedOrRemoved,
    /// R11: an operation made safe to repeat.
    MadeSafeToRepeat,
    /// R12: an operation needs a scope it did not need (its own
    /// requirement, or the spec-wide one it inherits): callers' keys
    /// without it get 403.
    ScopeAdded,
    /// R13: a component schema's Rust type stops implementing a trait
    /// (`Default`, `Copy`, `Eq`, `Hash`, …): code that relies on it no
    /// longer compiles.
    TraitLost,
    /// C1: something added or relaxed that callers may ignore: an
    /// operation, an optional parameter or property, a response property,
    /// a success status.
    Addition,
    /// C2: an enum value added that parses: to an open enum, or to a
    /// request enum.
    EnumValueAdded,
    /// C3: an error status added or removed.
    ErrorStatus,
    /// C4: the scopes that apply to an operation changed, none added.
    Scopes,
    /// C5: an operation made not safe to repeat, or declared as its method
    /// implied.
    RetrySafety,
    /// C6: documentation and examples.
    Documentation,
    /// C7: a change outside the generated types' shape: constraints,
    /// encodings, headers, metadata.
    NoTypeChange,
}

impl Rule {
    /// The stable id: `R1`…`R13`, `C1`…`C7`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::OperationRemovedOrMoved => "R1",
            Rule::OperationRenamed => "R2",
            Rule::ParameterRequired => "R3",
            Rule::ParameterChanged => "R4",
            Rule::RequestPropertyRequired => "R5",
            Rule::RequestPropertyChanged => "R6",
            Rule::ResponsePropertyChanged => "R7",
            Rule::EnumValueBreaks => "R8",
            Rule::SuccessResponseChanged => "R9",
            Rule::SchemaRenamedOrRemoved => "R10",
            Rule::MadeSafeToRepeat => "R11",
            Rule::ScopeAdded => "R12",
            Rule::TraitLost => "R13",
            Rule::Addition => "C1",
            Rule::EnumValueAdded => "C2",
            Rule::ErrorStatus => "C3",
            Rule::Scopes => "C4",
            Rule::RetrySafety => "C5",
            Rule::Documentation => "C6",
            Rule::NoTypeChange => "C7",
        }
    }

    /// Breaking for the `R` rules, compatible for the `C` rules.
    pub fn severity(self) -> Severity {
        if self.id().starts_with('R') {
            Severity::Breaking
        } else {
            Severity::Compatible
        }
    }

    /// Every rule, in id order.
    pub const ALL: [Rule; 20] = [
        Rule::OperationRemovedOrMoved,
        Rule::OperationRenamed,
        Rule::ParameterRequired,
        Rule::ParameterChanged,
        Rule::RequestPropertyRequired,
        Rule::RequestPropertyChanged,
        Rule::ResponsePropertyChanged,
        Rule::EnumValueBreaks,
        Rule::SuccessResponseChanged,
        Rule::SchemaRenamedOrRemoved,
        Rule::MadeSafeToRepeat,
        Rule::ScopeAdded,
        Rule::TraitLost,
        Rule::Addition,
        Rule::EnumValueAdded,
        Rule::ErrorStatus,
        Rule::Scopes,
        Rule::RetrySafety,
        Rule::Documentation,
        Rule::NoTypeChange,
    ];
}

/// One difference between the two specs, and what it means for client users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule that judged it.
    pub rule: Rule,
    /// Breaking or compatible: the rule's.
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
