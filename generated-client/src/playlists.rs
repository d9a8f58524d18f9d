//! Conveniences over the generated playlist operations that PostHog's
//! server calls for (each rule is PostHog's, read from
//! posthog/session_recordings/session_recording_playlist_api.py):
//!
//! - creating a playlist names its kind, and only the combinations the
//!   server accepts are easy to write: a collection without filters, saved
//!   filters with non-empty filters;
//! - an update of a saved-filters playlist must send its filters again, so
//!   [`SessionRecordingPlaylistUpdate::for_playlist`] starts every update
//!   from them, and the soft deletes build on it;
//! - every playlist, and every recording of a playlist, across pages.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::num::NonZeroU64;

use futures_util::Stream;
use serde_json::Value;

use crate::types::{
    KnownPlaylistType, PaginatedSessionRecordingPlaylistList, PlaylistType, SessionRecording,
    SessionRecordingPlaylist, SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
    SessionRecordingsPage,
};
use crate::{Client, Error};

impl SessionRecordingPlaylistCreate {
    /// A collection named `name`: recordings are added to it one by one
    /// (PostHog refuses a collection created with filters).
    ///
    /// ```
    /// use posthog_api::types::SessionRecordingPlaylistCreate;
    ///
    /// let playlist = SessionRecordingPlaylistCreate {
    ///     pinned: Some(true),
    ///     ..SessionRecordingPlaylistCreate::collection("Checkout drop-offs")
    /// };
    /// ```
    pub fn collection(name: impl Into<String>) -> Self {
        Self::of_kind(KnownPlaylistType::Collection, name.into(), None)
    }

    /// A saved-filters playlist named `name`, whose recordings are those
    /// `filters` (PostHog's filter format) match. PostHog refuses one
    /// without filters, so `filters` must be a JSON object with at least
    /// one member; anything else is an [`Error::InvalidRequest`] here,
    /// before any request.
    ///
    /// ```
    /// use posthog_api::types::SessionRecordingPlaylistCreate;
    /// use serde_json::json;
    ///
    /// let playlist = SessionRecordingPlaylistCreate::saved_filters(
    ///     "Rage clicks this week",
    ///     json!({"date_from": "-7d", "events": [{"id": "$rageclick"}]}),
    /// )?;
    /// assert!(SessionRecordingPlaylistCreate::saved_filters("None", json!({})).is_err());
    /// # Ok::<(), posthog_api::Error>(())
    /// ```
    // The crate's one error type, so `?` works beside every `send()`.
    #[allow(clippy::result_large_err)]
    pub fn saved_filters(name: impl Into<String>, filters: Value) -> Result<Self, Error> {
        let has_filters = filters
            .as_object()
            .is_some_and(|members| !members.is_empty());
        if !has_filters {
            return Err(Error::InvalidRequest {
                operation: "session_recording_playlists_create",
                message: format!(
                    "a saved-filters playlist needs filters: a JSON object with at least one \
                     member, not `{filters}` (PostHog answers 400 \"You must provide a valid \
                     filters when creating a saved filter\")"
                ),
            });
        }
        Ok(Self::of_kind(
            KnownPlaylistType::Filters,
            name.into(),
            Some(filters),
        ))
    }

    fn of_kind(kind: KnownPlaylistType, name: String, filters: Option<Value>) -> Self {
        Self {
            type_: kind,
            name: Some(name),
            filters,
            create_in_folder: None,
            deleted: None,
            derived_name: None,
            description: None,
            pinned: None,
        }
    }
}

impl SessionRecordingPlaylistUpdate {
    /// An update of `playlist` that changes nothing yet, but carries what
    /// PostHog requires of every update of it: a saved-filters playlist's
    /// `filters`, which the server otherwise takes as removing them (400
    /// "You cannot remove all filters when updating a saved filter").
    /// Set the fields to change on it.
    ///
    /// ```
    /// use posthog_api::types::{SessionRecordingPlaylist, SessionRecordingPlaylistUpdate};
    /// use serde_json::json;
    ///
    /// let saved: SessionRecordingPlaylist = serde_json::from_value(json!({
    ///     "id": 1, "short_id": "abc123", "type": "filters", "filters": {"date_from": "-7d"}
    /// }))?;
    /// let update = SessionRecordingPlaylistUpdate {
    ///     name: Some("Last week".into()),
    ///     ..SessionRecordingPlaylistUpdate::for_playlist(&saved)
    /// };
    /// assert_eq!(update.filters, Some(json!({"date_from": "-7d"})));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn for_playlist(playlist: &SessionRecordingPlaylist) -> Self {
        let saved_filters = matches!(
            playlist.type_,
            Some(PlaylistType::Known(KnownPlaylistType::Filters))
        );
        Self {
            filters: playlist.filters.clone().filter(|_| saved_filters),
            ..Self::default()
        }
    }
}

impl Client {
    /// Every playlist of `project_id`, fetched `page_size` at a time (at
    /// least 1; PostHog caps it at 500) and yielded one by one, PostHog's
    /// synthetic playlists included.
    ///
    /// Pages are requested with `limit`/`offset`; each next offset is taken
    /// from the page's `next` link (only its query: the link's host may be
    /// an internal one behind a proxy) and paging ends when `next` is null.
    /// A `next` that does not advance ends the stream with
    /// [`Error::PaginationStalled`] instead of looping. Each page request is
    /// retried like any GET.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn example(client: posthog_api::Client) -> Result<(), posthog_api::Error> {
    /// let playlists: Vec<_> = client
    ///     .session_recording_playlists_all("12345", 100)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn session_recording_playlists_all<'a>(
        &'a self,
        project_id: &'a str,
        page_size: u32,
    ) -> impl Stream<Item = Result<SessionRecordingPlaylist, Error>> + Send + 'a {
        let limit = at_least_one(page_size);
        paged(0, move |offset| async move {
            let page = self
                .session_recording_playlists_list()
                .project_id(project_id)
                .limit(limit)
                .offset(offset)
                .send()
                .await?;
            Ok(playlists_page(offset, page.into_inner()))
        })
    }

    /// Every recording of playlist `short_id`, fetched `page_size` at a time
    /// (at least 1) and yielded one by one, each once.
    ///
    /// Pages are requested with `limit`/`offset`, the offset moving on by
    /// the recordings each page held, while the page says `has_next`. A
    /// page that brings no recording not yielded before ends the stream
    /// with [`Error::PaginationStalled`] instead of looping: newer PostHog
    /// servers ignore `offset` for collections and answer their first page
    /// again. Each page request is retried like any GET.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn example(client: posthog_api::Client) -> Result<(), posthog_api::Error> {
    /// let recordings: Vec<_> = client
    ///     .session_recording_playlist_recordings_all("12345", "abc123", 50)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn session_recording_playlist_recordings_all<'a>(
        &'a self,
        project_id: &'a str,
        short_id: &'a str,
        page_size: u32,
    ) -> impl Stream<Item = Result<SessionRecording, Error>> + Send + 'a {
        let limit = at_least_one(page_size);
        let first = RecordingsCursor {
            offset: 0,
            seen: HashSet::new(),
        };
        paged(first, move |cursor| async move {
            let page = self
                .session_recording_playlists_recordings_list()
                .project_id(project_id)
                .short_id(short_id)
                .limit(limit)
                .offset(cursor.offset)
                .send()
                .await?;
            Ok(recordings_page(cursor, limit, page.into_inner()))
        })
    }

    /// Soft-deletes playlist `short_id`, of either kind, without the
    /// caller fetching it first. Costs two requests: a GET, to learn the
    /// playlist's kind and filters, then the PATCH of
    /// [`soft_delete_fetched_session_recording_playlist`](Self::soft_delete_fetched_session_recording_playlist)
    /// (PostHog refuses a hard DELETE with 405, and a PATCH of a
    /// saved-filters playlist that leaves out its filters with 400). A
    /// playlist already soft-deleted answers the GET with 404. Returns the
    /// playlist as the server now has it.
    pub async fn soft_delete_session_recording_playlist(
        &self,
        project_id: &str,
        short_id: &str,
    ) -> Result<SessionRecordingPlaylist, Error> {
        // Its errors name this helper: a 404 here means the playlist is
        // gone or already soft-deleted, not that a retrieve was asked for.
        let playlist = self
            .session_recording_playlists_retrieve()
            .project_id(project_id)
            .short_id(short_id)
            .send()
            .await
            .map_err(|error| error.in_operation("soft_delete_session_recording_playlist"))?;
        self.soft_delete_fetched_session_recording_playlist(project_id, &playlist)
            .await
    }

    /// Soft-deletes `playlist`, as fetched or created: one request, a
    /// PATCH of `deleted: true` that resends a saved-filters playlist's
    /// filters ([`SessionRecordingPlaylistUpdate::for_playlist`]). Setting
    /// the flag twice is harmless, and the spec says so of the PATCH, so its
    /// transient failures are retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows. PostHog answers 400 for
    /// its synthetic playlists (`is_synthetic`), which cannot be changed.
    /// Returns the playlist as the server now has it.
    pub async fn soft_delete_fetched_session_recording_playlist(
        &self,
        project_id: &str,
        playlist: &SessionRecordingPlaylist,
    ) -> Result<SessionRecordingPlaylist, Error> {
        let body = SessionRecordingPlaylistUpdate {
            deleted: Some(true),
            ..SessionRecordingPlaylistUpdate::for_playlist(playlist)
        };
        let updated = self
            .session_recording_playlists_partial_update()
            .project_id(project_id)
            .short_id(&playlist.short_id)
            .body(body)
            .send()
            .await?;
        Ok(updated.into_inner())
    }
}

fn at_least_one(page_size: u32) -> NonZeroU64 {
    NonZeroU64::new(u64::from(page_size)).unwrap_or(NonZeroU64::MIN)
}

/// `page` of playlists (fetched at `offset`), and where the next one starts.
fn playlists_page(
    offset: u64,
    page: PaginatedSessionRecordingPlaylistList,
) -> Page<SessionRecordingPlaylist, u64> {
    let fetched = page.results.len() as u64;
    let next = match page.next {
        None => Ok(None),
        Some(next) => {
            let next_offset = offset_in(&next).unwrap_or(offset + fetched);
            if fetched == 0 || next_offset <= offset {
                Err(Error::PaginationStalled { next })
            } else {
                Ok(Some(next_offset))
            }
        }
    };
    Page {
        items: page.results,
        next,
    }
}

/// Where a recordings listing stands: the next offset, and every recording
/// yielded so far.
struct RecordingsCursor {
    offset: u64,
    seen: HashSet<String>,
}

/// The recordings of `page` not yielded before, and where the next page
/// starts.
fn recordings_page(
    mut cursor: RecordingsCursor,
    limit: NonZeroU64,
    page: SessionRecordingsPage,
) -> Page<SessionRecording, RecordingsCursor> {
    let fetched = page.results.len() as u64;
    let items: Vec<SessionRecording> = page
        .results
        .into_iter()
        .filter(|recording| cursor.seen.insert(recording.id.clone()))
        .collect();
    let next_offset = cursor.offset + fetched;
    let next = if page.has_next != Some(true) {
        Ok(None)
    } else if items.is_empty() {
        Err(Error::PaginationStalled {
            next: format!("…/recordings/?limit={limit}&offset={next_offset}"),
        })
    } else {
        cursor.offset = next_offset;
        Ok(Some(cursor))
    };
    Page { items, next }
}

/// The `offset` query parameter of a `next` link, absolute or relative.
fn offset_in(link: &str) -> Option<u64> {
    let base = reqwest::Url::parse("http://base.invalid/").ok()?;
    let url = base.join(link).ok()?;
    url.query_pairs()
        .find(|(name, _)| name == "offset")
        .and_then(|(_, value)| value.parse().ok())
}

/// One fetched page of a listing: its items, then where the next page
/// starts (`Ok(None)` after the last; an error when it would not advance).
struct Page<T, Cursor> {
    items: Vec<T>,
    next: Result<Option<Cursor>, Error>,
}

/// The state of a [`paged`] stream between items.
struct Paging<T, Cursor, Fetch> {
    fetch: Fetch,
    /// Where the next page starts; `None` once the last is in.
    cursor: Option<Cursor>,
    buffered: VecDeque<T>,
    /// An error to yield once `buffered` is empty; it ends the stream.
    failure: Option<Error>,
}

/// The items of a listing, one by one, fetching a page (`fetch(cursor)`)
/// only when the items before it have been read; the first failure is
/// yielded after the items already fetched and ends the stream.
fn paged<'a, T, Cursor, Fetch, Fetched>(
    first: Cursor,
    fetch: Fetch,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    Cursor: Send + 'a,
    Fetch: FnMut(Cursor) -> Fetched + Send + 'a,
    Fetched: Future<Output = Result<Page<T, Cursor>, Error>> + Send + 'a,
{
    let paging = Paging {
        fetch,
        cursor: Some(first),
        buffered: VecDeque::new(),
        failure: None,
    };
    futures_util::stream::unfold(paging, |mut paging| async move {
        loop {
            if let Some(item) = paging.buffered.pop_front() {
                return Some((Ok(item), paging));
            }
            if let Some(error) = paging.failure.take() {
                paging.cursor = None;
                return Some((Err(error), paging));
            }
            let cursor = paging.cursor.take()?;
            match (paging.fetch)(cursor).await {
                Ok(page) => {
                    paging.buffered.extend(page.items);
                    match page.next {
                        Ok(next) => paging.cursor = next,
                        Err(error) => paging.failure = Some(error),
                    }
                }
                Err(error) => paging.failure = Some(error),
            }
        }
    })
}
