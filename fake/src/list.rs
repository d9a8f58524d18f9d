//! Which playlists the list holds and in what order, as PostHog's `list`
//! decides (posthog/session_recordings/session_recording_playlist_api.py,
//! later PostHog): `_filter_request` filters the saved playlists,
//! `_filter_synthetic_playlists` the built-in ones, and
//! `resolve_playlist_order` with `_synthetic_global_ranks` places both in one
//! order, which the page is then cut from.

use std::cmp::Ordering;

use serde_json::Value;

use crate::state::{
    Kind, Playlist, SYNTHETIC, State, Synthetic, USER_ID, playlist_json, synthetic_json,
};
use crate::time::relative_date_parse;

/// The filters of one request; each one present applies.
#[derive(Debug, Default)]
struct Filters<'a> {
    /// `user`: the caller's own playlists (present is enough).
    mine: bool,
    /// `created_by`: the user id.
    created_by: Option<i64>,
    /// `type`, when it names a kind (another value filters nothing).
    kind: Option<Kind>,
    /// `collection_type`: `custom` or `synthetic` (another value filters nothing).
    custom_only: bool,
    synthetic_only: bool,
    /// `pinned` (present is enough).
    pinned: bool,
    /// `date_from` and `date_to`, as moments of the fake's clock.
    changed_after: Option<i64>,
    changed_before: Option<i64>,
    /// `search`, lower-cased.
    search: Option<String>,
    /// `session_recording_id`.
    holding: Option<&'a str>,
}

impl<'a> Filters<'a> {
    /// The filters `param` names; `None` when one makes PostHog fail (a
    /// `created_by` that is not a whole number: the lookup raises
    /// `ValueError`, a 500).
    fn read(param: &impl Fn(&str) -> Option<&'a str>, now: u64) -> Option<Self> {
        let created_by = match param("created_by") {
            // Django's `IntegerField.get_prep_value`: `int(value)`, which strips spaces.
            Some(text) => Some(text.trim().parse().ok()?),
            None => None,
        };
        Some(Self {
            mine: param("user").is_some(),
            created_by,
            kind: param("type").and_then(Kind::parse),
            custom_only: param("collection_type") == Some("custom"),
            synthetic_only: param("collection_type") == Some("synthetic"),
            pinned: param("pinned").is_some(),
            changed_after: param("date_from").map(|text| relative_date_parse(text, now)),
            changed_before: param("date_to").map(|text| relative_date_parse(text, now)),
            search: param("search").map(str::to_lowercase),
            holding: param("session_recording_id"),
        })
    }

    /// `_filter_request` on a saved playlist.
    fn keeps(&self, playlist: &Playlist) -> bool {
        let changed = i64::try_from(playlist.last_modified_at).unwrap_or(i64::MAX);
        // `icontains`: SQL's `LIKE`, which a null never matches.
        let contains = |text: &Option<String>, search: &str| {
            text.as_ref()
                .is_some_and(|text| text.to_lowercase().contains(search))
        };
        // The fake has one user, and every credential is theirs.
        (!self.mine || playlist.created_by == USER_ID)
            && self.created_by.is_none_or(|id| id == playlist.created_by)
            && self.kind.is_none_or(|kind| kind == playlist.kind)
            && !self.synthetic_only
            && (!self.pinned || playlist.pinned)
            && self.changed_after.is_none_or(|after| changed > after)
            && self.changed_before.is_none_or(|before| changed < before)
            && self.search.as_deref().is_none_or(|search| {
                contains(&playlist.name, search) || contains(&playlist.derived_name, search)
            })
            && self
                .holding
                .is_none_or(|recording| playlist.items.iter().any(|item| item == recording))
    }

    /// `_filter_synthetic_playlists`: the dates and `session_recording_id`
    /// do not apply to them.
    fn keeps_synthetic(&self, synthetic: &Synthetic) -> bool {
        !self.mine
            && self.created_by.is_none()
            && self.kind != Some(Kind::Filters)
            && !self.custom_only
            && !self.pinned
            && self.search.as_deref().is_none_or(|search| {
                synthetic.name.to_lowercase().contains(search)
                    || synthetic.description.to_lowercase().contains(search)
            })
    }
}

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    LastModifiedAt,
    CreatedAt,
    Name,
}

/// `resolve_playlist_order`: `order` when its field (without leading `-`s)
/// is supported, else `-last_modified_at`.
fn order(param: Option<&str>) -> (Field, bool) {
    let order = param.filter(|order| !order.is_empty());
    let field = match order.map(|order| order.trim_start_matches('-')) {
        Some("last_modified_at") => Field::LastModifiedAt,
        Some("created_at") => Field::CreatedAt,
        Some("name") => Field::Name,
        _ => return (Field::LastModifiedAt, true),
    };
    (field, order.is_some_and(|order| order.starts_with('-')))
}

/// One playlist of the list.
#[derive(Debug, Clone, Copy)]
enum Entry<'a> {
    /// A built-in playlist, with its place in the registry.
    Synthetic(usize, &'a Synthetic),
    Saved(&'a Playlist),
}

impl Entry<'_> {
    /// `playlist_name_sort_key`: the name, else the derived name, lower-cased.
    fn name_key(&self) -> String {
        match self {
            Self::Synthetic(_, synthetic) => synthetic.name.to_lowercase(),
            Self::Saved(playlist) => playlist
                .name
                .as_deref()
                .filter(|name| !name.is_empty())
                .or(playlist.derived_name.as_deref())
                .unwrap_or("")
                .to_lowercase(),
        }
    }

    /// The timestamp sorted by; a synthetic playlist has none and sorts as
    /// the latest moment (`_order_playlists`: `datetime.max`).
    fn time_key(&self, field: Field) -> Option<u64> {
        match (self, field) {
            (Self::Synthetic(..), _) => None,
            (Self::Saved(playlist), Field::CreatedAt) => Some(playlist.created_at),
            (Self::Saved(playlist), _) => Some(playlist.last_modified_at),
        }
    }

    /// Among equals: synthetic playlists first (`_synthetic_global_ranks`
    /// counts only the saved ones strictly before), in registry order; saved
    /// ones by `id`, the query's tiebreaker.
    fn tiebreak(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Synthetic(a, _), Self::Synthetic(b, _)) => a.cmp(b),
            (Self::Synthetic(..), Self::Saved(_)) => Ordering::Less,
            (Self::Saved(_), Self::Synthetic(..)) => Ordering::Greater,
            (Self::Saved(a), Self::Saved(b)) => a.id.cmp(&b.id),
        }
    }

    fn json(&self) -> Value {
        match self {
            Self::Synthetic(_, synthetic) => synthetic_json(synthetic),
            Self::Saved(playlist) => playlist_json(playlist),
        }
    }
}

/// Every playlist the list holds for the request's parameters (`param`
/// gives a parameter's value), in order, as JSON; `None` when PostHog
/// answers 500 instead.
pub(crate) fn playlists<'a>(
    state: &State,
    param: &impl Fn(&str) -> Option<&'a str>,
) -> Option<Vec<Value>> {
    let filters = Filters::read(param, state.now())?;
    let (field, descending) = order(param("order"));
    let mut entries: Vec<Entry<'_>> = SYNTHETIC
        .iter()
        .enumerate()
        .filter(|(_, synthetic)| filters.keeps_synthetic(synthetic))
        .map(|(index, synthetic)| Entry::Synthetic(index, synthetic))
        .chain(
            state
                .playlists
                .iter()
                // `safely_get_queryset`: soft-deleted playlists are not listed.
                .filter(|playlist| !playlist.deleted && filters.keeps(playlist))
                .map(Entry::Saved),
        )
        .collect();
    entries.sort_by(|a, b| {
        let by_field = if field == Field::Name {
            a.name_key().cmp(&b.name_key())
        } else {
            match (a.time_key(field), b.time_key(field)) {
                (Some(a), Some(b)) => a.cmp(&b),
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (None, None) => Ordering::Equal,
            }
        };
        let by_field = if descending {
            by_field.reverse()
        } else {
            by_field
        };
        by_field.then_with(|| a.tiebreak(b))
    });
    Some(entries.iter().map(Entry::json).collect())
}
