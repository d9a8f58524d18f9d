//! What small specs generate, shown as the items a reader of the
//! generated code would look at; what codegen rewrites, loosens or leaves
//! out, with the warning that says so; and what it cannot generate, with
//! the operation to blame.

use codegen::{Error, Settings, generate, parse, reading, validate};
use expect_test::expect;

use crate::code::Code;
use crate::{document, generation_failure, message, strict, unindent, warnings};

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
    // Whole: a panic's place is named from its crate, the same on every
    // machine (`guard`).
    expect![[r#"
        specs/two_operations_that_fail_apart.yaml#/paths/~1second~1/get: warning: left out of the client, the mocks and the CLI: progenitor cannot generate this operation (unexpected or unhandled format in the OpenAPI document cookie parameters are not supported Cookie; change it to a shape progenitor supports)
          --> specs/two_operations_that_fail_apart.yaml:22:5
        specs/two_operations_that_fail_apart.yaml#/paths/~1first~1/get: warning: left out of the client, the mocks and the CLI: progenitor cannot generate this operation (its responses have different bodies (e.g. 200 with a body and 204 without); give every success, and every error, the same schema (progenitor: assertion failed: response_types.len() <= 1 (at progenitor-impl-0.15.1/src/method.rs:1220)))
          --> specs/two_operations_that_fail_apart.yaml:10:5
    "#]].assert_eq(&warnings(&generated));
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
        odd.yaml#/components/schemas/Odd: warning: progenitor cannot generate this schema (not yet implemented: unhandled not schema Object; change it to a shape progenitor supports), so codegen loosened it to `serde_json::Value`: it is untyped in Rust
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
