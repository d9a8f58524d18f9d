//! `cargo xtask`: the workspace's own commands (see `cargo xtask --help`).

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{diff, generate_all, workspace_root, write_if_changed};

const HELP: &str = "\
cargo xtask — the workspace's own commands

USAGE:
    cargo xtask gen            Regenerate the client from spec/openapi.yaml
                               (writes generated-client/src/generated.rs;
                               files already current are left untouched)
    cargo xtask gen --check    Write nothing; print a unified diff and fail
                               when a committed generated file is stale
    cargo xtask --help         Show this text

OPTIONS:
    --root DIR    Work on the checkout at DIR instead of this one

EXIT CODES:
    0  success    1  generated files are stale (--check)    2  bad spec or usage
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut command = None;
    let mut check = false;
    let mut root = workspace_root();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => {
                print!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "--check" => check = true,
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => return usage_error("--root needs a directory"),
            },
            "gen" if command.is_none() => command = Some(arg),
            other => return usage_error(&format!("unexpected argument `{other}`")),
        }
    }
    match command.as_deref() {
        Some("gen") => run_gen(&root, check),
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
            println!("generated code is up to date with spec/openapi.yaml");
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
