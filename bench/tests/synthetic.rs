//! The synthetic specs behind `cargo xtask bench`'s growth rows: they must
//! validate, generate, and have exactly the number of operations asked for,
//! or the growth numbers mean nothing. (No timings are asserted anywhere.)

use bench::{GROWTH_SIZES, synthetic_spec};
use codegen::reading::{self, count_operations};
use serde_json::Value;

fn template() -> codegen::Spec {
    codegen::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
        .expect("the committed spec loads")
}

/// The template's operationIds, in document order.
fn operation_ids(tree: &Value) -> Vec<String> {
    reading::operations(tree)
        .filter_map(|operation| operation.id())
        .map(str::to_owned)
        .collect()
}

#[test]
fn synthetic_specs_have_the_requested_number_of_operations() {
    let template = template();
    for operations in [1, 25].into_iter().chain(GROWTH_SIZES) {
        let tree = synthetic_spec(template.tree(), operations);
        assert_eq!(count_operations(&tree), operations);
    }
}

#[test]
fn synthetic_specs_validate() {
    let template = template();
    for operations in [1, 25, 100] {
        let tree = synthetic_spec(template.tree(), operations);
        let spec = codegen::parse("synthetic.yaml", &tree.to_string()).unwrap();
        codegen::validate(&spec).unwrap_or_else(|error| panic!("{operations}: {error}"));
    }
}

#[test]
fn synthetic_specs_generate_renamed_copies() {
    let template = template();
    let ids = operation_ids(template.tree());
    let per_copy = ids.len();
    // Two whole copies and the first operation of a third.
    let tree = synthetic_spec(template.tree(), 2 * per_copy + 1);
    let spec = codegen::parse("synthetic.yaml", &tree.to_string()).unwrap();
    let generated = codegen::generate(&spec, &codegen::Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let method = |id: &str| format!("pub fn {}(", reading::method_name(id));
    assert!(generated.client.contains(&method(&ids[0])));
    assert!(
        generated
            .client
            .contains(&method(&format!("{}_copy1", ids[per_copy - 1])))
    );
    assert!(
        generated
            .client
            .contains(&method(&format!("{}_copy2", ids[0])))
    );
    assert!(
        !generated
            .client
            .contains(&method(&format!("{}_copy2", ids[per_copy - 1])))
    );
}

#[test]
fn one_copy_is_the_committed_spec_unchanged() {
    let template = template();
    let tree = synthetic_spec(template.tree(), count_operations(template.tree()));
    assert_eq!(&tree, template.tree());
}
