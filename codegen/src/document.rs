//! Docs for the public items progenitor generates without any, taken from
//! the spec, and progenitor's plumbing kept off the docs page.
//!
//! **What each operation's items say** is read once from the prepared spec
//! through [`crate::model`] ([`operation_docs`]): the description of each
//! parameter by the name of its Rust setter, of the request body, and of
//! each response by status. The client and the typed mocks both document
//! from that, so a builder setter and the mock matcher of one parameter say
//! the same thing, which is also what the `Client` method's "Arguments"
//! list says (progenitor writes that list from the same descriptions).
//!
//! ```text
//! impl<'a> SessionRecordingPlaylistsList<'a> {
//!     pub fn new(client: &'a Client) -> Self            →  pub(crate) fn new(…)
//!     pub fn limit<V>(mut self, value: V) -> Self       →  /// Number of results to return per page …
//!                                                          pub fn limit<V>(…)
//! }
//! impl ClientInfo<crate::ClientConfig> for Client { … } →  #[doc(hidden)] impl ClientInfo<…> for Client { … }
//! pub struct SessionRecordingPlaylistsListWhen(When);   →  /// What a request of [`Client::session_recording_playlists_list`] …
//! pub fn ok(self, value: &types::X) -> Self { … .status(200u16) … }
//!                                                       →  /// Answers `200` with `value` as its JSON body: <the response's description>
//! ```

use std::collections::BTreeMap;

use serde_json::Value;
use syn::{ImplItem, Item, parse_quote};

use crate::prepare::ValueNames;
use crate::rewrite::client::serde_rename;
use crate::rewrite::{module, self_name};
use crate::{model, reading};

/// What the spec says of one operation's parts, for their docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OperationDocs {
    /// The `Client` method that sends it.
    pub(crate) method: String,
    /// `GET /api/…/`.
    pub(crate) request: String,
    /// Each parameter, by the name of its setter.
    pub(crate) parameters: BTreeMap<String, ParameterDocs>,
    /// The request body's description, when the spec gives one.
    pub(crate) body: Option<String>,
    /// Each response's description, by status (`200`, `4XX`, `default`).
    pub(crate) responses: BTreeMap<String, String>,
}

/// What the spec says of one parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParameterDocs {
    /// Its description.
    pub(crate) text: String,
    pub(crate) required: bool,
    /// Its `in`: `path`, `query`, `header` or `cookie`.
    pub(crate) location: String,
}

/// The docs of every operation of `tree` that has an id, by the name of
/// its builder (`reading::builder_name`), which its mock wrappers share.
pub(crate) fn operation_docs(tree: &Value) -> BTreeMap<String, OperationDocs> {
    model::model(tree)
        .operations
        .iter()
        .filter_map(|operation| {
            let id = operation.id?;
            let description = |node: &Value| {
                node.get("description")
                    .and_then(Value::as_str)
                    .map(|text| text.trim().to_owned())
                    .filter(|text| !text.is_empty())
            };
            let parameters = operation
                .parameters
                .iter()
                .map(|parameter| {
                    let text = description(parameter.node).unwrap_or_else(|| {
                        format!("The `{}` {} parameter.", parameter.name, parameter.location)
                    });
                    let docs = ParameterDocs {
                        text,
                        required: parameter.required,
                        location: parameter.location.to_owned(),
                    };
                    (reading::parameter_name(parameter.name), docs)
                })
                .collect();
            let body = operation.request_body.and_then(|body| {
                description(body.node).or_else(|| {
                    let (_, media) = body.media()?;
                    let schema = media.get("schema")?;
                    let schema = reading::resolve(tree, schema).0;
                    description(schema)
                })
            });
            let responses = operation
                .responses
                .iter()
                .map(|response| {
                    (
                        response.status.to_owned(),
                        description(response.node).unwrap_or_default(),
                    )
                })
                .collect();
            Some((
                reading::builder_name(id),
                OperationDocs {
                    method: reading::method_name(id),
                    request: format!("{} {}", operation.http_method(), operation.operation.path),
                    parameters,
                    body,
                    responses,
                },
            ))
        })
        .collect()
}

/// Whether `attrs` hold a doc comment.
fn documented(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

/// Adds `text` as the doc comment of an item, before its other attributes.
fn doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    let lines: Vec<syn::Attribute> = text
        .lines()
        .map(|line| {
            let line = format!(" {line}");
            parse_quote!(#[doc = #line])
        })
        .collect();
    attrs.splice(0..0, lines);
}

/// What `document_client` changed, for `generate` to check against what
/// it expected of progenitor's output.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ClientDocs {
    /// `ClientInfo` and `ClientHooks` impls hidden.
    pub(crate) hidden_impls: usize,
    /// Builders whose setters were documented.
    pub(crate) builders: usize,
}

/// Documents the client module `file`: every builder's setters (`new`
/// becomes `pub(crate)`: only the `Client` method calls it), typify's
/// conversion error, and hides progenitor's `ClientInfo` and `ClientHooks`
/// impls, which the hand-written layer uses and users never call.
pub(crate) fn document_client(
    file: &mut syn::File,
    docs: &BTreeMap<String, OperationDocs>,
    value_names: &ValueNames,
) -> ClientDocs {
    let mut changed = ClientDocs::default();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let Some((trait_path, _)) = &block.trait_ else {
            continue;
        };
        let name = trait_path
            .segments
            .last()
            .map(|last| last.ident.to_string());
        if matches!(name.as_deref(), Some("ClientInfo" | "ClientHooks")) {
            block.attrs.push(parse_quote!(#[doc(hidden)]));
            changed.hidden_impls += 1;
        }
    }
    if let Some(items) = module(&mut file.items, "builder") {
        for item in items {
            let Item::Impl(block) = item else { continue };
            if block.trait_.is_some() {
                continue;
            }
            let Some(operation) = self_name(block).and_then(|name| docs.get(&name)) else {
                continue;
            };
            for member in &mut block.items {
                let ImplItem::Fn(function) = member else {
                    continue;
                };
                let name = function.sig.ident.to_string();
                if name == "new" {
                    function.vis = parse_quote!(pub(crate));
                    continue;
                }
                if documented(&function.attrs)
                    || !matches!(function.vis, syn::Visibility::Public(_))
                {
                    continue;
                }
                let text = match name.as_str() {
                    "body" => match &operation.body {
                        Some(body) => format!("The request body: {body}"),
                        None => "The request body.".to_owned(),
                    },
                    "body_map" => "Changes the request body field by field, through the \
                                   builder of its type, starting from what `body` set (or \
                                   from nothing): `.body_map(|body| body.name(\"…\"))`."
                        .to_owned(),
                    _ => match operation.parameters.get(&name) {
                        Some(ParameterDocs {
                            text,
                            required: true,
                            ..
                        }) => format!(
                            "{text}\n\nRequired: without it, `send()` fails before sending \
                             anything."
                        ),
                        Some(parameter) => parameter.text.clone(),
                        None => format!("Sets `{name}`."),
                    },
                };
                doc(&mut function.attrs, &text);
            }
            changed.builders += 1;
        }
    }
    if let Some(types) = module(&mut file.items, "types") {
        for item in types.iter_mut() {
            match item {
                Item::Enum(enumeration) => document_variants(enumeration, value_names),
                Item::Struct(structure) => document_extra_fields(structure),
                _ => {}
            }
        }
    }
    if let Some(types) = module(&mut file.items, "types")
        && let Some(error) = types.iter_mut().find_map(|item| match item {
            Item::Mod(module) if module.ident == "error" => Some(module),
            _ => None,
        })
    {
        if !documented(&error.attrs) {
            doc(
                &mut error.attrs,
                "Why a value does not convert into one of the [`types`](super).",
            );
        }
        if let Some((_, items)) = &mut error.content {
            for item in items {
                if let Item::Struct(conversion) = item
                    && conversion.ident == "ConversionError"
                    && !documented(&conversion.attrs)
                {
                    doc(
                        &mut conversion.attrs,
                        "A value that does not fit its type: a string too long, too short or \
                         not matching its pattern, a number out of range, or a value the \
                         type's enum does not list. Its `Display` says which.",
                    );
                }
            }
        }
    }
    changed
}

/// Documents the map typify flattens into a struct for the fields its
/// schema does not list (`additionalProperties`), the one field the spec
/// has no description for.
fn document_extra_fields(structure: &mut syn::ItemStruct) {
    for field in &mut structure.fields {
        let flattened = field.attrs.iter().any(|attr| {
            attr.path().is_ident("serde")
                && quote::ToTokens::to_token_stream(&attr.meta)
                    .to_string()
                    .contains("flatten")
        });
        if flattened && !documented(&field.attrs) {
            doc(
                &mut field.attrs,
                "The fields of the object that the spec does not list, as sent.",
            );
        }
    }
}

/// Documents each variant of one of typify's enums that has no docs: a
/// string enum's by the value PostHog writes (`#[serde(rename = "…")]`, else
/// the variant's name); an open enum's two (`prepare`'s `Known | Other`) by
/// what each holds.
fn document_variants(enumeration: &mut syn::ItemEnum, value_names: &ValueNames) {
    for variant in &mut enumeration.variants {
        if documented(&variant.attrs) {
            continue;
        }
        let renamed = serde_rename(&variant.attrs);
        let held = match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                Some(quote::ToTokens::to_token_stream(&fields.unnamed[0].ty).to_string())
            }
            _ => None,
        };
        let text = match (renamed, held, variant.ident.to_string().as_str()) {
            (Some(value), _, _) => format!("`{}`", value_names.real(&value)),
            (None, Some(_), "Known") => "A value this client knows.".to_owned(),
            (None, Some(_), "Other") => {
                "A value this client does not know yet, as PostHog sent it.".to_owned()
            }
            (None, Some(held), _) => format!("A `{}`.", held.replace(' ', "")),
            (None, None, name) => format!("`{name}`"),
        };
        doc(&mut variant.attrs, &text);
    }
}

/// Documents the typed-mock module `file`: each operation's `When` and
/// `Then` wrappers and their methods, and each `MockServerExt` method.
/// Returns how many operations' wrappers it documented.
pub(crate) fn document_mocks(
    file: &mut syn::File,
    docs: &BTreeMap<String, OperationDocs>,
) -> usize {
    let by_method: BTreeMap<&str, &OperationDocs> = docs
        .values()
        .map(|operation| (operation.method.as_str(), operation))
        .collect();
    let mut documented_operations = 0;
    if let Some(items) = module(&mut file.items, "operations") {
        for item in items {
            match item {
                Item::Struct(wrapper) => {
                    let name = wrapper.ident.to_string();
                    let Some((builder, side)) = wrapper_of(&name) else {
                        continue;
                    };
                    let Some(operation) = docs.get(builder) else {
                        continue;
                    };
                    if documented(&wrapper.attrs) {
                        continue;
                    }
                    let method = &operation.method;
                    let text = match side {
                        Side::When => format!(
                            "What a request of [`Client::{method}`](crate::Client::{method}) \
                             must be for the mock to answer it: `{}`, and what its methods add.",
                            operation.request
                        ),
                        Side::Then => format!(
                            "How the mock answers a request of \
                             [`Client::{method}`](crate::Client::{method}): one of the answers \
                             the spec documents."
                        ),
                    };
                    doc(&mut wrapper.attrs, &text);
                    if side == Side::When {
                        documented_operations += 1;
                    }
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    let Some(name) = self_name(block) else {
                        continue;
                    };
                    let Some((builder, side)) = wrapper_of(&name) else {
                        continue;
                    };
                    let Some(operation) = docs.get(builder) else {
                        continue;
                    };
                    for member in &mut block.items {
                        let ImplItem::Fn(function) = member else {
                            continue;
                        };
                        if documented(&function.attrs) {
                            continue;
                        }
                        let text = mock_method_doc(function, side, operation);
                        doc(&mut function.attrs, &text);
                    }
                }
                _ => {}
            }
        }
    }
    for item in &mut file.items {
        let Item::Trait(extension) = item else {
            continue;
        };
        if !documented(&extension.attrs) {
            doc(
                &mut extension.attrs,
                "A typed mock of each operation on an httpmock `MockServer`: \
                 `server.session_recording_playlists_list(|when, then| …)`, with `when` \
                 offering the operation's parameters and body, `then` its documented answers.",
            );
        }
        for member in &mut extension.items {
            let syn::TraitItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let Some(operation) = by_method.get(name.as_str()) else {
                continue;
            };
            if !documented(&function.attrs) {
                doc(
                    &mut function.attrs,
                    &format!(
                        "Mocks [`Client::{name}`](crate::Client::{name}) (`{}`): `config_fn` \
                         gets what a request must be (`When`) and how to answer it (`Then`).",
                        operation.request
                    ),
                );
            }
        }
    }
    documented_operations
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    When,
    Then,
}

/// `("SessionRecordingPlaylistsList", When)` for
/// `SessionRecordingPlaylistsListWhen`.
fn wrapper_of(name: &str) -> Option<(&str, Side)> {
    name.strip_suffix("When")
        .map(|builder| (builder, Side::When))
        .or_else(|| {
            name.strip_suffix("Then")
                .map(|builder| (builder, Side::Then))
        })
}

/// The doc of one method of a mock wrapper.
fn mock_method_doc(function: &syn::ImplItemFn, side: Side, operation: &OperationDocs) -> String {
    let name = function.sig.ident.to_string();
    let inner = match side {
        Side::When => "When",
        Side::Then => "Then",
    };
    match name.as_str() {
        "new" => format!(
            "Wraps httpmock's `{inner}`{}.",
            match side {
                Side::When => ", matching the operation's method and path",
                Side::Then => "",
            }
        ),
        "into_inner" => {
            format!("httpmock's `{inner}` underneath, to set what this wrapper has no method for.")
        }
        _ if side == Side::When => match operation.parameters.get(&name) {
            Some(parameter) => {
                format!(
                    "Matches requests whose `{name}` is `value`. {}",
                    parameter.text
                )
            }
            None if name == "body" => "Matches requests with this JSON body.".to_owned(),
            None => format!("Matches requests by `{name}`."),
        },
        _ => {
            let tokens = quote::ToTokens::to_token_stream(&function.block).to_string();
            let status = tokens
                .split_once(". status (")
                .and_then(|(_, rest)| rest.split_once("u16"))
                .map(|(status, _)| status.trim().to_owned());
            let takes_value = function.sig.inputs.len() > 1;
            let body = if takes_value {
                " with `value` as its JSON body"
            } else {
                ""
            };
            match status {
                Some(status) => {
                    let said = operation
                        .responses
                        .get(&status)
                        .filter(|text| !text.is_empty())
                        .map(|text| format!(": {text}"))
                        .unwrap_or_default();
                    format!("Answers `{status}`{body}{said}")
                }
                None => format!("Answers{body}."),
            }
        }
    }
}

/// Documents the command-line module `file`: `Cli`, its commands and runs
/// by operation, the `CliConfig` hooks and the `CliCommand` of each
/// operation. Returns how many operations' items it documented.
pub(crate) fn document_cli(file: &mut syn::File, docs: &BTreeMap<String, OperationDocs>) -> usize {
    let link = |method: &str| format!("[`Client::{method}`]");
    let by_method: BTreeMap<&str, &OperationDocs> = docs
        .values()
        .map(|operation| (operation.method.as_str(), operation))
        .collect();
    let of_operation = |name: &str, prefix: &str| {
        name.strip_prefix(prefix)
            .filter(|method| by_method.contains_key(method))
            .map(str::to_owned)
    };
    let mut commands = 0;
    for item in &mut file.items {
        match item {
            Item::Struct(structure)
                if structure.ident == "Cli" && !documented(&structure.attrs) =>
            {
                doc(
                    &mut structure.attrs,
                    "The command line of every operation: a subcommand each, parsed with \
                     clap, sent through a [`Client`], its outcome reported \
                     through a [`CliConfig`].",
                );
            }
            Item::Impl(block) if block.trait_.is_none() => {
                let name = self_name(block).unwrap_or_default();
                for member in &mut block.items {
                    let ImplItem::Fn(function) = member else {
                        continue;
                    };
                    if documented(&function.attrs)
                        || !matches!(function.vis, syn::Visibility::Public(_))
                    {
                        continue;
                    }
                    let fn_name = function.sig.ident.to_string();
                    let text = if let Some(method) = of_operation(&fn_name, "cli_") {
                        commands += 1;
                        format!(
                            "The subcommand of {}: its arguments and help.",
                            link(&method)
                        )
                    } else if let Some(method) = of_operation(&fn_name, "execute_") {
                        format!(
                            "Runs {} with the arguments `matches` holds, and reports the \
                             outcome.",
                            link(&method)
                        )
                    } else {
                        match (name.as_str(), fn_name.as_str()) {
                            ("Cli", "new") => "A command line that sends through `client` and \
                                               reports through `config`."
                                .to_owned(),
                            ("Cli", "get_command") => "The clap command of `cmd`.".to_owned(),
                            ("Cli", "execute") => "Runs the subcommand `cmd` with the \
                                                   arguments `matches` holds."
                                .to_owned(),
                            ("Cli", "json_body_schema") => "The JSON Schema of the body \
                                                            `--json-body` takes for `cmd`, \
                                                            if it takes one."
                                .to_owned(),
                            ("CliCommand", "iter") => {
                                "Every subcommand, in the spec's order.".to_owned()
                            }
                            ("CliCommand", "operation_id") => {
                                "The operationId of the operation the subcommand runs.".to_owned()
                            }
                            _ => continue,
                        }
                    };
                    doc(&mut function.attrs, &text);
                }
            }
            Item::Trait(config) if config.ident == "CliConfig" => {
                if !documented(&config.attrs) {
                    doc(
                        &mut config.attrs,
                        "What the command line does with each outcome, and with each \
                         request before it is sent; the `posthog` binary implements it.",
                    );
                }
                for member in &mut config.items {
                    let syn::TraitItem::Fn(function) = member else {
                        continue;
                    };
                    if documented(&function.attrs) {
                        continue;
                    }
                    let fn_name = function.sig.ident.to_string();
                    let text = match of_operation(&fn_name, "execute_") {
                        Some(method) => format!(
                            "Changes the request of {} before it is sent, from the \
                             arguments `matches` holds.",
                            link(&method)
                        ),
                        None => match fn_name.as_str() {
                            "success_item" => "Reports an answer with a body.",
                            "success_no_item" => "Reports an answer without a body.",
                            "error" => "Reports a call that failed.",
                            "list_start" => "Starts reporting a listing that runs across pages.",
                            "list_item" => "Reports one item of a listing.",
                            "list_end_success" => "Ends a listing that reached its last page.",
                            "list_end_error" => "Ends a listing that failed on a page.",
                            _ => continue,
                        }
                        .to_owned(),
                    };
                    doc(&mut function.attrs, &text);
                }
            }
            Item::Enum(command) if command.ident == "CliCommand" => {
                if !documented(&command.attrs) {
                    doc(&mut command.attrs, "A subcommand: one per operation.");
                }
                for variant in &mut command.variants {
                    let Some(operation) = docs.get(&variant.ident.to_string()) else {
                        continue;
                    };
                    if !documented(&variant.attrs) {
                        doc(&mut variant.attrs, &link(&operation.method));
                    }
                }
            }
            _ => {}
        }
    }
    commands
}
