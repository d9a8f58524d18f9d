//! Comparing operations as the generated client exposes them: an
//! `operationId` is a `Client` method and a builder, each parameter a
//! builder method, the request body `.body(..)`, the success response the
//! type `send()` returns. Operations are matched by method and path, then
//! by `operationId` (so a moved operation reads as moved, not as one
//! removed and one added).

use codegen::model::{OperationModel, Parameter, Response, media, operation_model};
use codegen::reading::{self, OperationNode, builder_name, method_name, operation_const_name};
use serde_json::Value;

use super::change::{Change, Rule, Section, Side, Use};
use super::node::{show, union_keys};
use super::schema::{At, Specs, Walker, parameter_context, value_change};

/// Operation keys compared by the rules below; any other key that changes
/// is still reported.
const OPERATION_KEYS: [&str; 12] = [
    "operationId",
    reading::IDEMPOTENT_EXTENSION,
    reading::UPSTREAM_DEPARTURE_EXTENSION,
    "parameters",
    "requestBody",
    "responses",
    "security",
    "summary",
    "description",
    "externalDocs",
    "deprecated",
    "tags",
];

/// The operation's `operationId`; both specs are validated, so it has one.
fn id<'a>(op: &OperationNode<'a>) -> &'a str {
    op.id().unwrap_or_default()
}

/// `GET /api/x/`
fn endpoint(op: &OperationNode<'_>) -> String {
    format!("{} {}", op.method.to_uppercase(), op.path)
}

/// Path, then method in the order OpenAPI lists methods.
fn sort_key<'a>(op: &OperationNode<'a>) -> (&'a str, Option<usize>) {
    let method = reading::METHODS.iter().position(|m| *m == op.method);
    (op.path, method)
}

/// One section per operation that changed, sorted by path then method.
pub(crate) fn operation_sections(specs: Specs<'_>) -> Vec<Section> {
    let mut pairs = pair(
        reading::operations(specs.old).collect(),
        reading::operations(specs.new).collect(),
    );
    pairs.sort_by(|a, b| sort_key(&shown(a)).cmp(&sort_key(&shown(b))));
    pairs
        .into_iter()
        .filter_map(|pair| {
            let title = title(&pair);
            let changes = compare(specs, pair);
            (!changes.is_empty()).then_some(Section { title, changes })
        })
        .collect()
}

type Pair<'a> = (Option<OperationNode<'a>>, Option<OperationNode<'a>>);

/// Matches operations by method and path, then the rest by `operationId`.
fn pair<'a>(old: Vec<OperationNode<'a>>, new: Vec<OperationNode<'a>>) -> Vec<Pair<'a>> {
    let mut old: Vec<Option<OperationNode<'a>>> = old.into_iter().map(Some).collect();
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    for new_op in new {
        let same_endpoint = old
            .iter_mut()
            .find(|o| o.is_some_and(|o| o.method == new_op.method && o.path == new_op.path));
        match same_endpoint {
            Some(slot) => pairs.push((slot.take(), Some(new_op))),
            None => unmatched.push(new_op),
        }
    }
    for new_op in unmatched {
        let same_id = old
            .iter_mut()
            .find(|o| o.is_some_and(|o| !id(&o).is_empty() && id(&o) == id(&new_op)));
        match same_id {
            Some(slot) => pairs.push((slot.take(), Some(new_op))),
            None => pairs.push((None, Some(new_op))),
        }
    }
    pairs.extend(old.into_iter().flatten().map(|o| (Some(o), None)));
    pairs
}

/// The side a section is titled after: the new operation, else the old.
fn shown<'a>(pair: &Pair<'a>) -> OperationNode<'a> {
    pair.1.or(pair.0).expect("a pair has at least one side")
}

/// `` `GET /api/x/` (`x_list`) ``
fn title(pair: &Pair<'_>) -> String {
    let op = shown(pair);
    format!("`{}` (`{}`)", endpoint(&op), id(&op))
}

/// The two sides of an operation, each as `codegen::model` reads it.
type Models<'a> = (OperationModel<'a>, OperationModel<'a>);

fn compare(specs: Specs<'_>, pair: Pair<'_>) -> Vec<Change> {
    let mut walker = Walker::new(specs, true);
    let top = At::top();
    match pair {
        (Some(old), None) => walker.emit(
            &top,
            Use::REQUEST,
            Rule::OperationRemovedOrMoved,
            "operation removed",
            format!(
                "`Client::{}`, its builder `builder::{}` and `operations::{}` are removed",
                method_name(id(&old)),
                builder_name(id(&old)),
                operation_const_name(id(&old))
            ),
        ),
        (None, Some(new)) => walker.emit(
            &top,
            Use::REQUEST,
            Rule::Addition,
            "operation added",
            format!("new method `Client::{}`", method_name(id(&new))),
        ),
        (Some(old), Some(new)) => {
            identity(&mut walker, old, new);
            // Each side read once, as the generator reads it.
            let models = (
                operation_model(specs.old, old),
                operation_model(specs.new, new),
            );
            parameters(&mut walker, &models);
            request_body(&mut walker, &models);
            responses(&mut walker, &models);
            security(&mut walker, &models);
            retry_safety(&mut walker, old, new);
            walker.docs_of(
                old.node,
                new.node,
                &top,
                &[
                    "summary",
                    "description",
                    "externalDocs",
                    "deprecated",
                    "tags",
                    // For upstream-diff and reviewers; no Rust comes of it.
                    reading::UPSTREAM_DEPARTURE_EXTENSION,
                ],
            );
            other_keys(&mut walker, old.node, new.node);
        }
        (None, None) => {}
    }
    merge_error_statuses(walker.finish())
}

/// R1 and R2: the endpoint and the method name.
fn identity(walker: &mut Walker<'_>, old: OperationNode<'_>, new: OperationNode<'_>) {
    let top = At::top();
    if endpoint(&old) != endpoint(&new) {
        walker.emit(
            &top,
            Use::REQUEST,
            Rule::OperationRemovedOrMoved,
            format!("moved from `{}` to `{}`", endpoint(&old), endpoint(&new)),
            "the method keeps its name but requests go elsewhere; mocks, proxies and servers that answer the old endpoint no longer match",
        );
    }
    if id(&old) != id(&new) {
        walker.emit(
            &top,
            Use::REQUEST,
            Rule::OperationRenamed,
            format!(
                "`operationId` renamed from `{}` to `{}`",
                id(&old),
                id(&new)
            ),
            format!(
                "`Client::{}` becomes `Client::{}` and `builder::{}` becomes `builder::{}`",
                method_name(id(&old)),
                method_name(id(&new)),
                builder_name(id(&old)),
                builder_name(id(&new))
            ),
        );
    }
}

/// R3 and R4: parameters.
fn parameters(walker: &mut Walker<'_>, (old, new): &Models<'_>) {
    let (old_params, new_params) = (&old.parameters, &new.parameters);
    for old_param in old_params {
        let at = At::top().context(param_context(old_param));
        match new_params.iter().find(|p| p.name == old_param.name) {
            None => walker.emit(
                &at,
                Use::REQUEST,
                Rule::ParameterChanged,
                "removed",
                format!("the builder method `.{}(..)` is removed", old_param.name),
            ),
            Some(new_param) => parameter(walker, old_param, new_param),
        }
    }
    for new_param in new_params
        .iter()
        .filter(|p| !old_params.iter().any(|o| o.name == p.name))
    {
        let at = At::top().context(param_context(new_param));
        let (rule, what, why) = if new_param.required {
            (
                Rule::ParameterRequired,
                "added (required)",
                format!(
                    "every call must now set `.{}(..)`; without it `send()` fails",
                    new_param.name
                ),
            )
        } else {
            (
                Rule::Addition,
                "added (optional)",
                format!(
                    "a new builder method `.{}(..)`; calls may leave it out",
                    new_param.name
                ),
            )
        };
        walker.emit(&at, Use::REQUEST, rule, what, why);
    }
}

fn parameter(walker: &mut Walker<'_>, old: &Parameter<'_>, new: &Parameter<'_>) {
    let mut at = At::top().context(param_context(new));
    // A shared parameter's docs are reported once, in the document section.
    at.docs = !(old.shared.is_some() && old.shared == new.shared);
    let (was_in, is_in) = (old.location, new.location);
    if was_in != is_in {
        walker.emit(
            &at,
            Use::REQUEST,
            Rule::ParameterChanged,
            format!("moved from {was_in} to {is_in}"),
            format!("requests now carry it in the {is_in}; servers and mocks that read the {was_in} no longer see it"),
        );
    }
    match (old.required, new.required) {
        (false, true) => walker.emit(
            &at,
            Use::REQUEST,
            Rule::ParameterRequired,
            "made required",
            format!(
                "every call must now set `.{}(..)`; without it `send()` fails",
                new.name
            ),
        ),
        (true, false) => walker.emit(
            &at,
            Use::REQUEST,
            Rule::Addition,
            "made optional",
            format!(
                "calls may leave it out; `.{}(..)` keeps its signature",
                new.name
            ),
        ),
        _ => {}
    }
    walker.docs_of(
        old.node,
        new.node,
        &at,
        &["description", "example", "examples", "deprecated"],
    );
    walker.schema(
        &parameter_schema(old.node),
        &parameter_schema(new.node),
        &at,
        Use::REQUEST,
    );
    for key in ["style", "explode", "allowEmptyValue", "allowReserved"] {
        let (was, is) = (old.node.get(key), new.node.get(key));
        if was != is {
            walker.emit(
                &at,
                Use::REQUEST,
                Rule::NoTypeChange,
                format!("`{key}` {}", value_change(was, is)),
                "the value is encoded differently; the builder method keeps its signature",
            );
        }
    }
}

fn param_context(param: &Parameter<'_>) -> String {
    parameter_context(param.name, param.location)
}

fn parameter_schema(node: &Value) -> Value {
    node.get("schema")
        .or_else(|| {
            node.get("content")?
                .as_object()?
                .values()
                .next()?
                .get("schema")
        })
        .cloned()
        .unwrap_or_default()
}

/// R5 and R6, for the body as a whole (its
/// properties are the schema walker's).
fn request_body(walker: &mut Walker<'_>, (old, new): &Models<'_>) {
    let at = At::top().context("request body");
    match (old.request_body, new.request_body) {
        (None, None) => {}
        (Some(_), None) => walker.emit(
            &at,
            Use::REQUEST,
            Rule::RequestPropertyChanged,
            "removed",
            "the builder's `.body(..)` is removed",
        ),
        (None, Some(body)) if body.required => walker.emit(
            &at,
            Use::REQUEST,
            Rule::RequestPropertyRequired,
            "added (required)",
            "every call must now set `.body(..)`; without it `send()` fails",
        ),
        (None, Some(_)) => walker.emit(
            &at,
            Use::REQUEST,
            Rule::Addition,
            "added (optional)",
            "a new builder method `.body(..)`; calls may leave it out",
        ),
        (Some(old_body), Some(new_body)) => {
            let mut at = at;
            at.docs = !(old_body.shared.is_some() && old_body.shared == new_body.shared);
            match (old_body.required, new_body.required) {
                (false, true) => walker.emit(
                    &at,
                    Use::REQUEST,
                    Rule::RequestPropertyRequired,
                    "made required",
                    "every call must now set `.body(..)`; without it `send()` fails",
                ),
                (true, false) => walker.emit(
                    &at,
                    Use::REQUEST,
                    Rule::Addition,
                    "made optional",
                    "calls may leave `.body(..)` out",
                ),
                _ => {}
            }
            walker.docs_of(old_body.node, new_body.node, &at, &["description"]);
            content(walker, old_body.node, new_body.node, &at, Use::REQUEST);
        }
    }
}

/// The body of a request or response: its media type and schema.
fn content(walker: &mut Walker<'_>, old: &Value, new: &Value, at: &At, used: Use) {
    let (gone, came) = if used == Use::REQUEST {
        (
            "`.body(..)` no longer takes a typed body",
            "`.body(..)` takes a typed body now",
        )
    } else {
        (
            "`send()` no longer returns a typed body",
            "`send()` returns a typed body now",
        )
    };
    let rule = match used.side {
        Side::Request => Rule::RequestPropertyChanged,
        Side::Response => Rule::SuccessResponseChanged,
        Side::Error => Rule::ResponsePropertyChanged,
    };
    match (media(old), media(new)) {
        (None, None) => {}
        (Some(_), None) => walker.emit(at, used, rule, "body removed", gone),
        (None, Some(_)) => walker.emit(at, used, rule, "body added", came),
        (Some((old_kind, _)), Some((new_kind, _))) if old_kind != new_kind => walker.emit(
            at,
            used,
            rule,
            format!("media type changed from `{old_kind}` to `{new_kind}`"),
            "the generated code encodes or decodes the body differently",
        ),
        (Some((_, old_media)), Some((_, new_media))) => {
            walker.docs_of(old_media, new_media, at, &["example", "examples"]);
            let schema = |media: &Value| media.get("schema").cloned().unwrap_or_default();
            walker.schema(&schema(old_media), &schema(new_media), at, used);
        }
    }
}

/// R7 and R9, and the error statuses (C3).
fn responses(walker: &mut Walker<'_>, (old, new): &Models<'_>) {
    let (old_responses, new_responses) = (&old.responses, &new.responses);
    let find =
        |list: &'_ [Response<'_>], status: &str| list.iter().position(|r| r.status == status);
    let success = |list: &[Response<'_>]| {
        list.iter()
            .filter(|r| reading::is_success(r.status))
            .map(|r| r.status.to_owned())
            .collect::<Vec<_>>()
    };
    let (old_success, new_success) = (success(old_responses), success(new_responses));
    let gone: Vec<_> = old_success
        .iter()
        .filter(|s| !new_success.contains(s))
        .collect();
    let came: Vec<_> = new_success
        .iter()
        .filter(|s| !old_success.contains(s))
        .collect();
    let top = At::top().context("responses");
    if let ([was], [is]) = (gone.as_slice(), came.as_slice()) {
        walker.emit(
            &top,
            Use::RESPONSE,
            Rule::SuccessResponseChanged,
            format!("success status changed from `{was}` to `{is}`"),
            format!(
                "`send()` now reports `{was}` as an unexpected response and succeeds on `{is}` only"
            ),
        );
        let (old_index, new_index) = (find(old_responses, was), find(new_responses, is));
        if let (Some(o), Some(n)) = (old_index, new_index) {
            response(walker, &old_responses[o], &new_responses[n], Use::RESPONSE);
        }
    } else {
        for was in gone {
            walker.emit(
                &top,
                Use::RESPONSE,
                Rule::SuccessResponseChanged,
                format!("success status `{was}` removed"),
                format!("`send()` now reports `{was}` as an unexpected response"),
            );
        }
        for is in came {
            walker.emit(
                &top,
                Use::RESPONSE,
                Rule::Addition,
                format!("success status `{is}` added"),
                format!("`send()` now also succeeds on `{is}`"),
            );
        }
    }
    for old_response in old_responses {
        let Some(index) = find(new_responses, old_response.status) else {
            if !reading::is_success(old_response.status) {
                // `emit` gives every error-side change the same reason.
                walker.emit(
                    &top,
                    Use::ERROR,
                    Rule::ErrorStatus,
                    format!("error status `{}` removed", old_response.status),
                    "",
                );
            }
            continue;
        };
        let used = if reading::is_success(old_response.status) {
            Use::RESPONSE
        } else {
            Use::ERROR
        };
        response(walker, old_response, &new_responses[index], used);
    }
    for new_response in new_responses
        .iter()
        .filter(|r| !reading::is_success(r.status))
    {
        if find(old_responses, new_response.status).is_none() {
            walker.emit(
                &top,
                Use::ERROR,
                Rule::ErrorStatus,
                format!("error status `{}` added", new_response.status),
                "",
            );
        }
    }
}

fn response(walker: &mut Walker<'_>, old: &Response<'_>, new: &Response<'_>, used: Use) {
    let kind = if used == Use::ERROR {
        "error response"
    } else {
        "response"
    };
    let mut at = At::top().context(format!("{kind} {}", new.status));
    at.docs = !(old.shared.is_some() && old.shared == new.shared);
    walker.docs_of(old.node, new.node, &at, &["description"]);
    if old.node.get("headers") != new.node.get("headers") {
        walker.emit(
            &at,
            used,
            Rule::NoTypeChange,
            "headers changed",
            "response headers are not part of the generated types",
        );
    }
    content(walker, old.node, new.node, &at, used);
}

/// The security requirement that applies to the operation (API key
/// scopes): its own, else the spec-wide one, as the generator reads it
/// ([`reading::effective_security`]). So a spec-wide change is reported at
/// every operation that inherits it.
fn security(walker: &mut Walker<'_>, (old, new): &Models<'_>) {
    let (was, is) = (old.security, new.security);
    if was != is {
        let describe = |requirement: Option<&Value>| {
            requirement.map_or_else(|| "none".to_owned(), |r| format!("`{}`", show(r)))
        };
        let needed_before = reading::scopes(was);
        let added: Vec<String> = reading::scopes(is)
            .into_iter()
            .filter(|scope| !needed_before.contains(scope))
            .map(|scope| format!("`{scope}`"))
            .collect();
        let (rule, effect) = if added.is_empty() {
            (
                Rule::Scopes,
                "no caller needs a scope it did not need before; the generated code changes only its docs".to_owned(),
            )
        } else {
            (
                Rule::ScopeAdded,
                format!(
                    "callers' API keys now need {}, and a key without it gets 403 where the call worked before",
                    added.join(", ")
                ),
            )
        };
        walker.emit(
            &At::top(),
            Use::REQUEST,
            rule,
            format!(
                "security requirement changed from {} to {}",
                describe(was),
                describe(is)
            ),
            effect,
        );
    }
}

/// R11 and C5: whether the client may repeat the operation
/// after a failure that may have reached PostHog, as the generator reads it
/// ([`OperationNode::is_idempotent`]: the declaration, else the method's).
fn retry_safety(walker: &mut Walker<'_>, old: OperationNode<'_>, new: OperationNode<'_>) {
    let declared = |op: &OperationNode<'_>| op.node.get(reading::IDEMPOTENT_EXTENSION).cloned();
    let (was, is) = (declared(&old), declared(&new));
    if was == is && old.is_idempotent() == new.is_idempotent() {
        return;
    }
    let describe = |op: &OperationNode<'_>, declared: &Option<Value>| {
        let safety = if op.is_idempotent() {
            "safe to repeat"
        } else {
            "not safe to repeat"
        };
        match declared {
            Some(value) => format!(
                "{safety} (`{}: {}`)",
                reading::IDEMPOTENT_EXTENSION,
                show(value)
            ),
            None => format!(
                "{safety} (undeclared, as for any `{}`)",
                op.method.to_uppercase()
            ),
        }
    };
    let what = format!(
        "changed from {} to {}",
        describe(&old, &was),
        describe(&new, &is)
    );
    let (rule, effect) = match (old.is_idempotent(), new.is_idempotent()) {
        (false, true) => (
            Rule::MadeSafeToRepeat,
            "the client now repeats it after a 5xx, a reset connection or a timeout, when PostHog may already have acted: confirm in PostHog's code that doing it twice is harmless",
        ),
        (true, false) => (
            Rule::RetrySafety,
            "the client no longer repeats it after a failure that may have reached PostHog; callers get the error, which says so",
        ),
        _ => (
            Rule::RetrySafety,
            "the client's retries are unchanged: the declaration states what the method implied",
        ),
    };
    walker.emit(&At::top(), Use::REQUEST, rule, what, effect);
}

/// Operation keys no rule compares (`servers`, `callbacks`, extensions).
fn other_keys(walker: &mut Walker<'_>, old: &Value, new: &Value) {
    let keys = union_keys(old, new);
    for key in keys
        .iter()
        .filter(|k| !OPERATION_KEYS.contains(&k.as_str()))
    {
        let (was, is) = (old.get(key), new.get(key));
        if was != is {
            walker.emit(
                &At::top(),
                Use::REQUEST,
                Rule::NoTypeChange,
                format!("`{key}` changed"),
                "not part of the generated client",
            );
        }
    }
}

/// One bullet for a change that every error response shares (they usually
/// reference the same error schema), instead of one per status.
fn merge_error_statuses(changes: Vec<Change>) -> Vec<Change> {
    let mut merged: Vec<(Change, Vec<String>)> = Vec::new();
    for change in changes {
        let Some(status) = change
            .context
            .strip_prefix("error response ")
            .map(str::to_owned)
        else {
            merged.push((change, Vec::new()));
            continue;
        };
        let same = merged.iter_mut().find(|(seen, statuses)| {
            !statuses.is_empty()
                && seen.path == change.path
                && seen.what == change.what
                && seen.schema == change.schema
                && seen.rule == change.rule
        });
        match same {
            Some((_, statuses)) => statuses.push(status),
            None => merged.push((change, vec![status])),
        }
    }
    merged
        .into_iter()
        .map(|(mut change, statuses)| {
            if statuses.len() > 1 {
                change.context = format!("error responses {}", statuses.join(", "));
            }
            change
        })
        .collect()
}
