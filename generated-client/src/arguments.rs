//! What the builders and helpers take for the values callers hold: an id
//! as text or as any integer ([`PathId`]), a page size as any unsigned
//! integer ([`PageSize`]). Each refuses what would only send a wrong
//! request (an empty id, a page size of 0) with a message that names the
//! argument, which `send()` reports as [`Error::InvalidRequest`](crate::Error::InvalidRequest)
//! before anything is sent. Generated setters call [`path_id`] and
//! [`page_size`] (codegen's rewrite; `codegen::runtime` has the same two).

use std::borrow::Cow;
use std::num::{NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroUsize};

/// An id in a request's path (`project_id`, `short_id`,
/// `session_recording_id`): text (`&str`, `String`, `&String`, `Cow<str>`)
/// or an integer, since PostHog's project ids are numbers
/// (`.project_id(12345)`, `.project_id(playlist.id)`).
///
/// Implement it for your own id types to pass them as they are.
pub trait PathId {
    /// The id as the request's path spells it.
    fn path_id(self) -> String;
}

impl PathId for &str {
    fn path_id(self) -> String {
        self.to_owned()
    }
}

impl PathId for String {
    fn path_id(self) -> String {
        self
    }
}

impl PathId for &String {
    fn path_id(self) -> String {
        self.clone()
    }
}

impl PathId for Cow<'_, str> {
    fn path_id(self) -> String {
        self.into_owned()
    }
}

macro_rules! integer_path_ids {
    ($($integer:ty),*) => {$(
        impl PathId for $integer {
            fn path_id(self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_path_ids!(
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
    NonZeroU64,
    NonZeroUsize
);

/// A page size (`limit`): any integer type, or an unsigned `NonZero`
/// (`.limit(50)`, `.limit(page_size)` with a `u32` or a `usize`). Less than
/// 1 is refused before sending. Signed types are taken too, so that a bare
/// literal (an `i32` to the compiler) is one.
pub trait PageSize {
    /// The page size, `None` when it is less than 1.
    fn page_size(self) -> Option<NonZeroU64>;
}

macro_rules! page_sizes {
    ($($integer:ty => $to_u64:expr),* $(,)?) => {$(
        impl PageSize for $integer {
            fn page_size(self) -> Option<NonZeroU64> {
                let to_u64: fn($integer) -> Option<u64> = $to_u64;
                to_u64(self).and_then(NonZeroU64::new)
            }
        }
    )*};
}

page_sizes!(
    u8 => |size| Some(size.into()),
    u16 => |size| Some(size.into()),
    u32 => |size| Some(size.into()),
    u64 => Some,
    usize => |size| u64::try_from(size).ok(),
    i8 => |size| u64::try_from(size).ok(),
    i16 => |size| u64::try_from(size).ok(),
    i32 => |size| u64::try_from(size).ok(),
    i64 => |size| u64::try_from(size).ok(),
    isize => |size| u64::try_from(size).ok(),
    NonZeroU8 => |size| Some(size.get().into()),
    NonZeroU16 => |size| Some(size.get().into()),
    NonZeroU32 => |size| Some(size.get().into()),
    NonZeroU64 => |size| Some(size.get()),
    NonZeroUsize => |size| u64::try_from(size.get()).ok(),
);

/// `value` as the path parameter `name`, or why it cannot be: an empty id
/// would send another request than the one asked for
/// (`/api/projects//session_recording_playlists/`).
pub(crate) fn path_id(value: impl PathId, name: &str) -> Result<String, String> {
    let id = value.path_id();
    if id.is_empty() {
        Err(format!("`{name}` is empty; give the id to send"))
    } else {
        Ok(id)
    }
}

/// `value` as the page size `name`, or why it cannot be.
pub(crate) fn page_size(value: impl PageSize, name: &str) -> Result<NonZeroU64, String> {
    value
        .page_size()
        .ok_or_else(|| format!("`{name}` is less than 1; a page holds at least 1 item"))
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::{page_size, path_id};

    #[test]
    fn ids_are_text_or_integers_and_never_empty() {
        let rows = [
            (path_id("abc123", "short_id"), "abc123"),
            (path_id(String::from("42"), "project_id"), "42"),
            (path_id(12345_i64, "project_id"), "12345"),
            (path_id(7_u32, "project_id"), "7"),
            (path_id(-1_i32, "project_id"), "-1"),
        ];
        for (got, expected) in rows {
            assert_eq!(got.as_deref(), Ok(expected));
        }
        assert_eq!(
            path_id("", "project_id"),
            Err("`project_id` is empty; give the id to send".to_owned())
        );
    }

    #[test]
    fn page_sizes_are_integers_of_at_least_1() {
        assert_eq!(page_size(50_u8, "limit").unwrap().get(), 50);
        assert_eq!(page_size(50_usize, "limit").unwrap().get(), 50);
        assert_eq!(
            page_size(NonZeroU32::new(9).unwrap(), "limit")
                .unwrap()
                .get(),
            9
        );
        assert_eq!(page_size(50, "limit").unwrap().get(), 50);
        for refused in [page_size(0_u32, "limit"), page_size(-3, "limit")] {
            assert_eq!(
                refused,
                Err("`limit` is less than 1; a page holds at least 1 item".to_owned())
            );
        }
    }
}
