//! Comparing two bodies property by property, through `$ref`, `allOf`,
//! arrays and nested objects (`results[].created_by.email`), as each side
//! of the exchange sees them: a read-only property is no part of a
//! request, a write-only one no part of a response.

use codegen::model::{self, Property};
use serde_json::Value;

use super::operations::{Context, required_word};

/// How deep objects are compared below a body: the playlist's
/// `results[].created_by.email` is three levels down.
pub(crate) const MAX_DEPTH: usize = 4;

/// Which side of the exchange a body is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Request,
    Response,
}

pub(crate) fn compare_body<'a>(
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

pub(crate) fn join(prefix: &str, name: &str) -> String {
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
