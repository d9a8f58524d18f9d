//! How the generator reads a spec, written once. Everything that must agree
//! with the generated client calls these functions instead of restating
//! them: `prepare` rewrites the document by them and `generate` checks
//! progenitor's output against them; outside this crate, spec-diff judges
//! a change by them, the benchmarks grow synthetic specs with them and the
//! client's tests walk the spec with them. So "must agree" is "is the same
//! function", and a change here shows in every one of those places' tests.
//!
//! These functions read the document as untyped JSON ([`crate::Spec::tree`]),
//! where every node of the YAML can be reached, `$ref`s and examples
//! included. Each one shows the shape it reads.

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::{Map, Value};

/// The keys of a path item that hold operations, in the order OpenAPI 3.0
/// lists them. The item's other keys (`parameters`, `summary`, `servers`,
/// extensions) are not operations:
///
/// ```yaml
/// paths:
///   /api/x/:
///     parameters: [...]   # shared by the operations below
///     get: {operationId: x_list, ...}
///     post: {operationId: x_create, ...}
/// ```
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The method a path item's key names, when it holds an operation (see
/// [`METHODS`]); `None` for `parameters`, `summary` and the like.
pub fn operation_method(key: &str) -> Option<&'static str> {
    METHODS.into_iter().find(|method| *method == key)
}

/// One operation: `paths./api/x/.get`.
#[derive(Debug, Clone, Copy)]
pub struct OperationNode<'a> {
    /// The path template, e.g. `/api/x/{id}/`.
    pub path: &'a str,
    /// One of [`METHODS`].
    pub method: &'static str,
    /// The path item holding it, whose `parameters` apply to it too.
    pub item: &'a Value,
    /// The operation object.
    pub node: &'a Value,
}

impl<'a> OperationNode<'a> {
    /// Its `operationId`, the name of its `Client` method ([`method_name`]).
    pub fn id(&self) -> Option<&'a str> {
        self.node.get("operationId")?.as_str()
    }

    /// Whether repeating it is harmless ([`is_idempotent`]).
    pub fn is_idempotent(&self) -> bool {
        is_idempotent(self.method, self.node.get(IDEMPOTENT_EXTENSION))
    }

    /// Its parameters as written, each a parameter or a `$ref` to one: the
    /// path item's first, then its own (one of its own overrides a path
    /// item's with the same `name` and `in`):
    ///
    /// ```yaml
    /// /api/x/{id}/:
    ///   parameters: [{name: id, in: path, ...}]      # first
    ///   get:
    ///     parameters: [{name: limit, in: query, ...}] # then
    /// ```
    pub fn parameters(&self) -> impl Iterator<Item = &'a Value> {
        [self.item.get("parameters"), self.node.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
    }
}

/// The security requirement that applies to `operation`: its own
/// `security`, else the document's. OpenAPI 3.0 makes an operation's list
/// replace the spec-wide one, and an empty list (`security: []`) means no
/// requirement at all:
///
/// ```yaml
/// security: [{PersonalApiKey: []}]               # every operation, unless…
/// paths:
///   /api/x/:
///     get:
///       security: [{PersonalApiKey: [x:read]}]   # …it says otherwise
/// ```
pub fn effective_security<'a>(tree: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    operation.get("security").or_else(|| tree.get("security"))
}

/// Every scope a security requirement names, in order, once each:
/// `[{PersonalApiKey: [query:read]}]` → `query:read`.
pub fn scopes(requirement: Option<&Value>) -> Vec<&str> {
    let named = requirement
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(Map::values)
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str);
    let mut scopes = Vec::new();
    for scope in named {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes
}

/// The operation extension that declares whether repeating an operation is
/// harmless. The client retries PostHog's transient failures (5xx, a reset
/// connection, a read timeout) only for operations that are:
///
/// ```yaml
/// post:
///   operationId: x_recordings_add
///   x-idempotent: true    # the server inserts into a set: a repeat changes nothing
/// ```
pub const IDEMPOTENT_EXTENSION: &str = "x-idempotent";

/// The extension that declares a deliberate departure from PostHog's own
/// published schema, and why, once, where it applies: on an operation
/// (its body, statuses, scopes or `deprecated`), a parameter, or a schema
/// property; on a path item, a mapping from method to reason for PostHog's
/// operations there that the spec leaves out. `cargo xtask upstream-diff`
/// reports a difference it covers as known instead of drift; codegen
/// strips it before generating, so it never changes the generated code:
///
/// ```yaml
/// required: [type]
/// properties:
///   type:
///     x-upstream-departure: >-
///       PostHog's schema marks it read-only, but create answers 400 without
///       it (session_recording_playlist_api.py, `create`)
/// ```
pub const UPSTREAM_DEPARTURE_EXTENSION: &str = "x-upstream-departure";

/// The reason an operation, parameter or property object gives for
/// departing from PostHog's schema ([`UPSTREAM_DEPARTURE_EXTENSION`]); a
/// declaration that is not text is `validate`'s error, here absent.
pub(crate) fn upstream_departure(node: &Value) -> Option<&str> {
    node.get(UPSTREAM_DEPARTURE_EXTENSION)?.as_str()
}

/// The reason a path item gives for leaving out PostHog's `method`
/// operation on it (its [`UPSTREAM_DEPARTURE_EXTENSION`] mapping), and
/// every method it gives one for, in document order.
pub fn left_out_upstream(item: &Value) -> impl Iterator<Item = (&str, &str)> {
    item.get(UPSTREAM_DEPARTURE_EXTENSION)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(method, reason)| Some((method.as_str(), reason.as_str()?)))
}

/// The extension dropshot puts on a websocket endpoint. progenitor reads
/// its presence (progenitor-impl 0.15, `method.rs`): the operation's
/// method upgrades the connection, and its `101` (or its `default`,
/// which progenitor takes for the `101`) is its success.
///
/// ```yaml
/// /instances/{id}/serial-console/stream:
///   get:
///     x-dropshot-websocket: {}
///     responses:
///       '101': {description: Negotiating protocol upgrade}
/// ```
pub(crate) const WEBSOCKET_EXTENSION: &str = "x-dropshot-websocket";

/// The extension dropshot puts on a paginated list. progenitor reads it
/// (progenitor-impl 0.15, `method.rs`, `dropshot_pagination_data`) and
/// gives the operation's builder a `stream()` of every item, page after
/// page, and the CLI a listing command.
pub(crate) const PAGINATION_EXTENSION: &str = "x-dropshot-pagination";

/// Whether an operation with `method` (one of [`METHODS`]) is harmless to
/// repeat, given the value of its [`IDEMPOTENT_EXTENSION`]: the declared
/// `true`/`false`, else what HTTP promises of the method (RFC 9110,
/// section 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent;
/// POST and PATCH are not). A declaration that is not a boolean is
/// `validate`'s error; here it counts as absent.
pub fn is_idempotent(method: &str, declared: Option<&Value>) -> bool {
    match declared.and_then(Value::as_bool) {
        Some(declared) => declared,
        None => !matches!(method, "post" | "patch"),
    }
}

/// Every operation under `paths`, in document order: the same operations,
/// in the same order, as `operations_mut` (so facts read here can be
/// zipped with it).
pub fn operations(tree: &Value) -> impl Iterator<Item = OperationNode<'_>> {
    tree.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(_, node)| node.is_object())
                .filter_map(move |(key, node)| {
                    let method = operation_method(key)?;
                    Some(OperationNode {
                        path,
                        method,
                        item,
                        node,
                    })
                })
        })
}

/// Every operation object under `paths`, for rewriting, in document order.
pub(crate) fn operations_mut(tree: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    tree.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut())
        .filter(|(key, _)| operation_method(key).is_some())
        .filter_map(|(_, operation)| operation.as_object_mut())
}

/// How many operations the document has: one `Client` method, builder
/// and `send()` each.
pub fn count_operations(tree: &Value) -> usize {
    operations(tree).count()
}

/// Whether a response status is a success, the only kind that reaches the
/// return type of `send()`:
///
/// ```yaml
/// responses:
///   '200': ...   # success; so are '201', '204', '2XX'
///   '404': ...   # an error, read by the client's hand-written error type
///   default: ... # an error too
/// ```
pub fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// What a local reference to a component schema starts with. Component
/// names are `[a-zA-Z0-9._-]+`, so they need no JSON pointer escaping.
const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The reference to the component schema `name`:
/// `Playlist` → `#/components/schemas/Playlist`.
pub fn schema_ref(name: &str) -> String {
    format!("{SCHEMA_REF_PREFIX}{name}")
}

/// The component schema a reference (or JSON pointer) names:
/// `#/components/schemas/Playlist` → `Playlist`; anything else → `None`.
pub fn schema_name(reference: &str) -> Option<&str> {
    reference.strip_prefix(SCHEMA_REF_PREFIX)
}

/// `node` with its local `$ref` followed, and the name of the component it
/// came from: `{$ref: '#/components/parameters/Limit'}` → (that parameter,
/// `Some("Limit")`); any other node → (itself, `None`). One hop: the
/// components OpenAPI lets a `$ref` name hold no further `$ref` at the top.
pub fn resolve<'a>(tree: &'a Value, node: &'a Value) -> (&'a Value, Option<&'a str>) {
    let target = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| ref_target(tree, reference));
    match target {
        Some((found, name)) => (found, Some(name)),
        None => (node, None),
    }
}

/// What a local reference names in `tree`, and the last segment of its
/// pointer: `#/components/schemas/X` → (that schema, `X`); `None` for a
/// reference outside the file or to nothing.
pub(crate) fn ref_target<'a, 'r>(
    tree: &'a Value,
    reference: &'r str,
) -> Option<(&'a Value, &'r str)> {
    let pointer = reference.strip_prefix('#')?;
    Some((tree.pointer(pointer)?, pointer.rsplit('/').next()?))
}

/// Whether the generator makes a property's Rust field `Option<T>`, as
/// typify decides it (checked against generated code by the test
/// `a_fields_rust_type_is_what_field_is_option_says`):
///
/// ```yaml
/// required: [id, note]
/// properties:
///   id:    {type: integer}                  # i64
///   note:  {type: string, nullable: true}   # Option<String>: null is allowed
///   name:  {type: string}                   # Option<String>: may be missing
///   limit: {type: integer, default: 100}    # i64: the default fills it in
///   tags:  {type: array, items: {}}         # Vec<_>: empty when missing
///   extra: {type: object}                   # Map<_, _>: empty when missing
/// ```
///
/// A one-branch `allOf`/`anyOf`/`oneOf` wrapper counts as its branch, and a
/// default the generator drops (one implied by a one-value enum, or one
/// that does not fit) as no default.
pub fn field_is_option(tree: &Value, required: bool, property: &Value) -> bool {
    let Some(schema) = property.as_object() else {
        return !required;
    };
    let inner = wrapped_branch(schema).map(|(_, branch)| branch);
    let nullable = [Some(schema), inner]
        .into_iter()
        .flatten()
        .any(|node| node.get("nullable") == Some(&Value::Bool(true)));
    if nullable {
        return true;
    }
    if required || crate::prepare::defaults::keeps_default(tree, schema) {
        return false;
    }
    let shape = inner.unwrap_or(schema);
    let empty_when_missing = match shape.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") => !shape.contains_key("properties"),
        _ => false,
    };
    !empty_when_missing
}

/// The one branch of a schema that is only a wrapper around it, and the
/// key that holds it: `{nullable: true, allOf: [{$ref: X}]}` → (`allOf`,
/// `{$ref: X}`). The generator reads such a schema as its branch.
pub(crate) fn wrapped_branch(
    schema: &Map<String, Value>,
) -> Option<(&'static str, &Map<String, Value>)> {
    let wrappers: Vec<(&'static str, &Value)> = ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .filter_map(|key| Some((key, schema.get(key)?)))
        .collect();
    match wrappers.as_slice() {
        [(key, Value::Array(branches))] if branches.len() == 1 => {
            Some((key, branches[0].as_object()?))
        }
        _ => None,
    }
}

/// The component schema a `{$ref: '#/components/schemas/X'}` node names.
pub fn referenced_schema(node: &Value) -> Option<&str> {
    schema_name(node.get("$ref")?.as_str()?)
}

/// The component request body a `{$ref: '#/components/requestBodies/X'}`
/// node names.
pub(crate) fn referenced_body(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/requestBodies/")
}

/// The document's component schemas, name → schema, in document order:
///
/// ```yaml
/// components:
///   schemas:
///     Playlist: {type: object, ...}
/// ```
pub fn component_schemas(tree: &Value) -> impl Iterator<Item = (&String, &Value)> {
    tree.get("components")
        .and_then(|components| components.get("schemas"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The component schema called `name`.
pub fn component_schema<'a>(tree: &'a Value, name: &str) -> Option<&'a Value> {
    tree.get("components")?.get("schemas")?.get(name)
}

/// Whether a schema is a string enum, which typify makes a strict Rust
/// enum (a value it does not list fails to parse):
///
/// ```yaml
/// KnownPlaylistType: {type: string, enum: [collection, filters]}
/// ```
pub(crate) fn is_string_enum(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("enum").is_some()
}

/// An open enum: "one of these values, or any other text". Written as an
/// `anyOf` of a component string enum and plain text, in either order;
/// codegen turns it into `Known(KnownX) | Other(String)`:
///
/// ```yaml
/// type:
///   anyOf:
///     - $ref: '#/components/schemas/KnownPlaylistType'   # a string enum
///     - type: string                                      # no `enum`
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenEnum<'a> {
    /// The `$ref` branch.
    pub known: &'a Value,
    /// The component string enum it references.
    pub name: &'a str,
    /// The plain-text branch.
    pub other: &'a Value,
}

/// `schema` as an open enum, when it is one in `tree`.
pub fn open_enum<'a>(tree: &Value, schema: &'a Value) -> Option<OpenEnum<'a>> {
    open_enum_with(schema.as_object()?, |name| {
        component_schema(tree, name).is_some_and(is_string_enum)
    })
}

/// [`open_enum`] for a caller that cannot lend the whole document (it is
/// rewriting it): `names_string_enum` says whether a component schema name
/// is a string enum ([`is_string_enum`]).
pub(crate) fn open_enum_with<'a>(
    schema: &'a Map<String, Value>,
    names_string_enum: impl Fn(&str) -> bool,
) -> Option<OpenEnum<'a>> {
    let [first, second] = schema.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    let known =
        |branch: &'a Value| referenced_schema(branch).filter(|name| names_string_enum(name));
    let is_text = |branch: &Value| {
        branch.get("type").and_then(Value::as_str) == Some("string") && branch.get("enum").is_none()
    };
    let (known, name, other) = match (known(first), known(second)) {
        (Some(name), None) if is_text(second) => (first, name, second),
        (None, Some(name)) if is_text(first) => (second, name, first),
        _ => return None,
    };
    Some(OpenEnum { known, name, other })
}

/// The `Client` method progenitor generates for an operation: progenitor's
/// `sanitize(id, Snake)` (progenitor-impl 0.15, `util.rs`), which this must
/// follow exactly, since `validate` finds two operations with one Rust name
/// by it. A snake_case id stays as it is; another is turned into one:
/// `session_recording_playlists_list` → `Client::session_recording_playlists_list`,
/// `meta/root` → `meta_root`, `key.get` → `key_get`, `3d` → `_3d`.
pub fn method_name(operation_id: &str) -> String {
    progenitor_sanitize(operation_id, str::to_snake_case)
}

/// The constant that describes an operation in the generated
/// `operations` module (method, path template, [`is_idempotent`]):
/// `session_recording_playlists_list` →
/// `operations::SESSION_RECORDING_PLAYLISTS_LIST`. An operation called
/// `all` would take the name of the module's list of every operation, so
/// its constant is `ALL_OPERATION`.
pub fn operation_const_name(operation_id: &str) -> String {
    match method_name(operation_id).to_uppercase() {
        name if name == "ALL" => "ALL_OPERATION".to_owned(),
        name => name,
    }
}

/// The builder type progenitor generates for an operation, which its
/// method returns, and the operation's `CliCommand` variant: the
/// [`method_name`] in Pascal case (progenitor's `sanitize(name, Pascal)`):
/// `session_recording_playlists_list` → `builder::SessionRecordingPlaylistsList`.
pub fn builder_name(operation_id: &str) -> String {
    progenitor_sanitize(&method_name(operation_id), str::to_pascal_case)
}

/// Whether an operation's id is its Rust name as written: when it is not,
/// progenitor renames it ([`method_name`]) and codegen says so.
pub(crate) fn is_rust_name(operation_id: &str) -> bool {
    method_name(operation_id) == operation_id
}

/// The name progenitor gives a parameter's builder setter and typed-mock
/// matcher: progenitor's `sanitize(name, Snake)`, as for [`method_name`]:
/// `project_id` → `.project_id(…)`, `type` → `.type_(…)`.
pub(crate) fn parameter_name(name: &str) -> String {
    progenitor_sanitize(name, str::to_snake_case)
}

/// The Rust name typify gives a type (for a component schema) or an enum
/// variant (for a value): `SessionRecordingPlaylist` →
/// `types::SessionRecordingPlaylist`, `Etc/GMT+1` → `EtcGmt1`, `1d` → `X1d`.
/// It is typify's `sanitize(name, Pascal)` (typify-impl 0.8, `util.rs`),
/// which this must follow exactly: `prepare` predicts clashes with it.
pub fn type_name(name: &str) -> String {
    sanitize(name, str::to_pascal_case)
}

/// The Rust name typify gives a struct field for a property: `createdAt`
/// → `created_at`, `type` → `type_` (typify's `sanitize(name, Snake)`).
pub fn field_name(name: &str) -> String {
    sanitize(name, str::to_snake_case)
}

/// typify's `sanitize`: cased, made to start like an identifier (with an
/// `x`), and a keyword given a trailing `_`.
fn sanitize(name: &str, case: fn(&str) -> String) -> String {
    sanitize_with_prefix(name, case, &case("x"))
}

/// progenitor's `sanitize`: typify's, but a name that does not start like
/// an identifier gets a `_` in front instead of an `x`.
fn progenitor_sanitize(name: &str, case: fn(&str) -> String) -> String {
    sanitize_with_prefix(name, case, "_")
}

fn sanitize_with_prefix(name: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let cased = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => case(
            &name
                .replace('\'', "")
                .replace(|c| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let named = match cased.chars().next() {
        None => case("x"),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("{prefix}{cased}"),
    };
    if is_keyword(&named) {
        format!("{named}_")
    } else {
        named
    }
}

/// The words typify does not take as identifiers (typify-impl 0.8,
/// `accept_as_ident`: Rust's keywords, reserved words and `gen`).
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_method_of_a_path_item_is_an_operation_and_nothing_else_is() {
        let mut item: Map<String, Value> = METHODS
            .iter()
            .map(|method| ((*method).to_owned(), json!({ "operationId": method })))
            .collect();
        item.insert("parameters".into(), json!([]));
        item.insert("summary".into(), json!("not an operation"));
        let mut tree = json!({ "paths": { "/x/": item } });

        let found: Vec<_> = operations(&tree).map(|op| op.method).collect();
        assert_eq!(found, METHODS);
        assert_eq!(count_operations(&tree), METHODS.len());
        assert_eq!(operations_mut(&mut tree).count(), METHODS.len());
        assert_eq!(operation_method("parameters"), None);
    }

    #[test]
    fn an_operations_parameters_are_its_path_items_then_its_own() {
        let tree = json!({ "paths": { "/x/{id}/": {
            "parameters": [{ "name": "id", "in": "path" }],
            "get": { "parameters": [{ "$ref": "#/components/parameters/Limit" }] },
        } } });
        let operation = operations(&tree).next().unwrap();
        let parameters: Vec<_> = operation.parameters().collect();
        assert_eq!(
            parameters,
            [
                &json!({ "name": "id", "in": "path" }),
                &json!({ "$ref": "#/components/parameters/Limit" })
            ]
        );
    }

    #[test]
    fn only_2xx_statuses_are_successes() {
        for status in ["200", "201", "204", "2XX"] {
            assert!(is_success(status), "{status}");
        }
        for status in ["301", "400", "404", "4XX", "500", "default"] {
            assert!(!is_success(status), "{status}");
        }
    }

    #[test]
    fn schema_refs_and_names_are_each_others_inverse() {
        assert_eq!(schema_ref("Playlist"), "#/components/schemas/Playlist");
        assert_eq!(schema_name(&schema_ref("Playlist")), Some("Playlist"));
        assert_eq!(schema_name("#/components/parameters/Limit"), None);
        assert_eq!(
            referenced_schema(&json!({ "$ref": "#/components/schemas/X" })),
            Some("X")
        );
    }

    #[test]
    fn an_open_enum_is_a_string_enum_ref_beside_plain_text_in_either_order() {
        let tree = json!({ "components": { "schemas": {
            "Known": { "type": "string", "enum": ["a"] },
            "Object": { "type": "object" },
        } } });
        let known = json!({ "$ref": "#/components/schemas/Known" });
        let text = json!({ "type": "string" });
        for any_of in [json!([known, text]), json!([text, known])] {
            let schema = json!({ "anyOf": any_of });
            let open = open_enum(&tree, &schema).expect("an open enum");
            assert_eq!(
                (open.name, open.known, open.other),
                ("Known", &known, &text)
            );
        }
        let not_open = [
            json!({ "anyOf": [{ "$ref": "#/components/schemas/Object" }, text] }),
            json!({ "anyOf": [known, { "type": "string", "enum": ["b"] }] }),
            json!({ "anyOf": [known, text, { "type": "integer" }] }),
            json!({ "oneOf": [known, text] }),
        ];
        for schema in not_open {
            assert_eq!(open_enum(&tree, &schema), None, "{schema}");
        }
    }

    #[test]
    fn rust_names_follow_the_operation_id() {
        let id = "session_recording_playlists_list";
        assert_eq!(method_name(id), id);
        assert_eq!(builder_name(id), "SessionRecordingPlaylistsList");
        assert_eq!(builder_name("list_v2"), "ListV2");
        assert_eq!(type_name("KnownPlaylistType"), "KnownPlaylistType");
        assert_eq!(type_name("collection"), "Collection");
        assert_eq!(type_name("Etc/GMT+1"), "EtcGmt1");
        assert_eq!(type_name("-created_at"), "CreatedAt");
        assert_eq!(type_name("+1"), "plus1");
        assert_eq!(type_name("1d"), "X1d");
        assert_eq!(type_name("Self"), "Self_");
    }
}
