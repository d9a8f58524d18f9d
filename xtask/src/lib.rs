//! The workspace's layout and policy, shared by the `cargo xtask` commands
//! and their tests: which checkout, which spec, which generated files, how
//! they are written and checked. `codegen` turns a spec into text; this
//! crate decides where that text lives, so `cargo xtask gen`, `cargo xtask
//! gen --check`, spec-diff, the benchmarks and the drift test all agree on
//! one list of files. [`tools`] does the same for the spec gate's Node
//! tools (`cargo xtask ci`). The commands themselves are in the binary.

use anyhow::Context as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod freshness;
pub mod tools;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";

/// The generated client module, relative to the workspace root.
pub const CLIENT: &str = "generated-client/src/generated.rs";

/// The generated typed mocks (`posthog_api::mock`, feature `httpmock`).
pub const HTTPMOCK: &str = "generated-client/src/generated_httpmock.rs";

/// The generated command line (`posthog_api::cli`, feature `cli`).
pub const CLI: &str = "generated-client/src/generated_cli.rs";

/// PostHog's whole published API (823 operations), relative to the
/// workspace root: test data beside the checkout, never inside it. CI
/// checks that it generates and compiles (`check-spec --posthog`, in
/// `.ci/run`); `cargo xtask bench` times it when it is there. Both find it
/// with [`posthog_full_spec`].
pub const POSTHOG_FULL_SPEC: &str = "../shared/specs/posthog-full-openapi.yaml.gz";

/// The environment variable that names PostHog's full schema where
/// [`POSTHOG_FULL_SPEC`] is not beside the checkout (a GitHub runner, where
/// the workflow fetches the pinned snapshot with `.ci/fetch-posthog-schema`).
pub const POSTHOG_SCHEMA: &str = "POSTHOG_SCHEMA";

/// Why [`posthog_full_spec`] found no schema; its message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaNotFound {
    /// [`POSTHOG_SCHEMA`] is set, to this path, which is not a file. The
    /// variable wins, so nothing else is tried: a wrong path is an error,
    /// never a quiet fallback to another file.
    VariableNotAFile(PathBuf),
    /// The variable is not set and no file is at these places.
    Nowhere(Vec<PathBuf>),
}

impl std::fmt::Display for SchemaNotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaNotFound::VariableNotAFile(path) => write!(
                f,
                "{POSTHOG_SCHEMA} is set to {}, which is not a file; point it at PostHog's \
                 schema (OpenAPI .yaml or .json, optionally .gz), or unset it to use \
                 {POSTHOG_FULL_SPEC} beside the checkout",
                path.display()
            ),
            SchemaNotFound::Nowhere(searched) => {
                let origin = if searched.len() > 1 {
                    " nor beside the one it was cloned from"
                } else {
                    ""
                };
                let searched: Vec<String> = searched
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect();
                write!(
                    f,
                    "PostHog's full schema was not found: {POSTHOG_SCHEMA} is not set, and \
                     {POSTHOG_FULL_SPEC} is not beside the checkout{origin} (looked at {}). Set \
                     {POSTHOG_SCHEMA} to the schema's path (OpenAPI .yaml or .json, optionally \
                     .gz), or put the file there; `bash .ci/fetch-posthog-schema FILE` \
                     downloads the snapshot CI pins and checks its SHA-256 (needs network)",
                    searched.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for SchemaNotFound {}

/// PostHog's full schema for the checkout at `root`, as `.ci/run`
/// (`check-spec --posthog`) and `cargo xtask bench` find it: the lookup of
/// [`posthog_full_spec_from`], given this process's [`POSTHOG_SCHEMA`].
pub fn posthog_full_spec(root: &Path) -> Result<PathBuf, SchemaNotFound> {
    posthog_full_spec_from(root, std::env::var_os(POSTHOG_SCHEMA).as_deref())
}

/// PostHog's full schema for the checkout at `root`, given the value of
/// [`POSTHOG_SCHEMA`] (`None` or empty: not set):
///
/// 1. the variable's path when it is set, relative paths taken from
///    `root` (the checkout, where `.ci/run` and `cargo xtask` work);
/// 2. else [`POSTHOG_FULL_SPEC`] beside the checkout;
/// 3. else the same beside the checkout this one was cloned from, when its
///    `origin` is a folder on this machine: CI here clones into a temp
///    folder, away from the shared folder beside the original.
pub fn posthog_full_spec_from(
    root: &Path,
    variable: Option<&std::ffi::OsStr>,
) -> Result<PathBuf, SchemaNotFound> {
    beside_checkout(root, variable, POSTHOG_FULL_SPEC, Path::is_file)
}

/// Test data beside the checkout at `root` by the three steps of
/// [`posthog_full_spec_from`]: the path `variable` gives, else `relative`
/// to the checkout, else to the one it was cloned from; `found` says
/// whether a path is there.
fn beside_checkout(
    root: &Path,
    variable: Option<&std::ffi::OsStr>,
    relative: &str,
    found: fn(&Path) -> bool,
) -> Result<PathBuf, SchemaNotFound> {
    if let Some(value) = variable.filter(|value| !value.is_empty()) {
        let path = root.join(value);
        return if found(&path) {
            Ok(path)
        } else {
            Err(SchemaNotFound::VariableNotAFile(path))
        };
    }
    let mut searched = vec![root.join(relative)];
    if let Some(origin) = origin_folder(root) {
        searched.push(origin.join(relative));
    }
    match searched.iter().find(|path| found(path)) {
        Some(path) => Ok(path.clone()),
        None => Err(SchemaNotFound::Nowhere(searched)),
    }
}

/// The peer corpus, relative to the workspace root: real OpenAPI documents
/// of other projects (progenitor's test specs, GitHub's and Oxide's APIs),
/// beside the checkout, never in it. CI checks that each generates and
/// compiles (`check-spec --peer`, in `.ci/run`).
pub const PEER_SPECS_DIR: &str = "../shared/specs/peer";

/// The environment variable that names the peer corpus's folder where
/// [`PEER_SPECS_DIR`] is not beside the checkout (a GitHub runner, where
/// the workflow fetches it with `.ci/fetch-peer-specs`).
pub const PEER_SPECS: &str = "PEER_SPECS";

/// The corpus, relative to the workspace root: one `SHA-256  FILE` line per
/// spec (of the file uncompressed), which `.ci/fetch-peer-specs` checks
/// and [`peer_specs`] lists.
pub const PEER_SPECS_LIST: &str = ".ci/peer-specs.sha256";

/// Why [`peer_specs`] found no corpus; its message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerSpecsNotFound {
    /// The folder is nowhere ([`posthog_full_spec_from`]'s steps).
    Folder(SchemaNotFound),
    /// The folder lacks a spec the list names.
    Spec {
        /// The folder looked in.
        folder: PathBuf,
        /// The file the list names.
        name: String,
    },
    /// [`PEER_SPECS_LIST`] cannot be read or names nothing.
    List(String),
}

impl std::fmt::Display for PeerSpecsNotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeerSpecsNotFound::Folder(SchemaNotFound::VariableNotAFile(path)) => write!(
                f,
                "{PEER_SPECS} is set to {}, which is not a folder; point it at the peer specs \
                 (`bash .ci/fetch-peer-specs DIR` fetches them), or unset it to use \
                 {PEER_SPECS_DIR} beside the checkout",
                path.display()
            ),
            PeerSpecsNotFound::Folder(SchemaNotFound::Nowhere(searched)) => {
                let searched: Vec<String> = searched
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect();
                write!(
                    f,
                    "the peer specs were not found: {PEER_SPECS} is not set, and no folder is at \
                     {}. Set {PEER_SPECS} to their folder, or run `bash .ci/fetch-peer-specs DIR` \
                     (needs network), which downloads the files {PEER_SPECS_LIST} lists and \
                     checks their SHA-256",
                    searched.join(" or ")
                )
            }
            PeerSpecsNotFound::Spec { folder, name } => write!(
                f,
                "{} has no {name} (nor {name}.gz), which {PEER_SPECS_LIST} lists; fetch the \
                 corpus again with `bash .ci/fetch-peer-specs DIR`",
                folder.display()
            ),
            PeerSpecsNotFound::List(reason) => write!(f, "{PEER_SPECS_LIST}: {reason}"),
        }
    }
}

impl std::error::Error for PeerSpecsNotFound {}

/// Every spec of the peer corpus for the checkout at `root`, in the
/// order [`PEER_SPECS_LIST`] gives: each `FILE` of the list as `FILE.gz`
/// (as the shared folder keeps them) or `FILE` (as the fetch script
/// writes them) in the folder [`PEER_SPECS`] names, else
/// [`PEER_SPECS_DIR`] beside the checkout or beside its origin.
pub fn peer_specs(root: &Path) -> Result<Vec<PathBuf>, PeerSpecsNotFound> {
    peer_specs_from(root, std::env::var_os(PEER_SPECS).as_deref())
}

/// [`peer_specs`], given the value of [`PEER_SPECS`] (`None` or empty:
/// not set).
pub fn peer_specs_from(
    root: &Path,
    variable: Option<&std::ffi::OsStr>,
) -> Result<Vec<PathBuf>, PeerSpecsNotFound> {
    let list = fs::read_to_string(root.join(PEER_SPECS_LIST))
        .map_err(|error| PeerSpecsNotFound::List(format!("cannot read it: {error}")))?;
    let names: Vec<&str> = list
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .collect();
    if names.is_empty() {
        return Err(PeerSpecsNotFound::List("it lists no spec".into()));
    }
    let folder = beside_checkout(root, variable, PEER_SPECS_DIR, Path::is_dir)
        .map_err(PeerSpecsNotFound::Folder)?;
    names
        .into_iter()
        .map(|name| {
            [folder.join(format!("{name}.gz")), folder.join(name)]
                .into_iter()
                .find(|path| path.is_file())
                .ok_or_else(|| PeerSpecsNotFound::Spec {
                    folder: folder.clone(),
                    name: name.to_owned(),
                })
        })
        .collect()
}

/// The folder `root`'s git remote `origin` points at, when it is one on
/// this machine; `None` for a URL, no remote, or no git.
fn origin_folder(root: &Path) -> Option<PathBuf> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["remote", "get-url", "origin"])
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let url = String::from_utf8(output.stdout).ok()?;
    let url = url.trim_end_matches(['\n', '\r']);
    let folder = root.join(url);
    (!url.is_empty() && folder.is_dir()).then_some(folder)
}

/// A file as generation wants it to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// The complete content.
    pub content: String,
}

/// Every generated file, as `cargo xtask gen` writes them.
pub const GENERATED: [&str; 3] = [CLIENT, HTTPMOCK, CLI];

/// upstream-diff's report on the PostHog schema snapshot CI pins, as
/// committed: a test holds `cargo xtask upstream-diff` to it, and `cargo
/// xtask gen --all` rewrites it.
pub const UPSTREAM_GOLDEN: &str = "upstream-diff/tests/golden/posthog-2025-11.md";

/// The `posthog` CLI's help as committed, which its test
/// `short_help_matches_the_checked_in_text` holds the binary to and
/// rewrites with `UPDATE_HELP=1` (as `cargo xtask gen --all` runs it).
pub const CLI_HELP: &str = "cli/tests/help.txt";

/// The checkout to work on, found when the command runs: a binary built in
/// one checkout can run for another (checkouts sharing a `CARGO_TARGET_DIR`
/// share it), so the root is never the one it was compiled in. `cargo
/// xtask` runs it with `CARGO_PKG_NAME=xtask` and `CARGO_MANIFEST_DIR` set
/// to the `xtask/` folder of the checkout it was started in, whose parent
/// is the root; run directly, it is the nearest folder holding [`SPEC`],
/// from the current folder up.
pub fn workspace_root() -> anyhow::Result<PathBuf> {
    let run_by_cargo =
        std::env::var_os("CARGO_PKG_NAME").is_some_and(|name| name == env!("CARGO_PKG_NAME"));
    let package = std::env::var_os("CARGO_MANIFEST_DIR").filter(|_| run_by_cargo);
    if let Some(root) = package.as_deref().map(Path::new).and_then(Path::parent) {
        return Ok(root.to_owned());
    }
    let current = std::env::current_dir().context("cannot read the current folder")?;
    current
        .ancestors()
        .find(|dir| dir.join(SPEC).is_file())
        .map(Path::to_owned)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no {SPEC} in {} or any folder above it; run inside a checkout of the workspace, or pass --root DIR",
                current.display()
            )
        })
}

/// The text of a spec file given on the command line (`check-spec`, the
/// benchmarks); a `.gz` file is decompressed by `gzip -dc`, a program
/// every Unix has, where a decompression crate would add to every cold
/// build of xtask.
pub fn read_spec(spec: &Path) -> anyhow::Result<String> {
    if spec.extension().is_some_and(|extension| extension == "gz") {
        let output = Command::new("gzip")
            .arg("-dc")
            .arg(spec)
            .output()
            .context("cannot run `gzip -dc` to decompress it")?;
        if !output.status.success() {
            return Err(anyhow::anyhow!(
                "`gzip -dc` failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        return String::from_utf8(output.stdout)
            .map_err(|_| anyhow::anyhow!("the decompressed file is not UTF-8 text"));
    }
    fs::read_to_string(spec)
        .map_err(|error| anyhow::anyhow!("cannot read the spec: {error}; check the path"))
}

/// A command for the cargo that runs this xtask (`$CARGO`), so the
/// toolchain the user chose (`+stable`, `rust-toolchain.toml`) carries
/// over to the builds and tests a command starts.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
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
