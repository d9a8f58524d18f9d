//! The Node tools behind `cargo xtask ci`: the command refuses to pass
//! without them, and the Redocly lint rejects broken specs.

mod ci;
mod lint_gate;
