//! Comparing one operation of ours with PostHog's: its parameters, request
//! body, responses and statuses, scopes and `deprecated`; each difference a
//! [`Finding`] whose verdict the declaration at its place decides.

use std::collections::{BTreeSet, HashMap};

use codegen::model::{self, OperationModel};
use codegen::reading;
use serde_json::Value;

use super::declarations::{Declarations, record_all};
use super::finding::{Finding, Match, OperationReport};
use super::matching::twin_paths;
use super::properties::{Side, compare_body};

/// Everything one comparison of an operation needs.
pub(crate) struct Context<'a, 'r> {
    pub(crate) ours: &'a Value,
    pub(crate) theirs: &'a Value,
    pub(crate) operation: &'r OperationModel<'a>,
    pub(crate) declarations: &'r mut Declarations<'a>,
    pub(crate) findings: Vec<Finding>,
}

impl<'a> Context<'a, '_> {
    /// A difference at the operation level: the operation's declaration
    /// covers it.
    pub(crate) fn at_operation(&mut self, place: String, what: String) {
        let node = self.operation.operation.node;
        let verdict = self
            .declarations
            .verdict(node, "the operation", self.operation.departure);
        self.findings.push(Finding {
            place,
            what,
            verdict,
        });
    }

    /// A difference at a parameter or property of ours, declared there.
    pub(crate) fn at(
        &mut self,
        node: &'a Value,
        reason: Option<&'a str>,
        place: String,
        what: String,
    ) {
        let verdict = self.declarations.verdict(node, &place, reason);
        self.findings.push(Finding {
            place,
            what,
            verdict,
        });
    }
}

pub(crate) fn compare_operation<'a>(
    ours: &'a Value,
    theirs: &'a Value,
    op: &OperationModel<'a>,
    index: &HashMap<(&str, &str), &OperationModel<'a>>,
) -> OperationReport {
    let looked_at = twin_paths(op.operation.path);
    let found: Vec<(&String, &&OperationModel)> = looked_at
        .iter()
        .filter_map(|path| Some((path, index.get(&(op.operation.method, path.as_str()))?)))
        .collect();
    let as_match = |(path, their): &(&String, &&OperationModel)| Match {
        path: (*path).clone(),
        id: their.id.map(str::to_owned),
        exact: *path == op.operation.path,
    };
    let mut report = OperationReport {
        method: op.http_method(),
        path: op.operation.path.to_owned(),
        id: op.id.map(str::to_owned),
        matched: found.first().map(as_match),
        twins: found.iter().skip(1).map(as_match).collect(),
        looked_at: if found.is_empty() {
            looked_at.clone()
        } else {
            Vec::new()
        },
        findings: Vec::new(),
        stale: Vec::new(),
    };
    let mut declarations = Declarations::default();
    if let Some((_, their)) = found.first() {
        let mut context = Context {
            ours,
            theirs,
            operation: op,
            declarations: &mut declarations,
            findings: Vec::new(),
        };
        compare_parameters(&mut context, their);
        compare_request(&mut context, their);
        compare_responses(&mut context, their);
        compare_scopes(&mut context, their);
        if op.deprecated != their.deprecated {
            let what = if their.deprecated {
                "PostHog marks it deprecated; ours does not"
            } else {
                "ours marks it deprecated; PostHog does not"
            };
            context.at_operation("`deprecated`".into(), what.into());
        }
        report.findings = context.findings;
        record_all(&mut declarations, ours, op);
    }
    report.stale = declarations.stale();
    report
}

pub(crate) fn parameter_place(name: &str, location: &str) -> String {
    format!("parameter `{name}` ({location})")
}

/// One name for a project's path parameter, as either spelling.
fn parameter_key<'a>(name: &'a str, location: &'a str) -> (&'a str, &'a str) {
    match (name, location) {
        ("environment_id", "path") => ("project_id", "path"),
        other => other,
    }
}

fn compare_parameters<'a>(context: &mut Context<'a, '_>, their: &OperationModel<'a>) {
    let op = context.operation;
    for parameter in &op.parameters {
        let key = parameter_key(parameter.name, parameter.location);
        let place = parameter_place(parameter.name, parameter.location);
        let ours_kind = parameter
            .schema
            .map_or_else(|| "any".to_owned(), |s| model::shape(context.ours, s).kind);
        let theirs = their
            .parameters
            .iter()
            .find(|p| parameter_key(p.name, p.location) == key);
        let Some(theirs) = theirs else {
            let what = format!(
                "only in ours ({}, `{ours_kind}`)",
                required_word(parameter.required)
            );
            context.at(parameter.node, parameter.departure, place, what);
            continue;
        };
        let theirs_kind = theirs.schema.map_or_else(
            || "any".to_owned(),
            |s| model::shape(context.theirs, s).kind,
        );
        let mut differences = Vec::new();
        if parameter.required != theirs.required {
            differences.push(format!(
                "ours is {}, PostHog's {}",
                required_word(parameter.required),
                required_word(theirs.required)
            ));
        }
        if ours_kind != theirs_kind {
            differences.push(format!(
                "type: ours `{ours_kind}`, PostHog's `{theirs_kind}`"
            ));
        }
        if !differences.is_empty() {
            context.at(
                parameter.node,
                parameter.departure,
                place,
                differences.join("; "),
            );
        }
    }
    for theirs in &their.parameters {
        let key = parameter_key(theirs.name, theirs.location);
        if !op
            .parameters
            .iter()
            .any(|p| parameter_key(p.name, p.location) == key)
        {
            let kind = theirs.schema.map_or_else(
                || "any".to_owned(),
                |s| model::shape(context.theirs, s).kind,
            );
            context.at_operation(
                parameter_place(theirs.name, theirs.location),
                format!(
                    "only in PostHog's ({}, `{kind}`)",
                    required_word(theirs.required)
                ),
            );
        }
    }
}

pub(crate) fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// How a body schema is named in a finding: its component, else its type.
fn body_name(tree: &Value, schema: &Value) -> String {
    match reading::referenced_schema(schema) {
        Some(name) => format!("`{name}`"),
        None => format!("`{}`", model::shape(tree, schema).kind),
    }
}

fn compare_request<'a>(context: &mut Context<'a, '_>, their: &OperationModel<'a>) {
    let ours = context
        .operation
        .request_body
        .as_ref()
        .and_then(|body| body.schema());
    let theirs = their.request_body.as_ref().and_then(|body| body.schema());
    let (ours_tree, theirs_tree) = (context.ours, context.theirs);
    match (ours, theirs) {
        (None, None) => {}
        (Some(ours), None) => context.at_operation(
            "request body".into(),
            format!(
                "ours sends {}; PostHog's takes none",
                body_name(ours_tree, ours)
            ),
        ),
        (None, Some(theirs)) => context.at_operation(
            "request body".into(),
            format!(
                "ours sends none; PostHog's takes {}",
                body_name(theirs_tree, theirs)
            ),
        ),
        (Some(ours), Some(theirs)) => {
            compare_body(context, Side::Request, "request body", ours, theirs);
        }
    }
}

fn compare_responses<'a>(context: &mut Context<'a, '_>, their: &OperationModel<'a>) {
    let op = context.operation;
    let ours_success: BTreeSet<&str> = op.successes().map(|r| r.status).collect();
    let theirs_success: BTreeSet<&str> = their.successes().map(|r| r.status).collect();
    let ours_all: BTreeSet<&str> = op.responses.iter().map(|r| r.status).collect();
    for status in ours_success.difference(&theirs_success) {
        context.at_operation(
            format!("status {status}"),
            "a success only ours documents".into(),
        );
    }
    for response in &their.responses {
        if !ours_all.contains(response.status) {
            let kind = if response.success {
                "a success"
            } else {
                "an error status"
            };
            context.at_operation(
                format!("status {}", response.status),
                format!("{kind} only PostHog's documents"),
            );
        }
    }
    for status in ours_success.intersection(&theirs_success) {
        let find = |model: &OperationModel<'a>| {
            model
                .responses
                .iter()
                .find(|r| r.status == *status)
                .and_then(|r| r.schema())
        };
        let (ours, theirs) = (find(op), find(their));
        let (ours_tree, theirs_tree) = (context.ours, context.theirs);
        let place = format!("response {status}");
        match (ours, theirs) {
            (None, None) => {}
            (Some(ours), None) => context.at_operation(
                place,
                format!(
                    "ours has a body ({}); PostHog's documents none",
                    body_name(ours_tree, ours)
                ),
            ),
            (None, Some(theirs)) => context.at_operation(
                place,
                format!(
                    "ours has no body; PostHog's documents {}",
                    body_name(theirs_tree, theirs)
                ),
            ),
            (Some(ours), Some(theirs)) => {
                compare_body(context, Side::Response, &place, ours, theirs);
            }
        }
    }
}

fn compare_scopes<'a>(context: &mut Context<'a, '_>, their: &OperationModel<'a>) {
    let ours: BTreeSet<&str> = context.operation.scopes.iter().copied().collect();
    let theirs: BTreeSet<&str> = their.scopes.iter().copied().collect();
    if ours != theirs {
        let list = |scopes: &BTreeSet<&str>| {
            if scopes.is_empty() {
                "none".to_owned()
            } else {
                scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        context.at_operation(
            "scopes".into(),
            format!("ours {}; PostHog's {}", list(&ours), list(&theirs)),
        );
    }
}
