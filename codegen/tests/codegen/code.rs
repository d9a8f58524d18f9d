//! Generated code, parsed: an item is found in the syntax tree by its path
//! and printed by prettyplease, as the generated file is, so a check reads
//! like the code and does not depend on where the item sits in the file.

/// Generated code, parsed.
pub(crate) struct Code(syn::File);

impl Code {
    pub(crate) fn new(source: &str) -> Self {
        Self(syn::parse_file(source).expect("generated code parses"))
    }

    /// The items `paths` name, each printed as prettyplease prints it, a
    /// blank line between them: `types::Thing` is the item `Thing` of the
    /// module `types`; `builder::List::send` the method `send` of an
    /// `impl` of `builder::List`, shown inside that `impl`'s header (the
    /// trait's, for `types::Tz::fmt`). Each is shown without its own doc
    /// comment, which is the spec's prose or boilerplate; the docs inside
    /// it (of variants, fields) stay.
    pub(crate) fn show(&self, paths: &[&str]) -> String {
        paths
            .iter()
            .map(|path| unparse(without_docs(self.find(path))))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The signature of the function or method `path` names (as in
    /// [`Code::show`]), without its docs or body: a line, or more where
    /// prettyplease breaks it.
    pub(crate) fn signature(&self, path: &str) -> String {
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
    pub(crate) fn find(&self, path: &str) -> syn::Item {
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
    pub(crate) fn module(&self, path: &str) -> Vec<syn::Item> {
        match self.find(path) {
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, items)),
                ..
            }) => items,
            other => panic!("`{path}` is no inline module: {}", unparse(other)),
        }
    }

    /// The names of the public structs and enums of module `path`.
    pub(crate) fn type_names(&self, path: &str) -> Vec<String> {
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
    pub(crate) fn operation_methods(&self) -> Vec<(String, String)> {
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
pub(crate) fn unparse(item: syn::Item) -> String {
    let mut file = syn::parse_file("").unwrap();
    file.items.push(item);
    prettyplease::unparse(&file)
}

/// The name an item declares, if it declares one.
pub(crate) fn item_name(item: &syn::Item) -> Option<&syn::Ident> {
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
