//! `cargo xtask` as users and CI run it: the drift test that makes plain
//! `cargo test` catch a stale client, and the binary run against throwaway
//! checkouts to prove `--check` and failed runs never touch a file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::{CLI, CLIENT, GENERATED, HTTPMOCK, SPEC, diff, generate_all};

/// Which checkout the binary works on, when it is not told.
mod checkouts;
/// Where the peer corpus is found, for CI.
mod peer_specs;
/// Where PostHog's full schema is found, for CI and the benchmarks.
mod posthog_schema;
/// `.ci/publish`: the tag it takes and the order it publishes in.
mod release;
/// `cargo xtask spec-diff` end to end, in temporary git repositories.
mod spec_diff;
mod spec_tools;
/// The checkout's own text: no path of one machine, no link to nothing.
mod tidy;
/// `cargo xtask upstream-diff` on PostHog's snapshot, and on bad input.
mod upstream_diff;

/// Runs git in `dir` as a throwaway identity; returns its stdout.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=spec-diff test",
            "-c",
            "user.email=spec-diff@example.com",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// The checkout these tests run in.
fn workspace_root() -> PathBuf {
    xtask::workspace_root().expect("the tests run inside the workspace")
}

/// `cargo xtask check-spec`: any spec into a compiled scratch crate.
mod check_spec;

#[test]
fn committed_generated_code_is_current() {
    let root = workspace_root();
    let stale: Vec<String> = generate_all(&root)
        .expect("the committed spec generates")
        .iter()
        .filter_map(|file| diff(&root, file))
        .collect();
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask gen` and commit the result:\n{}",
        stale.concat()
    );
}

/// A throwaway checkout holding the committed spec and, if `client` is
/// given, every generated file: the client with that content, the others
/// as committed.
fn checkout(client: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::create_dir_all(dir.path().join("generated-client/src")).unwrap();
    fs::copy(workspace_root().join(SPEC), dir.path().join(SPEC)).unwrap();
    if let Some(content) = client {
        for file in [HTTPMOCK, CLI] {
            fs::copy(workspace_root().join(file), dir.path().join(file)).unwrap();
        }
        fs::write(dir.path().join(CLIENT), content).unwrap();
    }
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn committed_client() -> String {
    fs::read_to_string(workspace_root().join(CLIENT)).unwrap()
}

/// Asserts that `generated-client/src` under `root` holds the generated
/// files and nothing else: no temporary file is left behind.
fn assert_only_generated_files(root: &Path) {
    let mut names: Vec<_> = fs::read_dir(root.join("generated-client/src"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<_> = GENERATED
        .iter()
        .map(|path| path.rsplit('/').next().unwrap().to_owned())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn check_passes_on_a_current_checkout() {
    let dir = checkout(Some(&committed_client()));
    let output = xtask(dir.path(), &["gen", "--check"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
}

#[test]
fn check_on_a_stale_file_prints_a_diff_fails_and_writes_nothing() {
    let stale = committed_client().replace("Checks that the caller", "Checked that the caller");
    let dir = checkout(Some(&stale));
    let output = xtask(dir.path(), &["gen", "--check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("--- a/{CLIENT} (committed)")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("+++ b/{CLIENT} (from {SPEC})")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with('-') && l.contains("Checked that the caller")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with('+') && l.contains("Checks that the caller")),
        "{stdout}"
    );
    // Said once, by `main`, in the one format every error has.
    assert_eq!(
        stderr,
        "error: generated code is stale; run `cargo xtask gen` and commit the result\n"
    );
    assert_eq!(fs::read_to_string(dir.path().join(CLIENT)).unwrap(), stale);
    assert_only_generated_files(dir.path());
}

#[test]
fn check_reports_a_missing_file_as_stale() {
    let dir = checkout(None);
    let output = xtask(dir.path(), &["gen", "--check"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(!dir.path().join(CLIENT).exists());
}

#[test]
fn gen_on_a_broken_spec_fails_and_leaves_every_file_as_it_was() {
    let dir = checkout(Some("// committed output\n"));
    let spec = fs::read_to_string(dir.path().join(SPEC)).unwrap();
    let broken = spec.replace(
        "'#/components/schemas/QueryUpgradeRequest'",
        "'#/components/schemas/Nope'",
    );
    assert_ne!(broken, spec);
    fs::write(dir.path().join(SPEC), &broken).unwrap();

    let output = xtask(dir.path(), &["gen"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("spec/openapi.yaml#/paths/~1api~1projects~1{project_id}~1query~1upgrade~1/post/requestBody/content/application~1json/schema/$ref: `$ref: #/components/schemas/Nope` points at nothing"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join(CLIENT)).unwrap(),
        "// committed output\n"
    );
    assert_eq!(fs::read_to_string(dir.path().join(SPEC)).unwrap(), broken);
    assert_only_generated_files(dir.path());
}

#[test]
fn gen_twice_writes_identical_bytes_then_nothing() {
    let dir = checkout(None);
    let first = xtask(dir.path(), &["gen"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let read_all = || GENERATED.map(|file| fs::read(dir.path().join(file)).unwrap());
    let written = read_all();
    for file in GENERATED {
        assert!(String::from_utf8_lossy(&first.stdout).contains(&format!("wrote {file}")));
    }

    let second = xtask(dir.path(), &["gen"]);
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    for file in GENERATED {
        assert!(String::from_utf8_lossy(&second.stdout).contains(&format!("{file} is up to date")));
    }
    assert_eq!(read_all(), written);
    // Another process, another directory: the same bytes as committed.
    assert_eq!(
        written,
        GENERATED.map(|file| fs::read(workspace_root().join(file)).unwrap())
    );
    assert_only_generated_files(dir.path());
}

#[test]
fn the_freshness_stamp_never_hides_an_edit() {
    let dir = checkout(None);
    let stamp = dir.path().join(xtask::freshness::STAMP);
    let check = || xtask(dir.path(), &["gen", "--check"]);

    assert_eq!(check().status.code(), Some(1));
    assert!(
        !stamp.exists(),
        "--check must write nothing, not even a stamp"
    );
    assert_eq!(xtask(dir.path(), &["gen"]).status.code(), Some(0));
    assert!(
        stamp.exists(),
        "gen leaves a stamp once every file is current"
    );
    assert_eq!(check().status.code(), Some(0));

    // A hand-edited generated file misses the stamp and shows in the diff.
    let client = dir.path().join(CLIENT);
    let generated = fs::read_to_string(&client).unwrap();
    fs::write(&client, generated.replace("pub struct", "pub  struct")).unwrap();
    let edited = check();
    assert_eq!(edited.status.code(), Some(1), "{edited:?}");
    assert!(String::from_utf8_lossy(&edited.stdout).contains("+++ b/"));
    assert!(!stamp.exists(), "a stale file forgets the stamp");

    // So does a spec edit after a fresh stamp.
    assert_eq!(xtask(dir.path(), &["gen"]).status.code(), Some(0));
    let spec = fs::read_to_string(dir.path().join(SPEC)).unwrap();
    let changed = spec.replace("Checks that the caller", "Checked that the caller");
    assert_ne!(changed, spec);
    fs::write(dir.path().join(SPEC), changed).unwrap();
    let after_spec_edit = check();
    assert_eq!(
        after_spec_edit.status.code(),
        Some(1),
        "{after_spec_edit:?}"
    );
    assert!(String::from_utf8_lossy(&after_spec_edit.stdout).contains("Checked that the caller"));
}

/// Runs the binary with `args` only.
fn xtask_bare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_way_of_asking_for_help_prints_it_and_succeeds() {
    let outputs: Vec<Output> = [["--help"], ["-h"], ["help"]]
        .iter()
        .map(|args| xtask_bare(args))
        .collect();
    for output in &outputs {
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert!(output.stderr.is_empty(), "{output:?}");
        assert_eq!(output.stdout, outputs[0].stdout);
    }
    assert!(!outputs[0].stdout.is_empty());
}

#[test]
fn a_usage_error_exits_2_with_the_reason_then_the_help() {
    let help = xtask_bare(&["--help"]).stdout;
    let output = xtask_bare(&["generate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        format!(
            "error: unexpected argument `generate`\n\n{}\n",
            String::from_utf8_lossy(&help)
        )
    );
}

/// The README shows the workflow's pull-request job for people wiring
/// their own; the copy and the job CI runs must not drift apart.
#[test]
fn the_readme_shows_the_workflows_spec_diff_job() {
    let read = |file: &str| fs::read_to_string(workspace_root().join(file)).unwrap();
    let (readme, workflow) = (read("README.md"), read(".github/workflows/ci.yml"));
    let job = readme
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows a YAML block");
    assert!(job.starts_with("  spec-diff:\n"), "{job}");
    assert!(
        workflow.contains(job),
        "the README's job differs from .github/workflows/ci.yml:\n{job}"
    );
}
