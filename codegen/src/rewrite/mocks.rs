//! Rewrites of progenitor's typed httpmock mocks.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{FnArg, ImplItem, Item, Type};

use super::{after, is, names_any, regroup, replace_runs};

/// **List and map query parameters in the typed mocks.** progenitor
/// matches a query parameter with `query_param(name, value.to_string())`,
/// which a `Vec` or a map does not have. The client sends a list as one
/// `name=item` pair per item and a map as one `key=value` pair per entry,
/// so the mock now expects exactly those pairs:
///
/// ```text
/// Self(self.0.query_param("ids", value.to_string()))  →  Self(query_pairs(self.0, "ids", value))
/// ```
pub(crate) fn match_mock_query_lists(tokens: TokenStream) -> TokenStream {
    let mut used = false;
    let tokens = replace_query_params(tokens, &mut used);
    if !used {
        return tokens;
    }
    let helper = quote::quote! {
        /// The pairs the client sends for query parameter `name` holding
        /// `value`, each expected by `when`.
        fn query_pairs<T: ::serde::Serialize>(
            when: ::httpmock::When,
            name: &str,
            value: &T,
        ) -> ::httpmock::When {
            let text = |value: ::serde_json::Value| match value {
                ::serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            match ::serde_json::to_value(value) {
                Ok(::serde_json::Value::Array(items)) => items
                    .into_iter()
                    .fold(when, |when, item| when.query_param(name, text(item))),
                Ok(::serde_json::Value::Object(entries)) => entries
                    .into_iter()
                    .fold(when, |when, (key, item)| when.query_param(key, text(item))),
                Ok(other) => when.query_param(name, text(other)),
                Err(_) => when,
            }
        }
    };
    // The helper goes into `pub mod operations { … }`.
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let module = trees.windows(3).position(|window| {
        window[0].to_string() == "mod"
            && window[1].to_string() == "operations"
            && matches!(&window[2], TokenTree::Group(group) if group.delimiter() == Delimiter::Brace)
    });
    if let Some(position) = module
        && let TokenTree::Group(group) = &trees[position + 2]
    {
        let stream = group.stream().into_iter().chain(helper).collect();
        trees[position + 2] = TokenTree::Group(regroup(group, stream));
    }
    trees.into_iter().collect()
}

/// Rewrites the query matching of every method below `tokens` that takes
/// a list or a map.
fn replace_query_params(tokens: TokenStream, used: &mut bool) -> TokenStream {
    replace_runs(tokens, &mut |rest| {
        // `fn name<…>(…) -> … where … { body }`: the signature decides.
        if !is(rest.first()?, "fn") {
            return None;
        }
        let body = rest.iter().position(
            |tree| matches!(tree, TokenTree::Group(group) if group.delimiter() == Delimiter::Brace),
        )?;
        let (signature, TokenTree::Group(group)) = (&rest[..body], &rest[body]) else {
            return None;
        };
        if !names_any(signature, &["Vec", "Map"]) {
            return None;
        }
        let body_tokens = replace_runs(group.stream(), &mut |rest| {
            let name = query_param_at(rest)?;
            *used = true;
            Some((quote::quote!(query_pairs(self.0, #name, value)), 6))
        });
        let mut method: TokenStream = signature.iter().cloned().collect();
        method.extend([TokenTree::Group(regroup(group, body_tokens))]);
        Some((method, body + 1))
    })
}

/// **Mock bodies of `Copy` types.** progenitor takes a mock's body or
/// response value of a `Copy` type (a string enum, `()`) by value, and
/// hands it to httpmock's `json_body_obj`, which takes a reference:
///
/// ```text
/// pub fn body(self, value: types::State) -> Self { Self(self.0.json_body_obj(value)) }
///                                       →        { Self(self.0.json_body_obj(&value)) }
/// ```
///
/// Methods that already take a reference are left as they are.
pub(crate) fn borrow_mock_json_values(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        for item in module.content.iter_mut().flat_map(|(_, items)| items) {
            let Item::Impl(block) = item else { continue };
            for member in &mut block.items {
                let ImplItem::Fn(function) = member else {
                    continue;
                };
                let by_value = function.sig.inputs.iter().any(|input| {
                    matches!(input, FnArg::Typed(argument)
                        if !matches!(&*argument.ty, Type::Reference(_))
                            && matches!(&*argument.pat, syn::Pat::Ident(name) if name.ident == "value"))
                });
                if !by_value {
                    continue;
                }
                let tokens = replace_runs(
                    quote::ToTokens::to_token_stream(&function.block),
                    &mut |rest| match rest {
                        [method, TokenTree::Group(argument), ..]
                            if is(method, "json_body_obj")
                                && argument.stream().to_string() == "value" =>
                        {
                            Some((quote::quote!(json_body_obj(&value)), 2))
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
}

/// The name literal of `self.0.query_param(NAME, value.to_string())`
/// starting `trees`.
fn query_param_at(trees: &[TokenTree]) -> Option<TokenTree> {
    let [TokenTree::Group(arguments), ..] = after(trees, &["self", ".", "0", ".", "query_param"])?
    else {
        return None;
    };
    let inner: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let [name @ TokenTree::Literal(_), comma, rest @ ..] = inner.as_slice() else {
        return None;
    };
    let rest: String = TokenStream::from_iter(rest.iter().cloned())
        .to_string()
        .split_whitespace()
        .collect();
    // progenitor ends the arguments with a comma.
    (is(comma, ",") && rest.trim_end_matches(',') == "value.to_string()").then(|| name.clone())
}

#[cfg(test)]
mod tests {
    use super::match_mock_query_lists;

    fn compact(tokens: proc_macro2::TokenStream) -> String {
        tokens.to_string().split_whitespace().collect()
    }

    #[test]
    fn mock_lists_and_maps_match_each_pair() {
        let tokens = quote::quote! {
            pub mod operations {
                impl ListWhen {
                    pub fn ids<'a, T>(self, value: T) -> Self
                    where
                        T: Into<Option<&'a ::std::vec::Vec<::uuid::Uuid>>>,
                    {
                        if let Some(value) = value.into() {
                            Self(self.0.query_param("ids", value.to_string(),))
                        } else {
                            Self(self.0.query_param_missing("ids"))
                        }
                    }
                    pub fn limit<T>(self, value: T) -> Self
                    where
                        T: Into<Option<i64>>,
                    {
                        if let Some(value) = value.into() {
                            Self(self.0.query_param("limit", value.to_string()))
                        } else {
                            Self(self.0.query_param_missing("limit"))
                        }
                    }
                }
            }
            pub trait MockServerExt {}
        };
        let rewritten = compact(match_mock_query_lists(tokens));
        assert!(
            rewritten.contains("Self(query_pairs(self.0,\"ids\",value))"),
            "{rewritten}"
        );
        assert!(
            rewritten.contains("self.0.query_param(\"limit\",value.to_string())"),
            "{rewritten}"
        );
        assert!(rewritten.contains("fnquery_pairs<T:"), "{rewritten}");
        assert!(
            rewritten.ends_with("pubtraitMockServerExt{}"),
            "{rewritten}"
        );
    }
}
