//! One module per `cargo xtask` command, each with one entry point, `run`,
//! that `main` calls with the checkout and the command's typed options. A
//! command wires the workspace's layout (the `xtask` library) to an engine
//! (`codegen`, `spec-diff`, `upstream-diff`, `bench`) and turns the outcome into output and
//! an exit code.

pub(crate) mod bench;
pub(crate) mod check_spec;
pub(crate) mod ci;
pub(crate) mod generate;
pub(crate) mod live;
pub(crate) mod spec_diff;
pub(crate) mod upstream_diff;
