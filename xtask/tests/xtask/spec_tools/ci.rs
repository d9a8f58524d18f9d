//! `cargo xtask ci` never reports success without having run the tools it
//! needs: on a machine without Node it fails at once and says what to
//! install, instead of skipping the lint and contract tests; and it
//! reinstalls the tools whenever they are not what the lockfile pins.

use std::fs;
use std::path::Path;
use std::process::Command;

use xtask::tools::{INSTALL_STAMP, TOOLS_DIR, prism_bin, redocly_bin, tools_are_current};

#[test]
fn ci_without_node_fails_and_says_what_to_install() {
    // A checkout without tools/node_modules, on a PATH without node or npm.
    let checkout = tempfile::tempdir().unwrap();
    let empty_path = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["ci", "--root"])
        .arg(checkout.path())
        .env("PATH", empty_path.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("`node` is needed"), "{stderr}");
    assert!(stderr.contains("install Node.js 20"), "{stderr}");
    assert!(!stdout.contains("all steps passed"), "{stdout}");
}

#[test]
fn tools_are_reinstalled_unless_the_installed_lockfile_is_the_committed_one() {
    let root = tempfile::tempdir().unwrap();
    let tools = root.path().join(TOOLS_DIR);
    let touch = |path: &Path, text: &str| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    touch(&tools.join("package-lock.json"), "lock v1");
    touch(&redocly_bin(root.path()), "");
    touch(&prism_bin(root.path()), "");
    assert!(!tools_are_current(root.path()), "never installed");

    touch(&tools.join(INSTALL_STAMP), "lock v1");
    assert!(tools_are_current(root.path()));

    touch(&tools.join("package-lock.json"), "lock v2");
    assert!(!tools_are_current(root.path()), "the lockfile changed");

    touch(&tools.join(INSTALL_STAMP), "lock v2");
    fs::remove_file(prism_bin(root.path())).unwrap();
    assert!(!tools_are_current(root.path()), "a binary is missing");
}
