//! `cargo xtask`: the workspace's own commands (see `cargo xtask --help`).

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{SPEC, diff, generate_all, workspace_root, write_if_changed};

mod ci;
mod live;

const HELP: &str = "\
cargo xtask — the workspace's own commands

USAGE:
    cargo xtask gen            Regenerate the client, its typed mocks and its
                               CLI from spec/openapi.yaml (generated-client/
                               src/generated*.rs; files already current are
                               left untouched)
    cargo xtask gen --check    Write nothing; print a unified diff and fail
                               when a committed generated file is stale
    cargo xtask ci             The test command: install the pinned spec
                               tools if missing (`npm ci` in tools/; needs
                               Node.js 20), lint the spec with Redocly, run
                               `cargo test --workspace`, then the ignored
                               lint-gate and Prism contract tests
    cargo xtask bench          Measure generation (in-process, growth to
                               3,000 operations, the whole command) beside
                               openapi-generator, and the client beside raw
                               reqwest; prints Markdown (see BENCHMARKS.md)
    cargo xtask bench --cold   Also time a first `cargo xtask gen` on a fresh
                               clone with an empty target dir (minutes)
    cargo xtask spec-diff [--base REF] [--fail-on-breaking]
                               Print, as Markdown for a pull-request comment,
                               what the spec change from REF (default: the
                               merge-base with main, else HEAD) to the working
                               tree does to client users: each change marked
                               breaking or compatible, and the generated
                               client's public items added, removed, changed
    cargo xtask live           Run the client scenario against a real PostHog
                               (needs network): POSTHOG_HOST,
                               POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID
                               must be set; one line per step, exit 1 on any
                               failure, 2 when a variable is missing
    cargo xtask --help         Show this text

OPTIONS:
    --root DIR    Work on the checkout at DIR instead of this one

EXIT CODES:
    0  success    1  generated files are stale (--check), or a ci step failed
                     or spec-diff --fail-on-breaking found a breaking change
    2  bad spec or usage
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut command = None;
    let mut check = false;
    let mut cold = false;
    let mut operations = None;
    let mut base = None;
    let mut fail_on_breaking = false;
    let mut root = workspace_root();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => {
                print!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "--check" => check = true,
            "--cold" => cold = true,
            "--fail-on-breaking" => fail_on_breaking = true,
            "--base" => match args.next() {
                Some(revision) => base = Some(revision),
                None => return usage_error("--base needs a git revision"),
            },
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => return usage_error("--root needs a directory"),
            },
            "gen" | "ci" | "bench" | "bench-one" | "spec-diff" | "live" if command.is_none() => {
                command = Some(arg)
            }
            // `bench-one N`: one growth size, run by `bench` in a child process.
            size if command.as_deref() == Some("bench-one") && operations.is_none() => {
                match size.parse::<usize>() {
                    Ok(n) => operations = Some(n),
                    Err(_) => return usage_error("bench-one needs a number of operations"),
                }
            }
            other => return usage_error(&format!("unexpected argument `{other}`")),
        }
    }
    match command.as_deref() {
        Some(other) if check && other != "gen" => usage_error("--check belongs to `gen`"),
        Some(other) if cold && other != "bench" => usage_error("--cold belongs to `bench`"),
        Some(other) if (base.is_some() || fail_on_breaking) && other != "spec-diff" => {
            usage_error("--base and --fail-on-breaking belong to `spec-diff`")
        }
        Some("spec-diff") => xtask::spec_diff::command(&root, base.as_deref(), fail_on_breaking),
        Some("bench") => xtask::bench::run_all(&root, cold),
        Some("bench-one") => match operations {
            Some(n) => xtask::bench::run_one(&root, n),
            None => usage_error("bench-one needs a number of operations"),
        },
        Some("gen") => run_gen(&root, check),
        Some("ci") => ci::run(&root),
        Some("live") => live::run(&root),
        _ => usage_error("no command given"),
    }
}

fn run_gen(root: &std::path::Path, check: bool) -> ExitCode {
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
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{HELP}");
    ExitCode::from(2)
}
