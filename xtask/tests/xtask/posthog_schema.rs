//! Where PostHog's full schema is found (`xtask::posthog_full_spec_from`),
//! in throwaway folders laid out like this machine's: a checkout with the
//! shared folder beside it, or without. The variable wins; else the file
//! beside the checkout, or beside the checkout it was cloned from; else an
//! error naming both ways to provide it. `check-spec --posthog` and `bench`
//! both follow that lookup, read from the environment.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::git;
use xtask::{POSTHOG_FULL_SPEC, POSTHOG_SCHEMA, SchemaNotFound, posthog_full_spec_from};

/// `work/checkout`, and `work/shared/specs/…` beside it when `shared`.
fn layout(shared: bool) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let checkout = work.path().join("checkout");
    fs::create_dir_all(&checkout).unwrap();
    if shared {
        put(&checkout.join(POSTHOG_FULL_SPEC));
    }
    (work, checkout)
}

fn put(file: &Path) {
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(file, "openapi: 3.0.3\n").unwrap();
}

#[test]
fn the_variable_wins_over_the_shared_folder() {
    let (work, checkout) = layout(true);
    let chosen = work.path().join("fetched/openapi.yaml");
    put(&chosen);
    assert_eq!(
        posthog_full_spec_from(&checkout, Some(chosen.as_os_str())),
        Ok(chosen)
    );
    // A relative path is taken from the checkout, where .ci/run works.
    put(&checkout.join("mine.json.gz"));
    assert_eq!(
        posthog_full_spec_from(&checkout, Some(OsStr::new("mine.json.gz"))),
        Ok(checkout.join("mine.json.gz"))
    );
}

#[test]
fn a_variable_naming_no_file_is_an_error_not_a_fallback() {
    let (work, checkout) = layout(true);
    let missing = work.path().join("nope.yaml");
    let error = posthog_full_spec_from(&checkout, Some(missing.as_os_str())).unwrap_err();
    assert_eq!(error, SchemaNotFound::VariableNotAFile(missing.clone()));
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{POSTHOG_SCHEMA} is set to {}, which is not a file",
            missing.display()
        )),
        "{message}"
    );
}

#[test]
fn without_the_variable_the_shared_folder_beside_the_checkout() {
    let (_work, checkout) = layout(true);
    let beside = checkout.join(POSTHOG_FULL_SPEC);
    assert_eq!(posthog_full_spec_from(&checkout, None), Ok(beside.clone()));
    // Set but empty is not set, as in a workflow expression that is empty.
    assert_eq!(
        posthog_full_spec_from(&checkout, Some(OsStr::new(""))),
        Ok(beside)
    );
}

#[test]
fn a_clone_elsewhere_finds_the_folder_beside_the_checkout_it_came_from() {
    let (_work, original) = layout(true);
    let (_elsewhere, clone) = layout(false);
    git(&clone, &["init", "--quiet"]);
    git(
        &clone,
        &["remote", "add", "origin", original.to_str().unwrap()],
    );
    assert_eq!(
        posthog_full_spec_from(&clone, None),
        Ok(original.join(POSTHOG_FULL_SPEC))
    );
    // Missing there too, the error lists both places.
    fs::remove_file(original.join(POSTHOG_FULL_SPEC)).unwrap();
    let error = posthog_full_spec_from(&clone, None).unwrap_err();
    assert_eq!(
        error,
        SchemaNotFound::Nowhere(vec![
            clone.join(POSTHOG_FULL_SPEC),
            original.join(POSTHOG_FULL_SPEC)
        ])
    );
    assert!(
        error
            .to_string()
            .contains("is not beside the checkout nor beside the one it was cloned from"),
        "{error}"
    );
}

#[test]
fn with_neither_the_error_names_the_variable_the_folder_and_what_to_do() {
    let (_work, checkout) = layout(false);
    let error = posthog_full_spec_from(&checkout, None).unwrap_err();
    assert_eq!(
        error,
        SchemaNotFound::Nowhere(vec![checkout.join(POSTHOG_FULL_SPEC)])
    );
    let message = error.to_string();
    for part in [
        format!("{POSTHOG_SCHEMA} is not set"),
        format!("{POSTHOG_FULL_SPEC} is not beside the checkout"),
        checkout.join(POSTHOG_FULL_SPEC).display().to_string(),
        format!("Set {POSTHOG_SCHEMA} to the schema's path"),
        "bash .ci/fetch-posthog-schema FILE".to_owned(),
    ] {
        assert!(message.contains(&part), "{part:?} in {message}");
    }
}

/// `cargo xtask check-spec --posthog` as .ci/run starts it, with the
/// variable set to `variable` or unset.
fn check_posthog(checkout: &Path, variable: Option<&Path>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["check-spec", "--posthog", "--root"])
        .arg(checkout);
    match variable {
        Some(path) => command.env(POSTHOG_SCHEMA, path),
        None => command.env_remove(POSTHOG_SCHEMA),
    };
    command.output().unwrap()
}

#[test]
fn check_spec_posthog_reads_the_variable_and_says_what_is_missing() {
    let (work, checkout) = layout(false);
    let missing = work.path().join("fetched.yaml");
    let output = check_posthog(&checkout, Some(&missing));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {POSTHOG_SCHEMA} is set to {}, which is not a file",
            missing.display()
        )),
        "{stderr}"
    );

    let output = check_posthog(&checkout, None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: PostHog's full schema was not found: POSTHOG_SCHEMA is not set"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "{output:?}");
}

#[test]
fn bench_finds_the_schema_by_the_same_rule() {
    let (work, checkout) = layout(false);
    let missing = work.path().join("fetched.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["bench", "--root"])
        .arg(&checkout)
        .env(POSTHOG_SCHEMA, &missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {POSTHOG_SCHEMA} is set to {}, which is not a file",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "{output:?}");
}
