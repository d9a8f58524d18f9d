//! One module per `cargo xtask` command, each with one entry point, `run`,
//! that `main` calls with the checkout and the command's typed options. A
//! command wires the workspace's layout (the `xtask` library) to an engine
//! (`codegen`, `spec-diff`, `upstream-diff`, `bench`) and returns its
//! outcome: `Ok` after printing its output, or the error `main` prints.
//!
//! Exit codes: an error exits 2 (the command could not do its work: bad
//! input, a file or tool not found), unless it is a [`CheckFailed`] (1: it
//! did its work and what it checks failed). A command whose success has
//! more than one code (`check-spec`, `live`) returns that code.

pub(crate) mod bench;
pub(crate) mod check_spec;
pub(crate) mod ci;
pub(crate) mod generate;
pub(crate) mod live;
pub(crate) mod spec_diff;
pub(crate) mod upstream_diff;

/// What a command checks failed: stale generated code, a breaking change,
/// undeclared drift, a failed CI step. Exit 1, where every other error
/// exits 2. It is the error itself, or context over its cause
/// (`.context(CheckFailed(…))`); `main` finds it either way.
#[derive(Debug)]
pub(crate) struct CheckFailed(pub(crate) String);

impl std::fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckFailed {}
