//! `.ci/publish`, the release workflow's publishing step, as far as it
//! runs offline: which tag it accepts and what it would publish, in which
//! order. The upload itself needs crates.io and a token, so only the
//! workflow on GitHub runs it.

use std::process::{Command, Output};

use crate::workspace_root;

fn publish(args: &[&str]) -> Output {
    Command::new("bash")
        .arg(".ci/publish")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .unwrap()
}

/// posthog-api's version, as its manifest sets it.
fn client_version() -> String {
    let manifest =
        std::fs::read_to_string(workspace_root().join("generated-client/Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap()
        .to_owned()
}

#[test]
fn a_release_publishes_each_published_crate_after_what_it_depends_on() {
    let tag = format!("v{}", client_version());
    let output = publish(&[&tag, "--plan"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let order: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    // The client's tests use the fake, the CLI uses both: crates.io needs
    // every dependency, dev-dependencies included, to be there first.
    assert_eq!(
        order,
        ["posthog-fake", "posthog-api", "posthog-cli"],
        "{stdout}"
    );
}

#[test]
fn a_tag_that_is_not_the_clients_version_publishes_nothing() {
    let output = publish(&["v0.0.1", "--plan"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("tag v0.0.1 is not posthog-api's version"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("v{}", client_version())),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    let output = publish(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: .ci/publish TAG"));
}
