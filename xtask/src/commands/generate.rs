//! `cargo xtask gen [--check]`: writes the generated files that differ
//! from what the spec generates, each atomically; with `--check`, writes
//! nothing and prints a unified diff per stale file instead. Both answer
//! at once when the freshness stamp says nothing changed since `gen` last
//! left every file current (`xtask::freshness`).

use std::path::Path;
use std::process::ExitCode;

use xtask::{GENERATED, SPEC, diff, freshness, generate_all, write_if_changed};

/// Exit 0 when every file is current (or written), 1 when `--check` finds
/// a stale one, 2 on a bad spec or a failed write.
pub(crate) fn run(root: &Path, check: bool) -> ExitCode {
    if freshness::known_current(root) {
        if check {
            println!("generated code is up to date with {SPEC}");
        } else {
            GENERATED
                .iter()
                .for_each(|path| println!("{path} is up to date"));
        }
        return ExitCode::SUCCESS;
    }
    let files = match generate_all(root) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if check {
        let stale: Vec<_> = files.iter().filter_map(|file| diff(root, file)).collect();
        if stale.is_empty() {
            println!("generated code is up to date with {SPEC}");
            return ExitCode::SUCCESS;
        }
        freshness::forget(root);
        stale.iter().for_each(|patch| print!("{patch}"));
        eprintln!("error: generated code is stale; run `cargo xtask gen` and commit the result");
        return ExitCode::from(1);
    }
    for file in &files {
        match write_if_changed(root, file) {
            Ok(true) => println!(
                "wrote {} ({} lines)",
                file.path,
                file.content.lines().count()
            ),
            Ok(false) => println!("{} is up to date", file.path),
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", file.path);
                return ExitCode::from(2);
            }
        }
    }
    // Only `gen` leaves the stamp; `--check` never writes one.
    freshness::record_current(root);
    ExitCode::SUCCESS
}
