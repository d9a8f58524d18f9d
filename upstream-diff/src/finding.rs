//! The vocabulary of an upstream diff: one [`Finding`] (a difference and
//! where it is), its [`Verdict`], a [`Stale`] declaration, and the
//! [`Report`] that holds them per operation. The comparers produce these
//! and the Markdown shows them, so both count drift the same way.

/// What became of one difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not declared: PostHog's schema or ours changed.
    Drift,
    /// Declared in our spec, with this reason.
    Known(String),
}

/// One difference, where it is, and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where: ``parameter `prompt` (query)``, ``response 200 `results[].name` ``,
    /// `request body`, `scopes`; empty for the operation itself.
    pub place: String,
    /// What differs, ours first: ``only in ours (required, `string`)``.
    pub what: String,
    /// Known or drift.
    pub verdict: Verdict,
}

/// A declaration that covers no difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Where it is declared, e.g. ``parameter `prompt` (query)``.
    pub place: String,
    /// Its reason, as declared.
    pub reason: String,
}

/// PostHog's operation an operation of ours is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Its path.
    pub path: String,
    /// Its `operationId`.
    pub id: Option<String>,
    /// Whether the path is ours exactly.
    pub exact: bool,
}

/// One operation of our spec and what differs from PostHog's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationReport {
    /// `GET`.
    pub method: String,
    /// Our path.
    pub path: String,
    /// Our `operationId`.
    pub id: Option<String>,
    /// The PostHog operation compared, if any path matched.
    pub matched: Option<Match>,
    /// The other twins PostHog has for it, compared with nothing.
    pub twins: Vec<Match>,
    /// The paths looked at, when nothing matched.
    pub looked_at: Vec<String>,
    /// What differs.
    pub findings: Vec<Finding>,
    /// Its declarations that cover nothing.
    pub stale: Vec<Stale>,
}

/// A PostHog operation on one of our paths, with a method ours lacks there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// `DELETE`.
    pub method: String,
    /// PostHog's path (the exact one when it has it).
    pub path: String,
    /// Its `operationId`.
    pub id: Option<String>,
    /// Its twins at the other spellings.
    pub twins: Vec<String>,
    /// Known (with the path item's reason) or drift.
    pub verdict: Verdict,
}

/// Everything that differs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// One per operation of ours, sorted by path then method.
    pub operations: Vec<OperationReport>,
    /// PostHog's operations on our paths that ours lacks, sorted.
    pub left_out: Vec<LeftOut>,
    /// Path-item declarations that cover nothing.
    pub stale: Vec<Stale>,
}

impl Report {
    /// Differences not declared, stale declarations included: the ones
    /// that fail `cargo xtask upstream-diff`.
    pub fn drift(&self) -> usize {
        let findings = self.findings().filter(|v| **v == Verdict::Drift).count();
        let stale = self.stale.len()
            + self
                .operations
                .iter()
                .map(|op| op.stale.len())
                .sum::<usize>();
        let unmatched = self
            .operations
            .iter()
            .filter(|op| op.matched.is_none())
            .count();
        findings + stale + unmatched
    }

    /// Differences our spec declares.
    pub fn known(&self) -> usize {
        self.findings()
            .filter(|v| matches!(v, Verdict::Known(_)))
            .count()
    }

    fn findings(&self) -> impl Iterator<Item = &Verdict> {
        self.operations
            .iter()
            .flat_map(|op| op.findings.iter().map(|f| &f.verdict))
            .chain(self.left_out.iter().map(|left| &left.verdict))
    }
}
