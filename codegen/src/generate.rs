//! Running progenitor: the generator settings, chosen once here; panics
//! turned into errors that name the operation or schema at fault; the last
//! resorts, each with a warning, where a spec is not ours to change (a
//! schema progenitor cannot take loosened, an operation it cannot take
//! left out); and prettyplease formatting behind a one-line header.

use std::thread;

use openapiv3::{OpenAPI, ReferenceOr};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

use crate::culprit::{find_culprit, unescape};
use crate::document::{document_cli, document_client, document_mocks};
use crate::guard::guarded;
use crate::locate::locate;
use crate::prepare::{PLACEHOLDER_MARK, Prepared, prepare};
use crate::rewrite::cli::{CliFacts, parse_cli_lists, rewrite_cli};
use crate::rewrite::client::{
    HIDDEN_CONSTRUCTORS, OperationFacts, builder_errors_name_json_fields, doc_examples_as_text,
    gate_cli_derives, hide_constructors, hide_type_builders, operations_module,
    restore_content_types, setters_take_what_callers_hold, type_send_errors,
};
use crate::rewrite::futures_from_futures_util;
use crate::rewrite::mocks::{borrow_mock_json_values, match_mock_query_lists};
use crate::{Error, Spec, Warning, WarningKind, reading};

/// What the caller may choose about the generated code.
///
/// Everything else is fixed in one place, `progenitor_settings`, because the
/// hand-written layer of `posthog-api` depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The spec's path as the header of each generated file names it. Use a
    /// repository-relative path: an absolute one would make the output
    /// differ between checkouts.
    pub spec_label: String,
    /// Request timeout, in seconds, of a `Client` built with the generated
    /// `Client::new`. The default, 30, is `posthog_api::DEFAULT_TIMEOUT` of
    /// the hand-written constructors (the client's tests check they agree).
    pub timeout_secs: u64,
    /// Fail with [`Error::Warnings`] instead of returning code with
    /// [`Generated::warnings`]: for a spec that must generate exactly as
    /// written, such as the workspace's own. Off by default.
    pub deny_warnings: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            spec_label: "spec/openapi.yaml".into(),
            timeout_secs: 30,
            deny_warnings: false,
        }
    }
}

/// The generated source files, formatted and ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Generated {
    /// The client module: `types`, `Client`, its builders and `prelude`.
    pub client: String,
    /// Typed `httpmock` helpers: `MockServerExt` with one method per operation.
    pub httpmock: String,
    /// The `clap` command line: `Cli`, `CliCommand`, `CliConfig`.
    pub cli: String,
    /// Whether the client opens websockets (dropshot's
    /// `x-dropshot-websocket` endpoints), whose generated code needs the
    /// crates `base64` and `rand` ([`crate::runtime::WEBSOCKET_DEPENDENCIES`]).
    pub uses_websockets: bool,
    /// What codegen had to give up or change to generate this spec, by
    /// place: see [`Warning`]. Empty for a spec that generates as written.
    pub warnings: Vec<Warning>,
}

/// Generates the client, its typed mocks and its command line for `spec`.
///
/// Output depends only on the spec and `settings`: byte-identical on every
/// run and machine. Call [`crate::validate`] first for clearer errors.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<Generated, Error> {
    let mut prepared = prepare(spec)?;
    let mut given_up = 0;
    loop {
        let (client, httpmock, cli) = emit_all(spec, settings, &prepared);
        // The last resorts, one failure at a time: a component schema that
        // progenitor cannot take becomes untyped (`serde_json::Value`), an
        // operation it cannot take is left out; each with a warning.
        let failure = [&client, &httpmock, &cli]
            .into_iter()
            .find_map(|output| output.as_ref().err());
        if let Some(Error::Generator {
            culprit: Some(pointer),
            message,
            ..
        }) = failure
            && given_up < MAX_GIVEN_UP
            && let Some(warning) = give_up(spec, settings, &mut prepared, pointer, message)?
        {
            prepared.warnings.push(warning);
            given_up += 1;
            continue;
        }
        let warnings = std::mem::take(&mut prepared.warnings);
        if settings.deny_warnings && !warnings.is_empty() {
            return Err(Error::Warnings {
                path: spec.path().to_owned(),
                warnings,
            });
        }
        return Ok(Generated {
            client: client?,
            httpmock: httpmock?,
            cli: cli?,
            uses_websockets: prepared.client.operations().any(|(_, _, operation)| {
                operation
                    .extensions
                    .contains_key(reading::WEBSOCKET_EXTENSION)
            }),
            warnings,
        });
    }
}

/// At most this many schemas loosened and operations left out after
/// generation failed, before codegen stops and reports the failure.
const MAX_GIVEN_UP: usize = 50;

/// Gives up what `pointer` names, on which generation failed with
/// `message`: a component schema is loosened, an operation left out
/// (unless warnings are denied: then the spec must change, and the
/// failure itself says how). `None` when there is nothing left to give up.
/// An operation is left out only from a spec that [`crate::validate`]
/// accepts: a spec error is reported as one, never hidden by a warning.
fn give_up(
    spec: &Spec,
    settings: &Settings,
    prepared: &mut Prepared,
    pointer: &str,
    message: &str,
) -> Result<Option<Warning>, Error> {
    let (kind, message) = if let Some(name) = reading::schema_name(pointer) {
        if !loosen(prepared, &unescape(name)) {
            return Ok(None);
        }
        (
            WarningKind::Loosened,
            format!(
                "progenitor cannot generate this schema ({message}), so codegen loosened it to `serde_json::Value`: it is untyped in Rust"
            ),
        )
    } else {
        let Some((path, method)) = operation_place(pointer) else {
            return Ok(None);
        };
        if settings.deny_warnings {
            return Ok(None);
        }
        crate::validate(spec)?;
        if !leave_out(prepared, &path, method) {
            return Ok(None);
        }
        (
            WarningKind::LeftOut,
            format!(
                "left out of the client, the mocks and the CLI: progenitor cannot generate this operation ({message})"
            ),
        )
    };
    Ok(Some(Warning {
        path: spec.path().to_owned(),
        location: locate(spec.text(), pointer),
        pointer: pointer.to_owned(),
        kind,
        message,
    }))
}

/// The path and method of an operation's pointer:
/// `#/paths/~1a~1{id}/get` → (`/a/{id}`, `get`).
fn operation_place(pointer: &str) -> Option<(String, &'static str)> {
    let (path, method) = pointer.strip_prefix("#/paths/")?.rsplit_once('/')?;
    Some((unescape(path), reading::operation_method(method)?))
}

/// Removes the `method` operation of `path` from both documents (and the
/// path, when nothing is left on it); `false` when it is not there.
fn leave_out(prepared: &mut Prepared, path: &str, method: &str) -> bool {
    let mut removed = false;
    for document in [&mut prepared.client, &mut prepared.mocks] {
        let Some(ReferenceOr::Item(item)) = document.paths.paths.get_mut(path) else {
            continue;
        };
        let slot = match method {
            "get" => &mut item.get,
            "put" => &mut item.put,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            "options" => &mut item.options,
            "head" => &mut item.head,
            "patch" => &mut item.patch,
            "trace" => &mut item.trace,
            _ => continue,
        };
        if let Some(operation) = slot.take() {
            removed = true;
            if let Some(id) = operation.operation_id {
                prepared.content_types.remove(&reading::method_name(&id));
            }
        }
        if item.iter().next().is_none() {
            document.paths.paths.shift_remove(path);
        }
    }
    removed
}

/// The three outputs for `prepared`. They share nothing but their input:
/// each runs on its own thread (two cores here), and each is still a pure
/// function of the spec, so the result does not depend on which finishes
/// first.
fn emit_all(
    spec: &Spec,
    settings: &Settings,
    prepared: &Prepared,
) -> (
    Result<String, Error>,
    Result<String, Error>,
    Result<String, Error>,
) {
    thread::scope(|scope| {
        let httpmock =
            scope.spawn(|| emit(spec, settings, prepared, &prepared.mocks, Output::Httpmock));
        let cli = scope.spawn(|| emit(spec, settings, prepared, &prepared.client, Output::Cli));
        let client = emit(spec, settings, prepared, &prepared.client, Output::Client);
        (client, joined(spec, httpmock), joined(spec, cli))
    })
}

/// Replaces component schema `name` by "any JSON" (keeping its
/// description) in both documents; `false` when it is not there or is
/// already loosened.
fn loosen(prepared: &mut Prepared, name: &str) -> bool {
    let mut loosened = false;
    for document in [&mut prepared.client, &mut prepared.mocks] {
        let Some(slot) = document
            .components
            .as_mut()
            .and_then(|components| components.schemas.get_mut(name))
        else {
            continue;
        };
        let description = slot
            .as_item()
            .and_then(|schema| schema.schema_data.description.clone());
        let any = openapiv3::Schema {
            schema_data: openapiv3::SchemaData {
                description,
                ..Default::default()
            },
            schema_kind: openapiv3::SchemaKind::Any(openapiv3::AnySchema::default()),
        };
        if slot.as_item() != Some(&any) {
            *slot = ReferenceOr::Item(any);
            loosened = true;
        }
    }
    loosened
}

/// The result of an output's thread. [`emit`] catches every panic of the
/// generator, so a thread that still panicked is a bug in codegen itself.
fn joined(
    spec: &Spec,
    handle: thread::ScopedJoinHandle<'_, Result<String, Error>>,
) -> Result<String, Error> {
    handle.join().unwrap_or_else(|_| {
        Err(Error::Internal {
            path: spec.path().to_owned(),
            message: "codegen panicked outside its panic guard".into(),
        })
    })
}

/// The three things progenitor can emit for a document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Output {
    Client,
    Httpmock,
    Cli,
}

/// Why an output could not be made.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// progenitor, syn or prettyplease rejected the document or panicked.
    Generator(String),
    /// codegen's own rewrite found output of a shape it does not expect.
    Codegen(String),
}

/// Generates `output` for `document` (one of `prepared`'s), formatted; on
/// failure, names the operation or schema that fails on its own the same
/// way.
fn emit(
    spec: &Spec,
    settings: &Settings,
    prepared: &Prepared,
    document: &OpenAPI,
    output: Output,
) -> Result<String, Error> {
    let attempt =
        |document: &OpenAPI| match guarded(|| render(document, prepared, settings, output)) {
            Ok(Ok(text)) => Ok(text),
            Ok(Err(failure)) => Err(failure),
            Err(panic) => Err(Failure::Generator(panic)),
        };
    let failure = match attempt(document) {
        Ok(text) => return Ok(text),
        Err(failure) => failure,
    };
    let culprit = find_culprit(document, |candidate| attempt(candidate).err(), &failure);
    let message = match failure {
        Failure::Generator(message) => explain(&message),
        Failure::Codegen(message) => {
            return Err(Error::Internal {
                path: spec.path().to_owned(),
                message: match culprit {
                    Some(pointer) => format!("{message} (first seen at {pointer})"),
                    None => message,
                },
            });
        }
    };
    Err(Error::Generator {
        path: spec.path().to_owned(),
        location: culprit
            .as_deref()
            .and_then(|pointer| locate(spec.text(), pointer)),
        culprit,
        message,
    })
}

/// progenitor's `output` for `document`, rewritten and formatted. Every
/// step can panic on unexpected input: callers run it [`guarded`].
pub(crate) fn render(
    document: &OpenAPI,
    prepared: &Prepared,
    settings: &Settings,
    output: Output,
) -> Result<String, Failure> {
    let mut generator = Generator::new(&progenitor_settings(settings));
    // The generated modules live inside the `posthog-api` crate.
    let tokens = match output {
        Output::Client => generator.generate_tokens(document),
        Output::Httpmock => generator.httpmock(document, "crate"),
        Output::Cli => generator.cli(document, "crate"),
    }
    .map_err(|error| Failure::Generator(error.to_string()))?;
    // Only paginated operations name `futures`: a spec without any is not
    // walked for it.
    let paginated = document.operations().any(|(_, _, operation)| {
        operation
            .extensions
            .contains_key(reading::PAGINATION_EXTENSION)
    });
    let tokens = match output {
        Output::Client if paginated => futures_from_futures_util(tokens),
        Output::Cli if paginated => parse_cli_lists(futures_from_futures_util(tokens)),
        Output::Client => tokens,
        Output::Httpmock => match_mock_query_lists(tokens),
        Output::Cli => parse_cli_lists(tokens),
    };
    let mut file: syn::File = syn::parse2(tokens).map_err(|error| {
        Failure::Generator(format!(
            "progenitor emitted {output:?} code that does not parse ({error})"
        ))
    })?;
    match output {
        Output::Client => {
            // openapiv3's own walk of the document progenitor was given.
            let operations = document.operations().count();
            let facts: Vec<OperationFacts> = document
                .operations()
                .map(|(path, method, operation)| OperationFacts {
                    id: operation.operation_id.clone().unwrap_or_default(),
                    method: method.to_uppercase(),
                    path: path.to_owned(),
                    idempotent: reading::is_idempotent(
                        method,
                        operation.extensions.get(reading::IDEMPOTENT_EXTENSION),
                    ),
                })
                .collect();
            let expected = document
                .operations()
                .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
                .filter(|id| {
                    prepared
                        .content_types
                        .contains_key(&reading::method_name(id))
                })
                .count();
            let restored = restore_content_types(&mut file, &prepared.content_types);
            if restored != expected {
                return Err(Failure::Codegen(format!(
                    "the `Content-Type` of {restored} of {expected} request bodies was set; progenitor's output changed shape, so update codegen/src/rewrite.rs"
                )));
            }
            let typed = type_send_errors(&mut file);
            if typed != operations {
                return Err(Failure::Codegen(format!(
                    "typed errors were added to {typed} of {operations} operations; progenitor's output changed shape, so update codegen/src/rewrite.rs"
                )));
            }
            if hide_constructors(&mut file) != HIDDEN_CONSTRUCTORS.len() {
                return Err(Failure::Codegen(
                    "progenitor's `Client::new` and `Client::new_with_client` were not found; its output changed shape, so update codegen/src/rewrite.rs".into(),
                ));
            }
            if !hide_type_builders(&mut file) {
                return Err(Failure::Codegen(
                    "typify's `types::builder` module was not found; its output changed shape, so update codegen/src/rewrite.rs".into(),
                ));
            }
            setters_take_what_callers_hold(&mut file, &prepared.docs);
            builder_errors_name_json_fields(&mut file);
            file.items.push(operations_module(&facts));
            gate_cli_derives(&mut file);
            doc_examples_as_text(&mut file);
            let documented = document_client(&mut file, &prepared.docs, &prepared.value_names);
            if documented.hidden_impls != 2 || documented.builders != operations {
                return Err(Failure::Codegen(format!(
                    "{} of 2 `ClientInfo`/`ClientHooks` impls hidden and {} of {operations} builders documented; progenitor's output changed shape, so update codegen/src/document.rs",
                    documented.hidden_impls, documented.builders
                )));
            }
        }
        Output::Httpmock => {
            borrow_mock_json_values(&mut file);
            let operations = document.operations().count();
            let documented = document_mocks(&mut file, &prepared.docs);
            if documented != operations {
                return Err(Failure::Codegen(format!(
                    "the typed mocks of {documented} of {operations} operations were documented; progenitor's output changed shape, so update codegen/src/document.rs"
                )));
            }
        }
        Output::Cli => {
            let facts = CliFacts::of(document).map_err(Failure::Codegen)?;
            rewrite_cli(&mut file, &facts).map_err(Failure::Codegen)?;
            let operations = document.operations().count();
            let documented = document_cli(&mut file, &prepared.docs);
            if documented != operations {
                return Err(Failure::Codegen(format!(
                    "the commands of {documented} of {operations} operations were documented; progenitor's output changed shape, so update codegen/src/document.rs"
                )));
            }
        }
    }
    let text = prepared.value_names.restore(format!(
        "// @generated by `cargo xtask gen` from {}. Do not edit: change the spec and regenerate.\n{}",
        settings.spec_label,
        prettyplease::unparse(&file)
    ));
    if text.contains(PLACEHOLDER_MARK) || text.contains("\\u{e000}") {
        return Err(Failure::Codegen(
            "an enum value's placeholder reached the generated code; codegen/src/prepare/enum_names.rs must restore it there too".into(),
        ));
    }
    Ok(text)
}

/// What the settings have typify derive on every type besides its own
/// `Clone`, `Debug`, `Deserialize` and `Serialize`. Feature-gated derives
/// (`schemars::JsonSchema`, behind `cli`) are not listed.
const DERIVED_BY_SETTINGS: [&str; 1] = ["PartialEq"];

/// progenitor's generator after it has read `spec`'s client document: its
/// type space holds every type the generated client declares
/// ([`crate::model::TypeModel`]). Generated with the default [`Settings`]:
/// none of them changes a type.
pub(crate) fn type_space(spec: &Spec) -> Result<Generator, Error> {
    let prepared = prepare(spec)?;
    let read = guarded(|| {
        let mut generator = Generator::new(&progenitor_settings(&Settings::default()));
        generator
            .generate_tokens(&prepared.client)
            .map(|_| generator)
            .map_err(|error| error.to_string())
    });
    match read {
        Ok(Ok(generator)) => Ok(generator),
        Ok(Err(message)) | Err(message) => Err(Error::Generator {
            path: spec.path().to_owned(),
            culprit: None,
            location: None,
            message: explain(&message),
        }),
    }
}

/// progenitor's settings for this workspace. The hand-written layer of
/// `posthog-api` relies on each choice:
fn progenitor_settings(settings: &Settings) -> GenerationSettings {
    let mut progenitor = GenerationSettings::default();
    progenitor
        // `client.operation().param(x).send()`, as the Oxide SDK does: new
        // optional parameters do not break callers.
        .with_interface(InterfaceStyle::Builder)
        // Every method directly on `Client`; no per-tag extension traits.
        .with_tag(TagStyle::Merged)
        // The generated CLI prints responses through `JsonSchema` bounds;
        // `rewrite::gate_cli_derives` makes this derive exist only with `cli`.
        .with_derive("schemars::JsonSchema")
        // Ordered maps: free-form JSON objects serialize in a stable order.
        .with_map_type("::std::collections::BTreeMap")
        // `Client` carries the hand-written `ClientConfig` (API key, retry
        // policy), which its `ClientHooks` impl reads on every request.
        .with_inner_type(quote::quote!(crate::ClientConfig))
        .with_timeout(settings.timeout_secs);
    // typify derives Debug and Clone already; tests and callers compare.
    for derive in DERIVED_BY_SETTINGS {
        progenitor.with_derive(derive);
    }
    progenitor
}

/// Shapes progenitor is known to reject, by a fragment of its own message,
/// and what the spec author should do instead.
const KNOWN_LIMITS: [(&str, &str); 4] = [
    (
        "media type encoding, no schema",
        "a JSON media type has no `schema`; add one (`{}` accepts any JSON)",
    ),
    (
        "response_types.len() <= 1",
        "its responses have different bodies (e.g. 200 with a body and 204 without); give every success, and every error, the same schema",
    ),
    (
        "more media types than expected",
        "the request body offers several media types; keep only `application/json`",
    ),
    (
        "Failed to make unique variant names",
        "two enum values map to the same Rust variant name; rename one",
    ),
];

/// progenitor's message as a fix: a known limit's advice, else its first
/// line (panic messages can go on with a whole `Debug` dump).
fn explain(message: &str) -> String {
    let first_line = message
        .lines()
        .next()
        .unwrap_or_default()
        // A `Debug` dump opens a bracket at the end of its first line.
        .trim_end_matches(['(', '[', '{', ' ']);
    match KNOWN_LIMITS
        .iter()
        .find(|(fragment, _)| message.contains(fragment))
    {
        Some((_, advice)) => format!("{advice} (progenitor: {first_line})"),
        None => format!("{first_line}; change it to a shape progenitor supports"),
    }
}
