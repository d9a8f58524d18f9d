//! Whether the generated files are known to be current without running
//! the generator. `cargo xtask gen` leaves a stamp in `target/xtask/` once
//! every file matches the spec: a fingerprint of the spec, the generated
//! files and the xtask binary itself (its path, size and modification
//! time, so a rebuilt codegen is a new fingerprint). When a later `gen` or
//! `gen --check` finds the same fingerprint, generation is deterministic,
//! so its output would be the files as they are: it can answer at once.
//! Any change to any of them — an edited spec, a hand-edited generated
//! file, a new build — misses the stamp and runs the generator. The drift
//! test and CI's fresh clone never have a stamp, so they always generate.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::{GENERATED, SPEC};

/// The stamp, relative to the workspace root (`/target` is git-ignored).
pub const STAMP: &str = "target/xtask/generated.stamp";

/// Whether the stamp says every generated file under `root` is current.
pub fn known_current(root: &Path) -> bool {
    let recorded = fs::read_to_string(root.join(STAMP));
    matches!((recorded, fingerprint(root)), (Ok(recorded), Some(now)) if recorded == now)
}

/// Records that every generated file under `root` is current. Best effort:
/// without a stamp the next run generates, which is only slower.
pub fn record_current(root: &Path) {
    let Some(now) = fingerprint(root) else { return };
    let stamp = root.join(STAMP);
    if let Some(folder) = stamp.parent() {
        let _ = fs::create_dir_all(folder).and_then(|()| fs::write(&stamp, now));
    }
}

/// Forgets the stamp, e.g. when a run found a stale file.
pub fn forget(root: &Path) {
    let _ = fs::remove_file(root.join(STAMP));
}

/// The fingerprint of the spec, the generated files and this binary;
/// `None` when this binary cannot be found.
fn fingerprint(root: &Path) -> Option<String> {
    let mut hasher = DefaultHasher::new();
    let binary: PathBuf = std::env::current_exe().ok()?;
    let metadata = fs::metadata(&binary).ok()?;
    (binary, metadata.len(), metadata.modified().ok()).hash(&mut hasher);
    for file in std::iter::once(SPEC).chain(GENERATED) {
        file.hash(&mut hasher);
        fs::read(root.join(file)).ok().hash(&mut hasher);
    }
    Some(format!("{:016x}\n", hasher.finish()))
}
