//! `cargo xtask bench [--cold]` and its child `bench-one N`: the benchmark
//! harness (`bench`) run on this checkout's spec and generated files.

use std::path::Path;
use std::process::ExitCode;

use xtask::{GENERATED, SPEC, generate_all};

/// Measures everything and prints the Markdown report; exit 2 when the
/// committed spec does not generate.
pub(crate) fn run(root: &Path, cold: bool) -> ExitCode {
    let generate = || {
        generate_all(root)
            .map(drop)
            .map_err(|error| error.to_string())
    };
    let workspace = bench::Workspace {
        root,
        spec: SPEC,
        generated: &GENERATED,
        generate: &generate,
    };
    match bench::run_all(&workspace, cold) {
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

/// One growth size, in the child process `run` starts for it: prints one
/// line of `key=value` pairs.
pub(crate) fn run_one(root: &Path, operations: usize) -> ExitCode {
    match bench::measure_one(&root.join(SPEC), operations) {
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
