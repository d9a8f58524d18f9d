//! The one fence around codegen's dependencies. serde_yaml, openapiv3,
//! typify, progenitor, syn and prettyplease all panic on some input they
//! do not expect (openapiv3 on a duplicated key, typify on two enum values
//! with one Rust name, `parse_quote!` on tokens it cannot read). Every call
//! into them runs through [`guarded`], so a panic becomes a message that
//! the caller turns into an [`crate::Error`] naming the spec and the place,
//! and nothing is printed on the way: no backtrace ever reaches a user.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs guarded code, whose panics we report ourselves.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into its message (with the place in the
/// dependency's source that panicked, for a bug report upstream).
///
/// The process-wide panic hook is wrapped once so that only guarded code
/// goes unprinted: other threads, and this one outside `f`, keep the hook
/// they had. Guarded calls may nest and may run on several threads at once.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let place = info
                    .location()
                    .map(|at| format!(" (at {}:{})", from_its_crate(at.file()), at.line()));
                LAST_PLACE.with(|last| last.replace(place));
            } else {
                previous(info);
            }
        }));
    });
    let outer = GUARDED.with(|guarded| guarded.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|guarded| guarded.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        let place = LAST_PLACE.with(|last| last.take()).unwrap_or_default();
        format!("{message}{place}")
    })
}

/// A source file's path from its crate's folder on: a dependency's
/// `/home/…/.cargo/registry/src/…/progenitor-impl-0.15.1/src/method.rs` is
/// `progenitor-impl-0.15.1/src/method.rs`, the same on every machine.
fn from_its_crate(file: &str) -> &str {
    let Some(src) = file.rfind("/src/") else {
        return file;
    };
    let start = file[..src].rfind('/').map_or(0, |slash| slash + 1);
    &file[start..]
}

thread_local! {
    /// Where the last guarded panic on this thread happened, set by the hook.
    static LAST_PLACE: Cell<Option<String>> = const { Cell::new(None) };
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_becomes_its_message_and_place() {
        let message = guarded(|| -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert!(message.starts_with("boom 1 (at "), "{message}");
        assert!(message.contains("guard.rs:"), "{message}");
        assert_eq!(guarded(|| 7), Ok(7));
    }

    #[test]
    fn a_panics_place_is_named_from_its_crate_the_same_on_every_machine() {
        use super::from_its_crate;
        // Where cargo unpacks a dependency, under any home folder.
        let home = std::env::var("CARGO_HOME").unwrap_or_else(|_| "~/.cargo".into());
        let registered =
            format!("{home}/registry/src/index.crates.io-1/progenitor-impl-0.15.1/src/method.rs");
        assert_eq!(
            from_its_crate(&registered),
            "progenitor-impl-0.15.1/src/method.rs"
        );
        assert_eq!(
            from_its_crate("codegen/src/guard.rs"),
            "codegen/src/guard.rs"
        );
        assert_eq!(from_its_crate("src/lib.rs"), "src/lib.rs");
        assert_eq!(from_its_crate("lib.rs"), "lib.rs");
    }

    #[test]
    fn nested_guards_keep_the_outer_one_quiet() {
        let outer = guarded(|| {
            let inner = guarded(|| -> u8 { panic!("inner") });
            assert!(inner.unwrap_err().starts_with("inner"));
            panic!("outer")
        });
        assert!(outer.unwrap_err().starts_with("outer"));
    }

    #[test]
    fn guards_on_several_threads_do_not_mix() {
        let messages: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|n| scope.spawn(move || guarded(|| -> u8 { panic!("thread {n}") })))
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap().unwrap_err())
                .collect()
        });
        for (n, message) in messages.iter().enumerate() {
            assert!(
                message.starts_with(&format!("thread {n} (at ")),
                "{message}"
            );
        }
    }
}
