//! Rewrites of progenitor's client and its types.
//!
//! **Every `send()` is one call of the client crate.** progenitor's
//! builders send once and return `progenitor_client::Error`, which loses
//! the status of a non-JSON error body and never says which operation
//! failed. This pass keeps progenitor's method under another name and puts
//! a `send` in front of it that hands the builder to the client crate's
//! `call::send`, which makes the attempts (a clone of the builder each),
//! retries what the operation allows, traces them and types the error. What
//! it needs to know of the operation is a constant of a generated
//! `operations` module, one per operation:
//!
//! ```text
//! async fn send_untyped(self) -> Result<ResponseValue<T>, Error<()>> { /* progenitor's body */ }
//!
//! ///Sends a `GET` request to `/api/…/`
//! pub async fn send(self) -> Result<crate::ResponseValue<T>, crate::Error> {
//!     crate::call::send(&super::operations::X_LIST, self.client, self, Self::send_untyped).await
//! }
//!
//! pub mod operations {
//!     pub const X_LIST: crate::Operation = crate::Operation::new("x_list", "GET", "/api/x/", true);
//!     pub const ALL: &[crate::Operation] = &[X_LIST];
//! }
//! ```

//! **progenitor's constructors are off the docs page.** `Client::new` and
//! `Client::new_with_client` take the client crate's inner configuration
//! and a raw base URL; users build clients with the crate's own
//! constructors, so both get `#[doc(hidden)]` (they stay callable). So do
//! typify's per-type builders (`types::builder::X`), which share the
//! types' names and would list `impl From<X> for X` on every type's page.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{
    Attribute, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Token, Type, parse_quote,
};

use super::{is, module, replace_runs, self_name};
use crate::document::OperationDocs;
use crate::model::derived;
use crate::reading;

/// What the generated `operations` module says of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OperationFacts {
    pub(crate) id: String,
    /// Upper case, as HTTP writes it: `GET`.
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) idempotent: bool,
}

/// The `operations` module for `operations`, in their order.
pub(crate) fn operations_module(operations: &[OperationFacts]) -> Item {
    let consts = operations.iter().map(|facts| {
        let name = quote::format_ident!("{}", reading::operation_const_name(&facts.id));
        let doc = format!(
            " `{} {}`{}",
            facts.method,
            facts.path,
            if facts.idempotent {
                ": safe to repeat, so transient failures are retried."
            } else {
                ": not safe to repeat, so only failures that left PostHog untouched are retried."
            }
        );
        let OperationFacts {
            id,
            method,
            path,
            idempotent,
        } = facts;
        quote::quote! {
            #[doc = #doc]
            pub const #name: crate::Operation = crate::Operation::new(#id, #method, #path, #idempotent);
        }
    });
    let names = operations
        .iter()
        .map(|facts| quote::format_ident!("{}", reading::operation_const_name(&facts.id)));
    parse_quote! {
        /// Every operation of the spec: its method, path template and
        /// whether it is safe to repeat, as the client's retries and
        /// traces read them.
        pub mod operations {
            #(#consts)*
            /// Every operation above, in the spec's order.
            pub const ALL: &[crate::Operation] = &[#(#names),*];
        }
    }
}

/// The constructors `hide_constructors` hides.
pub(crate) const HIDDEN_CONSTRUCTORS: [&str; 2] = ["new", "new_with_client"];

/// Marks progenitor's `Client` constructors `#[doc(hidden)]`; returns how
/// many it marked.
pub(crate) fn hide_constructors(file: &mut syn::File) -> usize {
    let mut hidden = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let is_client = matches!(&*block.self_ty, Type::Path(path) if path.path.is_ident("Client"));
        if block.trait_.is_some() || !is_client {
            continue;
        }
        for member in &mut block.items {
            if let ImplItem::Fn(function) = member
                && HIDDEN_CONSTRUCTORS.contains(&function.sig.ident.to_string().as_str())
            {
                function.attrs.push(parse_quote!(#[doc(hidden)]));
                hidden += 1;
            }
        }
    }
    hidden
}

/// Hides typify's per-type builders (`types::builder::X`, and each type's
/// `X::builder()`) from the docs page, where they share the types'
/// names; they stay usable (the CLI's `body_map` needs them). Returns
/// false when `types` has structs with named fields but no builder module
/// (typify's output changed shape); a newtype (`pub struct Name(String)`)
/// has no builder.
pub(crate) fn hide_type_builders(file: &mut syn::File) -> bool {
    let mut found = false;
    let mut structs = false;
    for item in module(&mut file.items, "types").into_iter().flatten() {
        match item {
            Item::Struct(item) if matches!(item.fields, syn::Fields::Named(_)) => {
                structs = true;
            }
            Item::Mod(builder) if builder.ident == "builder" => {
                builder.attrs.push(parse_quote!(#[doc(hidden)]));
                found = true;
            }
            Item::Impl(block) if block.trait_.is_none() => {
                for member in &mut block.items {
                    if let ImplItem::Fn(function) = member
                        && function.sig.ident == "builder"
                    {
                        function.attrs.push(parse_quote!(#[doc(hidden)]));
                    }
                }
            }
            _ => {}
        }
    }
    found || !structs
}

/// **Request bodies keep their `Content-Type`.** progenitor sends JSON as
/// `application/json` and raw bytes as `application/octet-stream`; a body
/// `prepare` gave it as one of those under another name (`…+json`,
/// `image/png`) is sent with its own type, which `content_types` holds by
/// operation (the Rust method name progenitor's `OperationInfo` carries):
///
/// ```text
/// .json(&body)                                  →  .header(CONTENT_TYPE, HeaderValue::from_static("application/merge-patch+json")).json(&body)
/// HeaderValue::from_static("application/octet-stream")  →  HeaderValue::from_static("image/png")
/// ```
///
/// Returns how many `send`s it rewrote.
pub(crate) fn restore_content_types(
    file: &mut syn::File,
    content_types: &std::collections::BTreeMap<String, String>,
) -> usize {
    if content_types.is_empty() {
        return 0;
    }
    let mut rewritten = 0;
    for item in module(&mut file.items, "builder").into_iter().flatten() {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let Some(content_type) =
                operation_id(&function.block).and_then(|operation| content_types.get(&operation))
            else {
                continue;
            };
            let mut found = false;
            let tokens = replace_runs(
                quote::ToTokens::to_token_stream(&function.block),
                &mut |rest| match rest {
                    [TokenTree::Literal(literal), ..]
                        if literal.to_string() == "\"application/octet-stream\"" =>
                    {
                        found = true;
                        Some((quote::quote!(#content_type), 1))
                    }
                    [dot, json, TokenTree::Group(argument), ..]
                        if is(dot, ".")
                            && is(json, "json")
                            && argument.stream().to_string() == "& body" =>
                    {
                        found = true;
                        Some((
                            quote::quote!(
                                .header(
                                    ::reqwest::header::CONTENT_TYPE,
                                    ::reqwest::header::HeaderValue::from_static(#content_type),
                                )
                                .json(&body)
                            ),
                            3,
                        ))
                    }
                    _ => None,
                },
            );
            if found && let Ok(block) = syn::parse2(tokens) {
                function.block = block;
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// Rewrites every builder's `send` in `file`; returns how many it rewrote.
pub(crate) fn type_send_errors(file: &mut syn::File) -> usize {
    let mut rewritten = 0;
    let Some(items) = module(&mut file.items, "builder") else {
        return 0;
    };
    let client_fields = client_fields(items);
    for item in items {
        if let Item::Impl(block) = item
            && let Some(field) = self_name(block).and_then(|name| client_fields.get(&name))
            && let Some(typed) = typed_send(&mut block.items, field)
        {
            type_stream_errors(&mut block.items);
            block.items.push(typed);
            rewritten += 1;
        }
    }
    rewritten
}

/// **Setters take what callers hold.** progenitor's setter of a path
/// parameter takes `TryInto<String>`, and of a page size
/// `TryInto<NonZeroU64>`: an integer project id (PostHog's are numbers) or
/// a `u32` page size does not compile, and an empty id would send another
/// request. Both go through the client crate's traits instead, which also
/// refuse an empty id or a page size of 0, naming the parameter:
///
/// ```text
/// pub fn project_id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String>,
/// { self.project_id = value.try_into().map_err(|_| "conversion to `String` for project_id failed".to_string()); self }
/// →
/// pub fn project_id<V>(mut self, value: V) -> Self where V: crate::PathId,
/// { self.project_id = crate::path_id(value, "project_id"); self }
///
/// pub fn limit<V>(…) where V: std::convert::TryInto<::std::num::NonZeroU64>, { self.limit = value.try_into().map(Some)…; self }
/// →
/// pub fn limit<V>(…) where V: crate::PageSize, { self.limit = crate::page_size(value, "limit").map(Some); self }
/// ```
///
/// Returns how many setters it rewrote.
pub(crate) fn setters_take_what_callers_hold(
    file: &mut syn::File,
    docs: &BTreeMap<String, OperationDocs>,
) -> usize {
    let mut rewritten = 0;
    for item in module(&mut file.items, "builder").into_iter().flatten() {
        let Item::Impl(block) = item else { continue };
        let Some(operation) = self_name(block).and_then(|name| docs.get(&name)) else {
            continue;
        };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.clone();
            let label = name.to_string();
            let Some(target) = converted_into(function) else {
                continue;
            };
            let in_path = operation
                .parameters
                .get(&label)
                .is_some_and(|parameter| parameter.location == "path");
            let (bound, convert) = match target.as_str() {
                ":: std :: string :: String" if in_path => (
                    quote::quote!(crate::PathId),
                    quote::quote!(crate::path_id(value, #label)),
                ),
                ":: std :: num :: NonZeroU64" => (
                    quote::quote!(crate::PageSize),
                    quote::quote!(crate::page_size(value, #label)),
                ),
                _ => continue,
            };
            let optional = quote::ToTokens::to_token_stream(&function.block)
                .to_string()
                .contains(". map (Some)");
            let map_some = optional.then(|| quote::quote!(.map(Some)));
            let attrs = &function.attrs;
            *function = parse_quote! {
                #(#attrs)*
                pub fn #name<V>(mut self, value: V) -> Self
                where
                    V: #bound,
                {
                    self.#name = #convert #map_some;
                    self
                }
            };
            rewritten += 1;
        }
    }
    rewritten
}

/// The `T` of a setter's `where V: std::convert::TryInto<T>`, as token text.
fn converted_into(function: &syn::ImplItemFn) -> Option<String> {
    let clause = function.sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            match arguments.args.first()? {
                GenericArgument::Type(target) => {
                    Some(quote::ToTokens::to_token_stream(target).to_string())
                }
                _ => None,
            }
        })
    })
}

/// **A type's builder names fields as the JSON does.** typify's builders
/// (`types::builder::X`, behind `body_map`) say which field is missing or
/// did not convert by its Rust name; a caller reading PostHog's docs knows
/// the JSON one (`serde(rename)`):
///
/// ```text
/// "no value supplied for type_"                      →  "no value supplied for type"
/// "error converting supplied value for type_: {e}"   →  "error converting supplied value for type: {e}"
/// ```
pub(crate) fn builder_errors_name_json_fields(file: &mut syn::File) {
    let Some(items) = module(&mut file.items, "types") else {
        return;
    };
    let json_names: std::collections::HashMap<String, std::collections::HashMap<String, String>> =
        items
            .iter()
            .filter_map(|item| match item {
                Item::Struct(structure) => Some((
                    structure.ident.to_string(),
                    structure
                        .fields
                        .iter()
                        .filter_map(|field| {
                            let rust = field.ident.as_ref()?.to_string();
                            Some((rust, serde_rename(&field.attrs)?))
                        })
                        .collect(),
                )),
                _ => None,
            })
            .collect();
    let Some(builder) = module(items, "builder") else {
        return;
    };
    for item in builder {
        let Item::Impl(block) = item else { continue };
        let Some(renamed) = self_name(block)
            .and_then(|name| json_names.get(&name))
            .filter(|renamed| !renamed.is_empty())
        else {
            continue;
        };
        let tokens = replace_runs(quote::ToTokens::to_token_stream(&*block), &mut |rest| {
            let [TokenTree::Literal(literal), ..] = rest else {
                return None;
            };
            let text: syn::LitStr = syn::parse2(quote::ToTokens::to_token_stream(literal)).ok()?;
            let text = text.value();
            let (lead, field) = [
                "no value supplied for ",
                "error converting supplied value for ",
            ]
            .iter()
            .find_map(|lead| Some((*lead, text.strip_prefix(lead)?)))?;
            let (field, tail) = field.split_at(field.find(':').unwrap_or(field.len()));
            let json = renamed.get(field)?;
            let respelled = format!("{lead}{json}{tail}");
            Some((quote::quote!(#respelled), 1))
        });
        if let Ok(rewritten) = syn::parse2(tokens) {
            *block = rewritten;
        }
    }
}

/// The value of a `#[serde(rename = "…")]` among `attrs`.
pub(crate) fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let mut value = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                value = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        value
    })
}

/// The field of each builder struct in `items` that holds the `Client`:
/// `client`, or `_client` when the operation has a parameter called
/// `client` (progenitor-impl 0.15, `unique_ident_from`).
fn client_fields(items: &[Item]) -> std::collections::HashMap<String, syn::Ident> {
    items
        .iter()
        .filter_map(|item| {
            let Item::Struct(builder) = item else {
                return None;
            };
            let field = builder.fields.iter().find(|field| {
                matches!(&field.ty, Type::Reference(reference)
                    if matches!(&*reference.elem, Type::Path(path)
                        if path.path.segments.last().is_some_and(|last| last.ident == "Client")))
            })?;
            Some((builder.ident.to_string(), field.ident.clone()?))
        })
        .collect()
}

/// Renames progenitor's `send` in `items` (a builder's, whose `Client` is
/// its field `client_field`) and returns the typed `send`.
fn typed_send(items: &mut [ImplItem], client_field: &syn::Ident) -> Option<ImplItem> {
    let untyped = items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
        _ => None,
    })?;
    let operation_id = operation_id(&untyped.block)?;
    let success = crate_response(success_type(&untyped.sig.output)?);
    let docs: Vec<_> = untyped
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .cloned()
        .collect();
    untyped.attrs.retain(|attr| !attr.path().is_ident("doc"));
    untyped.sig.ident = parse_quote!(send_untyped);
    untyped.vis = syn::Visibility::Inherited;
    let operation = quote::format_ident!("{}", reading::operation_const_name(&operation_id));
    Some(parse_quote! {
        #(#docs)*
        pub async fn send(self) -> Result<#success, crate::Error> {
            crate::call::send(&super::operations::#operation, self.#client_field, self, Self::send_untyped).await
        }
    })
}

/// **A paginated operation's `stream()` yields the crate's error.**
/// progenitor's `stream()` (dropshot's `x-dropshot-pagination`) pages
/// through `send()`, which now returns `crate::Error`, so its items do too:
///
/// ```text
/// pub fn stream(self) -> impl futures::Stream<Item = Result<T, Error<()>>> + Unpin + 'a
/// →
/// pub fn stream(self) -> impl futures::Stream<Item = Result<T, crate::Error>> + Unpin + 'a
/// ```
fn type_stream_errors(items: &mut [ImplItem]) {
    for item in items {
        let ImplItem::Fn(function) = item else {
            continue;
        };
        if function.sig.ident != "stream" {
            continue;
        }
        let tokens =
            replace_runs(
                quote::ToTokens::to_token_stream(&*function),
                &mut |rest| match rest {
                    [
                        TokenTree::Ident(error),
                        open,
                        TokenTree::Group(unit),
                        close,
                        ..,
                    ] if error == "Error"
                        && is(open, "<")
                        && unit.delimiter() == Delimiter::Parenthesis
                        && unit.stream().is_empty()
                        && is(close, ">") =>
                    {
                        Some((quote::quote!(crate::Error), 4))
                    }
                    _ => None,
                },
            );
        if let Ok(rewritten) = syn::parse2(tokens) {
            *function = rewritten;
        }
    }
}

/// The `"…"` in progenitor's `OperationInfo { operation_id: "…" }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    let tokens = quote::ToTokens::to_token_stream(block).to_string();
    let (_, rest) = tokens.split_once("operation_id : \"")?;
    rest.split_once('"').map(|(id, _)| id.to_owned())
}

/// `crate::ResponseValue<T>` for progenitor's `ResponseValue<T>`: the
/// client crate's own type, documented in its words, without progenitor's
/// stream API or its error type.
fn crate_response(success: Type) -> Type {
    match &success {
        Type::Path(path)
            if path.qself.is_none()
                && path.path.segments.len() == 1
                && path.path.segments[0].ident == "ResponseValue" =>
        {
            let arguments = &path.path.segments[0].arguments;
            parse_quote!(crate::ResponseValue #arguments)
        }
        _ => success,
    }
}

/// `ResponseValue<T>` out of `-> Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(success) => Some(success.clone()),
        _ => None,
    }
}

/// **`JsonSchema` only with the `cli` feature.** The generated CLI needs
/// every type to derive `schemars::JsonSchema`; other users should not pay
/// for compiling schemars. Every derive of it becomes
///
/// ```text
/// #[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
/// #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
/// ```
///
/// and an `impl JsonSchema` that typify writes by hand (for an integer
/// enum) gets `#[cfg(feature = "cli")]`. Its parameter `gen` is a keyword
/// in Rust 2024, so it is written `r#gen`.
pub(crate) fn gate_cli_derives(file: &mut syn::File) {
    gate_items(&mut file.items);
}

fn gate_items(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, items)) = module.content.as_mut() {
                    gate_items(items);
                }
            }
            Item::Struct(item) => gate_attrs(&mut item.attrs),
            Item::Enum(item) => gate_attrs(&mut item.attrs),
            Item::Impl(block)
                if block
                    .trait_
                    .as_ref()
                    .is_some_and(|(path, _)| is_json_schema(path)) =>
            {
                let tokens = raw_gen(quote::ToTokens::into_token_stream(block.clone()));
                if let Ok(mut gated) = syn::parse2::<syn::ItemImpl>(tokens) {
                    gated.attrs.insert(0, parse_quote!(#[cfg(feature = "cli")]));
                    *block = gated;
                }
            }
            _ => {}
        }
    }
}

/// `tokens` with every identifier `gen` written `r#gen`.
fn raw_gen(tokens: TokenStream) -> TokenStream {
    replace_runs(tokens, &mut |rest| match rest.first()? {
        TokenTree::Ident(ident) if ident == "gen" => {
            let raw = TokenTree::Ident(proc_macro2::Ident::new_raw("gen", ident.span()));
            Some((raw.into(), 1))
        }
        _ => None,
    })
}

fn gate_attrs(attrs: &mut Vec<Attribute>) {
    let Some((position, Ok(derives))) = attrs
        .iter()
        .enumerate()
        .find_map(|(position, attr)| derived(attr).map(|derives| (position, derives)))
    else {
        return;
    };
    let kept: Vec<_> = derives
        .iter()
        .filter(|path| !is_json_schema(path))
        .collect();
    if kept.len() == derives.len() {
        return;
    }
    attrs[position] = parse_quote!(#[derive(#(#kept),*)]);
    // Right after the derive, before helper attributes such as `#[serde]`.
    attrs.insert(
        position + 1,
        parse_quote!(#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]),
    );
}

fn is_json_schema(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|segment| segment.ident == "JsonSchema")
}

/// **Usage sketches are text, not doctests.** progenitor documents each
/// `Client` method with a fenced `ignore` example that uses undefined
/// variables; rustdoc would list each as an ignored test. They become
/// `text` blocks: still shown, never counted as skipped tests.
pub(crate) fn doc_examples_as_text(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            let ImplItem::Fn(function) = item else {
                continue;
            };
            for attr in &mut function.attrs {
                if let syn::Meta::NameValue(doc) = &mut attr.meta
                    && doc.path.is_ident("doc")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) = &mut doc.value
                    && text.value().contains("```ignore")
                {
                    let value = text.value().replace("```ignore", "```text");
                    *text = syn::LitStr::new(&value, text.span());
                }
            }
        }
    }
}
