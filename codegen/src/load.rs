//! Reading a spec: YAML text to a typed OpenAPI document, with errors that
//! point at a line and column.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::Error;

/// A parsed OpenAPI 3.0 document and the file it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    path: PathBuf,
    document: OpenAPI,
    /// The same document as plain JSON, for checks that walk every node
    /// (`$ref`s can sit anywhere) and for resolving JSON pointers.
    tree: serde_json::Value,
    /// The YAML as written, to point problems at a line.
    text: String,
}

impl Spec {
    /// The file the spec was read from (or the name given to [`parse`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The typed document, as progenitor sees it.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }

    /// The document as untyped JSON.
    pub fn tree(&self) -> &serde_json::Value {
        &self.tree
    }

    /// The YAML text the spec was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Reads and parses the spec at `path`.
pub fn load(path: impl AsRef<Path>) -> Result<Spec, Error> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` only names it in errors (e.g. `git show` output).
pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Spec, Error> {
    let path = path.as_ref();
    let yaml_error = |error: serde_yaml::Error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |at| (at.line(), at.column()));
        Error::Yaml {
            path: path.to_owned(),
            line,
            column,
            message: error.to_string(),
        }
    };

    let tree: serde_json::Value = serde_yaml::from_str(text).map_err(yaml_error)?;
    if tree.is_null() {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    // Check the version before the typed parse: a 3.1 or 2.0 document fails
    // that parse with a message about some field, not about the version.
    let version = tree
        .get("openapi")
        .or_else(|| tree.get("swagger"))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
    match version {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => {
            return Err(Error::UnsupportedVersion {
                path: path.to_owned(),
                version,
            });
        }
        None => {
            return Err(Error::Invalid {
                path: path.to_owned(),
                problems: vec![crate::Problem {
                    pointer: "#".into(),
                    location: None,
                    message: "no `openapi` field, so this is not an OpenAPI document; start it with `openapi: 3.0.3`".into(),
                }],
            });
        }
    }
    let document: OpenAPI = serde_yaml::from_str(text).map_err(yaml_error)?;
    Ok(Spec {
        path: path.to_owned(),
        document,
        tree,
        text: text.to_owned(),
    })
}
