//! Rewrites of progenitor's command line (`Cli`, `CliConfig`,
//! `CliCommand`), beside the client's and the mocks' in the parent module.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{FnArg, ImplItem, Item, TraitItem, Type, parse_quote};

use super::{is, replace_runs};

/// **The CLI reports the typed error.** progenitor's `CliConfig` takes
/// `&progenitor_client::Error<T>`, but the rewritten `send()` returns
/// `crate::Error`, which has already read the error body the CLI prints:
///
/// ```text
/// fn error(&self, value: &crate::Error);
/// fn list_end_error(&self, value: &crate::Error);
/// ```
pub(crate) fn type_cli_errors(file: &mut syn::File) {
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
pub(crate) fn cli_answers_without_json(file: &mut syn::File, websockets: &[String]) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let Some(operation) = name.strip_prefix("execute_") else {
                continue;
            };
            let answer = if websockets.iter().any(|websocket| websocket == operation) {
                let message = format!(
                    "`{operation}` opens a websocket, which the command line cannot hold; call `Client::{operation}` from Rust"
                );
                quote::quote!(Ok(_) => { Err(anyhow::anyhow!(#message)) })
            } else {
                quote::quote!(Ok(r) => {
                    let status = r.status();
                    let headers = r.headers().clone();
                    let body = ::futures_util::TryStreamExt::try_fold(
                        r.into_inner_stream(),
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

/// What `--json-body-template` says it does, in place of progenitor's
/// placeholder help.
pub(crate) const JSON_BODY_TEMPLATE_HELP: &str =
    "Print a template of the JSON body `--json-body` takes, then exit; sends nothing";

/// **`--json-body-template` prints a template and sends nothing.**
/// progenitor adds the flag to every command with a JSON body, with the
/// help "XXX", and never reads it, so the command runs as if it were not
/// there. This pass gives the flag its help, lets it stand without the
/// command's required arguments, and adds the one thing a caller needs to
/// honour it, the body's JSON Schema per command:
///
/// ```text
/// .required(true)  →  .required_unless_present("json-body-template")   (in commands with a body)
///
/// pub fn json_body_schema(cmd: CliCommand) -> Option<::schemars::schema::RootSchema> {
///     match cmd { CliCommand::XCreate => Some(::schemars::schema_for!(types::XCreate)), _ => None }
/// }
/// ```
///
/// Returns how many commands got a template.
pub(crate) fn json_body_templates(file: &mut syn::File) -> usize {
    let mut templated = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let is_cli = matches!(&*block.self_ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "Cli"));
        if block.trait_.is_some() || !is_cli {
            continue;
        }
        let mut bodies = Vec::new();
        let mut variants = Vec::new();
        for member in &block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let leaves = leaves(quote::ToTokens::to_token_stream(&function.block));
            if let Some(operation) = name.strip_prefix("execute_") {
                if let Some(body) = body_type(&leaves) {
                    bodies.push((operation.to_owned(), body));
                }
            } else if name == "get_command" {
                variants = command_variants(&leaves);
            }
        }
        let mut arms = Vec::new();
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let Some(operation) = name.strip_prefix("cli_") else {
                continue;
            };
            let Some((_, body)) = bodies.iter().find(|(with_body, _)| with_body == operation)
            else {
                continue;
            };
            let Some((variant, _)) = variants.iter().find(|(_, command)| command == operation)
            else {
                continue;
            };
            let tokens = template_flag(quote::ToTokens::to_token_stream(&function.block));
            let Ok(rewritten) = syn::parse2(tokens) else {
                continue;
            };
            function.block = rewritten;
            arms.push(quote::quote!(CliCommand::#variant => Some(::schemars::schema_for!(#body)),));
            templated += 1;
        }
        // When every command takes a body, a catch-all arm is unreachable
        // (rustc warns).
        let others =
            (arms.len() < variants.len() || variants.is_empty()).then(|| quote::quote!(_ => None,));
        block.items.push(parse_quote! {
            /// The JSON Schema of the body `--json-body` takes for `cmd`, or
            /// `None` when it takes none: what `--json-body-template` prints a
            /// template of.
            pub fn json_body_schema(cmd: CliCommand) -> Option<::schemars::schema::RootSchema> {
                match cmd {
                    #(#arms)*
                    #others
                }
            }
        });
    }
    templated
}

/// **`-h` is short, `--help` is whole.** progenitor gives each command
/// its summary and description as one `about`, and each argument its whole
/// description as `help`, so `-h` prints pages. This pass keeps the whole
/// text for `--help` and gives `-h` the first line: a command's summary,
/// an argument's first sentence.
///
/// ```text
/// .about("Summary\n\nDescription…")  →  .about("Summary").long_about("Summary\n\nDescription…")
/// .help("First. Second (citation).")   →  .help("First.").long_help("First. Second (citation).")
/// ```
pub(crate) fn short_cli_help(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            if !function.sig.ident.to_string().starts_with("cli_") {
                continue;
            }
            let tokens = replace_runs(
                quote::ToTokens::to_token_stream(&function.block),
                &mut |rest| {
                    let [TokenTree::Ident(method), TokenTree::Group(argument), ..] = rest else {
                        return None;
                    };
                    let long = if method == "about" {
                        "long_about"
                    } else if method == "help" {
                        "long_help"
                    } else {
                        return None;
                    };
                    let text = syn::parse2::<syn::LitStr>(argument.stream()).ok()?.value();
                    let short = if method == "about" {
                        text.split("\n\n").next().unwrap_or(&text)
                    } else {
                        first_sentence(&text)
                    };
                    if short == text {
                        return None;
                    }
                    let long = quote::format_ident!("{long}");
                    Some((quote::quote!(#method(#short).#long(#text)), 2))
                },
            );
            if let Ok(rewritten) = syn::parse2(tokens) {
                function.block = rewritten;
            }
        }
    }
}

/// `text` up to the end of its first sentence (a `.` before a space).
fn first_sentence(text: &str) -> &str {
    text.match_indices(". ")
        .next()
        .map_or(text, |(end, _)| &text[..=end])
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

/// The `T` of `serde_json::from_str::<T>` in an `execute_*` body.
fn body_type(leaves: &[TokenTree]) -> Option<TokenStream> {
    let start = leaves.windows(4).position(|run| {
        is(&run[0], "from_str") && is(&run[1], ":") && is(&run[2], ":") && is(&run[3], "<")
    })?;
    let mut depth = 0usize;
    let mut body = TokenStream::new();
    for tree in &leaves[start + 4..] {
        if is(tree, "<") {
            depth += 1;
        } else if is(tree, ">") {
            if depth == 0 {
                return Some(body);
            }
            depth -= 1;
        }
        body.extend([tree.clone()]);
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

/// A command's builder with `--json-body-template` documented and its
/// required arguments waived when the flag is given.
fn template_flag(tokens: TokenStream) -> TokenStream {
    replace_runs(tokens, &mut |rest| match rest {
        [TokenTree::Literal(literal), ..] if literal.to_string() == "\"XXX\"" => {
            Some((quote::quote!(#JSON_BODY_TEMPLATE_HELP), 1))
        }
        [required, TokenTree::Group(argument), ..]
            if is(required, "required")
                && argument.delimiter() == Delimiter::Parenthesis
                && argument.stream().to_string() == "true" =>
        {
            Some((
                quote::quote!(required_unless_present("json-body-template")),
                2,
            ))
        }
        _ => None,
    })
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
    let [
        colon1,
        colon2,
        clap,
        colon3,
        colon4,
        parser,
        bang,
        TokenTree::Group(arguments),
        ..,
    ] = trees
    else {
        return None;
    };
    let is = |tree: &TokenTree, text: &str| tree.to_string() == text;
    if !(is(colon1, ":")
        && is(colon2, ":")
        && is(clap, "clap")
        && is(colon3, ":")
        && is(colon4, ":")
        && is(parser, "value_parser")
        && is(bang, "!"))
    {
        return None;
    }
    let inner: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let prefix = [":", ":", "std", ":", ":", "vec", ":", ":", "Vec", "<"];
    let (last, middle) = inner.split_last()?;
    let starts =
        middle.len() > prefix.len() && prefix.iter().zip(middle).all(|(text, tree)| is(tree, text));
    (starts && is(last, ">")).then(|| middle[prefix.len()..].iter().cloned().collect())
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
