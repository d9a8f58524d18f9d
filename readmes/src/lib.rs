//! The Rust examples of the workspace's READMEs, run as doctests against
//! `posthog-fake` (`cargo test -p readmes --doc`): the workspace README's,
//! and the fake's, whose downstream test needs the client the fake cannot
//! depend on. `posthog-api`'s own README is its front page and is tested
//! with the crate, in its package too.

/// The workspace README.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct WorkspaceReadme;

/// The fake's README.
#[cfg(doctest)]
#[doc = include_str!("../../fake/README.md")]
struct FakeReadme;
