//! Rewrites of progenitor's output where `posthog-api` needs more than it
//! offers, one file per output: [`client`] (the client and its types),
//! [`mocks`] (the typed httpmock mocks) and [`cli`] (the command line).
//! Each rewrite works on the parsed syntax tree, or on its tokens where
//! progenitor's code is matched as written, and says what shape of code it
//! expects and emits. What they share is here: token matching and
//! `futures_util` in place of `futures`.

use proc_macro2::{Group, TokenStream, TokenTree};
use syn::{Item, ItemImpl, Type};

pub(crate) mod cli;
pub(crate) mod client;
pub(crate) mod mocks;

/// **`futures_util`, not `futures`.** progenitor's paginated `stream()`
/// and the CLI's listing commands name the `futures` crate; what they use
/// of it (`Stream`, `StreamExt`, `TryStreamExt`, `TryFutureExt`,
/// `stream::iter`, `stream::try_unfold`) is `futures_util`'s, which the
/// client depends on already, so no crate is added for them:
///
/// ```text
/// use ::futures::StreamExt;  →  use ::futures_util::StreamExt;
/// futures::stream::iter(…)   →  futures_util::stream::iter(…)
/// ```
pub(crate) fn futures_from_futures_util(tokens: TokenStream) -> TokenStream {
    replace_runs(tokens, &mut |rest| match rest {
        [TokenTree::Ident(futures), colon, ..] if futures == "futures" && is(colon, ":") => {
            Some((quote::quote!(futures_util), 1))
        }
        _ => None,
    })
}

/// Recognises a run of tokens at the start of a slice: its replacement,
/// and how many tokens it stands for.
type RunReplacer<'a> = dyn FnMut(&[TokenTree]) -> Option<(TokenStream, usize)> + 'a;

/// `tokens` with every run of tokens that `replace` recognises, at any
/// depth, replaced: given the tokens from some position on, `replace`
/// returns the replacement and how many tokens it stands for.
fn replace_runs(tokens: TokenStream, replace: &mut RunReplacer<'_>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        if let Some((replacement, covered)) = replace(&trees[index..]) {
            out.extend(replacement);
            index += covered.max(1);
            continue;
        }
        out.push(match &trees[index] {
            TokenTree::Group(group) => {
                TokenTree::Group(regroup(group, replace_runs(group.stream(), replace)))
            }
            other => other.clone(),
        });
        index += 1;
    }
    out.into_iter().collect()
}

/// `group` with `stream` inside instead.
fn regroup(group: &Group, stream: TokenStream) -> Group {
    let mut new = Group::new(group.delimiter(), stream);
    new.set_span(group.span());
    new
}

/// Whether `tree` is the identifier, punctuation or literal `text`
/// (identifiers and punctuation compared without formatting the token).
fn is(tree: &TokenTree, text: &str) -> bool {
    match tree {
        TokenTree::Ident(ident) => ident == text,
        TokenTree::Punct(punct) => {
            let mut chars = text.chars();
            chars.next() == Some(punct.as_char()) && chars.next().is_none()
        }
        TokenTree::Literal(literal) => literal.to_string() == text,
        TokenTree::Group(_) => false,
    }
}

/// What follows the tokens `texts` ([`is`] each) at the start of `trees`;
/// `None` when `trees` does not start so.
fn after<'t>(trees: &'t [TokenTree], texts: &[&str]) -> Option<&'t [TokenTree]> {
    let (start, rest) = trees.split_at_checked(texts.len())?;
    start
        .iter()
        .zip(texts)
        .all(|(tree, text)| is(tree, text))
        .then_some(rest)
}

/// Whether any identifier in `trees`, at any depth, is one of `names`.
fn names_any(trees: &[TokenTree], names: &[&str]) -> bool {
    trees.iter().any(|tree| match tree {
        TokenTree::Ident(ident) => names.iter().any(|name| ident == name),
        TokenTree::Group(group) => {
            names_any(&group.stream().into_iter().collect::<Vec<_>>(), names)
        }
        _ => false,
    })
}

/// The items of the inline module `name` among `items`.
pub(crate) fn module<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// The name of the type an `impl` block is for: `X` of `impl<'a> X<'a>`.
pub(crate) fn self_name(block: &ItemImpl) -> Option<String> {
    match &*block.self_ty {
        Type::Path(path) => Some(path.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}
