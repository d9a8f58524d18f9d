//! `codegen::reading`, checked against progenitor's output: each reading
//! is what the generated client does, not only what the module says.

use codegen::{Settings, generate, parse, reading, validate};
use expect_test::expect;

use crate::code::Code;
use crate::{committed_spec, document, indent, unindent};

/// The signature of the method of `Client` that starts operation `id`, as
/// the rules name it and [`Code::signature`] prints it.
fn operation_signature(id: &str) -> String {
    let (method, builder) = (reading::method_name(id), reading::builder_name(id));
    let written =
        format!("impl Client {{ pub fn {method}(&self) -> builder::{builder}<'_> {{}} }}");
    Code::new(&written).signature(&format!("Client::{method}"))
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
