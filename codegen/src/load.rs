//! Reading a spec: YAML text to a typed OpenAPI document, with errors that
//! point at a line and column.
//!
//! The YAML is parsed once, into a JSON tree ([`tree`]), and the typed
//! document is read from that tree: validation and progenitor then see the
//! same data, and a YAML scalar is never a string in one and a number in
//! the other. Only when the typed read fails is the YAML read again, to
//! find the line.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::guard::guarded;
use crate::locate::locate;
use crate::{Error, Problem};

mod shape;
mod tree;

/// A parsed OpenAPI 3.0 document and the file it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    path: PathBuf,
    document: OpenAPI,
    /// The same document as plain JSON, for checks that walk every node
    /// (`$ref`s can sit anywhere) and for resolving JSON pointers.
    tree: Value,
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
    pub fn tree(&self) -> &Value {
        &self.tree
    }

    /// Its operations, resolved ([`crate::model`]).
    pub fn model(&self) -> crate::model::Model<'_> {
        crate::model::model(self.tree())
    }

    /// The YAML text the spec was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Reads and parses the spec at `path`.
pub fn load(path: impl AsRef<Path>) -> Result<Spec, Error> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|reason| Error::Read {
        path: path.to_owned(),
        reason,
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` only names it in errors (e.g. `git show` output).
pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Spec, Error> {
    let path = path.as_ref();
    let tree = match guarded(|| tree::from_yaml(text)) {
        Ok(Ok(tree)) => tree,
        Ok(Err(error)) => return Err(yaml_error(path, &error)),
        Err(panic) => {
            return Err(Error::Yaml {
                path: path.to_owned(),
                line: 1,
                column: 1,
                message: format!(
                    "the YAML parser gave up on this file ({panic}); check that it is one well-formed YAML document"
                ),
            });
        }
    };
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
                    message: if tree.is_object() {
                        "no `openapi` field, so this is not an OpenAPI document; start it with `openapi: 3.0.3`".into()
                    } else {
                        "the document is not a mapping, so this is not an OpenAPI document; start it with `openapi: 3.0.3`".into()
                    },
                }],
            });
        }
    }
    // Without `paths` the typed read says only "missing field"; say what
    // the document lacks, and where.
    if tree.get("paths").is_none() {
        return Err(Error::Invalid {
            path: path.to_owned(),
            problems: vec![Problem {
                pointer: "#/paths".into(),
                location: None,
                message: "the document has no `paths`, so it describes no operation; add `paths:` with the API's operations (`paths: {}` for none)".into(),
            }],
        });
    }
    let document = read_typed::<OpenAPI>(&tree).map_err(|_| shape_error(path, text, &tree))?;
    Ok(Spec {
        path: path.to_owned(),
        document,
        tree,
        text: text.to_owned(),
    })
}

fn yaml_error(path: &Path, error: &serde_yaml::Error) -> Error {
    let (line, column) = error
        .location()
        .map_or((1, 1), |at| (at.line(), at.column()));
    Error::Yaml {
        path: path.to_owned(),
        line,
        column,
        message: error.to_string(),
    }
}

/// Reads `node` as a `T`; a panic in a `Deserialize` impl is an error too.
pub(crate) fn read_typed<T: DeserializeOwned>(node: &Value) -> Result<T, String> {
    match guarded(|| T::deserialize(node)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => Err(panic),
    }
}

/// Why `tree` is not an OpenAPI document, and where. serde_yaml's typed
/// read names a line when it fails too; when it does not (it reads a YAML
/// number as a string where JSON does not), [`shape::failing_part`] names
/// the smallest part of the document that fails on its own.
fn shape_error(path: &Path, text: &str, tree: &Value) -> Error {
    if let Ok(Err(error)) = guarded(|| serde_yaml::from_str::<OpenAPI>(text))
        && error.location().is_some()
    {
        return yaml_error(path, &error);
    }
    let (pointer, message) = shape::failing_part(tree);
    Error::Invalid {
        path: path.to_owned(),
        problems: vec![Problem {
            location: locate(text, &pointer),
            message: format!(
                "this is not the shape OpenAPI 3.0 gives this object: {message}; see the OpenAPI 3.0.3 specification"
            ),
            pointer,
        }],
    }
}
