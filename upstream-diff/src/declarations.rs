//! The spec's `x-upstream-departure` declarations met while comparing one
//! operation, and whether a difference needed each: one that none needed
//! is stale.

use codegen::model::{self, OperationModel};
use serde_json::Value;

use super::finding::{Stale, Verdict};
use super::operations::parameter_place;
use super::properties::{MAX_DEPTH, join};

/// The declarations met while comparing one operation.
#[derive(Default)]
pub(crate) struct Declarations<'a> {
    /// One entry per declaring node, however many differences reach it.
    met: Vec<Declaration<'a>>,
}

/// One `x-upstream-departure`, and whether a difference needed it.
struct Declaration<'a> {
    /// The node that declares it (the operation, parameter or property),
    /// compared by address.
    node: &'a Value,
    /// Where it is, as the report names it.
    place: String,
    reason: &'a str,
    covers_a_difference: bool,
}

impl<'a> Declarations<'a> {
    /// Notes the declaration of `node`, once.
    fn record(&mut self, node: &'a Value, place: &str, reason: &'a str) -> &mut Declaration<'a> {
        let at = match self.met.iter().position(|met| std::ptr::eq(met.node, node)) {
            Some(at) => at,
            None => {
                self.met.push(Declaration {
                    node,
                    place: place.to_owned(),
                    reason,
                    covers_a_difference: false,
                });
                self.met.len() - 1
            }
        };
        &mut self.met[at]
    }

    /// The verdict on a difference at `node`: known when it declares a
    /// `reason` (which then covers a difference), else drift.
    pub(crate) fn verdict(
        &mut self,
        node: &'a Value,
        place: &str,
        reason: Option<&'a str>,
    ) -> Verdict {
        match reason {
            Some(reason) => {
                self.record(node, place, reason).covers_a_difference = true;
                Verdict::Known(reason.to_owned())
            }
            None => Verdict::Drift,
        }
    }

    /// The declarations met that covered no difference.
    pub(crate) fn stale(self) -> Vec<Stale> {
        self.met
            .into_iter()
            .filter(|met| !met.covers_a_difference)
            .map(|met| Stale {
                place: met.place,
                reason: met.reason.to_owned(),
            })
            .collect()
    }
}

/// Records every declaration of the operation (its own, its parameters',
/// its bodies' properties), whether or not a difference reached it, so one
/// that covers nothing shows as stale.
pub(crate) fn record_all<'a>(
    declarations: &mut Declarations<'a>,
    ours: &'a Value,
    op: &OperationModel<'a>,
) {
    if let Some(reason) = op.departure {
        declarations.record(op.operation.node, "the operation", reason);
    }
    for parameter in &op.parameters {
        if let Some(reason) = parameter.departure {
            declarations.record(
                parameter.node,
                &parameter_place(parameter.name, parameter.location),
                reason,
            );
        }
    }
    let bodies = op
        .request_body
        .and_then(|body| Some(("request body".to_owned(), body.schema()?)))
        .into_iter()
        .chain(op.successes().filter_map(|response| {
            Some((format!("response {}", response.status), response.schema()?))
        }));
    for (context, schema) in bodies {
        record_properties(declarations, ours, schema, &context, "", 0);
    }
}

fn record_properties<'a>(
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
        record_properties(
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
            declarations.record(property.schema, &format!("{context} `{path}`"), reason);
        }
        record_properties(
            declarations,
            tree,
            property.schema,
            context,
            &path,
            depth + 1,
        );
    }
}
