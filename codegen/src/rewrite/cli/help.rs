//! **`--help` is for a shell user.** The spec's descriptions speak to two
//! readers, and keep them in separate paragraphs: a paragraph that cites
//! source code, PostHog's (`posthog/…`, `….py`) or ours (a Rust path,
//! `…::…`), is for developers. rustdoc shows every paragraph; the command
//! line leaves those out, and says whether the operation is safe to repeat
//! without naming the client's Rust types. `-h` is the summary of a
//! command and the first sentence of an argument; `--help` is all the rest.

use proc_macro2::{TokenStream, TokenTree};
use syn::Item;

use super::methods;
use crate::prepare::{NOT_SAFE_TO_REPEAT, SAFE_TO_REPEAT};
use crate::rewrite::{is, replace_runs};

/// What the command line says of an operation that is safe to repeat, in
/// place of [`SAFE_TO_REPEAT`], which names the client's Rust types.
const SAFE_TO_REPEAT_HERE: &str = "Safe to repeat: it is retried after PostHog's transient failures (5xx, a reset connection, a timeout).";

/// What it says of one that is not ([`NOT_SAFE_TO_REPEAT`]).
const NOT_SAFE_TO_REPEAT_HERE: &str = "Not safe to repeat: it is retried only when PostHog turned it away unread (429) or it never reached PostHog; an error after that says it may have taken effect.";

/// **`--help` is for a shell user; `-h` is short.** Every `about` and
/// `help` text of a command becomes the paragraphs [`for_shell_users`]
/// keeps: the first (a command's summary) or its first sentence (an
/// argument's) for `-h`, all of them for `--help`:
///
/// ```text
/// .about("Summary\n\nText.\n\nText citing posthog/x.py.")  →  .about("Summary").long_about("Summary\n\nText.")
/// .help("First. Second.")                                 →  .help("First.").long_help("First. Second.")
/// ```
pub(super) fn help_for_shell_users(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for (_, function) in methods(block, "cli_") {
            let tokens = replace_runs(
                quote::ToTokens::to_token_stream(&function.block),
                &mut |rest| {
                    let [
                        dot,
                        TokenTree::Ident(method),
                        TokenTree::Group(argument),
                        ..,
                    ] = rest
                    else {
                        return None;
                    };
                    let (short_method, long_method) = if method == "about" {
                        ("about", "long_about")
                    } else if method == "help" {
                        ("help", "long_help")
                    } else {
                        return None;
                    };
                    if !is(dot, ".") {
                        return None;
                    }
                    let text = syn::parse2::<syn::LitStr>(argument.stream()).ok()?.value();
                    let paragraphs = for_shell_users(&text);
                    let Some(first) = paragraphs.first() else {
                        return Some((TokenStream::new(), 3));
                    };
                    let short = if method == "about" {
                        first.as_str()
                    } else {
                        first_sentence(first)
                    };
                    let long = paragraphs.join("\n\n");
                    let short_method = quote::format_ident!("{short_method}");
                    let long_method = quote::format_ident!("{long_method}");
                    let long = (long != short).then(|| quote::quote!(.#long_method(#long)));
                    Some((quote::quote!(.#short_method(#short) #long), 3))
                },
            );
            if let Ok(rewritten) = syn::parse2(tokens) {
                function.block = rewritten;
            }
        }
    }
}

/// The paragraphs of `text` (a spec's description, its summary first) a
/// shell user reads, each on one line: every paragraph but those that cite
/// source code ([`cites_code`]), and the retry line in the command line's
/// words.
fn for_shell_users(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    paragraphs
        .into_iter()
        .filter(|paragraph| !cites_code(paragraph))
        .map(|paragraph| match paragraph.as_str() {
            SAFE_TO_REPEAT => SAFE_TO_REPEAT_HERE.to_owned(),
            NOT_SAFE_TO_REPEAT => NOT_SAFE_TO_REPEAT_HERE.to_owned(),
            _ => paragraph,
        })
        .collect()
}

/// Whether `paragraph` cites source code: a file of PostHog's server
/// (`posthog/…`, `….py`) or a Rust path (`…::…`).
fn cites_code(paragraph: &str) -> bool {
    paragraph.contains("posthog/")
        || paragraph.contains("::")
        || paragraph
            .split(|c: char| c.is_whitespace() || "(),;:`".contains(c))
            .any(|word| word.ends_with(".py"))
}

/// `text` up to the end of its first sentence (a `.` before a space).
fn first_sentence(text: &str) -> &str {
    text.match_indices(". ")
        .next()
        .map_or(text, |(end, _)| &text[..=end])
}

#[cfg(test)]
mod tests {
    use super::{
        NOT_SAFE_TO_REPEAT_HERE, SAFE_TO_REPEAT_HERE, cites_code, first_sentence, for_shell_users,
    };
    use crate::prepare::{NOT_SAFE_TO_REPEAT, SAFE_TO_REPEAT};

    #[test]
    fn a_shell_user_reads_the_paragraphs_that_cite_no_code() {
        let text = format!(
            "Create a thing\n\nMakes a thing;\nat most 400 characters.\n\nDeparts from the docs page (posthog/api/thing.py, `create`).\n\nSee `Client::make`.\n\nThe view reads it (thing.py, `Thing`).\n\n{SAFE_TO_REPEAT}"
        );
        assert_eq!(
            for_shell_users(&text),
            [
                "Create a thing",
                "Makes a thing; at most 400 characters.",
                SAFE_TO_REPEAT_HERE
            ]
        );
        assert_eq!(
            for_shell_users(NOT_SAFE_TO_REPEAT),
            [NOT_SAFE_TO_REPEAT_HERE]
        );
        for said in [SAFE_TO_REPEAT_HERE, NOT_SAFE_TO_REPEAT_HERE] {
            assert!(!said.contains("client") && !said.contains('`'), "{said}");
        }
        assert!(!cites_code(
            "PostHog's US cloud, https://us.posthog.com, answers."
        ));
        assert!(cites_code("(posthog/utils.py, `relative_date_parse`)"));
    }

    #[test]
    fn a_short_help_is_the_first_sentence() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Only one"), "Only one");
    }
}
