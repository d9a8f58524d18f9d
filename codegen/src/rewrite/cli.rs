//! Rewrites of progenitor's command line (`Cli`, `CliConfig`,
//! `CliCommand`): what reaches PostHog is exactly what the user asked for,
//! and what `--help` says is written for someone at a shell.
//!
//! Each job has its file: [`body`] builds a body as JSON with the flags
//! over it and shows what is required in the usage lines; [`help`] writes
//! `--help` for a shell user. Here: the facts they read, what every
//! command's answer does (typed errors, a body that is not JSON), and the
//! token walks they share.

mod body;
mod help;

use std::collections::BTreeMap;

use heck::ToKebabCase;
use openapiv3::OpenAPI;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{FnArg, ImplItem, ImplItemFn, Item, TraitItem, parse_quote};

use self::body::json_bodies;
use self::help::help_for_shell_users;
use super::{after, is, replace_runs};
use crate::{model, reading};

/// What the command-line rewrites need of the document progenitor was
/// given, read once.
#[derive(Debug, Default)]
pub(crate) struct CliFacts {
    /// The Rust names of the operations that open a websocket.
    websockets: Vec<String>,
    /// The properties of each operation's request body, by Rust name.
    bodies: BTreeMap<String, Vec<BodyField>>,
}

/// One property of a request body, under each of its names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BodyField {
    /// As JSON, and PostHog, name it: `_create_in_folder`.
    json: String,
    /// typify's field, which is its builder's method: `create_in_folder`.
    field: String,
    /// progenitor's flag for it: `create-in-folder`.
    flag: String,
    /// Whether the body's schema requires it.
    required: bool,
    /// The spec's description.
    description: Option<String>,
}

impl CliFacts {
    /// The facts of `document`, the one progenitor generates the CLI from.
    pub(crate) fn of(document: &OpenAPI) -> Result<Self, String> {
        let websockets = document
            .operations()
            .filter(|(_, _, operation)| {
                operation
                    .extensions
                    .contains_key(reading::WEBSOCKET_EXTENSION)
            })
            .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
            .map(reading::method_name)
            .collect();
        let tree = serde_json::to_value(document)
            .map_err(|error| format!("the prepared document does not serialize ({error})"))?;
        let mut bodies = BTreeMap::new();
        for operation in model::model(&tree).operations {
            let (Some(id), Some(body)) = (operation.id, operation.request_body) else {
                continue;
            };
            let Some(schema) = body.media().and_then(|(_, media)| media.get("schema")) else {
                continue;
            };
            let fields = model::properties(&tree, schema)
                .into_iter()
                .map(|property| {
                    // progenitor's flag is typify's field in kebab case
                    // (progenitor-impl 0.15, `cli_method_body_arg`).
                    let field = reading::field_name(property.name);
                    BodyField {
                        json: property.name.to_owned(),
                        flag: field.to_kebab_case(),
                        field,
                        required: property.required,
                        description: property
                            .schema
                            .get("description")
                            .and_then(serde_json::Value::as_str)
                            .map(str::to_owned),
                    }
                })
                .collect();
            bodies.insert(reading::method_name(id), fields);
        }
        Ok(Self { websockets, bodies })
    }
}

/// What progenitor's `--json-body-template` prints for every body;
/// `json_bodies` puts the help that says what the flag does there.
const PROGENITOR_TEMPLATE_VALUE: &str = "XXX";

/// Whether `tree` is a string literal holding `value`, however it is
/// spelled (`"XXX"`, `r"XXX"`).
fn is_string(tree: &TokenTree, value: &str) -> bool {
    let TokenTree::Literal(literal) = tree else {
        return false;
    };
    syn::parse_str::<syn::LitStr>(&literal.to_string()).is_ok_and(|text| text.value() == value)
}

/// Every rewrite of the command line, in order. An error means
/// progenitor's output is not of the shape they expect.
pub(crate) fn rewrite_cli(file: &mut syn::File, facts: &CliFacts) -> Result<(), String> {
    answers_without_json(file, &facts.websockets);
    typed_errors(file);
    json_bodies(file, facts);
    help_for_shell_users(file);
    let tokens = quote::ToTokens::to_token_stream(&*file);
    if leaves(tokens)
        .iter()
        .any(|leaf| is_string(leaf, PROGENITOR_TEMPLATE_VALUE))
    {
        return Err("progenitor's `--json-body-template` flag was not rewritten; its output changed shape, so update codegen/src/rewrite/cli/body.rs".into());
    }
    Ok(())
}

/// **The CLI reports the typed error.** progenitor's `CliConfig` takes
/// `&progenitor_client::Error<T>`, but the rewritten `send()` returns
/// `crate::Error`, which has already read the error body the CLI prints:
///
/// ```text
/// fn error(&self, value: &crate::Error);
/// fn list_end_error(&self, value: &crate::Error);
/// ```
fn typed_errors(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Trait(config) = item else { continue };
        if config.ident != "CliConfig" {
            continue;
        }
        for item in &mut config.items {
            let TraitItem::Fn(function) = item else {
                continue;
            };
            if function.sig.ident != "error" && function.sig.ident != "list_end_error" {
                continue;
            }
            function.sig.generics = syn::Generics::default();
            if let Some(FnArg::Typed(value)) = function.sig.inputs.iter_mut().nth(1) {
                *value.ty = parse_quote!(&crate::Error);
            }
        }
    }
}

/// **A command whose answer is not JSON prints it, never panics.**
/// progenitor's CLI leaves a command whose success is raw bytes (a file, a
/// `text/html` page, successes of different bodies) or an upgraded
/// connection as `todo!()`, which panics after the request succeeded. A
/// raw body is read and printed as the JSON it is, else as text; an
/// upgrade, which the command line cannot hold, is an error that says so
/// (`websockets` holds those commands' Rust names):
///
/// ```text
/// Ok(r) => { todo!() }
/// →
/// Ok(r) => { let body = …read r…; self.config.success_item(&ResponseValue::new(json or text, status, headers)); Ok(()) }
/// Ok(_) => { Err(anyhow::anyhow!("… opens a websocket, which the command line cannot hold …")) }
/// ```
fn answers_without_json(file: &mut syn::File, websockets: &[String]) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for (operation, function) in methods(block, "execute_") {
            let answer = if websockets.contains(&operation) {
                let message = format!(
                    "`{operation}` opens a websocket, which the command line cannot hold; call `Client::{operation}` from Rust"
                );
                quote::quote!(Ok(_) => { Err(anyhow::anyhow!(#message)) })
            } else {
                quote::quote!(Ok(r) => {
                    let status = r.status();
                    let headers = r.headers().clone();
                    let body = ::futures_util::TryStreamExt::try_fold(
                        r.into_inner().into_inner(),
                        ::std::vec::Vec::new(),
                        |mut body, chunk| async move {
                            body.extend_from_slice(&chunk);
                            Ok(body)
                        },
                    )
                    .await?;
                    let value = ::serde_json::from_slice::<::serde_json::Value>(&body)
                        .unwrap_or_else(|_| {
                            ::serde_json::Value::String(
                                ::std::string::String::from_utf8_lossy(&body).into_owned(),
                            )
                        });
                    self.config
                        .success_item(&ResponseValue::new(value, status, headers));
                    Ok(())
                })
            };
            let tokens = replace_runs(
                quote::ToTokens::to_token_stream(&function.block),
                &mut |rest| match rest {
                    [ok, TokenTree::Group(r), eq, gt, TokenTree::Group(arm), ..]
                        if is(ok, "Ok")
                            && r.stream().to_string() == "r"
                            && is(eq, "=")
                            && is(gt, ">")
                            && arm.delimiter() == Delimiter::Brace
                            && arm.stream().to_string().replace(' ', "") == "todo!()" =>
                    {
                        Some((answer.clone(), 5))
                    }
                    _ => None,
                },
            );
            if let Ok(rewritten) = syn::parse2(tokens) {
                function.block = rewritten;
            }
        }
    }
}

/// The tokens of `tokens` at every depth, groups opened.
fn leaves(tokens: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => out.extend(leaves(group.stream())),
            other => out.push(other),
        }
    }
    out
}

/// The `T` of the first `name::<T>` in `tokens`, at any depth, with its
/// groups kept.
fn turbofish(tokens: TokenStream, name: &str) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            if let Some(found) = turbofish(group.stream(), name) {
                return Some(found);
            }
            continue;
        }
        let [named, colon1, colon2, open, rest @ ..] = &trees[index..] else {
            continue;
        };
        if !(is(named, name) && is(colon1, ":") && is(colon2, ":") && is(open, "<")) {
            continue;
        }
        let mut depth = 0usize;
        let mut found = TokenStream::new();
        for tree in rest {
            if is(tree, "<") {
                depth += 1;
            } else if is(tree, ">") {
                if depth == 0 {
                    return Some(found);
                }
                depth -= 1;
            }
            found.extend([tree.clone()]);
        }
        return None;
    }
    None
}

/// `(variant, operation)` for each arm `CliCommand::V => Self::cli_operation()`
/// of `get_command`.
fn command_variants(leaves: &[TokenTree]) -> Vec<(proc_macro2::Ident, String)> {
    let mut found = Vec::new();
    for (index, run) in leaves.windows(4).enumerate() {
        let (true, true, true, TokenTree::Ident(variant)) = (
            is(&run[0], "CliCommand"),
            is(&run[1], ":"),
            is(&run[2], ":"),
            &run[3],
        ) else {
            continue;
        };
        let command = leaves[index + 4..].iter().find_map(|tree| match tree {
            TokenTree::Ident(ident) => ident.to_string().strip_prefix("cli_").map(str::to_owned),
            _ => None,
        });
        if let Some(command) = command {
            found.push((variant.clone(), command));
        }
    }
    found
}

/// **List parameters in the CLI.** progenitor asks clap to parse a list
/// query parameter as a whole `Vec<T>`, which clap cannot; the arg's help
/// already says "Multiple values may be separated by commas", so the
/// parser becomes a function that does that, reading each value as JSON
/// or else as text (`--id-in 1f0…,2e9…`, `--properties '{"key": …}'`):
///
/// ```text
/// .value_parser(::clap::value_parser!(::std::vec::Vec<T>))  →  .value_parser(parse_list::<T>)
/// ```
///
/// The function is added to the file when some arg needs it.
pub(crate) fn parse_cli_lists(tokens: TokenStream) -> TokenStream {
    let mut used = false;
    let tokens = replace_list_parsers(tokens, &mut used);
    if !used {
        return tokens;
    }
    let helper = quote::quote! {
        /// Reads a list argument: values separated by commas, each read as
        /// JSON, or else as text.
        fn parse_list<T: ::serde::de::DeserializeOwned>(
            value: &str,
        ) -> ::std::result::Result<::std::vec::Vec<T>, ::std::string::String> {
            value
                .split(',')
                .map(|item| {
                    ::serde_json::from_str(item)
                        .or_else(|_| {
                            ::serde_json::from_value(::serde_json::Value::String(item.to_owned()))
                        })
                        .map_err(|error| format!("`{item}`: {error}"))
                })
                .collect()
        }
    };
    tokens.into_iter().chain(helper).collect()
}

fn replace_list_parsers(tokens: TokenStream, used: &mut bool) -> TokenStream {
    replace_runs(tokens, &mut |rest| {
        let element = list_parser_at(rest)?;
        *used = true;
        Some((quote::quote!(parse_list::<#element>), 8))
    })
}

/// The `T` of `::clap::value_parser!(::std::vec::Vec<T>)` starting `trees`.
fn list_parser_at(trees: &[TokenTree]) -> Option<TokenStream> {
    let [TokenTree::Group(arguments), ..] =
        after(trees, &[":", ":", "clap", ":", ":", "value_parser", "!"])?
    else {
        return None;
    };
    let inner: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let (last, middle) = inner.split_last()?;
    let element = after(
        middle,
        &[":", ":", "std", ":", ":", "vec", ":", ":", "Vec", "<"],
    )?;
    (!element.is_empty() && is(last, ">")).then(|| element.iter().cloned().collect())
}

/// The methods of `block` named `{prefix}{operation}`, each with its
/// operation: progenitor's `Cli` has a `cli_*` and an `execute_*` method
/// for each.
fn methods<'a>(
    block: &'a mut syn::ItemImpl,
    prefix: &'a str,
) -> impl Iterator<Item = (String, &'a mut ImplItemFn)> {
    block
        .items
        .iter_mut()
        .filter_map(move |member| match member {
            ImplItem::Fn(function) => {
                let operation = function
                    .sig
                    .ident
                    .to_string()
                    .strip_prefix(prefix)?
                    .to_owned();
                Some((operation, function))
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::parse_cli_lists;

    fn compact(tokens: proc_macro2::TokenStream) -> String {
        tokens.to_string().split_whitespace().collect()
    }

    #[test]
    fn cli_lists_are_parsed_item_by_item() {
        let tokens = quote::quote! {
            impl Cli {
                fn cli_list() -> ::clap::Command {
                    ::clap::Arg::new("id-in").value_parser(::clap::value_parser!(::std::vec::Vec<::uuid::Uuid>))
                        .arg(::clap::Arg::new("limit").value_parser(::clap::value_parser!(i64)))
                }
            }
        };
        let rewritten = compact(parse_cli_lists(tokens));
        assert!(
            rewritten.contains(".value_parser(parse_list::<::uuid::Uuid>)"),
            "{rewritten}"
        );
        assert!(rewritten.contains("value_parser!(i64)"), "{rewritten}");
        assert!(rewritten.contains("fnparse_list<T:"), "{rewritten}");
        let untouched = quote::quote!(
            fn f() {
                ::clap::value_parser!(i64)
            }
        );
        assert_eq!(
            compact(parse_cli_lists(untouched.clone())),
            compact(untouched)
        );
    }
}
