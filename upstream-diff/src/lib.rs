//! Where PostHog's published OpenAPI schema and the workspace's spec part
//! ways. Our spec follows PostHog's server, not its generated schema, so
//! some differences are deliberate: each is declared once in our spec, as
//! `x-upstream-departure` ([`codegen::reading::UPSTREAM_DEPARTURE_EXTENSION`])
//! on the operation, parameter or property it concerns, with the reason.
//! Everything else that differs is drift: PostHog changed, or we did.
//!
//! Both documents are read through [`codegen::model`] (operations,
//! parameters with `$ref`s followed, bodies, responses, scopes, object
//! properties through `$ref` and `allOf`), so this reads OpenAPI exactly as
//! the generator does. `cargo xtask upstream-diff SCHEMA` finds the files
//! and prints the result.
//!
//! # What is compared
//!
//! Each operation of our spec is matched to PostHog's with the same method
//! on the same path, else on a twin path: `/api/environments/{project_id}/…`
//! and `/api/projects/{project_id}/…` serve the same views, and either may
//! spell its first parameter `{environment_id}`. The exact path wins; every
//! twin found is named. For a matched operation:
//!
//! - **parameters**, by name and location (`project_id` and
//!   `environment_id` are one): present on one side only, `required`, type;
//! - **request-body properties**: present on one side only, `required`,
//!   type, `readOnly`/`writeOnly`; a property PostHog marks read-only is no
//!   part of a request, so its absence from ours is no difference;
//! - **success-response properties**: present on one side only,
//!   `required`, `nullable`, type; a write-only property of PostHog's is no
//!   part of a response. Objects and arrays of objects are compared
//!   property by property (`results[].created_by.email`);
//! - whether each side has a **body** at all, request and success response;
//! - **status codes**: success statuses either way, and error statuses
//!   PostHog documents that ours does not (PostHog's generated schema
//!   documents almost no error, so ours documenting more is no drift);
//! - the **scopes** of the security requirement that applies;
//! - **`deprecated`**.
//!
//! PostHog's operations on the paths our spec covers, with a method our
//! spec lacks there, are listed too.
//!
//! # Verdicts
//!
//! A difference is **known** when the declaration at its place covers it:
//! the parameter's or property's own, else (for whole bodies, statuses,
//! scopes, `deprecated`, and parameters or properties only PostHog has) the
//! operation's; a left-out operation is covered by its path item's mapping
//! from method to reason. Every other difference is **drift**, and so is a
//! declaration that covers nothing (**stale**: PostHog's schema now agrees,
//! or the declaration is misplaced), so declarations cannot outlive their
//! reason.

mod declarations;
mod finding;
mod markdown;
mod matching;
mod operations;
mod properties;

use std::collections::HashMap;

use codegen::model::{self, OperationModel};
use serde_json::Value;

pub use finding::{Finding, LeftOut, Match, OperationReport, Report, Stale, Verdict};
pub use markdown::{render, verdict};

use matching::left_out;
use operations::compare_operation;

/// Why a parsed document has nothing to compare: no `paths` mapping (the
/// reading before it, by [`codegen::parse`], already refused what is not
/// YAML or JSON, or not OpenAPI 3.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoPaths {
    /// The file, as named to [`codegen::parse`].
    pub file: String,
}

impl std::fmt::Display for NoPaths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}#/paths: the document has no `paths` mapping, so it describes no operation to compare; give the file of PostHog's whole schema (its `/api/schema/`)",
            self.file
        )
    }
}

impl std::error::Error for NoPaths {}

/// Checks that `spec` has operations to compare ([`NoPaths`]).
pub fn check_document(spec: &codegen::Spec) -> Result<(), NoPaths> {
    match spec.tree().get("paths") {
        Some(Value::Object(_)) => Ok(()),
        _ => Err(NoPaths {
            file: spec.path().display().to_string(),
        }),
    }
}

/// Compares our spec (`ours`) with PostHog's schema (`theirs`).
pub fn compare(ours: &codegen::Spec, theirs: &codegen::Spec) -> Report {
    compare_trees(ours.tree(), theirs.tree())
}

/// [`compare`] on the documents as JSON.
pub fn compare_trees(ours: &Value, theirs: &Value) -> Report {
    let our_model = model::model(ours);
    let their_model = model::model(theirs);
    let index: HashMap<(&str, &str), &OperationModel> = their_model
        .operations
        .iter()
        .map(|op| ((op.operation.method, op.operation.path), op))
        .collect();
    let mut operations: Vec<OperationReport> = our_model
        .operations
        .iter()
        .map(|op| compare_operation(ours, theirs, op, &index))
        .collect();
    operations.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));

    let (left_out, stale) = left_out(&our_model.operations, &their_model.operations);
    Report {
        operations,
        left_out,
        stale,
    }
}
