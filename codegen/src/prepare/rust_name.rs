//! The Rust names typify gives what it generates, predicted so that
//! codegen can tell in advance when two of them would clash.

use heck::ToPascalCase;

/// The name typify gives a type or variant named `value`: its
/// `sanitize(value, Pascal)` (typify-impl 0.8, `util.rs`), which this
/// must follow exactly.
pub(super) fn typify_name(value: &str) -> String {
    let cased = match value {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => value
            .replace('\'', "")
            .replace(|c| !unicode_ident::is_xid_continue(c), "-")
            .to_pascal_case(),
    };
    let named = match cased.chars().next() {
        None => "X".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("X{cased}"),
    };
    if named == "Self" {
        format!("{named}_")
    } else {
        named
    }
}

#[cfg(test)]
mod tests {
    use super::typify_name;

    #[test]
    fn names_follow_typify() {
        assert_eq!(typify_name("collection"), "Collection");
        assert_eq!(typify_name("Etc/GMT+1"), "EtcGmt1");
        assert_eq!(typify_name("-created_at"), "CreatedAt");
        assert_eq!(typify_name("+1"), "plus1");
        assert_eq!(typify_name("1d"), "X1d");
        assert_eq!(typify_name("Self"), "Self_");
    }
}
