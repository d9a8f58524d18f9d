//! Rewrites of progenitor's output where `posthog-api` needs more than it
//! offers. Each works on the parsed syntax tree and says what shape of code
//! it expects and emits.
//!
//! **Typed errors on every `send()`.** progenitor's builders return
//! `progenitor_client::Error`, which loses the status of a non-JSON error
//! body and never says which operation failed. This pass keeps progenitor's
//! method under another name and puts a `send` in front of it that hands
//! the outcome to the client crate's own error type:
//!
//! ```text
//! async fn send_untyped(self) -> Result<ResponseValue<T>, Error<()>> { /* progenitor's body */ }
//!
//! ///Sends a `GET` request to `/api/…/`
//! pub async fn send(self) -> Result<ResponseValue<T>, crate::Error> {
//!     crate::error::typed("operation_id", self.send_untyped().await).await
//! }
//! ```

use syn::punctuated::Punctuated;
use syn::{
    Attribute, FnArg, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Token, TraitItem,
    Type, parse_quote,
};

/// Rewrites every builder's `send` in `file`; returns how many it rewrote.
pub(crate) fn type_send_errors(file: &mut syn::File) -> usize {
    let mut rewritten = 0;
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        let Some((_, items)) = module.content.as_mut() else {
            continue;
        };
        for item in items {
            if let Item::Impl(block) = item
                && let Some(typed) = typed_send(&mut block.items)
            {
                block.items.push(typed);
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// Renames progenitor's `send` in `items` and returns the typed `send`.
fn typed_send(items: &mut [ImplItem]) -> Option<ImplItem> {
    let untyped = items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
        _ => None,
    })?;
    let operation_id = operation_id(&untyped.block)?;
    let success = success_type(&untyped.sig.output)?;
    let docs: Vec<_> = untyped
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .cloned()
        .collect();
    untyped.attrs.retain(|attr| !attr.path().is_ident("doc"));
    untyped.sig.ident = parse_quote!(send_untyped);
    untyped.vis = syn::Visibility::Inherited;
    Some(parse_quote! {
        #(#docs)*
        pub async fn send(self) -> Result<#success, crate::Error> {
            crate::error::typed(#operation_id, self.send_untyped().await).await
        }
    })
}

/// The `"…"` in progenitor's `OperationInfo { operation_id: "…" }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    let tokens = quote::ToTokens::to_token_stream(block).to_string();
    let (_, rest) = tokens.split_once("operation_id : \"")?;
    rest.split_once('"').map(|(id, _)| id.to_owned())
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
fn raw_gen(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, Ident, TokenTree};
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "gen" => {
                TokenTree::Ident(Ident::new_raw("gen", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut raw = Group::new(group.delimiter(), raw_gen(group.stream()));
                raw.set_span(group.span());
                TokenTree::Group(raw)
            }
            other => other,
        })
        .collect()
}

fn gate_attrs(attrs: &mut Vec<Attribute>) {
    let Some(position) = attrs.iter().position(|attr| attr.path().is_ident("derive")) else {
        return;
    };
    let Ok(derives) =
        attrs[position].parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
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
