//! Codegen never panics, whatever the spec: a seeded random editor makes
//! small edits to `spec/openapi.yaml`, several per mutant (delete,
//! duplicate, re-indent or swap lines; change a scalar's type; drop a
//! `$ref` target; rename an operation or a parameter), and every mutant
//! must either generate or fail with an error that names a place (a
//! `line:column` or a JSON pointer).
//!
//! The default run makes `DEFAULT_MUTANTS` mutants. More, or one replayed:
//!
//! ```text
//! CODEGEN_MUTANTS=20000 cargo test -p codegen --test mutation          # a longer run
//! CODEGEN_MUTATION_SEED=7 cargo test -p codegen --test mutation        # another series
//! CODEGEN_MUTANT=0x1234abcd cargo test -p codegen --test mutation      # one mutant, replayed
//! ```
//!
//! A failure prints each failing mutant's seed (for `CODEGEN_MUTANT`), its
//! edits and what codegen did.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use codegen::{Settings, generate, parse, validate};
use mutator::{mutant_seed, mutate};

mod mutator;

/// Mutants in a plain `cargo test` run: about 3,600 edits, some 15 s in
/// the dev profile on two cores.
const DEFAULT_MUTANTS: u64 = 1_200;

/// The series a plain run makes; any other is one variable away.
const DEFAULT_SEED: u64 = 0x5eed_c0de;

/// The label mutants are parsed under, which errors must name.
const LABEL: &str = "mutant.yaml";

/// What codegen did with one mutant.
enum Outcome {
    Generated,
    Rejected,
    /// An error without a place, or a panic: the test fails on these.
    Bad(String),
}

fn run(text: &str) -> Outcome {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let spec = parse(LABEL, text)?;
        validate(&spec)?;
        generate(&spec, &Settings::default())
    }));
    match outcome {
        Ok(Ok(_)) => Outcome::Generated,
        Ok(Err(error)) => {
            let message = error.to_string();
            if names_a_place(&message) {
                Outcome::Rejected
            } else {
                Outcome::Bad(format!("error without a place: {message}"))
            }
        }
        Err(payload) => Outcome::Bad(format!(
            "panic: {}",
            payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
    }
}

/// `mutant.yaml:12:7: …` or `mutant.yaml#/paths/…: …` (every line of a
/// multi-problem error starts so).
fn names_a_place(message: &str) -> bool {
    message
        .lines()
        .filter(|line| !line.starts_with("  --> "))
        .all(|line| {
            let Some(rest) = line.strip_prefix(LABEL) else {
                return false;
            };
            if rest.starts_with('#') {
                return true;
            }
            let mut parts = rest.strip_prefix(':').unwrap_or_default().splitn(3, ':');
            let numeric = |part: Option<&str>| {
                part.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            };
            numeric(parts.next()) && numeric(parts.next())
        })
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

#[test]
fn no_mutant_of_the_spec_makes_codegen_panic_or_fail_without_a_place() {
    let spec =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
            .expect("the committed spec reads");
    let seeds: Vec<u64> = match env_number("CODEGEN_MUTANT") {
        Some(one) => vec![one],
        None => {
            let series = env_number("CODEGEN_MUTATION_SEED").unwrap_or(DEFAULT_SEED);
            let count = env_number("CODEGEN_MUTANTS").unwrap_or(DEFAULT_MUTANTS);
            (0..count).map(|index| mutant_seed(series, index)).collect()
        }
    };
    // Panics are caught and reported below; keep their default printing
    // (with backtraces) out of the way.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let results: Vec<(u64, Vec<String>, Outcome)> = std::thread::scope(|scope| {
        let chunks: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(workers).max(1))
            .map(|chunk| {
                let spec = &spec;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|&seed| {
                            let (mutant, edits) = mutate(spec, seed);
                            (seed, edits, run(&mutant))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks
            .into_iter()
            .flat_map(|handle| handle.join().expect("a mutation worker died"))
            .collect()
    });
    panic::set_hook(hook);

    let edits: usize = results.iter().map(|(_, edits, _)| edits.len()).sum();
    let generated = results
        .iter()
        .filter(|(_, _, outcome)| matches!(outcome, Outcome::Generated))
        .count();
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(seed, edits, outcome)| match outcome {
            Outcome::Bad(what) => Some(format!(
                "mutant CODEGEN_MUTANT={seed:#x}\n  edits: {}\n  {what}",
                edits.join("; ")
            )),
            _ => None,
        })
        .collect();
    println!(
        "{} mutants, {edits} edits: {generated} generated, {} rejected with a place, {} bad",
        results.len(),
        results.len() - generated - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The editor must also make specs that still generate, or the
    // generator would never be exercised past validation.
    if results.len() >= 100 {
        assert!(
            generated * 20 >= results.len(),
            "only {generated} mutants generated"
        );
    }
}

#[test]
fn the_editor_is_deterministic_and_edits() {
    let spec = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
    let first = mutate(spec, 42);
    assert_eq!(first, mutate(spec, 42));
    assert!(!first.1.is_empty());
    assert!((0..20).any(|seed| mutate(spec, seed).0 != spec));
}

#[test]
fn places_are_recognised() {
    assert!(names_a_place("mutant.yaml:12:7: duplicate key"));
    assert!(names_a_place(
        "mutant.yaml#/paths/~1a/get: no operationId\n  --> mutant.yaml:4:5"
    ));
    assert!(!names_a_place("mutant.yaml: something"));
    assert!(!names_a_place("progenitor panicked"));
}
