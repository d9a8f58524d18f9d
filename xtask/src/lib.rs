//! The policy half of code generation: which spec, which files, how they are
//! written and checked. `codegen` turns a spec into text; this crate decides
//! where that text lives, so `cargo xtask gen`, `cargo xtask gen --check`
//! and the drift test all agree on one list of files. [`tools`] does the
//! same for the spec gate's Node tools (`cargo xtask ci`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub mod bench;
pub mod check_spec;
pub mod spec_diff;
pub mod tools;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";

/// The generated client module, relative to the workspace root.
pub const CLIENT: &str = "generated-client/src/generated.rs";

/// The generated typed mocks (`posthog_api::mock`, feature `httpmock`).
pub const HTTPMOCK: &str = "generated-client/src/generated_httpmock.rs";

/// The generated command line (`posthog_api::cli`, feature `cli`).
pub const CLI: &str = "generated-client/src/generated_cli.rs";

/// A file as generation wants it to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// The complete content.
    pub content: String,
}

/// The workspace this xtask was built in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Loads, validates and generates from the spec under `root`; writes nothing.
/// A codegen warning is an error here: CI fails on any.
pub fn generate_all(root: &Path) -> Result<Vec<GeneratedFile>, codegen::Error> {
    let spec = codegen::load(root.join(SPEC))?;
    codegen::validate(&spec)?;
    // The workspace's own spec generates exactly as written, or not at all.
    let mut settings = codegen::Settings::default();
    settings.deny_warnings = true;
    let generated = codegen::generate(&spec, &settings)?;
    Ok(vec![
        GeneratedFile {
            path: CLIENT,
            content: generated.client,
        },
        GeneratedFile {
            path: HTTPMOCK,
            content: generated.httpmock,
        },
        GeneratedFile {
            path: CLI,
            content: generated.cli,
        },
    ])
}

/// What `file` would change on disk under `root`: a unified diff, or `None`
/// when the committed file is already current.
pub fn diff(root: &Path, file: &GeneratedFile) -> Option<String> {
    let committed = fs::read_to_string(root.join(file.path)).unwrap_or_default();
    (committed != file.content).then(|| {
        similar::TextDiff::from_lines(&committed, &file.content)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{} (committed)", file.path),
                &format!("b/{} (from {SPEC})", file.path),
            )
            .to_string()
    })
}

/// Writes `file` under `root` unless it is already current; returns whether
/// it wrote. The write is atomic: a temporary file in the same folder,
/// renamed over the old one, so a failure never leaves half a file.
pub fn write_if_changed(root: &Path, file: &GeneratedFile) -> io::Result<bool> {
    let target = root.join(file.path);
    if fs::read_to_string(&target).is_ok_and(|current| current == file.content) {
        return Ok(false);
    }
    let file_name = target
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("generated");
    let temporary = target.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    fs::write(&temporary, &file.content)
        .and_then(|()| fs::rename(&temporary, &target))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })?;
    Ok(true)
}
