//! The generated-code view: public items of two versions of the generated
//! client, compared after parsing both with syn. Real generated code from
//! the fixture pairs, plus small hand-written sources for the edge cases.

use codegen::reading;
use spec_diff::rust_items::{ItemChange, compare, public_items};
use spec_diff::{GeneratedView, compare_generated};

use super::{BASE, between, edit, parse};

/// The generated client's path, as the report names it.
const CLIENT: &str = "generated-client/src/generated.rs";

fn generate(text: &str) -> String {
    codegen::generate(&parse(text), &codegen::Settings::default())
        .expect("fixture generates")
        .client
}

/// The public items that change when `edits` are applied to `BASE`.
fn changes_after(edits: &[(&str, &str)]) -> Vec<String> {
    changes(&generate(BASE), &generate(&edit(BASE, edits)))
}

fn changes(old: &str, new: &str) -> Vec<String> {
    let (old, new) = (public_items(old).unwrap(), public_items(new).unwrap());
    compare(&old, &new).iter().map(ItemChange::text).collect()
}

#[test]
fn a_removed_operation_lists_its_method_and_builder_not_their_members() {
    let retrieve = between(
        "  /api/projects/{project_id}/playlists/{short_id}/:\n",
        "components:",
    );
    assert_eq!(
        changes_after(&[(retrieve, "")]),
        [
            "`Client::playlists_retrieve` removed (`fn(&self) -> PlaylistsRetrieve<'_>`)",
            "`builder::PlaylistsRetrieve` removed",
            "`operations::PLAYLISTS_RETRIEVE` removed (`Operation`)",
        ]
    );
}

#[test]
fn a_response_field_made_required_changes_its_rust_type() {
    assert_eq!(
        changes_after(&[
            (
                "      required: [id, short_id, created_at]\n",
                "      required: [id, short_id, created_at, name]\n",
            ),
            (
                "        name: {type: string, nullable: true, description: The playlist's name.}\n",
                "        name: {type: string, description: The playlist's name.}\n",
            ),
        ]),
        ["`types::Playlist::name`: `Option<String>` → `String`"]
    );
}

#[test]
fn a_parameter_type_change_shows_in_its_builder_method() {
    assert_eq!(
        changes_after(&[(
            "schema: {type: integer, format: int64}\n        - name: search",
            "schema: {type: string}\n        - name: search",
        )]),
        [
            "`builder::PlaylistsList::limit`: `fn(self, impl TryInto<i64>) -> Self` → `fn(self, impl TryInto<String>) -> Self`"
        ]
    );
}

#[test]
fn an_added_enum_value_is_an_added_variant() {
    assert_eq!(
        changes_after(&[(
            "enum: [active, archived]",
            "enum: [active, archived, deleted]",
        )]),
        ["`types::Status::Deleted` added"]
    );
}

#[test]
fn only_public_items_inherent_methods_and_trait_impls_are_listed() {
    let source = r#"
        pub mod types {
            #[derive(Clone, ::serde::Serialize)]
            pub struct Playlist { pub name: ::std::option::Option<::std::string::String>, secret: u8, pub(crate) internal: u8 }
            struct Private;
            impl ::std::fmt::Display for Playlist { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
            impl Playlist { pub fn builder() -> builder::Playlist { todo!() } fn hidden(&self) {} }
            pub enum Kind { A, B(::std::string::String) }
            pub mod builder { pub struct Playlist { name: u8 } }
        }
        pub struct Client { pub(crate) baseurl: String }
        impl Client { pub fn list(&self) -> builder::List<'_> { todo!() } }
    "#;
    let items = public_items(source).unwrap();
    let paths: Vec<&str> = items.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "Client",
            "Client::list",
            "types::Kind",
            "types::Kind::A",
            "types::Kind::B",
            "types::Playlist",
            "types::Playlist::builder",
            "types::Playlist::impl Clone",
            "types::Playlist::impl Display",
            "types::Playlist::impl Serialize",
            "types::Playlist::name",
        ]
    );
    assert_eq!(items["types::Kind::B"], "(String)");
    assert_eq!(items["types::Playlist::builder"], "fn() -> Playlist");
}

#[test]
fn a_lost_derive_or_trait_impl_is_a_breaking_removal() {
    let old = r#"
        pub mod types {
            #[derive(Clone, Debug)]
            pub struct Playlist { pub name: String }
            impl ::std::default::Default for Playlist { fn default() -> Self { todo!() } }
            impl ::std::convert::From<&Playlist> for Playlist { fn from(value: &Playlist) -> Self { todo!() } }
        }
    "#;
    let new = r#"
        pub mod types {
            #[derive(Debug, PartialEq)]
            pub struct Playlist { pub name: String }
            impl ::std::convert::From<&Playlist> for Playlist { fn from(value: &Playlist) -> Self { todo!() } }
        }
    "#;
    let (old, new) = (public_items(old).unwrap(), public_items(new).unwrap());
    let changes = compare(&old, &new);
    let texts: Vec<String> = changes.iter().map(ItemChange::text).collect();
    assert_eq!(
        texts,
        [
            "`types::Playlist::impl Clone` removed",
            "`types::Playlist::impl Default` removed",
            "`types::Playlist::impl PartialEq` added",
        ]
    );
    assert!(changes[0].is_breaking() && changes[1].is_breaking());
    assert!(!changes[2].is_breaking());
}

#[test]
fn removals_and_changes_come_before_additions() {
    let old = "pub struct A { pub x: i64 } pub struct B;";
    let new = "pub struct A { pub x: i32, pub y: bool } pub struct C;";
    assert_eq!(
        changes(old, new),
        [
            "`A::x`: `i64` → `i32`",
            "`B` removed",
            "`A::y` added (`bool`)",
            "`C` added"
        ]
    );
}

#[test]
fn identical_generated_code_has_no_item_changes() {
    let client = generate(BASE);
    assert_eq!(
        compare_generated(CLIENT, &client, &client),
        GeneratedView::Compared {
            file: CLIENT.to_owned(),
            items: Vec::new()
        }
    );
}

#[test]
fn an_unparsable_base_file_is_reported_not_compared() {
    let view = compare_generated(CLIENT, "pub struct {", &generate(BASE));
    let GeneratedView::Unavailable(reason) = view else {
        panic!("compared an unparsable file: {view:?}");
    };
    assert!(
        reason.starts_with("the base's `generated-client/src/generated.rs` does not parse"),
        "{reason}"
    );
}

#[test]
fn the_rules_name_the_methods_builders_and_types_the_generated_client_has() {
    let spec = parse(BASE);
    let items = public_items(&generate(BASE)).unwrap();
    let has = |path: String| assert!(items.contains_key(&path), "no `{path}` in {items:#?}");
    for operation in reading::operations(spec.tree()) {
        let id = operation.id().unwrap();
        has(format!("Client::{}", reading::method_name(id)));
        has(format!("builder::{}", reading::builder_name(id)));
    }
    for (name, _) in reading::component_schemas(spec.tree()) {
        has(format!("types::{}", reading::type_name(name)));
    }
}

/// The client sees success responses only (`codegen::reading::is_success`),
/// which is why an error response never changes `send()`: an operation
/// that documents no success at all, like PostHog's DELETE, returns `()`.
#[test]
fn an_operation_documenting_only_errors_sends_unit() {
    let destroy = "    delete:\n      operationId: playlists_destroy\n      parameters:\n        - $ref: '#/components/parameters/ProjectId'\n        - {name: short_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '405':\n          description: Hard delete is not allowed.\ncomponents:\n";
    let items = public_items(&generate(&edit(BASE, &[("components:\n", destroy)]))).unwrap();
    assert_eq!(
        items["builder::PlaylistsDestroy::send"],
        "async fn(self) -> Result<ResponseValue<()>, Error>"
    );
}
