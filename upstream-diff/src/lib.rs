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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use codegen::model::{self, OperationModel, Property};
use codegen::reading;
use serde_json::Value;

/// How deep objects are compared below a body: the playlist's
/// `results[].created_by.email` is three levels down.
const MAX_DEPTH: usize = 4;

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

/// The paths that serve what `path` serves, ours first.
fn twin_paths(path: &str) -> Vec<String> {
    let mut paths = vec![path.to_owned()];
    for prefix in ["/api/environments/", "/api/projects/"] {
        for parameter in ["{project_id}", "{environment_id}"] {
            let start = format!("{prefix}{parameter}/");
            let Some(rest) = path.strip_prefix(&start) else {
                continue;
            };
            for other_prefix in ["/api/environments/", "/api/projects/"] {
                for other_parameter in ["{project_id}", "{environment_id}"] {
                    let twin = format!("{other_prefix}{other_parameter}/{rest}");
                    if !paths.contains(&twin) {
                        paths.push(twin);
                    }
                }
            }
        }
    }
    paths
}

/// A declaration met while comparing, and whether a difference used it.
struct Declarations<'a> {
    /// Keyed by the declaring node's address: one entry per node, however
    /// many operations reach it.
    seen: Vec<(*const Value, String, &'a str, bool)>,
}

impl<'a> Declarations<'a> {
    fn meet(&mut self, node: &'a Value, place: &str, reason: &'a str) {
        if !self.seen.iter().any(|(at, ..)| std::ptr::eq(*at, node)) {
            self.seen.push((node, place.to_owned(), reason, false));
        }
    }

    fn verdict(&mut self, node: &'a Value, place: &str, reason: Option<&'a str>) -> Verdict {
        match reason {
            Some(reason) => {
                self.meet(node, place, reason);
                for entry in &mut self.seen {
                    if std::ptr::eq(entry.0, node) {
                        entry.3 = true;
                    }
                }
                Verdict::Known(reason.to_owned())
            }
            None => Verdict::Drift,
        }
    }
}

/// Everything one comparison of an operation needs.
struct Context<'a, 'r> {
    ours: &'a Value,
    theirs: &'a Value,
    operation: &'r OperationModel<'a>,
    declarations: &'r mut Declarations<'a>,
    findings: Vec<Finding>,
}

impl<'a> Context<'a, '_> {
    /// A difference at the operation level: the operation's declaration
    /// covers it.
    fn at_operation(&mut self, place: String, what: String) {
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
    fn at(&mut self, node: &'a Value, reason: Option<&'a str>, place: String, what: String) {
        let verdict = self.declarations.verdict(node, &place, reason);
        self.findings.push(Finding {
            place,
            what,
            verdict,
        });
    }
}

fn compare_operation<'a>(
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
    let mut declarations = Declarations { seen: Vec::new() };
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
        meet_unused(&mut declarations, ours, op);
    }
    report.stale = declarations
        .seen
        .into_iter()
        .filter(|entry| !entry.3)
        .map(|(_, place, reason, _)| Stale {
            place,
            reason: reason.to_owned(),
        })
        .collect();
    report
}

/// Registers the operation's declarations a comparison did not reach
/// (the operation's own, its parameters', its bodies' properties), so a
/// declaration that covers nothing shows as stale.
fn meet_unused<'a>(declarations: &mut Declarations<'a>, ours: &'a Value, op: &OperationModel<'a>) {
    if let Some(reason) = op.departure {
        declarations.meet(op.operation.node, "the operation", reason);
    }
    for parameter in &op.parameters {
        if let Some(reason) = parameter.departure {
            declarations.meet(
                parameter.node,
                &parameter_place(parameter.name, parameter.location),
                reason,
            );
        }
    }
    let bodies = op
        .request_body
        .and_then(|body| Some(("request body".to_owned(), body.media()?.1.get("schema")?)))
        .into_iter()
        .chain(op.successes().filter_map(|response| {
            Some((
                format!("response {}", response.status),
                response.media()?.1.get("schema")?,
            ))
        }));
    for (context, schema) in bodies {
        meet_properties(declarations, ours, schema, &context, "", 0);
    }
}

fn meet_properties<'a>(
    declarations: &mut Declarations<'a>,
    tree: &'a Value,
    schema: &'a Value,
    context: &str,
    prefix: &str,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(items) = model::items(tree, schema) {
        meet_properties(
            declarations,
            tree,
            items,
            context,
            &format!("{prefix}[]"),
            depth + 1,
        );
        return;
    }
    for property in model::properties(tree, schema) {
        let path = join(prefix, property.name);
        if let Some(reason) = property.departure {
            declarations.meet(property.schema, &format!("{context} `{path}`"), reason);
        }
        meet_properties(
            declarations,
            tree,
            property.schema,
            context,
            &path,
            depth + 1,
        );
    }
}

fn parameter_place(name: &str, location: &str) -> String {
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

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// Which side of the exchange a body is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

fn schema_of<'a>(media: Option<(&str, &'a Value)>) -> Option<&'a Value> {
    media?.1.get("schema")
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
        .and_then(|body| schema_of(body.media()));
    let theirs = their
        .request_body
        .as_ref()
        .and_then(|body| schema_of(body.media()));
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
                .and_then(|r| schema_of(r.media()))
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

fn compare_body<'a>(
    context: &mut Context<'a, '_>,
    side: Side,
    place: &str,
    ours: &'a Value,
    theirs: &'a Value,
) {
    let (ours_shape, theirs_shape) = (
        model::shape(context.ours, ours),
        model::shape(context.theirs, theirs),
    );
    let ours_properties = model::properties(context.ours, ours);
    let theirs_properties = model::properties(context.theirs, theirs);
    if ours_properties.is_empty() && theirs_properties.is_empty() {
        if ours_shape.kind != theirs_shape.kind {
            context.at_operation(
                place.to_owned(),
                format!(
                    "type: ours `{}`, PostHog's `{}`",
                    ours_shape.kind, theirs_shape.kind
                ),
            );
        }
        return;
    }
    compare_properties(context, side, place, "", ours, theirs, 0);
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Whether a property takes part on `side`: a read-only one is no part of
/// a request, a write-only one no part of a response.
fn takes_part(property: &Property, side: Side) -> bool {
    match side {
        Side::Request => !property.shape.read_only,
        Side::Response => !property.shape.write_only,
    }
}

fn describe(property: &Property, side: Side) -> String {
    let mut words = vec![required_word(property.required).to_owned()];
    if side == Side::Response && property.shape.nullable {
        words.push("nullable".into());
    }
    words.push(format!("`{}`", property.shape.kind));
    words.join(", ")
}

fn compare_properties<'a>(
    context: &mut Context<'a, '_>,
    side: Side,
    place: &str,
    prefix: &str,
    ours: &'a Value,
    theirs: &'a Value,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let (Some(ours), Some(theirs)) = (
        model::items(context.ours, ours),
        model::items(context.theirs, theirs),
    ) {
        let prefix = format!("{prefix}[]");
        compare_properties(context, side, place, &prefix, ours, theirs, depth + 1);
        return;
    }
    let ours_properties = model::properties(context.ours, ours);
    let theirs_properties = model::properties(context.theirs, theirs);
    for property in &ours_properties {
        let path = join(prefix, property.name);
        let where_ = format!("{place} `{path}`");
        let Some(theirs) = theirs_properties.iter().find(|p| p.name == property.name) else {
            if takes_part(property, side) {
                let what = format!("only in ours ({})", describe(property, side));
                context.at(property.schema, property.departure, where_, what);
            }
            continue;
        };
        let mut differences = Vec::new();
        let required = |p: &Property| p.required && takes_part(p, side);
        if required(property) != required(theirs) {
            differences.push(format!(
                "ours is {}, PostHog's {}",
                required_word(required(property)),
                required_word(required(theirs))
            ));
        }
        if side == Side::Response && property.shape.nullable != theirs.shape.nullable {
            let word = |nullable: bool| if nullable { "nullable" } else { "not nullable" };
            differences.push(format!(
                "ours is {}, PostHog's {}",
                word(property.shape.nullable),
                word(theirs.shape.nullable)
            ));
        }
        if property.shape.kind != theirs.shape.kind {
            differences.push(format!(
                "type: ours `{}`, PostHog's `{}`",
                property.shape.kind, theirs.shape.kind
            ));
        }
        if side == Side::Request {
            for (mark, ours_mark, theirs_mark) in [
                (
                    "read-only",
                    property.shape.read_only,
                    theirs.shape.read_only,
                ),
                (
                    "write-only",
                    property.shape.write_only,
                    theirs.shape.write_only,
                ),
            ] {
                if ours_mark != theirs_mark {
                    let who = if theirs_mark { "PostHog's" } else { "ours" };
                    differences.push(format!("{who} alone marks it {mark}"));
                }
            }
        }
        if !differences.is_empty() {
            context.at(
                property.schema,
                property.departure,
                where_,
                differences.join("; "),
            );
        }
        // Below two different types, the type difference says it all.
        if property.shape.kind == theirs.shape.kind {
            compare_properties(
                context,
                side,
                place,
                &path,
                property.schema,
                theirs.schema,
                depth + 1,
            );
        }
    }
    for theirs in &theirs_properties {
        if takes_part(theirs, side) && !ours_properties.iter().any(|p| p.name == theirs.name) {
            context.at_operation(
                format!("{place} `{}`", join(prefix, theirs.name)),
                format!("only in PostHog's ({})", describe(theirs, side)),
            );
        }
    }
}

/// PostHog's operations on our paths with a method ours lacks there, and
/// the path-item declarations that cover none.
fn left_out<'a>(
    ours: &[OperationModel<'a>],
    theirs: &[OperationModel<'a>],
) -> (Vec<LeftOut>, Vec<Stale>) {
    // Our paths, each with its path item and the methods ours has there.
    let mut paths: BTreeMap<&str, (&Value, BTreeSet<&str>)> = BTreeMap::new();
    for op in ours {
        paths
            .entry(op.operation.path)
            .or_insert((op.operation.item, BTreeSet::new()))
            .1
            .insert(op.operation.method);
    }
    let mut left = Vec::new();
    let mut stale = Vec::new();
    for (path, (item, methods)) in &paths {
        let twins = twin_paths(path);
        let mut covered: BTreeSet<&str> = BTreeSet::new();
        for method in reading::METHODS {
            if methods.contains(method) {
                continue;
            }
            let found: Vec<&OperationModel> = twins
                .iter()
                .filter_map(|twin| {
                    theirs
                        .iter()
                        .find(|op| op.operation.method == method && op.operation.path == twin)
                })
                .collect();
            let Some(first) = found.first() else {
                continue;
            };
            let reason = reading::left_out_upstream(item)
                .find(|(declared, _)| *declared == method)
                .map(|(_, reason)| reason);
            if reason.is_some() {
                covered.insert(method);
            }
            left.push(LeftOut {
                method: method.to_uppercase(),
                path: first.operation.path.to_owned(),
                id: first.id.map(str::to_owned),
                twins: found
                    .iter()
                    .skip(1)
                    .map(|op| op.operation.path.to_owned())
                    .collect(),
                verdict: reason.map_or(Verdict::Drift, |r| Verdict::Known(r.to_owned())),
            });
        }
        for (method, reason) in reading::left_out_upstream(item) {
            if !covered.contains(method) {
                stale.push(Stale {
                    place: format!("`{path}`, left-out `{}`", method.to_uppercase()),
                    reason: reason.to_owned(),
                });
            }
        }
    }
    (left, stale)
}

/// The headline: `3 drift, 40 known departures; 10 of 10 operations
/// matched (10 on the exact path); 2 PostHog operations on these paths not
/// in the spec`.
pub fn verdict(report: &Report) -> String {
    let operations = report.operations.len();
    let matched: Vec<&Match> = report
        .operations
        .iter()
        .filter_map(|op| op.matched.as_ref())
        .collect();
    let exact = matched.iter().filter(|m| m.exact).count();
    let twin = matched.len() - exact;
    let mut how = vec![format!("{exact} on the exact path")];
    if twin > 0 {
        how.push(format!("{twin} on a twin path"));
    }
    let known = report.known();
    format!(
        "{} drift, {known} known {}; {} of {operations} operations matched ({}); {} PostHog {} on these paths not in the spec",
        report.drift(),
        if known == 1 {
            "departure"
        } else {
            "departures"
        },
        matched.len(),
        how.join(", "),
        report.left_out.len(),
        if report.left_out.len() == 1 {
            "operation"
        } else {
            "operations"
        },
    )
}

/// The report as Markdown: the verdict, then one section per operation,
/// then PostHog's operations the spec lacks. `ours` and `theirs` name the
/// two files.
pub fn render(report: &Report, ours: &str, theirs: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Upstream drift: `{ours}` against `{theirs}`\n");
    let _ = writeln!(out, "**{}**", verdict(report));
    if report.drift() == 0 {
        let _ = writeln!(
            out,
            "\nNo drift: every difference is a departure the spec declares."
        );
    }
    let _ = writeln!(out, "\n### Operations");
    for op in &report.operations {
        let id = op
            .id
            .as_deref()
            .map_or_else(String::new, |id| format!(" (`{id}`)"));
        let _ = writeln!(out, "\n#### `{} {}`{id}\n", op.method, op.path);
        match &op.matched {
            None => {
                let looked: Vec<String> = op
                    .looked_at
                    .iter()
                    .map(|path| format!("`{path}`"))
                    .collect();
                let _ = writeln!(
                    out,
                    "- **drift** PostHog's schema has no `{}` here (looked at {})",
                    op.method,
                    looked.join(", ")
                );
            }
            Some(matched) => {
                let id = matched
                    .id
                    .as_deref()
                    .map_or_else(String::new, |id| format!(" (`{id}`)"));
                let how = if matched.exact {
                    "the exact path".to_owned()
                } else {
                    format!("a twin path, `{}`", matched.path)
                };
                let twins: Vec<String> = op
                    .twins
                    .iter()
                    .map(|twin| {
                        let id = twin
                            .id
                            .as_deref()
                            .map_or_else(String::new, |id| format!(" (`{id}`)"));
                        format!("`{}`{id}", twin.path)
                    })
                    .collect();
                let twins = if twins.is_empty() {
                    String::new()
                } else {
                    format!("; twins: {}", twins.join(", "))
                };
                let _ = writeln!(out, "PostHog's{id} on {how}{twins}.\n");
                if op.findings.is_empty() && op.stale.is_empty() {
                    let _ = writeln!(out, "No differences.");
                }
                for finding in &op.findings {
                    bullet(&mut out, &finding.place, &finding.what, &finding.verdict);
                }
            }
        }
        for stale in &op.stale {
            stale_bullet(&mut out, stale);
        }
    }
    if !report.left_out.is_empty() || !report.stale.is_empty() {
        let _ = writeln!(out, "\n### PostHog operations the spec lacks\n");
        for left in &report.left_out {
            let id = left
                .id
                .as_deref()
                .map_or_else(String::new, |id| format!(" (`{id}`)"));
            let twins: Vec<String> = left.twins.iter().map(|t| format!("`{t}`")).collect();
            let twins = if twins.is_empty() {
                String::new()
            } else {
                format!(", also at {}", twins.join(", "))
            };
            bullet(
                &mut out,
                &format!("`{} {}`{id}{twins}", left.method, left.path),
                "not in the spec",
                &left.verdict,
            );
        }
        for stale in &report.stale {
            stale_bullet(&mut out, stale);
        }
    }
    out
}

fn bullet(out: &mut String, place: &str, what: &str, verdict: &Verdict) {
    let place = if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    };
    let _ = match verdict {
        Verdict::Drift => writeln!(out, "- **drift** {place}{what}"),
        Verdict::Known(reason) => writeln!(out, "- **known** {place}{what} — {reason}"),
    };
}

fn stale_bullet(out: &mut String, stale: &Stale) {
    let _ = writeln!(
        out,
        "- **stale** {}: declares a departure that no difference needs any more (\"{}\"); remove it, or follow PostHog",
        stale.place, stale.reason
    );
}
