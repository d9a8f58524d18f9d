//! `cargo xtask spec-diff` end to end: the built binary, run with `--root`
//! on a temporary git repository whose commits hold the fixture spec and
//! the client generated from it, the way CI runs it on a pull request.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::git;
use xtask::{CLIENT, SPEC, generate_all};

/// The spec-diff engine's fixture: a small spec in the real one's style.
const BASE: &str = include_str!("../../../spec-diff/tests/fixtures/base.yaml");

/// The operation the pull request in [`repository`] removes, as the
/// Markdown titles it.
const RETRIEVE: &str =
    "`GET /api/projects/{project_id}/playlists/{short_id}/` (`playlists_retrieve`)";

/// `text` with `from`, which must occur exactly once, replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// `BASE` without the path item of `playlists_retrieve`.
fn without_retrieve() -> String {
    let start = BASE
        .find("  /api/projects/{project_id}/playlists/{short_id}/:\n")
        .unwrap();
    let end = start + BASE[start..].find("components:").unwrap();
    format!("{}{}", &BASE[..start], &BASE[end..])
}

/// Writes `spec` and, if asked, the client generated from it.
fn write_spec(dir: &Path, spec: &str, with_client: bool) {
    fs::create_dir_all(dir.join("spec")).unwrap();
    fs::write(dir.join(SPEC), spec).unwrap();
    if with_client {
        let files = generate_all(dir).expect("fixture generates");
        let client = files.iter().find(|file| file.path == CLIENT).unwrap();
        fs::create_dir_all(dir.join("generated-client/src")).unwrap();
        fs::write(dir.join(CLIENT), &client.content).unwrap();
    }
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A repository on `main`: the fixture and its client, then a commit that
/// removes `playlists_retrieve` (spec only: the client is left stale, as in
/// a pull request before `cargo xtask gen`).
fn repository() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write_spec(dir.path(), BASE, true);
    commit(dir.path(), "base");
    write_spec(dir.path(), &without_retrieve(), false);
    commit(dir.path(), "remove playlists_retrieve");
    dir
}

/// A repository on `main` with one commit: the fixture and the client
/// generated from it, as `main` always is.
fn fresh_repository() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write_spec(dir.path(), BASE, true);
    commit(dir.path(), "base");
    dir
}

/// Asserts that `text` (the command's output) contains `part`.
fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "no {part:?} in:\n{text}");
}

fn spec_diff(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .arg("spec-diff")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_breaking_change_is_reported_and_fails_only_with_fail_on_breaking() {
    let repo = repository();
    let short = git(repo.path(), &["rev-parse", "--short", "HEAD~1"]);

    let (code, stdout, stderr) = spec_diff(repo.path(), &["--base", "HEAD~1"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let expected = format!(
        "## Spec changes: `HEAD~1` (`{short}`) → working tree

**1 breaking, 0 compatible changes; 3 public items of the generated client removed or changed**

### Operations

#### {RETRIEVE}

- **breaking** [R1] operation removed — `Client::playlists_retrieve`, its builder `builder::PlaylistsRetrieve` and `operations::PLAYLISTS_RETRIEVE` are removed

### Generated client

Public items of `generated-client/src/generated.rs`, committed at the base versus generated from the working-tree spec:

- **breaking** `Client::playlists_retrieve` removed (`fn(&self) -> PlaylistsRetrieve<'_>`)
- **breaking** `builder::PlaylistsRetrieve` removed
- **breaking** `operations::PLAYLISTS_RETRIEVE` removed (`Operation`)
"
    );
    assert_eq!(stdout, expected);

    let (code, stdout_failing, stderr) =
        spec_diff(repo.path(), &["--base", "HEAD~1", "--fail-on-breaking"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout_failing, expected);
    assert_has(&stderr, "breaks users of the generated client (1 breaking)");
    // The command reads git objects only: the working tree is untouched.
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
}

#[test]
fn no_change_passes_even_with_fail_on_breaking() {
    let repo = fresh_repository();
    let (code, stdout, stderr) = spec_diff(repo.path(), &["--base", "HEAD", "--fail-on-breaking"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_has(&stdout, "\n**0 breaking, 0 compatible changes**\n");
    assert_has(&stdout, "\nNo changes: both specs describe the same API.\n");
    assert_has(&stdout, "No public item of the generated client changes.");
}

/// The spec is unchanged, but the client committed at the base still has
/// an operation the spec lost: users of that client lose a method, so the
/// verdict is breaking though no spec rule fired.
#[test]
fn public_items_the_client_loses_are_breaking_whatever_the_spec_says() {
    let repo = repository();
    let (code, stdout, stderr) = spec_diff(repo.path(), &["--base", "HEAD", "--fail-on-breaking"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert_has(
        &stdout,
        "\n**3 breaking, 0 compatible changes; 3 public items of the generated client removed or changed**\n",
    );
    assert_has(&stdout, "no spec rule names it");
    assert_has(
        &stdout,
        "- **breaking** `Client::playlists_retrieve` removed",
    );
    assert_has(&stderr, "breaks users of the generated client (3 breaking)");
}

#[test]
fn the_default_base_is_the_merge_base_with_main() {
    let repo = fresh_repository();
    let head = git(repo.path(), &["rev-parse", "--short", "HEAD"]);
    git(repo.path(), &["checkout", "-q", "-b", "feature"]);
    let spec = fs::read_to_string(repo.path().join(SPEC)).unwrap();
    fs::write(
        repo.path().join(SPEC),
        spec.replace("summary: List playlists", "summary: List the playlists"),
    )
    .unwrap();
    commit(repo.path(), "docs");
    // An uncommitted compatible change on top of the branch.
    let spec = fs::read_to_string(repo.path().join(SPEC)).unwrap();
    fs::write(
        repo.path().join(SPEC),
        edit(
            &spec,
            "enum: [private, public]",
            "enum: [private, public, team]",
        ),
    )
    .unwrap();

    let (code, stdout, stderr) = spec_diff(repo.path(), &["--fail-on-breaking"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!("## Spec changes: `{head}` → working tree\n")),
        "{stdout}"
    );
    assert_has(&stdout, "\n**0 breaking, 2 compatible changes**\n");
    assert_has(
        &stdout,
        "- **compatible** [C6] documentation changed (`summary`)",
    );
    assert_has(&stdout, "- `types::Visibility::Team` added");
}

#[test]
fn without_main_the_default_base_is_head() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "trunk"]);
    write_spec(dir.path(), BASE, true);
    commit(dir.path(), "base");
    let head = git(dir.path(), &["rev-parse", "--short", "HEAD"]);
    let (code, stdout, stderr) = spec_diff(dir.path(), &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "## Spec changes: `HEAD` (`{head}`) → working tree\n"
        )),
        "{stdout}"
    );
    assert_has(&stdout, "No public item of the generated client changes.");
}

#[test]
fn a_missing_base_revision_is_an_error() {
    let repo = repository();
    let (code, stdout, stderr) = spec_diff(
        repo.path(),
        &["--base", "no-such-branch", "--fail-on-breaking"],
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with("error: base `no-such-branch`: no such revision in "),
        "{stderr}"
    );
}

#[test]
fn an_unparsable_working_tree_spec_names_the_side_and_the_line() {
    let repo = repository();
    fs::write(
        repo.path().join(SPEC),
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: [\n",
    )
    .unwrap();
    let (code, stdout, stderr) = spec_diff(repo.path(), &["--base", "HEAD"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stderr.starts_with("error: working tree: spec/openapi.yaml:"),
        "{stderr}"
    );
    let place = stderr["error: working tree: spec/openapi.yaml:".len()..]
        .split(':')
        .take(2)
        .collect::<Vec<_>>();
    assert!(
        place.iter().all(|n| n.parse::<usize>().is_ok()),
        "no line:column in {stderr}"
    );
}

#[test]
fn an_unparsable_or_missing_base_spec_names_the_base() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    fs::write(dir.path().join("README"), "no spec yet\n").unwrap();
    commit(dir.path(), "empty");
    let empty = git(dir.path(), &["rev-parse", "--short", "HEAD"]);
    write_spec(dir.path(), "openapi: 3.0.3\npaths: {}\n", false);
    commit(dir.path(), "no info");
    let invalid = git(dir.path(), &["rev-parse", "--short", "HEAD"]);
    write_spec(dir.path(), BASE, false);

    let (code, _, stderr) = spec_diff(dir.path(), &["--base", "HEAD~1"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: base {empty}: spec/openapi.yaml is not in this revision"
        )),
        "{stderr}"
    );

    let (code, _, stderr) = spec_diff(dir.path(), &["--base", "HEAD"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: base {invalid}: spec/openapi.yaml")),
        "{stderr}"
    );
    assert!(stderr.contains("info"), "{stderr}");
}

#[test]
fn spec_diff_options_are_usage_errors_elsewhere() {
    let repo = repository();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(repo.path())
        .args(["gen", "--fail-on-breaking"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--base and --fail-on-breaking belong to `spec-diff`")
    );
    let (code, _, stderr) = spec_diff(repo.path(), &["--base"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--base needs a git revision"), "{stderr}");
}
