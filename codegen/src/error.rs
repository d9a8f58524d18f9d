//! Every way generation can fail, each saying which file, where in it, and
//! what to do — so a spec author never has to read a backtrace.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::reading;

/// Why a spec could not be loaded, validated or turned into code.
///
/// `Display` always names the spec file and a place in it: `line:column` for
/// YAML errors, a JSON pointer (`#/paths/~1api~1…/get`) for everything else.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{}: cannot read the spec: {reason}; check the path", path.display())]
    Read {
        /// The spec file.
        path: PathBuf,
        /// What the operating system said: part of the message, so not
        /// also a `source` that a cause-chain printer would repeat.
        reason: std::io::Error,
    },

    /// The file holds no document at all.
    #[error("{}:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)", path.display())]
    Empty {
        /// The spec file.
        path: PathBuf,
    },

    /// The YAML is malformed, or does not have the shape of an OpenAPI document.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Yaml {
        /// The spec file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser expected, and what it found.
        message: String,
    },

    /// The document declares an OpenAPI version other than 3.0.x.
    #[error(
        "{}#/openapi: OpenAPI version `{version}` is not supported; progenitor reads 3.0.x only, so write `openapi: 3.0.3`",
        path.display()
    )]
    UnsupportedVersion {
        /// The spec file.
        path: PathBuf,
        /// The version the document declares.
        version: String,
    },

    /// The document parsed but breaks what the generator relies on.
    #[error("{}", Problems { path, problems })]
    Invalid {
        /// The spec file.
        path: PathBuf,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },

    /// progenitor rejected the document, or panicked on it.
    #[error(
        "{}{}: progenitor cannot generate code for this {}: {message}{}",
        path.display(),
        culprit.as_deref().unwrap_or("#"),
        culprit_kind(culprit.as_deref()),
        location_line(path, *location)
    )]
    Generator {
        /// The spec file.
        path: PathBuf,
        /// JSON pointer of the operation or schema that triggers the failure,
        /// when one could be isolated.
        culprit: Option<String>,
        /// 1-based line and column of the culprit in the YAML, when found.
        location: Option<(usize, usize)>,
        /// progenitor's error or panic message.
        message: String,
    },

    /// codegen broke one of its own assumptions: a bug to fix in codegen,
    /// not in the spec.
    #[error(
        "{}: internal error in codegen, not a problem in the spec: {message}; please report it with the spec attached",
        path.display()
    )]
    Internal {
        /// The spec being generated.
        path: PathBuf,
        /// Which assumption broke.
        message: String,
    },

    /// The spec generates only by loosening schemas, and the settings deny
    /// that ([`crate::Settings::deny_warnings`]).
    #[error(
        "{}{}: codegen warnings are errors for this spec; change the places they name",
        WarningList(warnings),
        path.display()
    )]
    Warnings {
        /// The spec file.
        path: PathBuf,
        /// Every warning, in document order.
        warnings: Vec<Warning>,
    },
}

/// Each warning on its own line, as `Warning` displays it.
struct WarningList<'a>(&'a [Warning]);

impl fmt::Display for WarningList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for warning in self.0 {
            writeln!(f, "{warning}")?;
        }
        Ok(())
    }
}

/// One thing wrong with a spec, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer to the offending node, e.g. `#/paths/~1api~1x~1/get`.
    pub pointer: String,
    /// 1-based line and column of that node in the YAML, when it could be
    /// traced there (see `locate`).
    pub location: Option<(usize, usize)>,
    /// What is wrong and what to do about it.
    pub message: String,
}

/// Something codegen had to give up or change to generate a spec, and
/// where ([`WarningKind`]). The code still compiles and works as the rest
/// of the spec says.
///
/// `Display` names the file and the place as errors do, with a `warning:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The spec file.
    pub path: PathBuf,
    /// JSON pointer to the place, e.g. `#/components/schemas/Filter`.
    pub pointer: String,
    /// 1-based line and column of that node in the YAML, when found.
    pub location: Option<(usize, usize)>,
    /// What codegen did.
    pub kind: WarningKind,
    /// What codegen did, and what the spec author can do about it.
    pub message: String,
}

/// What codegen did about the place a [`Warning`] names, gravest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// An operation progenitor cannot generate, even after codegen's
    /// rewrites, is left out of the client, the mocks and the CLI.
    LeftOut,
    /// A schema, body or response is less typed than the spec says: a
    /// component schema progenitor cannot take is `serde_json::Value`, a
    /// body of a media type it cannot type is raw bytes.
    Loosened,
    /// A `default` that does not fit its schema is ignored.
    Ignored,
    /// An operationId that is not a Rust name gets the one progenitor
    /// makes of it.
    Renamed,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: warning: {}{}",
            self.path.display(),
            self.pointer,
            self.message,
            location_line(&self.path, self.location)
        )
    }
}

struct Problems<'a> {
    path: &'a PathBuf,
    problems: &'a [Problem],
}

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "{}{}: {}",
                self.path.display(),
                problem.pointer,
                problem.message
            )?;
            f.write_str(&location_line(self.path, problem.location))?;
        }
        Ok(())
    }
}

/// Appends one JSON pointer segment, escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_join(base: &str, segment: &str) -> String {
    format!("{base}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

/// `\n  --> file:line:column` (rustc's form, which terminals and editors
/// turn into a link), or nothing when the place is unknown.
fn location_line(path: &Path, location: Option<(usize, usize)>) -> String {
    location.map_or_else(String::new, |(line, column)| {
        format!("\n  --> {}:{line}:{column}", path.display())
    })
}

fn culprit_kind(culprit: Option<&str>) -> &'static str {
    match culprit {
        Some(pointer) if pointer.starts_with("#/paths/") => "operation",
        Some(pointer) if reading::schema_name(pointer).is_some() => "schema",
        _ => "document",
    }
}
