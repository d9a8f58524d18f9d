//! `cargo xtask upstream-diff` end to end: on PostHog's schema snapshot,
//! found as `.ci/run` finds it, the report is the golden file's, byte for
//! byte, with no drift; and every kind of bad input exits 2 with an error
//! naming the file.

use std::fs;
use std::path::Path;

use super::{workspace_root, xtask};

/// The report on the November 2025 snapshot, as committed.
const GOLDEN: &str = xtask::UPSTREAM_GOLDEN;

/// The snapshot `.ci/run` reads, by the same lookup; absent, the test fails
/// and says where it looked.
fn snapshot() -> std::path::PathBuf {
    xtask::posthog_full_spec(&workspace_root()).unwrap_or_else(|error| {
        panic!("upstream-diff's golden test needs PostHog's schema snapshot: {error}")
    })
}

#[test]
fn the_report_on_posthogs_snapshot_is_the_golden_file_and_finds_no_drift() {
    let root = workspace_root();
    let schema = snapshot();
    let output = xtask(&root, &["upstream-diff", schema.to_str().unwrap()]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let golden_path = root.join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden_path, &stdout).unwrap();
    }
    let golden = fs::read_to_string(&golden_path).unwrap();
    assert!(
        stdout == golden,
        "the report on {} differs from {GOLDEN}; if the change is meant, run `cargo xtask gen --all` (or this test with UPDATE_GOLDEN=1) and review the diff:\n{stdout}",
        schema.display()
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        golden.starts_with("## Upstream drift: `spec/openapi.yaml` against `posthog-full-openapi.yaml.gz`\n\n**0 drift, "),
        "{golden}"
    );
}

#[test]
fn an_undeclared_difference_is_drift_and_exits_1() {
    let dir = super::checkout(None);
    let spec = fs::read_to_string(dir.path().join(xtask::SPEC)).unwrap();
    // Drop the one declaration of the create body's `type`.
    let start = spec
        .find("        type:\n          x-upstream-departure: >-\n            PostHog's November 2025 schema marks it read-only")
        .expect("the spec declares the create body's `type`");
    let declaration = start + "        type:\n".len();
    let end = declaration
        + spec[declaration..]
            .find("\n          description:")
            .unwrap()
        + 1;
    let edited = format!("{}{}", &spec[..declaration], &spec[end..]);
    fs::write(dir.path().join(xtask::SPEC), edited).unwrap();
    let output = xtask(dir.path(), &["upstream-diff", snapshot().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("**1 drift, "), "{stdout}");
    assert!(
        stdout.contains("- **drift** request body `type`: ours is required, PostHog's optional; PostHog's alone marks it read-only\n"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("not declared as departures"));
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let put = |name: &str, content: &[u8]| {
        let path = dir.path().join(name);
        fs::write(&path, content).unwrap();
        path
    };
    let cases = [
        (
            put("broken.yaml", b"paths: [unclosed\n"),
            "broken.yaml:2:1: ",
        ),
        (
            put("plain.yaml.gz", b"openapi: 3.0.3\n"),
            "plain.yaml.gz: `gzip -dc` failed",
        ),
        (
            put(
                "new.json",
                br#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            ),
            "new.json#/openapi: OpenAPI version `3.1.0` is not supported",
        ),
        (
            put(
                "nopaths.yaml",
                b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
            ),
            "nopaths.yaml#/paths: the document has no `paths`",
        ),
        (
            put("binary.json", &[0xff, 0xfe, 0x00, 0x9f]),
            "binary.json: cannot read the spec",
        ),
        (
            dir.path().join("missing.yaml"),
            "missing.yaml: cannot read the spec",
        ),
    ];
    for (path, expected) in cases {
        let output = xtask(
            &workspace_root(),
            &["upstream-diff", path.to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}: {stderr}",
            path.display()
        );
        let shown = format!("error: {}", Path::new(dir.path()).join(expected).display());
        assert!(
            stderr.starts_with(&shown),
            "expected `{shown}`, got: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{}", path.display());
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
