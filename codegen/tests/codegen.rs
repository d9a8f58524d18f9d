//! The codegen library end to end: one test per class of bad input, each
//! checking the error kind and the whole message, which names the place;
//! then what small specs generate, shown as the items a reader of the
//! generated code would look at; then the committed spec, which must
//! validate and generate deterministically; then `codegen::reading`
//! against what progenitor actually emits.
//!
//! Specs are YAML as a person writes it: inline where they are a few
//! lines, under `tests/specs/` where they are whole documents (compiled in
//! with `include_str!`, so no test reads a path at run time). Generated
//! code and messages are checked against `expect![[…]]` snapshots
//! (rust-analyzer's `expect-test`): when a change to them is intended,
//! `UPDATE_EXPECT=1 cargo test -p codegen --test codegen` rewrites them in
//! place, and the diff is what to review.

use std::path::Path;

use codegen::{Error, Settings, Spec, generate, load, parse, reading, validate};
use expect_test::expect;

// Specs.

/// `text` without the indentation its lines share and without its first
/// line when that is empty, so a raw string can be indented as the code
/// around it: `r#"` and the YAML's first line need not share a line.
fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|line| format!("{}\n", line.get(indent..).unwrap_or("").trim_end()))
        .collect()
}

/// `text` with each line indented two spaces more.
fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

/// A minimal valid document around `paths`, the body of its `paths:`
/// (written at any indentation, `{}` for none), which starts on line 6.
/// Its one schema, `Thing`, is there for `$ref`s to point at.
fn document(paths: &str) -> String {
    let paths = indent(&unindent(paths));
    format!(
        r#"openapi: 3.0.3
info:
  title: t
  version: '1'
paths:
{paths}components:
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: integer
"#
    )
}

/// The spec `tests/specs/$name`, compiled into the test, parsed under the
/// name `specs/$name`, which its errors and warnings give.
macro_rules! spec_file {
    ($name:literal) => {
        parse(
            concat!("specs/", $name),
            include_str!(concat!("specs/", $name)),
        )
        .expect(concat!("specs/", $name, " parses"))
    };
}

/// `spec/openapi.yaml`, the workspace's spec.
fn committed_spec() -> Spec {
    load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
        .expect("the committed spec loads")
}

// What codegen says.

/// Parses and validates `text` as `bad.yaml`, expecting a failure.
fn failure(text: &str) -> Error {
    match parse("bad.yaml", text).and_then(|spec| validate(&spec).map(|()| spec)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(error) => error,
    }
}

/// Settings that deny warnings, as `cargo xtask gen` uses for our spec.
fn strict() -> Settings {
    let mut settings = Settings::default();
    settings.deny_warnings = true;
    settings
}

/// Validates and generates `spec` as our spec is generated (warnings
/// denied), expecting generation to fail.
fn generation_failure(spec: &Spec) -> Error {
    validate(spec).expect("validates");
    generate(spec, &strict()).expect_err("generation should fail")
}

/// The problems of an `Error::Invalid`, as `pointer: message` lines.
fn problems(error: &Error) -> Vec<String> {
    let Error::Invalid { problems, .. } = error else {
        panic!("expected Error::Invalid, got {error:?}");
    };
    problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer, p.message))
        .collect()
}

/// What `error` says, a line per line, as a terminal shows it.
fn message(error: &Error) -> String {
    format!("{error}\n")
}

/// Each warning of `generated` as it is shown, one after another.
fn warnings(generated: &codegen::Generated) -> String {
    generated
        .warnings
        .iter()
        .map(|warning| format!("{warning}\n"))
        .collect()
}

// What codegen generates, parsed: items are found in the syntax tree and
// printed by prettyplease, as the generated file is, so a check reads like
// the code and does not depend on where an item sits in the file.

/// Generated code, parsed.
struct Code(syn::File);

impl Code {
    fn new(source: &str) -> Self {
        Self(syn::parse_file(source).expect("generated code parses"))
    }

    /// The items `paths` name, each printed as prettyplease prints it, a
    /// blank line between them: `types::Thing` is the item `Thing` of the
    /// module `types`; `builder::List::send` the method `send` of an
    /// `impl` of `builder::List`, shown inside that `impl`'s header (the
    /// trait's, for `types::Tz::fmt`). Each is shown without its own doc
    /// comment, which is the spec's prose or boilerplate; the docs inside
    /// it (of variants, fields) stay.
    fn show(&self, paths: &[&str]) -> String {
        paths
            .iter()
            .map(|path| unparse(without_docs(self.find(path))))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The signature of the function or method `path` names (as in
    /// [`Code::show`]), without its docs or body: a line, or more where
    /// prettyplease breaks it.
    fn signature(&self, path: &str) -> String {
        let (vis, sig) = match self.find(path) {
            syn::Item::Fn(function) => (function.vis, function.sig),
            syn::Item::Impl(block) => match block.items.into_iter().next() {
                Some(syn::ImplItem::Fn(method)) => (method.vis, method.sig),
                _ => unreachable!("`find` returns an impl with the method alone"),
            },
            other => panic!("`{path}` is no function: {}", unparse(other)),
        };
        let printed = unparse(syn::parse_quote!(#vis #sig {}));
        let signature = printed
            .trim_end()
            .strip_suffix(" {}")
            .expect("an empty body prints as `{}`");
        format!("{signature}\n")
    }

    /// The item `path` names (see [`Code::show`]).
    fn find(&self, path: &str) -> syn::Item {
        let mut items = &self.0.items[..];
        let mut segments: Vec<&str> = path.split("::").collect();
        while let [module, _, ..] = segments[..] {
            let Some(inner) = items.iter().find_map(|item| match item {
                syn::Item::Mod(inner) if inner.ident == module => {
                    inner.content.as_ref().map(|(_, items)| items)
                }
                _ => None,
            }) else {
                break;
            };
            items = inner;
            segments.remove(0);
        }
        let found: Vec<syn::Item> = match segments[..] {
            [name] => items
                .iter()
                .filter(|item| item_name(item).is_some_and(|ident| ident == name))
                .cloned()
                .collect(),
            [type_name, method] => items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(block) if impl_name(block).is_some_and(|n| n == type_name) => {
                        let method = block.items.iter().find(
                            |inner| matches!(inner, syn::ImplItem::Fn(f) if f.sig.ident == method),
                        )?;
                        let mut alone = block.clone();
                        alone.items = vec![method.clone()];
                        Some(syn::Item::Impl(alone))
                    }
                    _ => None,
                })
                .collect(),
            _ => panic!("`{path}` names no module"),
        };
        match <[syn::Item; 1]>::try_from(found) {
            Ok([item]) => item,
            Err(found) => panic!("`{path}` names {} items, not one", found.len()),
        }
    }

    /// The items of the inline module `path`.
    fn module(&self, path: &str) -> Vec<syn::Item> {
        match self.find(path) {
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, items)),
                ..
            }) => items,
            other => panic!("`{path}` is no inline module: {}", unparse(other)),
        }
    }

    /// The names of the public structs and enums of module `path`.
    fn type_names(&self, path: &str) -> Vec<String> {
        self.module(path)
            .iter()
            .filter(|item| match item {
                syn::Item::Struct(item) => matches!(item.vis, syn::Visibility::Public(_)),
                syn::Item::Enum(item) => matches!(item.vis, syn::Visibility::Public(_)),
                _ => false,
            })
            .filter_map(|item| item_name(item).map(ToString::to_string))
            .collect()
    }

    /// Each method of `Client` that starts an operation, with the builder
    /// it returns: `("list", "List")` for `fn list(&self) -> builder::List<'_>`.
    fn operation_methods(&self) -> Vec<(String, String)> {
        let mut methods = Vec::new();
        for item in &self.0.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if block.trait_.is_some() || impl_name(block).is_none_or(|name| name != "Client") {
                continue;
            }
            for inner in &block.items {
                let syn::ImplItem::Fn(method) = inner else {
                    continue;
                };
                let syn::ReturnType::Type(_, returned) = &method.sig.output else {
                    continue;
                };
                let syn::Type::Path(returned) = &**returned else {
                    continue;
                };
                if let [module, builder] = &returned.path.segments.iter().collect::<Vec<_>>()[..]
                    && module.ident == "builder"
                {
                    methods.push((method.sig.ident.to_string(), builder.ident.to_string()));
                }
            }
        }
        methods
    }
}

/// `item` without its doc comment, or its methods' when it is an `impl`.
fn without_docs(mut item: syn::Item) -> syn::Item {
    let attrs = match &mut item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Impl(block) => {
            for inner in &mut block.items {
                if let syn::ImplItem::Fn(method) = inner {
                    method.attrs.retain(|attr| !attr.path().is_ident("doc"));
                }
            }
            return item;
        }
        _ => return item,
    };
    attrs.retain(|attr| !attr.path().is_ident("doc"));
    item
}

/// `item` as prettyplease prints it.
fn unparse(item: syn::Item) -> String {
    let mut file = syn::parse_file("").unwrap();
    file.items.push(item);
    prettyplease::unparse(&file)
}

/// The name an item declares, if it declares one.
fn item_name(item: &syn::Item) -> Option<&syn::Ident> {
    match item {
        syn::Item::Const(item) => Some(&item.ident),
        syn::Item::Enum(item) => Some(&item.ident),
        syn::Item::Fn(item) => Some(&item.sig.ident),
        syn::Item::Mod(item) => Some(&item.ident),
        syn::Item::Static(item) => Some(&item.ident),
        syn::Item::Struct(item) => Some(&item.ident),
        syn::Item::Trait(item) => Some(&item.ident),
        syn::Item::Type(item) => Some(&item.ident),
        _ => None,
    }
}

/// The name of the type an `impl` is for: `X` of `impl<'a> X<'a>`.
fn impl_name(block: &syn::ItemImpl) -> Option<&syn::Ident> {
    match &*block.self_ty {
        syn::Type::Path(path) => Some(&path.path.segments.last()?.ident),
        _ => None,
    }
}

// Bad input: each class of mistake, and the error that names its place.

#[test]
fn missing_file_names_the_path() {
    let error = load("no/such/spec.yaml").unwrap_err();
    assert!(matches!(error, Error::Read { .. }), "{error:?}");
    // The middle is the operating system's own words for the failure.
    let message = error.to_string();
    assert!(
        message.starts_with("no/such/spec.yaml: cannot read the spec: "),
        "{message}"
    );
    assert!(message.ends_with("; check the path"), "{message}");
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: [unclosed
          version: '1'
        "#,
    ));
    // The parser notices on line 4, where the flow sequence should have ended.
    assert!(matches!(error, Error::Yaml { line: 4, .. }), "{error:?}");
    expect![[r#"
        bad.yaml:4:10: did not find expected ',' or ']' at line 4 column 10, while parsing a flow sequence at line 3 column 10
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn wrong_shape_names_line_and_column() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: '1'
        paths:
          - not a map
        "#,
    ));
    assert!(matches!(error, Error::Yaml { line: 6, .. }), "{error:?}");
    expect![[r#"
        bad.yaml:6:3: paths: invalid type: sequence, expected struct Paths at line 6 column 3
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_key_names_its_line_and_column() {
    // openapiv3 panicked on this one ("somehow this parsed successfully the
    // second time"); the typed parse must never see a duplicate key.
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: first
            operationId: second
            responses:
              '200':
                description: ok
        "#,
    ));
    assert!(matches!(error, Error::Yaml { .. }), "{error:?}");
    // Line 9, column 7: the second `operationId`.
    expect![[r#"
        bad.yaml:9:7: paths./a/.get: duplicate key `operationId`: this mapping already has one, and YAML allows each key once; remove or rename one at line 9 column 7
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_keys_are_found_at_every_depth_and_as_numbers() {
    let title_twice = unindent(
        r#"
        openapi: 3.0.3
        info:
          title: x
          title: t
          version: '1'
        paths: {}
        "#,
    );
    let property_twice = unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Thing:
              type: object
              properties:
                id:
                  type: integer
                id:
                  type: string
        "#,
    );
    // `200` is a number, `'200'` text: the same key to OpenAPI.
    let status_twice = document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              200:
                description: ok
              '200':
                description: ok
        "#,
    );
    let messages: Vec<String> = [title_twice, property_twice, status_twice]
        .iter()
        .map(|text| {
            let error = failure(text);
            assert!(matches!(error, Error::Yaml { .. }), "{error:?}");
            message(&error)
        })
        .collect();
    // Each names the second key: line 4, line 11, line 12.
    expect![[r#"
        bad.yaml:4:3: info: duplicate key `title`: this mapping already has one, and YAML allows each key once; remove or rename one at line 4 column 3
        bad.yaml:11:9: components.schemas.Thing.properties: duplicate key `id`: this mapping already has one, and YAML allows each key once; remove or rename one at line 11 column 9
        bad.yaml:12:9: paths./a/.get.responses: duplicate key `200`: this mapping already has one, and YAML allows each key once; remove or rename one at line 12 column 9
    "#]]
    .assert_eq(&messages.concat());
}

#[test]
fn a_value_of_the_wrong_type_names_its_place() {
    // YAML reads `1.0` as a number; OpenAPI wants the version as text.
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: 1.0
        paths: {}
        "#,
    ));
    expect![[r#"
        bad.yaml#/info: this is not the shape OpenAPI 3.0 gives this object: invalid type: floating point `1.0`, expected a string; see the OpenAPI 3.0.3 specification
          --> bad.yaml:2:1
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn empty_file_is_reported_as_empty() {
    let messages: Vec<String> = ["", "\n\n", "# only a comment\n"]
        .into_iter()
        .map(|text| {
            let error = failure(text);
            assert!(matches!(error, Error::Empty { .. }), "{text:?}: {error:?}");
            message(&error)
        })
        .collect();
    expect![[r#"
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
        bad.yaml:1:1: the spec is empty; write an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)
    "#]]
    .assert_eq(&messages.concat());
}

#[test]
fn openapi_3_1_is_not_supported() {
    let error = failure(&document("{}").replace("openapi: 3.0.3", "openapi: 3.1.0"));
    assert!(
        matches!(&error, Error::UnsupportedVersion { version, .. } if version == "3.1.0"),
        "{error:?}"
    );
    expect![[r#"
        bad.yaml#/openapi: OpenAPI version `3.1.0` is not supported; progenitor reads 3.0.x only, so write `openapi: 3.0.3`
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_document_without_paths_says_so() {
    let error = failure(&unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        "#,
    ));
    expect![[r#"
        bad.yaml#/paths: the document has no `paths`, so it describes no operation; add `paths:` with the API's operations (`paths: {}` for none)
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_file_that_is_not_openapi_says_so() {
    let error = failure("title: hello\n");
    expect![[r#"
        bad.yaml#: no `openapi` field, so this is not an OpenAPI document; start it with `openapi: 3.0.3`
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn missing_operation_id_points_at_the_operation() {
    let error = failure(&document(
        r#"
        /things/:
          get:
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problems(&error).len(), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1things~1/get: operation has no `operationId`; add a unique snake_case one (it becomes the Rust method name)
          --> bad.yaml:7:5
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: things
            responses:
              '200':
                description: ok
        /b/:
          get:
            operationId: things
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problems(&error).len(), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1b~1/get/operationId: `operationId: things` is already used at #/paths/~1a~1/get; give each operation its own
          --> bad.yaml:14:7
    "#]]
    .assert_eq(&message(&error));
}

/// progenitor makes a Rust name of any operationId; codegen names each it
/// changed, and our spec, whose warnings are errors, still gets snake_case.
#[test]
fn an_operation_id_that_is_not_snake_case_is_renamed_with_a_warning() {
    let spec = spec_file!("operation_ids.yaml");
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    expect![[r#"
        specs/operation_ids.yaml#/paths/~1a~1/get/operationId: warning: `meta/root` is not a Rust name, so progenitor names the operation `Client::meta_root` (builder `MetaRoot`); use that name in Rust, or make the operationId snake_case
          --> specs/operation_ids.yaml:9:7
        specs/operation_ids.yaml#/paths/~1b~1/get/operationId: warning: `listThings` is not a Rust name, so progenitor names the operation `Client::list_things` (builder `ListThings`); use that name in Rust, or make the operationId snake_case
          --> specs/operation_ids.yaml:15:7
    "#]]
    .assert_eq(&warnings(&generated));
    assert!(
        generated
            .warnings
            .iter()
            .all(|warning| warning.kind == codegen::WarningKind::Renamed)
    );
    // The names the warnings give are the client's, and `reading`'s.
    let client = Code::new(&generated.client);
    let signatures: Vec<String> = client
        .operation_methods()
        .iter()
        .map(|(method, _)| client.signature(&format!("Client::{method}")))
        .collect();
    expect![[r#"
        pub fn meta_root(&self) -> builder::MetaRoot<'_>
        pub fn list_things(&self) -> builder::ListThings<'_>
        pub fn plain_name(&self) -> builder::PlainName<'_>
    "#]]
    .assert_eq(&signatures.concat());
    for (id, method, builder) in [
        ("meta/root", "meta_root", "MetaRoot"),
        ("listThings", "list_things", "ListThings"),
    ] {
        assert_eq!(reading::method_name(id), method);
        assert_eq!(reading::builder_name(id), builder);
    }
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(matches!(&error, Error::Warnings { warnings, .. } if warnings.len() == 2));
    assert!(
        error.to_string().starts_with(&warnings(&generated)),
        "{error}"
    );
}

#[test]
fn operation_ids_that_become_one_rust_name_name_each_other() {
    let spec = spec_file!("clashing_operation_ids.yaml");
    let error = validate(&spec).unwrap_err();
    expect![[r#"
        specs/clashing_operation_ids.yaml#/paths/~1b~1/get/operationId: `operationId: key_get` and `operationId: key.get` at #/paths/~1a~1/get both become the Rust method `Client::key_get`; rename one of them
          --> specs/clashing_operation_ids.yaml:16:7
        specs/clashing_operation_ids.yaml#/paths/~1c~1/get/operationId: `operationId: new` becomes the Rust method `Client::new`, which progenitor's client already has; rename the operation
          --> specs/clashing_operation_ids.yaml:22:7
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_retry_declaration_must_be_a_boolean() {
    let error = failure(&document(
        r#"
        /a/:
          post:
            operationId: a
            x-idempotent: sometimes
            responses:
              '200':
                description: ok
        "#,
    ));
    assert_eq!(problems(&error).len(), 1, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1/post/x-idempotent: `x-idempotent: "sometimes"` is not a boolean; write `true` if repeating the operation is harmless (the client then retries it after server errors and timeouts), else `false`
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}

/// A `default` response and a property named `example` are spec, not the
/// data a schema's `default:` or `example:` holds: their `$ref`s are
/// checked. A `$ref` inside an example is data and is not.
#[test]
fn refs_under_names_that_are_also_data_keywords_are_checked() {
    let spec = spec_file!("refs_under_data_keywords.yaml");
    let error = validate(&spec).unwrap_err();
    expect![[r#"
        specs/refs_under_data_keywords.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/example/$ref: `$ref: #/components/schemas/Gone` points at nothing; fix the name or add the target
          --> specs/refs_under_data_keywords.yaml:22:21
        specs/refs_under_data_keywords.yaml#/paths/~1a~1/get/responses/default/$ref: `$ref: #/components/responses/Missing` points at nothing; fix the name or add the target
          --> specs/refs_under_data_keywords.yaml:26:11
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn a_departure_must_give_a_reason() {
    let spec = spec_file!("departures_without_reasons.yaml");
    let error = validate(&spec).unwrap_err();
    expect![[r#"
        specs/departures_without_reasons.yaml#/paths/~1a~1/x-upstream-departure/fetch: `fetch` here must be a lowercase HTTP method (`put`, `delete`, …) whose value says why the spec leaves out PostHog's operation, in words
          --> specs/departures_without_reasons.yaml:10:5
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/x-upstream-departure: `x-upstream-departure: ""` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:13:7
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/parameters/0/x-upstream-departure: `x-upstream-departure: 3` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:18:11
        specs/departures_without_reasons.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/properties/p/x-upstream-departure: `x-upstream-departure: ["x"]` gives no reason; say in words why the spec departs from PostHog's schema here, citing PostHog's code
          --> specs/departures_without_reasons.yaml:28:21
    "#]]
    .assert_eq(&message(&error));
    // A reason anywhere, and a mapping of methods on a path item, is fine.
    let fine = document(
        r#"
        /a/:
          x-upstream-departure: {put: PATCH does it}
          get:
            operationId: a
            x-upstream-departure: because
            responses:
              '200':
                description: ok
        "#,
    );
    validate(&parse("fine.yaml", &fine).unwrap()).expect("reasons validate");
}

/// The departures speak to `upstream-diff` only: the committed spec
/// without any, with its own, and with one on every object that has a
/// description (operations, parameters, properties, schemas, responses)
/// generates byte for byte the same.
#[test]
fn departures_never_change_the_generated_code() {
    let committed = committed_spec();
    // The committed spec's declarations, and their continuation lines, gone.
    let mut bare = String::new();
    let mut inside: Option<usize> = None;
    for line in committed.text().lines() {
        let indent = line.len() - line.trim_start().len();
        if inside.is_some_and(|at| indent > at || line.trim().is_empty()) {
            continue;
        }
        inside = None;
        if line.trim_start().starts_with("x-upstream-departure:") {
            inside = Some(indent);
            continue;
        }
        bare.push_str(line);
        bare.push('\n');
    }
    assert!(
        bare.len() < committed.text().len(),
        "the spec declares departures"
    );
    assert!(
        !bare
            .lines()
            .any(|line| line.trim_start().starts_with("x-upstream-departure:"))
    );
    let mut declared = 0;
    let annotated: String = bare
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if trimmed.starts_with("description: ") && !indent.is_empty() {
                declared += 1;
                format!("{indent}x-upstream-departure: because {declared}\n{line}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert!(declared > 100, "{declared}");
    let without = generate(
        &parse("spec/openapi.yaml", &bare).expect("the bare spec parses"),
        &Settings::default(),
    )
    .unwrap();
    let annotated = parse("spec/openapi.yaml", &annotated).expect("the annotated spec parses");
    validate(&annotated).expect("the annotated spec validates");
    for spec in [&committed, &annotated] {
        let with = generate(spec, &Settings::default()).unwrap();
        assert!(with.client == without.client, "the client differs");
        assert!(with.httpmock == without.httpmock, "the mocks differ");
        assert!(with.cli == without.cli, "the CLI differs");
    }
}

#[test]
fn dangling_ref_points_at_the_ref() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Missing'
        "#,
    ));
    expect![[r#"
        bad.yaml#/paths/~1a~1/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` points at nothing; fix the name or add the target
          --> bad.yaml:15:17
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn refs_inside_example_values_are_data() {
    let text = document(
        r#"
        /a/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Thing'
                    example:
                      $ref: not a reference
        "#,
    );
    validate(&parse("ok.yaml", &text).unwrap()).unwrap();
}

#[test]
fn undeclared_path_parameter_is_named() {
    let error = failure(&document(
        r#"
        /a/{id}/:
          get:
            operationId: a
            responses:
              '200':
                description: ok
        "#,
    ));
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get: path `/a/{id}/` uses `{id}`, but the operation declares no path parameter `id`; add it to `parameters` with `in: path`
          --> bad.yaml:7:5
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn path_parameter_missing_from_the_path_is_named() {
    let error = failure(&document(
        r#"
        /a/:
          get:
            operationId: a
            parameters:
              - name: id
                in: path
                required: true
                schema:
                  type: string
            responses:
              '200':
                description: ok
        "#,
    ));
    expect![[r#"
        bad.yaml#/paths/~1a~1/get/parameters: path parameter `id` does not appear in path `/a/`; add `{id}` to the path or remove the parameter
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}

/// Each problem is followed by where it sits in the YAML, rustc-style.
#[test]
fn every_problem_is_reported_at_once() {
    let error = failure(&document(
        r#"
        /a/{id}/:
          get:
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Nope'
        "#,
    ));
    assert_eq!(problems(&error).len(), 3, "{error}");
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get: operation has no `operationId`; add a unique snake_case one (it becomes the Rust method name)
          --> bad.yaml:7:5
        bad.yaml#/paths/~1a~1{id}~1/get: path `/a/{id}/` uses `{id}`, but the operation declares no path parameter `id`; add it to `parameters` with `in: path`
          --> bad.yaml:7:5
        bad.yaml#/paths/~1a~1{id}~1/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Nope` points at nothing; fix the name or add the target
          --> bad.yaml:14:17
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn problems_in_the_committed_spec_would_point_at_their_line() {
    let spec = committed_spec();
    let broken = spec
        .text()
        .replacen("      operationId: query_draft_sql\n", "", 1);
    let error = parse("spec/openapi.yaml", &broken)
        .and_then(|spec| validate(&spec))
        .unwrap_err();
    let expected_line = broken
        .lines()
        .position(|line| line == "  /api/projects/{project_id}/query/draft_sql/:")
        .unwrap()
        + 2;
    assert!(
        error
            .to_string()
            .ends_with(&format!("\n  --> spec/openapi.yaml:{expected_line}:5")),
        "{error}"
    );
}

#[test]
fn progenitor_panic_on_json_without_schema_names_the_operation() {
    let error = generation_failure(&spec_file!("json_media_type_without_schema.yaml"));
    assert!(
        matches!(&error, Error::Generator { culprit: Some(culprit), .. }
            if culprit == "#/paths/~1broken~1/get"),
        "{error:?}"
    );
    expect![[r#"
        specs/json_media_type_without_schema.yaml#/paths/~1broken~1/get: progenitor cannot generate code for this operation: a JSON media type has no `schema`; add one (`{}` accepts any JSON) (progenitor: not yet implemented: media type encoding, no schema: MediaType)
          --> specs/json_media_type_without_schema.yaml:15:5
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn successes_with_different_bodies_are_returned_raw_with_a_warning() {
    let text = document(
        r#"
        /two/:
          get:
            operationId: two
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Thing'
              '204':
                description: empty
        "#,
    );
    let spec = parse("two.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    expect![[r#"
        two.yaml#/paths/~1two~1/get/responses: warning: its successes have different bodies (200: JSON `Thing`, 204: none) and a Rust method returns one type, so codegen returns each unparsed (`ResponseValue<ByteStream>`): parse it yourself
          --> two.yaml:9:7
    "#]]
    .assert_eq(&warnings(&generated));
    expect![[r#"
        pub async fn send(self) -> Result<crate::ResponseValue<ByteStream>, crate::Error>
    "#]]
    .assert_eq(&Code::new(&generated.client).signature("builder::Two::send"));
    // Our spec's warnings are errors: the place is named all the same.
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(
        error.to_string().starts_with(&warnings(&generated)),
        "{error}"
    );
}

/// What progenitor cannot take even after `prepare` is left out, with a
/// warning that names it and says why; the rest is generated.
#[test]
fn an_operation_progenitor_cannot_take_is_left_out_with_a_warning() {
    let spec = spec_file!("json_media_type_without_schema.yaml");
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    expect![[r#"
        specs/json_media_type_without_schema.yaml#/paths/~1broken~1/get: warning: left out of the client, the mocks and the CLI: progenitor cannot generate this operation (a JSON media type has no `schema`; add one (`{}` accepts any JSON) (progenitor: not yet implemented: media type encoding, no schema: MediaType))
          --> specs/json_media_type_without_schema.yaml:15:5
    "#]]
    .assert_eq(&warnings(&generated));
    assert_eq!(generated.warnings[0].kind, codegen::WarningKind::LeftOut);
    for (output, fine) in [
        (&generated.client, "pub fn fine(&self)"),
        (&generated.httpmock, "fn fine<F>(&self"),
        (&generated.cli, "CliCommand::Fine =>"),
    ] {
        assert!(output.contains(fine), "{output}");
        assert!(!output.to_lowercase().contains("broken"), "{output}");
    }
}

/// Leaving an operation out is for what progenitor cannot take, never for a
/// mistake `validate` reports: `generate` alone still reports it as one.
#[test]
fn leaving_out_never_hides_a_spec_error() {
    let text = document(
        r#"
        /a/{id}/:
          get:
            operationId: a
            parameters:
              - name: id
                in: path
                schema:
                  type: string
            responses:
              '200':
                description: ok
        "#,
    );
    let spec = parse("bad.yaml", &text).unwrap();
    let error = generate(&spec, &Settings::default()).unwrap_err();
    expect![[r#"
        bad.yaml#/paths/~1a~1{id}~1/get/parameters: path parameter `id` is not `required: true`; OpenAPI requires it of every path parameter (a path without it does not match), so add it
          --> bad.yaml:9:7
    "#]]
    .assert_eq(&message(&error));
}

/// The culprit is the operation that fails, not one before it whose piece
/// of the document has a shape of its own (here, types that are all
/// newtypes, so no builders).
#[test]
fn the_culprit_is_the_operation_that_fails_not_the_first() {
    let error = generation_failure(&spec_file!("newtypes_then_a_bad_websocket.yaml"));
    assert!(
        matches!(&error, Error::Generator { culprit: Some(culprit), .. }
            if culprit == "#/paths/~1second~1/get"),
        "{error:?}"
    );
    expect![[r#"
        specs/newtypes_then_a_bad_websocket.yaml#/paths/~1second~1/get: progenitor cannot generate code for this operation: invalid dropshot extension use: websocket endpoint "second" must include an explicit 101 response code; change it to a shape progenitor supports
          --> specs/newtypes_then_a_bad_websocket.yaml:22:5
    "#]]
    .assert_eq(&message(&error));
}

/// `json_body_schema` answers `None` for the commands without a body, with
/// a catch-all arm that rustc calls unreachable when every command has one.
#[test]
fn a_cli_whose_every_command_takes_a_body_has_no_unreachable_arm() {
    let with_body = r#"
        /a/:
          post:
            operationId: make
            requestBody:
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Thing'
            responses:
              '204':
                description: done
        "#;
    let without_body = r#"
        /b/:
          get:
            operationId: look
            responses:
              '204':
                description: done
        "#;
    let json_body_schema = |paths: &str| {
        let spec = parse("cli.yaml", &document(paths)).unwrap();
        let cli = generate(&spec, &strict()).unwrap().cli;
        Code::new(&cli).show(&["Cli::json_body_schema"])
    };
    expect![[r#"
        impl<T: CliConfig> Cli<T> {
            pub fn json_body_schema(cmd: CliCommand) -> Option<::schemars::schema::RootSchema> {
                match cmd {
                    CliCommand::Make => Some(::schemars::schema_for!(types::Thing)),
                }
            }
        }
    "#]]
    .assert_eq(&json_body_schema(with_body));
    expect![[r#"
        impl<T: CliConfig> Cli<T> {
            pub fn json_body_schema(cmd: CliCommand) -> Option<::schemars::schema::RootSchema> {
                match cmd {
                    CliCommand::Make => Some(::schemars::schema_for!(types::Thing)),
                    _ => None,
                }
            }
        }
    "#]]
    .assert_eq(&json_body_schema(
        &(unindent(with_body) + &unindent(without_body)),
    ));
}

/// A command's JSON body is `--json-body` with the flags set over it, each
/// under the body's own name for its field (`_in_folder`, not the flag's
/// `in-folder`); a field progenitor gives no flag (an object) gets one that
/// takes JSON; a required field's flag is required unless `--json-body` is
/// given, in a group the usage line shows; and `--help` leaves out the
/// paragraphs that cite code.
#[test]
fn cli_bodies_are_the_file_with_the_flags_over_it() {
    let spec = spec_file!("cli_body.yaml");
    let cli = generate(&spec, &strict()).unwrap().cli;
    let code = Code::new(&cli);
    // A flag per field: the object's takes JSON or a file; the required
    // ones are required unless `--json-body` is given, as groups the usage
    // line shows; `--help` is the summary and the paragraph that cites no
    // code.
    expect![[r#"
        impl<T: CliConfig> Cli<T> {
            pub fn cli_make() -> ::clap::Command {
                ::clap::Command::new("")
                    .arg(
                        ::clap::Arg::new("id")
                            .long("id")
                            .value_parser(::clap::value_parser!(::std::string::String))
                            .required(true),
                    )
                    .arg(
                        ::clap::Arg::new("in-folder")
                            .long("in-folder")
                            .value_parser(::clap::value_parser!(::std::string::String))
                            .required(false)
                            .help("Where it goes."),
                    )
                    .arg(
                        ::clap::Arg::new("kind")
                            .long("kind")
                            .value_parser(::clap::value_parser!(::std::string::String))
                            .required(false)
                            .help("Its kind."),
                    )
                    .arg(
                        ::clap::Arg::new("shape")
                            .long("shape")
                            .value_name("JSON|FILE")
                            .value_parser(parse_json_argument)
                            .required(false)
                            .help("Its shape."),
                    )
                    .arg(
                        ::clap::Arg::new("json-body")
                            .long("json-body")
                            .value_name("JSON-FILE")
                            .required(false)
                            .value_parser(::clap::value_parser!(std::path::PathBuf))
                            .help(
                                "A file of the JSON body to send; each body flag given too replaces its field",
                            ),
                    )
                    .arg(
                        ::clap::Arg::new("json-body-template")
                            .long("json-body-template")
                            .action(::clap::ArgAction::SetTrue)
                            .help(
                                "Print a body for `--json-body`, each field a placeholder to replace or remove (flags given fill theirs), then exit; sends nothing",
                            ),
                    )
                    .about("Make a thing")
                    .long_about(
                        "Make a thing\n\nMakes a thing.\n\nNot safe to repeat: it is retried only when PostHog turned it away unread (429) or it never reached PostHog; an error after that says it may have taken effect.",
                    )
                    .group(
                        ::clap::ArgGroup::new("kind-or-json-body")
                            .args(["kind", "json-body"])
                            .required(true)
                            .multiple(true),
                    )
                    .group(
                        ::clap::ArgGroup::new("shape-or-json-body")
                            .args(["shape", "json-body"])
                            .required(true)
                            .multiple(true),
                    )
            }
        }
    "#]]
    .assert_eq(&code.show(&["Cli::cli_make"]));
    // Flags set the body's fields by their JSON names.
    expect![[r#"
        impl<T: CliConfig> Cli<T> {
            pub fn set_body_flags(
                cmd: CliCommand,
                matches: &::clap::ArgMatches,
                body: &mut ::serde_json::Value,
            ) -> anyhow::Result<()> {
                let mut fields = ::serde_json::Map::new();
                match cmd {
                    CliCommand::Make => {
                        if let Some(value) = matches
                            .get_one::<::std::string::String>("in-folder")
                        {
                            fields
                                .insert("_in_folder".to_owned(), ::serde_json::to_value(value)?);
                        }
                        if let Some(value) = matches.get_one::<::std::string::String>("kind") {
                            fields.insert("kind".to_owned(), ::serde_json::to_value(value)?);
                        }
                        if let Some(value) = matches.get_one::<::serde_json::Value>("shape") {
                            fields.insert("shape".to_owned(), ::serde_json::to_value(value)?);
                        }
                    }
                }
                if fields.is_empty() {
                    return Ok(());
                }
                let names: ::std::vec::Vec<::std::string::String> = fields
                    .keys()
                    .cloned()
                    .collect();
                match body.as_object_mut() {
                    Some(object) => {
                        object.extend(fields);
                        Ok(())
                    }
                    None => {
                        Err(
                            anyhow::anyhow!(
                                "the JSON body is not an object, so flags cannot set its fields ({})",
                                names.join(", ")
                            ),
                        )
                    }
                }
            }
        }
    "#]]
    .assert_eq(&code.show(&["Cli::set_body_flags"]));
    // The body is read from JSON, checked, then typed.
    expect![[r#"
        impl<T: CliConfig> Cli<T> {
            pub async fn execute_make(
                &self,
                matches: &::clap::ArgMatches,
            ) -> anyhow::Result<()> {
                let mut request = self.client.make();
                if let Some(value) = matches.get_one::<::std::string::String>("id") {
                    request = request.id(value.clone());
                }
                if let Some(mut body) = Self::json_body(CliCommand::Make, matches)? {
                    self.config.check_json_body(CliCommand::Make, matches, &mut body)?;
                    request = request.body(json_body_as::<types::MakeBody>(body, matches)?);
                }
                self.config.execute_make(matches, &mut request)?;
                let result = request.send().await;
                match result {
                    Ok(r) => {
                        self.config.success_no_item(&r);
                        Ok(())
                    }
                    Err(r) => {
                        self.config.error(&r);
                        Err(anyhow::Error::new(r))
                    }
                }
            }
        }
    "#]]
    .assert_eq(&code.show(&["Cli::execute_make"]));
    for absent in [
        "required_unless_present",
        "body_map",
        "server/things.py",
        "\"XXX\"",
    ] {
        assert!(!cli.contains(absent), "{absent} in:\n{cli}");
    }
}

/// typify gives builders to structs with fields, none to newtypes: a
/// spec whose only types are newtypes has no builder module, and that is
/// no sign of progenitor's output changing shape.
#[test]
fn a_spec_whose_types_are_all_newtypes_generates() {
    let text = unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a/{name}:
            get:
              operationId: a
              parameters:
                - {name: name, in: path, required: true, schema: {$ref: '#/components/schemas/Name'}}
              responses:
                '204': {description: done}
        components:
          schemas:
            Name: {type: string, pattern: '^[a-z]+$'}
        "#,
    );
    let spec = parse("names.yaml", &text).unwrap();
    let generated = generate(&spec, &strict()).unwrap();
    expect![[r##"
        #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct Name(::std::string::String);
    "##]]
    .assert_eq(&Code::new(&generated.client).show(&["types::Name"]));
}

/// progenitor reads every operation before it writes any, so the whole
/// document can fail on the second operation while the first, alone, fails
/// later for a reason of its own. Each is blamed for its own failure.
#[test]
fn each_operation_is_blamed_for_its_own_failure() {
    let spec = spec_file!("two_operations_that_fail_apart.yaml");
    let error = generation_failure(&spec);
    assert!(
        matches!(&error, Error::Generator { culprit: Some(culprit), message, .. }
            if culprit == "#/paths/~1second~1/get" && message.contains("cookie parameters are not supported")),
        "{error}"
    );
    let generated = generate(&spec, &Settings::default()).unwrap();
    // Not compared whole: progenitor's messages name its source files.
    let reasons: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .filter(|warning| warning.kind == codegen::WarningKind::LeftOut)
        .map(|warning| (warning.pointer.as_str(), warning.message.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, "#/paths/~1second~1/get");
    assert!(reasons[0].1.contains("cookie parameters"), "{reasons:?}");
    assert_eq!(reasons[1].0, "#/paths/~1first~1/get");
    assert!(
        reasons[1].1.contains("response_types.len() <= 1"),
        "{reasons:?}"
    );
}

/// dropshot's websocket endpoints: the `101` (or the `default` progenitor
/// takes for it) reaches progenitor, and the method returns the upgraded
/// connection.
#[test]
fn a_dropshot_websocket_endpoint_is_generated() {
    let spec = spec_file!("websockets.yaml");
    validate(&spec).unwrap();
    let generated = generate(&spec, &strict()).unwrap();
    assert!(generated.uses_websockets);
    expect![[r#"
        impl<'a> Stream<'a> {
            pub async fn send(
                self,
            ) -> Result<crate::ResponseValue<reqwest::Upgraded>, crate::Error> {
                crate::call::send(
                        &super::operations::STREAM,
                        self.client,
                        self,
                        Self::send_untyped,
                    )
                    .await
            }
        }
    "#]]
    .assert_eq(&Code::new(&generated.client).show(&["builder::Stream::send"]));
    expect![[r#"
        pub async fn send(
            self,
        ) -> Result<crate::ResponseValue<reqwest::Upgraded>, crate::Error>
    "#]]
    .assert_eq(&Code::new(&generated.client).signature("builder::OldStream::send"));
}

#[test]
fn a_schema_progenitor_cannot_take_is_loosened_with_a_warning() {
    // typify panics (`todo!`) on a `not` of an object.
    let text = unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: '1'
        paths: {}
        components:
          schemas:
            Odd:
              not:
                type: object
                properties:
                  a:
                    type: string
            Thing:
              type: object
              properties:
                odd:
                  $ref: '#/components/schemas/Odd'
        "#,
    );
    let spec = parse("odd.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let [warning] = generated.warnings.as_slice() else {
        panic!("{:?}", generated.warnings);
    };
    // Line 8, column 5: `Odd:`.
    assert_eq!(warning.location, Some((8, 5)));
    expect![[r#"
        odd.yaml#/components/schemas/Odd: warning: progenitor cannot generate this schema (not yet implemented: unhandled not schema Object(; change it to a shape progenitor supports), so codegen loosened it to `serde_json::Value`: it is untyped in Rust
          --> odd.yaml:8:5
    "#]]
    .assert_eq(&warnings(&generated));
    expect![[r##"
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct Odd(pub ::serde_json::Value);
    "##]]
    .assert_eq(&Code::new(&generated.client).show(&["types::Odd"]));
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(
        error.to_string().starts_with(&warnings(&generated)),
        "{error}"
    );
}

#[test]
fn enum_values_with_one_rust_name_get_names_of_codegens_choosing() {
    let text = unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Tz:
              type: string
              enum: [Etc/GMT+1, Etc/GMT-1, UTC, a-b, a_b]
        "#,
    );
    let spec = parse("ok.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    // The names, and each value both ways: serde's and `Display`/`FromStr`.
    expect![[r##"
        #[derive(
            ::serde::Deserialize,
            ::serde::Serialize,
            Clone,
            Copy,
            Debug,
            Eq,
            Hash,
            Ord,
            PartialEq,
            PartialOrd
        )]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        pub enum Tz {
            /// `Etc/GMT+1`
            #[serde(rename = "Etc/GMT+1")]
            EtcGmtPlus1,
            /// `Etc/GMT-1`
            #[serde(rename = "Etc/GMT-1")]
            EtcGmtMinus1,
            /// `UTC`
            #[serde(rename = "UTC")]
            Utc,
            /// `a-b`
            #[serde(rename = "a-b")]
            AMinusB,
            /// `a_b`
            #[serde(rename = "a_b")]
            AB,
        }

        impl ::std::fmt::Display for Tz {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {
                    Self::EtcGmtPlus1 => f.write_str("Etc/GMT+1"),
                    Self::EtcGmtMinus1 => f.write_str("Etc/GMT-1"),
                    Self::Utc => f.write_str("UTC"),
                    Self::AMinusB => f.write_str("a-b"),
                    Self::AB => f.write_str("a_b"),
                }
            }
        }

        impl ::std::str::FromStr for Tz {
            fn from_str(
                value: &str,
            ) -> ::std::result::Result<Self, self::error::ConversionError> {
                match value {
                    "Etc/GMT+1" => Ok(Self::EtcGmtPlus1),
                    "Etc/GMT-1" => Ok(Self::EtcGmtMinus1),
                    "UTC" => Ok(Self::Utc),
                    "a-b" => Ok(Self::AMinusB),
                    "a_b" => Ok(Self::AB),
                    _ => Err("invalid value".into()),
                }
            }
        }
    "##]]
    .assert_eq(&Code::new(&generated.client).show(&[
        "types::Tz",
        "types::Tz::fmt",
        "types::Tz::from_str",
    ]));
}

// The committed spec.

#[test]
fn committed_spec_validates_and_generates_deterministically() {
    let spec = committed_spec();
    validate(&spec).expect("the committed spec is valid");
    let first = generate(&spec, &Settings::default()).unwrap();
    let second = generate(&spec, &Settings::default()).unwrap();
    assert_eq!(first, second);
    assert_eq!(
        first.client.lines().next(),
        Some(
            "// @generated by `cargo xtask gen` from spec/openapi.yaml. Do not edit: change the spec and regenerate."
        )
    );
}

#[test]
fn scopes_reach_the_method_docs() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    let list_docs = client
        .split("pub fn session_recording_playlists_list(")
        .next()
        .and_then(|before| before.rsplit("/**").next())
        .unwrap();
    assert!(
        list_docs.contains("Required API key scope: `session_recording_playlist:read`."),
        "{list_docs}"
    );
    assert!(client.contains("Required API key scope: `session_recording_playlist:write`."));
}

#[test]
fn open_enums_keep_unknown_values() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    expect![[r##"
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        #[serde(untagged)]
        pub enum PlaylistType {
            /// A value this client knows.
            Known(KnownPlaylistType),
            /// A value this client does not know yet, as PostHog sent it.
            Other(::std::string::String),
        }

        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        #[serde(untagged)]
        pub enum RoleAtOrganization {
            /// A value this client knows.
            Known(KnownRoleAtOrganization),
            /// A value this client does not know yet, as PostHog sent it.
            Other(::std::string::String),
        }
    "##]]
    .assert_eq(&Code::new(&client).show(&["types::PlaylistType", "types::RoleAtOrganization"]));
}

#[test]
fn settings_change_the_output() {
    let spec = committed_spec();
    let mut settings = Settings::default();
    settings.spec_label = "elsewhere.yaml".into();
    settings.timeout_secs = 7;
    let client = generate(&spec, &settings).unwrap().client;
    assert!(client.starts_with("// @generated by `cargo xtask gen` from elsewhere.yaml."));
    assert!(client.contains("from_secs(7u64)"));
}

#[test]
fn mocks_and_cli_come_from_the_same_spec() {
    let generated = generate(&committed_spec(), &Settings::default()).unwrap();
    for text in [&generated.httpmock, &generated.cli] {
        assert!(text.starts_with("// @generated by `cargo xtask gen` from spec/openapi.yaml."));
    }
    assert!(generated.httpmock.contains("pub trait MockServerExt"));
    assert!(
        generated
            .httpmock
            .contains("fn session_recording_playlists_list<F>")
    );
    // Mocks can answer with the documented errors, unlike the client view.
    assert!(
        generated
            .httpmock
            .contains("pub fn not_found(self, value: &types::ErrorResponse)")
    );
    assert!(generated.cli.contains("pub enum CliCommand"));
    assert!(
        generated
            .cli
            .contains("fn error(&self, value: &crate::Error);")
    );
    assert!(
        !generated.cli.contains("todo!()"),
        "every operation has a success shape"
    );
}

#[test]
fn json_schema_derives_only_with_the_cli_feature() {
    let client = generate(&committed_spec(), &Settings::default())
        .unwrap()
        .client;
    assert!(client.contains("#[cfg_attr(feature = \"cli\", derive(schemars::JsonSchema))]"));
    assert!(
        !client.lines().any(|line| line.contains("derive(")
            && line.contains("JsonSchema")
            && !line.contains("cfg_attr")),
        "an ungated JsonSchema derive"
    );
}

#[test]
fn every_send_returns_the_crate_error() {
    let spec = committed_spec();
    let operations = reading::count_operations(spec.tree());
    let client = generate(&spec, &Settings::default()).unwrap().client;
    assert_eq!(client.matches("pub async fn send(").count(), operations);
    assert_eq!(client.matches("crate::call::send(").count(), operations);
    expect![[r#"
        impl<'a> SessionRecordingPlaylistsList<'a> {
            pub async fn send(
                self,
            ) -> Result<
                crate::ResponseValue<types::PaginatedSessionRecordingPlaylistList>,
                crate::Error,
            > {
                crate::call::send(
                        &super::operations::SESSION_RECORDING_PLAYLISTS_LIST,
                        self.client,
                        self,
                        Self::send_untyped,
                    )
                    .await
            }
        }
    "#]]
    .assert_eq(&Code::new(&client).show(&["builder::SessionRecordingPlaylistsList::send"]));
}

#[test]
fn every_operation_is_described_with_its_retry_safety() {
    let spec = committed_spec();
    let client = Code::new(&generate(&spec, &Settings::default()).unwrap().client);
    let mut names: Vec<String> = client
        .module("operations")
        .iter()
        .filter(|item| matches!(item, syn::Item::Const(_)))
        .filter_map(|item| item_name(item).map(ToString::to_string))
        .collect();
    assert_eq!(names.pop().as_deref(), Some("ALL"), "the last is the list");
    let mut expected_names = Vec::new();
    for operation in reading::operations(spec.tree()) {
        let id = operation.id().unwrap();
        let name = reading::operation_const_name(id);
        let described = format!(
            "pub const {name}: crate::Operation = crate::Operation::new({id:?}, {:?}, {:?}, {});",
            operation.method.to_uppercase(),
            operation.path,
            operation.is_idempotent()
        );
        // Compared as prettyplease prints both.
        assert_eq!(
            client.show(&[&format!("operations::{name}")]),
            unparse(syn::parse_str(&described).unwrap())
        );
        expected_names.push(name);
    }
    // progenitor's order, which is not always `reading`'s.
    names.sort();
    expected_names.sort();
    assert_eq!(names, expected_names, "one const per operation");
    // The create is the one operation here not safe to repeat.
    expect![[r#"
        pub const SESSION_RECORDING_PLAYLISTS_CREATE: crate::Operation = crate::Operation::new(
            "session_recording_playlists_create",
            "POST",
            "/api/projects/{project_id}/session_recording_playlists/",
            false,
        );
    "#]]
    .assert_eq(&client.show(&["operations::SESSION_RECORDING_PLAYLISTS_CREATE"]));
}

#[test]
fn an_undeclared_operation_is_as_safe_as_its_method() {
    use serde_json::json;
    for (method, declared, idempotent) in [
        ("get", None, true),
        ("put", None, true),
        ("delete", None, true),
        ("post", None, false),
        ("patch", None, false),
        ("post", Some(json!(true)), true),
        ("get", Some(json!(false)), false),
    ] {
        assert_eq!(
            reading::is_idempotent(method, declared.as_ref()),
            idempotent,
            "{method} {declared:?}"
        );
    }
}

#[test]
fn usage_sketches_are_not_doctests() {
    let spec = committed_spec();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    assert!(!client.contains("```ignore"));
    assert_eq!(
        client.matches("```text").count(),
        reading::count_operations(spec.tree()),
        "one sketch per operation"
    );
}

#[test]
fn codegen_blames_itself_for_its_own_bugs() {
    let error = Error::Internal {
        path: "spec/openapi.yaml".into(),
        message: "typed errors were added to 9 of 10 operations".into(),
    };
    expect![[r#"
        spec/openapi.yaml: internal error in codegen, not a problem in the spec: typed errors were added to 9 of 10 operations; please report it with the spec attached
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn warnings_are_reported_or_denied() {
    let text = unindent(
        r#"
        openapi: 3.0.3
        info:
          title: t
          version: '1'
        paths: {}
        components:
          schemas:
            Thing:
              type: object
              properties:
                id:
                  type: integer
                  default: many
        "#,
    );
    let spec = parse("warn.yaml", &text).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    expect![[r#"
        warn.yaml#/components/schemas/Thing/properties/id: warning: its `default: "many"` does not fit the schema, so codegen ignores it; fix or remove the default
          --> warn.yaml:11:9
    "#]]
    .assert_eq(&warnings(&generated));
    let error = generate(&spec, &strict()).unwrap_err();
    assert!(matches!(&error, Error::Warnings { warnings, .. } if warnings.len() == 1));
    expect![[r#"
        warn.yaml#/components/schemas/Thing/properties/id: warning: its `default: "many"` does not fit the schema, so codegen ignores it; fix or remove the default
          --> warn.yaml:11:9
        warn.yaml: codegen warnings are errors for this spec; change the places they name
    "#]]
    .assert_eq(&message(&error));
}

#[test]
fn the_committed_spec_generates_without_warnings() {
    let generated = generate(&committed_spec(), &Settings::default()).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

// `codegen::reading`, checked against progenitor's output: each reading is
// what the generated client does, not only what the module says.

/// The signature of the method of `Client` that starts operation `id`, as
/// the rules name it and [`Code::signature`] prints it.
fn operation_signature(id: &str) -> String {
    let (method, builder) = (reading::method_name(id), reading::builder_name(id));
    let written =
        format!("impl Client {{ pub fn {method}(&self) -> builder::{builder}<'_> {{}} }}");
    Code::new(&written).signature(&format!("Client::{method}"))
}

#[test]
fn every_operation_gets_the_method_and_builder_the_rules_name() {
    let spec = committed_spec();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    let ids: Vec<&str> = reading::operations(spec.tree())
        .map(|operation| operation.id().expect("validated specs have ids"))
        .collect();
    assert!(!ids.is_empty());
    let mut expected: Vec<(String, String)> = ids
        .iter()
        .map(|id| (reading::method_name(id), reading::builder_name(id)))
        .collect();
    let client = Code::new(&client);
    let mut methods = client.operation_methods();
    // progenitor's order, which is not always `reading`'s.
    methods.sort();
    expected.sort();
    assert_eq!(methods, expected, "one method per operation");
    let builders = client.type_names("builder");
    for id in ids {
        let (method, builder) = (reading::method_name(id), reading::builder_name(id));
        assert_eq!(
            client.signature(&format!("Client::{method}")),
            operation_signature(id)
        );
        assert!(
            builders.contains(&builder),
            "no builder `{builder}` for {id}"
        );
    }
}

#[test]
fn every_component_schema_gets_the_type_the_rules_name() {
    let spec = committed_spec();
    let client = generate(&spec, &Settings::default()).unwrap().client;
    let types = Code::new(&client).type_names("types");
    let names: Vec<_> = reading::component_schemas(spec.tree()).collect();
    assert!(!names.is_empty());
    for (name, _) in names {
        let rust = reading::type_name(name);
        assert!(
            types.contains(&rust),
            "no type `{rust}` for the schema `{name}`"
        );
    }
}

#[test]
fn an_operation_under_every_method_is_generated_and_counted() {
    let path_item: String = reading::METHODS
        .iter()
        .map(|method| {
            indent(&unindent(&format!(
                r#"
                {method}:
                  operationId: do_{method}
                  responses:
                    '204':
                      description: done
                "#
            )))
        })
        .collect();
    let spec = parse("all.yaml", &document(&format!("/things/:\n{path_item}"))).unwrap();
    validate(&spec).unwrap();
    assert_eq!(
        reading::count_operations(spec.tree()),
        reading::METHODS.len()
    );
    // `generate` fails when the operations it counts and the `send()`s
    // progenitor emits differ.
    let client = generate(&spec, &Settings::default()).unwrap().client;
    let mut methods: Vec<String> = Code::new(&client)
        .operation_methods()
        .into_iter()
        .map(|(method, _)| method)
        .collect();
    let mut expected: Vec<String> = reading::METHODS
        .iter()
        .map(|method| reading::method_name(&format!("do_{method}")))
        .collect();
    methods.sort();
    expected.sort();
    assert_eq!(methods, expected);
}

#[test]
fn the_client_sees_every_success_response_and_no_error_response() {
    let spec = spec_file!("statuses.yaml");
    validate(&spec).unwrap();
    let generated = generate(&spec, &Settings::default()).unwrap();
    let (client, mocks) = (Code::new(&generated.client), Code::new(&generated.httpmock));
    expect![[r#"
        async fn send_untyped(self) -> Result<ResponseValue<types::Thing>, Error<()>>
        async fn send_untyped(self) -> Result<ResponseValue<types::Thing>, Error<()>>
    "#]]
    .assert_eq(
        &[
            client.signature("builder::Create::send_untyped"),
            client.signature("builder::List::send_untyped"),
        ]
        .concat(),
    );
    // The mocks still answer with the error bodies.
    expect![[r#"
        pub fn bad_request(self, value: &types::Problem) -> Self
        pub fn default_response(self, status: u16, value: &types::Problem) -> Self
    "#]]
    .assert_eq(
        &[
            mocks.signature("operations::CreateThen::bad_request"),
            mocks.signature("operations::ListThen::default_response"),
        ]
        .concat(),
    );
}

#[test]
fn an_open_enum_is_known_or_other_whichever_branch_comes_first() {
    let text = unindent(
        r#"
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Letter:
              type: string
              enum: [a, b]
            TextFirst:
              anyOf:
                - type: string
                - $ref: '#/components/schemas/Letter'
        "#,
    );
    let spec = parse("open.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let open = reading::component_schema(spec.tree(), "TextFirst").unwrap();
    assert_eq!(
        reading::open_enum(spec.tree(), open).map(|open| open.name),
        Some("Letter")
    );
    let client = generate(&spec, &Settings::default()).unwrap().client;
    expect![[r##"
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
        #[serde(untagged)]
        pub enum TextFirst {
            /// A value this client knows.
            Known(Letter),
            /// A value this client does not know yet, as PostHog sent it.
            Other(::std::string::String),
        }
    "##]]
    .assert_eq(&Code::new(&client).show(&["types::TextFirst"]));
}

/// `reading::field_is_option` says what the generator does: for every shape
/// of property, required or not, the generated field is `Option<_>`
/// exactly when `field_is_option` says so.
#[test]
fn a_fields_rust_type_is_what_field_is_option_says() {
    let shapes = [
        ("boolean", "{type: boolean}"),
        ("nullable", "{type: boolean, nullable: true}"),
        ("defaulted", "{type: boolean, default: true}"),
        (
            "nullable_defaulted",
            "{type: boolean, nullable: true, default: true}",
        ),
        ("string_defaulted", "{type: string, default: x}"),
        ("unfit_default", "{type: integer, default: nope}"),
        (
            "implied_default",
            "{type: string, enum: [only], default: only}",
        ),
        ("array", "{type: array, items: {type: string}}"),
        (
            "array_defaulted",
            "{type: array, items: {type: string}, default: []}",
        ),
        (
            "map",
            "{type: object, additionalProperties: {type: string}}",
        ),
        ("free_object", "{type: object}"),
        (
            "inline_struct",
            "{type: object, properties: {a: {type: string}}}",
        ),
        ("reference", "{$ref: '#/components/schemas/Kind'}"),
        ("array_reference", "{$ref: '#/components/schemas/Names'}"),
        (
            "nullable_wrapper",
            "{nullable: true, allOf: [{$ref: '#/components/schemas/Kind'}]}",
        ),
        ("wrapper", "{allOf: [{$ref: '#/components/schemas/Kind'}]}"),
    ];
    // Each shape twice, as `opt_NAME` and as the required `req_NAME`.
    let mut properties = String::new();
    let mut required = Vec::new();
    for (name, schema) in shapes {
        properties.push_str(&format!(
            "        opt_{name}: {schema}\n        req_{name}: {schema}\n"
        ));
        required.push(format!("req_{name}"));
    }
    let required_list = required.join(", ");
    let text = format!(
        r#"openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a/:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Shapes'}}
components:
  schemas:
    Kind: {{type: string, enum: [a, b]}}
    Names: {{type: array, items: {{type: string}}}}
    Shapes:
      type: object
      required: [{required_list}]
      properties:
{properties}"#
    );
    let spec = parse("shapes.yaml", &text).unwrap();
    validate(&spec).unwrap();
    let client = Code::new(&generate(&spec, &Settings::default()).unwrap().client);
    let syn::Item::Struct(generated) = client.find("types::Shapes") else {
        panic!("`Shapes` is no struct");
    };
    let tree = spec.tree();
    let schema = &tree["components"]["schemas"]["Shapes"];
    let mut checked = 0;
    for field in &generated.fields {
        let name = field.ident.as_ref().expect("a named field").to_string();
        let property = &schema["properties"][&name];
        assert!(!property.is_null(), "no property for the field {name}");
        assert!(matches!(field.vis, syn::Visibility::Public(_)), "{name}");
        let field_type = &field.ty;
        // As tokens: `:: std :: option :: Option < bool >`.
        let field_type = quote::quote!(#field_type).to_string();
        let generated_option = field_type.starts_with(":: std :: option :: Option <");
        let is_required = required.contains(&name);
        assert_eq!(
            reading::field_is_option(tree, is_required, property),
            generated_option,
            "{name}: `field_is_option` and the generated field `{field_type}` disagree",
        );
        checked += 1;
    }
    assert_eq!(checked, 2 * shapes.len());
}
