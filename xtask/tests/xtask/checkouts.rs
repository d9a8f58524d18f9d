//! One binary, several checkouts. Checkouts that share a `CARGO_TARGET_DIR`
//! share the xtask binary too, so the binary must find its checkout when it
//! runs, never where it was compiled: each run reads and writes the
//! checkout it was started in, and only that one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use super::{GENERATED, checkout};

/// The binary as `cargo xtask gen` starts it in `checkout`: cargo names
/// the package it runs and that package's folder.
fn gen_through_cargo(checkout: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("gen")
        .current_dir(checkout)
        .env("CARGO_PKG_NAME", "xtask")
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .unwrap()
}

/// The binary started by hand in `dir`, with nothing from cargo.
fn gen_by_hand(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("gen")
        .current_dir(dir)
        .env_remove("CARGO_PKG_NAME")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap()
}

fn generated_in(checkout: &Path) -> Vec<bool> {
    GENERATED
        .iter()
        .map(|file| checkout.join(file).is_file())
        .collect()
}

#[test]
fn the_same_binary_writes_each_checkout_it_runs_in_and_no_other() {
    let (first, second) = (checkout(None), checkout(None));
    let (first, second) = (first.path(), second.path());
    let nothing = vec![false; GENERATED.len()];
    let everything = vec![true; GENERATED.len()];

    let output = gen_through_cargo(first);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(generated_in(first), everything, "{output:?}");
    assert_eq!(generated_in(second), nothing);
    for file in GENERATED {
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(&format!("wrote {file}")),
            "{output:?}"
        );
    }

    // By hand, from a folder inside the second checkout.
    let output = gen_by_hand(&second.join("spec"));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(generated_in(second), everything, "{output:?}");
    for file in GENERATED {
        assert_eq!(
            fs::read(first.join(file)).unwrap(),
            fs::read(second.join(file)).unwrap()
        );
    }
}

#[test]
fn outside_any_checkout_it_says_so_and_writes_nothing() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = gen_by_hand(elsewhere.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: no spec/openapi.yaml in ")
            && stderr.contains("run inside a checkout of the workspace, or pass --root DIR"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}
