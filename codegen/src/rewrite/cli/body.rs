//! **A body is `--json-body` with the flags over it.** progenitor sets
//! each body flag on the request, then lets `--json-body` replace the whole
//! body, so `--json-body b.json --name X` silently drops `X`, and a file
//! without a field that a flag gives cannot be read at all. Here every
//! command with a JSON body builds it as JSON first: the file's JSON (`{}`
//! without one), then each body flag given set over its field, named as
//! PostHog names it (`_create_in_folder`, not the flag's
//! `create-in-folder`); then `CliConfig::check_json_body` sees it (the
//! `posthog` binary refuses unknown fields and template placeholders
//! there); only then is it read as the body type, with an error that names
//! the field that does not fit. A body field progenitor gives no flag (an
//! object, free-form JSON) gets one that takes JSON or the path of a file
//! holding it (`--filters JSON|FILE`).
//!
//! ```text
//! if let Some(value) = matches.get_one::<String>("name") { request = request.body_map(|body| body.name(value.clone())) }
//! if let Some(value) = matches.get_one::<PathBuf>("json-body") { …; request = request.body(body_value); }
//! →
//! if let Some(mut body) = Self::json_body(CliCommand::XCreate, matches)? {
//!     self.config.check_json_body(CliCommand::XCreate, matches, &mut body)?;
//!     request = request.body(json_body_as::<types::XCreate>(body, matches)?);
//! }
//! ```
//!
//! **Usage lines show what is required.** progenitor marks a required body
//! field's flag `required_unless_present("json-body")`, which clap leaves
//! out of the usage line (`Usage: posthog x-create [OPTIONS]`). It becomes
//! a required group of the flag and `--json-body`, which clap shows:
//! `<--type <type>|--json-body <JSON-FILE>>`. `--json-body` itself is
//! required only when a required field has no flag.
//!

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use syn::{ImplItem, ImplItemFn, Item, parse_quote};

use super::{
    BodyField, CliFacts, PROGENITOR_TEMPLATE_VALUE, command_variants, is_string, leaves, methods,
    turbofish,
};
use crate::rewrite::{is, regroup, replace_runs, self_name};

/// What `--json-body` says it does, in place of progenitor's "Path to a
/// file that contains the full json body."
const JSON_BODY_HELP: &str =
    "A file of the JSON body to send; each body flag given too replaces its field";

/// What `--json-body-template` says it does, in place of progenitor's
/// placeholder help.
const JSON_BODY_TEMPLATE_HELP: &str = "Print a body for `--json-body`, each field a placeholder to replace or remove (flags given fill theirs), then exit; sends nothing";

/// What a flag that takes JSON shows as its value.
const JSON_VALUE_NAME: &str = "JSON|FILE";

/// A command's body flag, as `set_body_flags` reads it.
struct BodyFlag {
    /// The type clap parses the flag into.
    ty: TokenStream,
    /// The flag's name: `create-in-folder`.
    flag: String,
    /// The body field it sets: `_create_in_folder`.
    json: String,
}

/// What [`json_bodies`] learned of a command with a JSON body.
struct CommandBody {
    /// Its `CliCommand` variant.
    variant: proc_macro2::Ident,
    /// The Rust type of its body.
    body_type: TokenStream,
    /// Its body flags, progenitor's and the JSON ones added.
    flags: Vec<BodyFlag>,
    /// The fields that get a flag taking JSON.
    json_flags: Vec<BodyField>,
    /// The flags of required fields: each is required unless `--json-body`
    /// is given.
    required: Vec<String>,
    /// Whether `--json-body` itself is required: a required field has no
    /// flag. `None` when the body is not an object of known fields, whose
    /// flag progenitor decides.
    json_body_required: Option<bool>,
}

/// **Bodies are `--json-body` with the flags over it; required arguments
/// show.** See the module's docs. Adds to `Cli` `json_body_schema`,
/// `json_body` and `set_body_flags`, to `CliConfig` `check_json_body`, and
/// to the file the helpers they call.
pub(super) fn json_bodies(file: &mut syn::File, facts: &CliFacts) {
    let mut helpers: Vec<Item> = Vec::new();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || self_name(block).as_deref() != Some("Cli") {
            continue;
        }
        let variants: BTreeMap<String, proc_macro2::Ident> = block
            .items
            .iter()
            .filter_map(|member| match member {
                ImplItem::Fn(function) if function.sig.ident == "get_command" => Some(
                    command_variants(&leaves(quote::ToTokens::to_token_stream(&function.block))),
                ),
                _ => None,
            })
            .flatten()
            .map(|(variant, operation)| (operation, variant))
            .collect();
        let taken: BTreeMap<String, BTreeSet<String>> = methods(block, "cli_")
            .map(|(operation, function)| (operation, arg_names(&function.block)))
            .collect();
        let mut commands: BTreeMap<String, CommandBody> = BTreeMap::new();
        for (operation, function) in methods(block, "execute_") {
            let operation = operation.as_str();
            let (Some(variant), Some(taken)) = (variants.get(operation), taken.get(operation))
            else {
                continue;
            };
            let fields = facts.bodies.get(operation).map_or(&[][..], Vec::as_slice);
            if let Some(command) = body_from_json(function, variant, fields, taken) {
                commands.insert(operation.to_owned(), command);
            }
        }
        for (operation, function) in methods(block, "cli_") {
            let Some(command) = commands.get(&operation) else {
                continue;
            };
            let tokens = body_args(quote::ToTokens::to_token_stream(&function.block), command);
            if let Ok(rewritten) = syn::parse2(tokens) {
                function.block = rewritten;
            }
        }
        let commands: Vec<&CommandBody> = commands.values().collect();
        let every = !variants.is_empty() && commands.len() == variants.len();
        block.items.extend(body_functions(&commands, every));
        if !commands.is_empty() {
            helpers.push(json_body_as());
        }
        if commands
            .iter()
            .any(|command| !command.json_flags.is_empty())
        {
            helpers.push(parse_json_argument());
        }
    }
    for item in &mut file.items {
        if let Item::Trait(config) = item
            && config.ident == "CliConfig"
        {
            config.items.push(parse_quote! {
                /// Checks, and may complete, the JSON body of `cmd` (what
                /// `--json-body` holds, with the body flags given set over
                /// it) before it is read as the command's body type and
                /// sent; an error stops the command before any request.
                fn check_json_body(
                    &self,
                    cmd: CliCommand,
                    matches: &::clap::ArgMatches,
                    body: &mut ::serde_json::Value,
                ) -> anyhow::Result<()> {
                    Ok(())
                }
            });
        }
    }
    file.items.extend(helpers);
}

/// Rewrites `execute_*` `function` so its body is read as JSON with the
/// flags over it, or `None` when it reads no `--json-body`. A body flag
/// whose field `fields` does not name keeps progenitor's setter, moved
/// after the body so that it still wins.
fn body_from_json(
    function: &mut ImplItemFn,
    variant: &proc_macro2::Ident,
    fields: &[BodyField],
    taken: &BTreeSet<String>,
) -> Option<CommandBody> {
    let consumer = function.block.stmts.iter().position(|stmt| {
        let tokens = quote::ToTokens::to_token_stream(stmt);
        leaves(tokens.clone())
            .iter()
            .any(|leaf| is_string(leaf, "json-body"))
            && turbofish(tokens, "from_str").is_some()
    })?;
    let body_type = turbofish(
        quote::ToTokens::to_token_stream(&function.block.stmts[consumer]),
        "from_str",
    )?;
    let mut flags = Vec::new();
    let mut before = Vec::new();
    let mut unmapped = Vec::new();
    let mut after = Vec::new();
    for (index, stmt) in std::mem::take(&mut function.block.stmts)
        .into_iter()
        .enumerate()
    {
        if index == consumer {
            continue;
        }
        match body_flag(&stmt) {
            Some((ty, flag, method)) => match fields.iter().find(|field| field.field == method) {
                Some(field) => flags.push(BodyFlag {
                    ty,
                    flag,
                    json: field.json.clone(),
                }),
                None => unmapped.push(stmt),
            },
            None if index < consumer => before.push(stmt),
            None => after.push(stmt),
        }
    }
    let mut json_flags = Vec::new();
    for field in fields {
        let flagged = flags.iter().any(|flag| flag.json == field.json);
        // Two properties progenitor names alike (`a_b`, `a-b`) get one flag.
        let named = flags.iter().any(|flag| flag.flag == field.flag);
        if !flagged && !named && !taken.contains(&field.flag) && !is_body_flag_name(&field.flag) {
            json_flags.push(field.clone());
            flags.push(BodyFlag {
                ty: quote::quote!(::serde_json::Value),
                flag: field.flag.clone(),
                json: field.json.clone(),
            });
        }
    }
    let flag_of = |field: &BodyField| {
        flags
            .iter()
            .find(|flag| flag.json == field.json)
            .map(|flag| flag.flag.clone())
    };
    let required: Vec<String> = fields
        .iter()
        .filter(|field| field.required)
        .filter_map(flag_of)
        .collect();
    let json_body_required = (!fields.is_empty()).then(|| {
        fields
            .iter()
            .any(|field| field.required && flag_of(field).is_none())
    });
    let body: syn::Stmt = parse_quote! {
        if let Some(mut body) = Self::json_body(CliCommand::#variant, matches)? {
            self.config.check_json_body(CliCommand::#variant, matches, &mut body)?;
            request = request.body(json_body_as::<#body_type>(body, matches)?);
        }
    };
    function.block.stmts = before
        .into_iter()
        .chain([body])
        .chain(unmapped)
        .chain(after)
        .collect();
    Some(CommandBody {
        variant: variant.clone(),
        body_type,
        flags,
        json_flags,
        required,
        json_body_required,
    })
}

/// Whether `flag` is one progenitor gives every command with a body.
fn is_body_flag_name(flag: &str) -> bool {
    flag == "json-body" || flag == "json-body-template"
}

/// `(type, flag, builder method)` of progenitor's setter of a body field:
/// `if let Some(value) = matches.get_one::<T>("flag") { request = request.body_map(|body| { body.method(value.clone()) }) }`.
fn body_flag(stmt: &syn::Stmt) -> Option<(TokenStream, String, String)> {
    let tokens = quote::ToTokens::to_token_stream(stmt);
    let leaves = leaves(tokens.clone());
    if !leaves.iter().any(|leaf| is(leaf, "body_map")) {
        return None;
    }
    let ty = turbofish(tokens, "get_one")?;
    let get_one = leaves.iter().position(|leaf| is(leaf, "get_one"))?;
    let flag = leaves[get_one..].iter().find_map(|leaf| match leaf {
        TokenTree::Literal(literal) => syn::parse_str::<syn::LitStr>(&literal.to_string()).ok(),
        _ => None,
    })?;
    let method = leaves
        .windows(3)
        .rev()
        .filter(|run| is(&run[0], "body") && is(&run[1], "."))
        .find_map(|run| match &run[2] {
            TokenTree::Ident(method) => Some(method.to_string()),
            _ => None,
        })?;
    Some((ty, flag.value(), method))
}

/// The names of the args a `cli_*` function's command defines.
fn arg_names(block: &syn::Block) -> BTreeSet<String> {
    let leaves = leaves(quote::ToTokens::to_token_stream(block));
    (0..leaves.len())
        .filter_map(|start| arg_name(&leaves[start..]))
        .collect()
}

/// The name of the arg `::clap::Arg::new("name")` that `leaves` start with
/// (`::clap::` may be left out).
fn arg_name(leaves: &[TokenTree]) -> Option<String> {
    let leaves = match leaves {
        [colon1, colon2, clap, colon3, colon4, rest @ ..]
            if is(colon1, ":")
                && is(colon2, ":")
                && is(clap, "clap")
                && is(colon3, ":")
                && is(colon4, ":") =>
        {
            rest
        }
        _ => leaves,
    };
    let [arg, colon1, colon2, new, TokenTree::Literal(name), ..] = leaves else {
        return None;
    };
    if !(is(arg, "Arg") && is(colon1, ":") && is(colon2, ":") && is(new, "new")) {
        return None;
    }
    syn::parse_str::<syn::LitStr>(&name.to_string())
        .ok()
        .map(|name| name.value())
}

/// A `cli_*` function's command with `command`'s flags taking JSON added
/// before `--json-body`, a required group for each required field's flag
/// and `--json-body`, `--json-body` required only where it must be, and
/// both body flags' help said.
fn body_args(tokens: TokenStream, command: &CommandBody) -> TokenStream {
    let json_args: Vec<TokenStream> = command
        .json_flags
        .iter()
        .map(|field| {
            let flag = &field.flag;
            let help = field
                .description
                .as_deref()
                .map(|text| quote::quote!(.help(#text)));
            quote::quote! {
                .arg(
                    ::clap::Arg::new(#flag)
                        .long(#flag)
                        .value_name(#JSON_VALUE_NAME)
                        .value_parser(parse_json_argument)
                        .required(false)
                        #help
                )
            }
        })
        .collect();
    let mut json_args = Some(json_args);
    let tokens = replace_runs(tokens, &mut |rest| match rest {
        [dot, arg, TokenTree::Group(group), ..]
            if is(dot, ".")
                && is(arg, "arg")
                && arg_name(&leaves(group.stream())).as_deref() == Some("json-body") =>
        {
            let group = TokenTree::Group(regroup(
                group,
                json_body_arg(group.stream(), command.json_body_required),
            ));
            let added = json_args.take().unwrap_or_default();
            Some((quote::quote!(#(#added)* . arg #group), 3))
        }
        [required, TokenTree::Group(argument), ..]
            if is(required, "required_unless_present")
                && matches!(leaves(argument.stream()).as_slice(), [only] if is_string(only, "json-body")) =>
        {
            Some((quote::quote!(required(false)), 2))
        }
        [literal, ..] if is_string(literal, PROGENITOR_TEMPLATE_VALUE) => {
            Some((quote::quote!(#JSON_BODY_TEMPLATE_HELP), 1))
        }
        _ => None,
    });
    let groups = command.required.iter().map(|flag| {
        let id = format!("{flag}-or-json-body");
        quote::quote! {
            .group(
                ::clap::ArgGroup::new(#id)
                    .args([#flag, "json-body"])
                    .required(true)
                    .multiple(true)
            )
        }
    });
    // The function's block holds one expression, the command being built.
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if let Some(TokenTree::Group(block)) = trees.last_mut() {
        let stream: TokenStream = block
            .stream()
            .into_iter()
            .chain(quote::quote!(#(#groups)*))
            .collect();
        *block = regroup(block, stream);
    }
    trees.into_iter().collect()
}

/// The builder of `--json-body` (`::clap::Arg::new("json-body")…`) with its
/// help, and `required` as `required` says when it is known.
fn json_body_arg(tokens: TokenStream, required: Option<bool>) -> TokenStream {
    replace_runs(tokens, &mut |rest| match rest {
        [help, TokenTree::Group(_), ..] if is(help, "help") => {
            Some((quote::quote!(help(#JSON_BODY_HELP)), 2))
        }
        [flag, TokenTree::Group(_), ..] if is(flag, "required") => {
            required.map(|required| (quote::quote!(required(#required)), 2))
        }
        _ => None,
    })
}

/// `Cli`'s functions over the commands with a JSON body: `json_body_schema`
/// (what `--json-body-template` prints a template of), `json_body` and
/// `set_body_flags`. `every` says whether every command has one (then a
/// catch-all arm would be unreachable).
fn body_functions(commands: &[&CommandBody], every: bool) -> Vec<ImplItem> {
    let others = (!every).then(|| quote::quote!(_ => None,));
    let schemas = commands.iter().map(|command| {
        let (variant, body) = (&command.variant, &command.body_type);
        quote::quote!(CliCommand::#variant => Some(::schemars::schema_for!(#body)),)
    });
    let variants: Vec<&proc_macro2::Ident> =
        commands.iter().map(|command| &command.variant).collect();
    let takes_body = if commands.is_empty() {
        quote::quote!(return Ok(None);)
    } else if every {
        quote::quote!()
    } else {
        quote::quote! {
            match cmd {
                #(CliCommand::#variants)|* => {}
                _ => return Ok(None),
            }
        }
    };
    let flagged: Vec<&&CommandBody> = commands
        .iter()
        .filter(|command| !command.flags.is_empty())
        .collect();
    let set_flags = if flagged.is_empty() {
        quote::quote!(Ok(()))
    } else {
        let arms = flagged.iter().map(|command| {
            let variant = &command.variant;
            let sets = command.flags.iter().map(|flag| {
                let (ty, name, json) = (&flag.ty, &flag.flag, &flag.json);
                quote::quote! {
                    if let Some(value) = matches.get_one::<#ty>(#name) {
                        fields.insert(#json.to_owned(), ::serde_json::to_value(value)?);
                    }
                }
            });
            quote::quote!(CliCommand::#variant => { #(#sets)* })
        });
        let others = (flagged.len() < commands.len() || !every).then(|| quote::quote!(_ => {}));
        quote::quote! {
            let mut fields = ::serde_json::Map::new();
            match cmd {
                #(#arms)*
                #others
            }
            if fields.is_empty() {
                return Ok(());
            }
            let names: ::std::vec::Vec<::std::string::String> = fields.keys().cloned().collect();
            match body.as_object_mut() {
                Some(object) => {
                    object.extend(fields);
                    Ok(())
                }
                None => Err(anyhow::anyhow!(
                    "the JSON body is not an object, so flags cannot set its fields ({})",
                    names.join(", ")
                )),
            }
        }
    };
    vec![
        parse_quote! {
            /// The JSON Schema of the body `--json-body` takes for `cmd`, or
            /// `None` when it takes none: what `--json-body-template` prints a
            /// template of.
            pub fn json_body_schema(cmd: CliCommand) -> Option<::schemars::schema::RootSchema> {
                match cmd {
                    #(#schemas)*
                    #others
                }
            }
        },
        parse_quote! {
            /// The JSON body `cmd` sends for `matches`: what `--json-body`
            /// holds (`{}` without it), with each body flag given set over
            /// its field, so a flag wins over the file. `None` when `cmd`
            /// takes no JSON body.
            pub fn json_body(
                cmd: CliCommand,
                matches: &::clap::ArgMatches,
            ) -> anyhow::Result<Option<::serde_json::Value>> {
                #takes_body
                let mut body = match matches.get_one::<::std::path::PathBuf>("json-body") {
                    Some(path) => {
                        let text = ::std::fs::read_to_string(path)
                            .with_context(|| format!("failed to read {}", path.display()))?;
                        ::serde_json::from_str(&text)
                            .with_context(|| format!("failed to parse {}", path.display()))?
                    }
                    None => ::serde_json::Value::Object(::serde_json::Map::new()),
                };
                Self::set_body_flags(cmd, matches, &mut body)?;
                Ok(Some(body))
            }
        },
        parse_quote! {
            /// Sets on `body` each body field of `cmd` given as a flag in
            /// `matches`, over what `body` holds; the fields are named as
            /// the body's JSON names them.
            pub fn set_body_flags(
                cmd: CliCommand,
                matches: &::clap::ArgMatches,
                body: &mut ::serde_json::Value,
            ) -> anyhow::Result<()> {
                #set_flags
            }
        },
    ]
}

/// The function that reads a command's JSON body as its Rust type. serde
/// names no field when a value does not fit, so the field is found as the
/// one whose removal changes what serde says.
fn json_body_as() -> Item {
    parse_quote! {
        /// `body`, the JSON body of a command run with `matches`, as the
        /// command's body type `B`; an error names the field that does not
        /// fit, as a JSON pointer.
        fn json_body_as<B: ::serde::de::DeserializeOwned>(
            body: ::serde_json::Value,
            matches: &::clap::ArgMatches,
        ) -> anyhow::Result<B> {
            let complaint = match ::serde_json::from_value::<B>(body.clone()) {
                Ok(typed) => return Ok(typed),
                Err(error) => error.to_string(),
            };
            let culprit = body.as_object().and_then(|object| {
                object.keys().find(|key| {
                    let mut without = object.clone();
                    without.remove(key.as_str());
                    ::serde_json::from_value::<B>(::serde_json::Value::Object(without))
                        .err()
                        .map(|error| error.to_string())
                        != Some(complaint.clone())
                })
            });
            let body = match matches.try_get_one::<::std::path::PathBuf>("json-body") {
                Ok(Some(path)) => format!("the body from {}", path.display()),
                _ => "the body".to_owned(),
            };
            match culprit {
                Some(key) => Err(anyhow::anyhow!(
                    "{body} does not fit at `/{}`: {complaint}",
                    key.replace('~', "~0").replace('/', "~1")
                )),
                None => Err(anyhow::anyhow!("{body} does not fit: {complaint}")),
            }
        }
    }
}

/// The value parser of a flag that takes JSON.
fn parse_json_argument() -> Item {
    parse_quote! {
        /// Reads a flag that takes JSON: the JSON itself, or the path of a
        /// file that holds it.
        fn parse_json_argument(
            value: &str,
        ) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
            let not_json = match ::serde_json::from_str(value) {
                Ok(json) => return Ok(json),
                Err(error) => error,
            };
            if value.trim_start().starts_with(['{', '[', '"']) {
                return Err(format!("not valid JSON: {not_json}"));
            }
            let text = ::std::fs::read_to_string(value).map_err(|error| {
                format!("neither JSON ({not_json}) nor a file that can be read ({error})")
            })?;
            ::serde_json::from_str(&text).map_err(|error| format!("{value}: not valid JSON: {error}"))
        }
    }
}
