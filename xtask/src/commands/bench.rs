//! `cargo xtask bench [--cold | --downstream]` and its child `bench-one N|FILE`: the
//! benchmark harness (`bench`) run on this checkout's spec and generated
//! files, and on PostHog's whole API when the machine has it.

use anyhow::Context as _;
use std::path::Path;

use xtask::{GENERATED, SPEC, SchemaNotFound, generate_all, posthog_full_spec, read_spec};

use crate::cli::{BenchScope, BenchSubject};

/// Measures what `scope` asks for and prints the Markdown report; an
/// error when the committed spec does not generate, or `POSTHOG_SCHEMA`
/// names no file.
pub(crate) fn run(root: &Path, scope: BenchScope) -> anyhow::Result<()> {
    if scope == BenchScope::Downstream {
        print!("{}", bench::run_downstream(root));
        return Ok(());
    }
    let generate = || generate_all(root).map(drop).map_err(anyhow::Error::from);
    // PostHog's schema is optional here, unlike in CI: without it the
    // real-world row is left out, and stderr says why. A variable naming
    // no file is still a mistake to report.
    let real_world = match posthog_full_spec(root) {
        Ok(path) => Some(path),
        Err(missing @ SchemaNotFound::Nowhere(_)) => {
            eprintln!("note: no real-world row: {missing}");
            None
        }
        Err(error) => return Err(error.into()),
    };
    let workspace = bench::Workspace {
        root,
        spec: SPEC,
        generated: &GENERATED,
        generate: &generate,
        real_world: real_world.as_deref(),
    };
    print!("{}", bench::run_all(&workspace, scope == BenchScope::Cold)?);
    Ok(())
}

/// One synthetic size or spec file, in the child process `run` starts for
/// it: prints one line of `key=value` pairs.
pub(crate) fn run_one(root: &Path, subject: &BenchSubject) -> anyhow::Result<()> {
    let line = match subject {
        BenchSubject::Operations(operations) => bench::measure_one(&root.join(SPEC), *operations),
        BenchSubject::Spec(spec) => read_spec(spec)
            .with_context(|| spec.display().to_string())
            .and_then(|text| bench::measure_text(&spec.display().to_string(), &text)),
    }?;
    println!("{line}");
    Ok(())
}
