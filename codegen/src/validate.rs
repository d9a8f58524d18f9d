//! Checks for what progenitor takes for granted. It panics or emits code
//! that does not compile on these mistakes; we report all of them at once,
//! each with a JSON pointer and a fix.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use crate::error::pointer_join;
use crate::locate::locate;
use crate::{Error, Problem, Spec, reading};

/// Checks `spec` and returns every problem found, or `Ok(())`.
///
/// - every operation has an `operationId`, and no two become the same Rust
///   name (progenitor turns each into a method and a builder,
///   [`reading::method_name`], [`reading::builder_name`]); an id that is not
///   snake_case already is renamed, which `generate` warns about;
/// - every `{name}` in a path is declared as a path parameter, every
///   declared path parameter appears in the path, and each is
///   `required: true`, as OpenAPI demands;
/// - every `$ref` is local and resolves;
/// - `x-idempotent`, where declared, is a boolean;
/// - `x-upstream-departure`, where declared, is a reason in words (on a
///   path item, a mapping from methods to reasons).
///
/// The version (3.0.x only) is checked earlier, by [`crate::load`].
pub fn validate(spec: &Spec) -> Result<(), Error> {
    let mut problems = Vec::new();
    check_operations(spec.document(), &mut problems);
    check_refs(spec.tree(), spec.tree(), "#", &mut problems);
    check_departures(spec.tree(), "#", &mut problems);
    for problem in &mut problems {
        problem.location = locate(spec.text(), &problem.pointer);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            path: spec.path().to_owned(),
            problems,
        })
    }
}

fn check_operations(document: &OpenAPI, problems: &mut Vec<Problem>) {
    // Each Rust name an operation takes → the id and pointer of its first user.
    let mut taken: HashMap<String, (&str, String)> = HashMap::new();
    for (path, item) in &document.paths.paths {
        let path_pointer = pointer_join("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            problems.push(Problem {
                location: None,
                pointer: path_pointer,
                message:
                    "a path item given by `$ref` is not supported; write the operations inline"
                        .into(),
            });
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = pointer_join(&path_pointer, method);
            match operation.operation_id.as_deref() {
                None => problems.push(Problem {
                    location: None,
                    pointer: pointer.clone(),
                    message: "operation has no `operationId`; add a unique snake_case one (it becomes the Rust method name)".into(),
                }),
                Some(id) => {
                    if let Some(message) = name_clash(id, &pointer, &mut taken) {
                        problems.push(Problem {
                            location: None,
                            pointer: pointer_join(&pointer, "operationId"),
                            message,
                        });
                    }
                }
            }
            if let Some(declared) = operation.extensions.get(reading::IDEMPOTENT_EXTENSION)
                && !declared.is_boolean()
            {
                problems.push(Problem {
                    location: None,
                    pointer: pointer_join(&pointer, reading::IDEMPOTENT_EXTENSION),
                    message: format!("`{}: {declared}` is not a boolean; write `true` if repeating the operation is harmless (the client then retries it after server errors and timeouts), else `false`", reading::IDEMPOTENT_EXTENSION),
                });
            }
            let path_parameters: Vec<&Parameter> = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(|parameter| resolve_parameter(document, parameter))
                .filter(|parameter| matches!(parameter, Parameter::Path { .. }))
                .collect();
            for parameter in &path_parameters {
                let data = parameter.parameter_data_ref();
                if !data.required {
                    problems.push(Problem {
                        location: None,
                        pointer: pointer_join(&pointer, "parameters"),
                        message: format!("path parameter `{}` is not `required: true`; OpenAPI requires it of every path parameter (a path without it does not match), so add it", data.name),
                    });
                }
            }
            let declared = path_parameters
                .iter()
                .map(|parameter| parameter.parameter_data_ref().name.as_str())
                .collect::<BTreeSet<_>>();
            let in_template = template_parameters(path);
            for name in in_template.difference(&declared) {
                problems.push(Problem {
                    location: None,
                    pointer: pointer.clone(),
                    message: format!("path `{path}` uses `{{{name}}}`, but the operation declares no path parameter `{name}`; add it to `parameters` with `in: path`"),
                });
            }
            for name in declared.difference(&in_template) {
                problems.push(Problem {
                    location: None,
                    pointer: pointer_join(&pointer, "parameters"),
                    message: format!("path parameter `{name}` does not appear in path `{path}`; add `{{{name}}}` to the path or remove the parameter"),
                });
            }
        }
    }
}

/// Reports every `x-upstream-departure` below `node` that gives no reason:
/// one that is not non-empty text, or on a path item (directly under
/// `#/paths`) one that is not a mapping from a method to such text.
/// Example values are data ([`crate::walk`]) and are skipped.
fn check_departures(node: &serde_json::Value, pointer: &str, problems: &mut Vec<Problem>) {
    let key = reading::UPSTREAM_DEPARTURE_EXTENSION;
    let is_reason =
        |value: &serde_json::Value| value.as_str().is_some_and(|text| !text.trim().is_empty());
    crate::walk::each_object(node, pointer, &mut |map, pointer| {
        let is_path_item = pointer.starts_with("#/paths/") && pointer.matches('/').count() == 2;
        let Some(declared) = map.get(key) else {
            return;
        };
        let here = pointer_join(pointer, key);
        if is_path_item {
            match declared.as_object() {
                Some(methods) => {
                    for (method, reason) in methods {
                        if reading::operation_method(method).is_none() || !is_reason(reason) {
                            problems.push(Problem {
                                location: None,
                                pointer: pointer_join(&here, method),
                                message: format!("`{method}` here must be a lowercase HTTP method (`put`, `delete`, …) whose value says why the spec leaves out PostHog's operation, in words"),
                            });
                        }
                    }
                }
                None => problems.push(Problem {
                    location: None,
                    pointer: here,
                    message: format!("`{key}` on a path item maps each method the spec leaves out to the reason, e.g. `{key}: {{put: \"…\"}}`"),
                }),
            }
        } else if !is_reason(declared) {
            problems.push(Problem {
                location: None,
                pointer: here,
                message: format!("`{key}: {declared}` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code"),
            });
        }
    });
}

/// Methods progenitor's `Client` has of its own, which an operation's
/// method would clash with.
const CLIENT_METHODS: [&str; 2] = ["new", "new_with_client"];

/// Why operation `id` (at `pointer`) cannot have the Rust names progenitor
/// gives it: another operation has them already (the same id, or one that
/// progenitor turns into the same method or builder name), or the method
/// is one `Client` has. Records its names in `taken` otherwise.
fn name_clash<'a>(
    id: &'a str,
    pointer: &str,
    taken: &mut HashMap<String, (&'a str, String)>,
) -> Option<String> {
    let method = reading::method_name(id);
    if CLIENT_METHODS.contains(&method.as_str()) {
        return Some(format!(
            "`operationId: {id}` becomes the Rust method `Client::{method}`, which progenitor's client already has; rename the operation"
        ));
    }
    let names = [
        format!("method `Client::{method}`"),
        format!("builder `builder::{}`", reading::builder_name(id)),
    ];
    for name in &names {
        if let Some((first_id, first)) = taken.get(name) {
            return Some(if *first_id == id {
                format!(
                    "`operationId: {id}` is already used at {first}; give each operation its own"
                )
            } else {
                format!(
                    "`operationId: {id}` and `operationId: {first_id}` at {first} both become the Rust {name}; rename one of them"
                )
            });
        }
    }
    for name in names {
        taken.insert(name, (id, pointer.to_owned()));
    }
    None
}

/// The names between braces in a path template: `/a/{x}/b/{y}/` → {x, y}.
fn template_parameters(path: &str) -> BTreeSet<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The parameter itself, following one `$ref` into `#/components/parameters`.
/// A dangling reference yields `None`; [`check_refs`] reports it.
fn resolve_parameter<'a>(
    document: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            document
                .components
                .as_ref()?
                .parameters
                .get(name)?
                .as_item()
        }
    }
}

/// Reports every `$ref` below `node` that is not local or does not resolve.
/// Example values are data, not spec ([`crate::walk`]), so `$ref` keys
/// inside them are skipped; an Example object's own `$ref` is spec.
fn check_refs(
    root: &serde_json::Value,
    node: &serde_json::Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    crate::walk::each_object(node, pointer, &mut |object, pointer| {
        check_ref(root, object, pointer, problems);
        let examples = object
            .get("examples")
            .and_then(serde_json::Value::as_object);
        for (name, example) in examples.into_iter().flatten() {
            if let Some(example) = example.as_object() {
                let at = pointer_join(&pointer_join(pointer, "examples"), name);
                check_ref(root, example, &at, problems);
            }
        }
    });
}

/// Reports `object`'s own `$ref` (at `pointer`) if it is not local or does
/// not resolve.
fn check_ref(
    root: &serde_json::Value,
    object: &serde_json::Map<String, serde_json::Value>,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(serde_json::Value::String(target)) = object.get("$ref") else {
        return;
    };
    let pointer = pointer_join(pointer, "$ref");
    match target.strip_prefix('#') {
        Some(_) if reading::ref_target(root, target).is_some() => {}
        Some(_) => problems.push(Problem {
            location: None,
            pointer,
            message: format!("`$ref: {target}` points at nothing; fix the name or add the target"),
        }),
        None => problems.push(Problem {
            location: None,
            pointer,
            message: format!("`$ref: {target}` points outside this file; external references are not supported, so move the target under `#/components`"),
        }),
    }
}
