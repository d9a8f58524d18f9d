//! `cargo xtask bench [--cold | --downstream]` and its child `bench-one N|FILE`: the
//! benchmark harness (`bench`) run on this checkout's spec and generated
//! files, and on PostHog's whole API when the machine has it.

use std::path::Path;
use std::process::ExitCode;

use xtask::{GENERATED, POSTHOG_FULL_SPEC, SPEC, generate_all, read_spec};

use crate::cli::{BenchScope, BenchSubject};

/// Measures what `scope` asks for and prints the Markdown report; exit 2
/// when the committed spec does not generate.
pub(crate) fn run(root: &Path, scope: BenchScope) -> ExitCode {
    if scope == BenchScope::Downstream {
        print!("{}", bench::run_downstream(root));
        return ExitCode::SUCCESS;
    }
    let generate = || {
        generate_all(root)
            .map(drop)
            .map_err(|error| error.to_string())
    };
    let real_world = root.join(POSTHOG_FULL_SPEC);
    let workspace = bench::Workspace {
        root,
        spec: SPEC,
        generated: &GENERATED,
        generate: &generate,
        real_world: real_world.is_file().then_some(real_world.as_path()),
    };
    match bench::run_all(&workspace, scope == BenchScope::Cold) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// One synthetic size or spec file, in the child process `run` starts for
/// it: prints one line of `key=value` pairs.
pub(crate) fn run_one(root: &Path, subject: &BenchSubject) -> ExitCode {
    let line = match subject {
        BenchSubject::Operations(operations) => bench::measure_one(&root.join(SPEC), *operations),
        BenchSubject::Spec(spec) => read_spec(spec)
            .map_err(|error| format!("{}: {error}", spec.display()))
            .and_then(|text| bench::measure_text(&spec.display().to_string(), &text)),
    };
    match line {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
