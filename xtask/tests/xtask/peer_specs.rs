//! Where the peer corpus is found (`xtask::peer_specs_from`), in throwaway
//! folders: the list `.ci/peer-specs.sha256` names the files, each taken
//! gzipped (as the shared folder keeps them) or not (as the fetch script
//! writes them) from the folder the variable names, else the one beside
//! the checkout; a missing folder or file is an error that says what to do.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use xtask::{PEER_SPECS, PEER_SPECS_DIR, PEER_SPECS_LIST, PeerSpecsNotFound, peer_specs_from};

/// `work/checkout` with a list of two specs, and the shared folder beside
/// it holding the first gzipped and the second plain when `shared`.
fn layout(shared: bool) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let checkout = work.path().join("checkout");
    let list = checkout.join(PEER_SPECS_LIST);
    fs::create_dir_all(list.parent().unwrap()).unwrap();
    let sha = "0".repeat(64);
    fs::write(&list, format!("{sha}  a.json\n{sha}  b.yaml\n")).unwrap();
    if shared {
        let folder = checkout.join(PEER_SPECS_DIR);
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("a.json.gz"), b"").unwrap();
        fs::write(folder.join("b.yaml"), b"").unwrap();
    }
    (work, checkout)
}

fn file_names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_list_names_the_specs_gzipped_or_not_beside_the_checkout() {
    let (_work, checkout) = layout(true);
    let specs = peer_specs_from(&checkout, None).unwrap();
    assert_eq!(file_names(&specs), ["a.json.gz", "b.yaml"]);
    assert!(
        specs
            .iter()
            .all(|spec| spec.starts_with(checkout.join(PEER_SPECS_DIR)))
    );
}

#[test]
fn the_variable_wins_and_a_folder_without_a_listed_spec_says_which() {
    let (work, checkout) = layout(true);
    let fetched = work.path().join("fetched");
    fs::create_dir_all(&fetched).unwrap();
    fs::write(fetched.join("a.json"), b"").unwrap();
    let error = peer_specs_from(&checkout, Some(fetched.as_os_str())).unwrap_err();
    assert_eq!(
        error,
        PeerSpecsNotFound::Spec {
            folder: fetched.clone(),
            name: "b.yaml".into()
        }
    );
    assert!(
        error
            .to_string()
            .contains("has no b.yaml (nor b.yaml.gz), which .ci/peer-specs.sha256 lists"),
        "{error}"
    );
    fs::write(fetched.join("b.yaml"), b"").unwrap();
    let specs = peer_specs_from(&checkout, Some(fetched.as_os_str())).unwrap();
    assert_eq!(specs, [fetched.join("a.json"), fetched.join("b.yaml")]);
}

#[test]
fn without_the_folder_the_error_names_the_variable_the_place_and_the_fetch() {
    let (_work, checkout) = layout(false);
    let error = peer_specs_from(&checkout, Some(OsStr::new(""))).unwrap_err();
    let message = error.to_string();
    for part in [
        format!("{PEER_SPECS} is not set"),
        checkout.join(PEER_SPECS_DIR).display().to_string(),
        "bash .ci/fetch-peer-specs DIR".to_owned(),
    ] {
        assert!(message.contains(&part), "{part}: {message}");
    }
    let missing = Path::new("no/such/folder");
    let error = peer_specs_from(&checkout, Some(missing.as_os_str())).unwrap_err();
    assert!(
        error.to_string().starts_with(&format!(
            "{PEER_SPECS} is set to {}",
            checkout.join(missing).display()
        )),
        "{error}"
    );
}
