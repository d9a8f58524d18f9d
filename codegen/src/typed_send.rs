//! Typed errors on every `send()`. progenitor's builders return
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

use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type, parse_quote};

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
