//! The codegen library end to end, one module per concern:
//!
//! - [`bad_input`]: each class of mistake in a spec, and the error that
//!   names its place;
//! - [`generation`]: what small specs generate, and what codegen warns
//!   about, leaves out or blames;
//! - [`committed_spec`]: `spec/openapi.yaml` validates and generates
//!   deterministically, with what the client promises;
//! - [`reading_vs_output`]: `codegen::reading` against what progenitor
//!   actually emits.
//!
//! Specs are YAML as a person writes it: inline raw strings where they are
//! a few lines, `tests/specs/*.yaml` where they are whole documents
//! (compiled in with `include_str!`, so no test reads a path at run time).
//! Generated code ([`code::Code`]) and messages are checked against
//! `expect![[…]]` snapshots (rust-analyzer's `expect-test`): when a change
//! to them is intended, `UPDATE_EXPECT=1 cargo test -p codegen --test
//! codegen` rewrites them in place, and the diff is what to review.

use std::path::Path;

use codegen::{Error, Settings, Spec, generate, load, parse, validate};

/// The spec `tests/specs/$name`, compiled into the test, parsed under the
/// name `specs/$name`, which its errors and warnings give. Above the
/// modules: a macro is in scope only after its definition.
macro_rules! spec_file {
    ($name:literal) => {
        codegen::parse(
            concat!("specs/", $name),
            include_str!(concat!("../specs/", $name)),
        )
        .expect(concat!("specs/", $name, " parses"))
    };
}

mod bad_input;
mod code;
mod committed_spec;
mod generation;
mod reading_vs_output;

// Specs.

/// `text` without the indentation its lines share and without its first
/// line when that is empty, so a raw string can be indented as the code
/// around it: `r#"` and the YAML's first line need not share a line.
fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|line| format!("{}\n", line.get(indent..).unwrap_or("").trim_end()))
        .collect()
}

/// `text` with each line indented two spaces more.
fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

/// A minimal valid document around `paths`, the body of its `paths:`
/// (written at any indentation, `{}` for none), which starts on line 6.
/// Its one schema, `Thing`, is there for `$ref`s to point at.
fn document(paths: &str) -> String {
    let paths = indent(&unindent(paths));
    format!(
        r#"openapi: 3.0.3
info:
  title: t
  version: '1'
paths:
{paths}components:
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: integer
"#
    )
}

/// `spec/openapi.yaml`, the workspace's spec.
fn committed_spec() -> Spec {
    load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
        .expect("the committed spec loads")
}

// What codegen says.

/// Parses and validates `text` as `bad.yaml`, expecting a failure.
fn failure(text: &str) -> Error {
    match parse("bad.yaml", text).and_then(|spec| validate(&spec).map(|()| spec)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(error) => error,
    }
}

/// Settings that deny warnings, as `cargo xtask gen` uses for our spec.
fn strict() -> Settings {
    let mut settings = Settings::default();
    settings.deny_warnings = true;
    settings
}

/// Validates and generates `spec` as our spec is generated (warnings
/// denied), expecting generation to fail.
fn generation_failure(spec: &Spec) -> Error {
    validate(spec).expect("validates");
    generate(spec, &strict()).expect_err("generation should fail")
}

/// What `error` says, a line per line, as a terminal shows it.
fn message(error: &Error) -> String {
    format!("{error}\n")
}

/// Each warning of `generated` as it is shown, one after another.
fn warnings(generated: &codegen::Generated) -> String {
    generated
        .warnings
        .iter()
        .map(|warning| format!("{warning}\n"))
        .collect()
}
