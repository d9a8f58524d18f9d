//! Which of PostHog's operations an operation of ours is compared with: the
//! same method on the same path, else on a twin path (`/api/projects/` or
//! `/api/environments/`, either spelling of the project parameter); and
//! PostHog's operations on our paths that ours lacks.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::OperationModel;
use codegen::reading;
use serde_json::Value;

use super::finding::{LeftOut, Stale, Verdict};

/// The paths that serve what `path` serves, ours first.
pub(crate) fn twin_paths(path: &str) -> Vec<String> {
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

/// PostHog's operations on our paths with a method ours lacks there, and
/// the path-item declarations that cover none.
pub(crate) fn left_out<'a>(
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
