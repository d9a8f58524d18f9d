//! Conveniences over the generated playlist operations that PostHog's
//! server calls for (each behaviour is PostHog's, read from
//! posthog/session_recordings/session_recording_playlist_api.py):
//!
//! - creating a playlist names its kind, and only the combinations the
//!   server accepts are easy to write: a collection without filters, saved
//!   filters with non-empty filters;
//! - an update of a saved-filters playlist must send its filters again, so
//!   [`SessionRecordingPlaylistUpdate::for_playlist`] starts every update
//!   from them, and the soft deletes build on it;
//! - every playlist, and every recording of a playlist, across pages;
//! - a playlist's kind, asked in a word ([`SessionRecordingPlaylist::is_collection`]);
//! - removing a recording says whether the playlist held it
//!   ([`RecordingRemoval`]), which PostHog's own answer (a 500) does not.
//!
//! The helpers take their arguments as the generated builders do: ids as
//! text or integers ([`PathId`](crate::PathId)), page sizes as any unsigned
//! integer ([`PageSize`](crate::PageSize)). An empty id or a page size of 0
//! fails as a builder's does, with [`Error::InvalidRequest`] naming it,
//! before any request.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::num::NonZeroU64;

use futures_util::{Stream, TryStreamExt};
use reqwest::StatusCode;
use serde_json::Value;

use crate::types::{
    KnownPlaylistType, PaginatedSessionRecordingPlaylistList, PlaylistCollectionType, PlaylistType,
    SessionRecording, SessionRecordingPlaylist, SessionRecordingPlaylistCreate,
    SessionRecordingPlaylistUpdate, SessionRecordingsPage,
};
use crate::{Client, Error, PageSize, PathId};

/// What [`Client::remove_session_recording_from_playlist`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordingRemoval {
    /// PostHog removed the recording from the playlist
    /// (`{"success": true}`).
    Removed,
    /// The playlist does not hold the recording. PostHog answers 500 then:
    /// its view looks the item up with `SessionRecordingPlaylistItem.objects.get`,
    /// whose `DoesNotExist` nothing turns into a 404
    /// (posthog/session_recordings/session_recording_playlist_api.py,
    /// `modify_recordings`); the list of playlists holding the recording
    /// then told that 500 from a failure. It is also how a removal ends
    /// whose first attempt took effect but was retried, and the answer to
    /// a recording never added, a saved-filters playlist and a synthetic
    /// one.
    NotInPlaylist,
}

impl SessionRecordingPlaylist {
    /// Whether this is a collection: recordings added to it one by one
    /// (`type` is `collection`). PostHog's synthetic playlists are
    /// collections too.
    ///
    /// Playlists saved before PostHog had kinds have none, and are neither
    /// a collection nor saved filters.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = posthog_fake::FakePostHog::start()?;
    /// # let client = posthog_api::Client::with_api_key(fake.url().parse()?, fake.personal_api_key())?;
    /// # let project = fake.project_id();
    /// use posthog_api::types::SessionRecordingPlaylistCreate;
    ///
    /// let playlist = client
    ///     .session_recording_playlists_create()
    ///     .project_id(project)
    ///     .body(SessionRecordingPlaylistCreate::collection("Checkout drop-offs"))
    ///     .send()
    ///     .await?;
    /// assert!(playlist.is_collection() && !playlist.is_saved_filters());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_collection(&self) -> bool {
        self.known_type() == Some(KnownPlaylistType::Collection)
    }

    /// Whether this is a saved-filters playlist: its recordings are those
    /// its `filters` match (`type` is `filters`), and every update of it
    /// must send them again ([`SessionRecordingPlaylistUpdate::for_playlist`]).
    pub fn is_saved_filters(&self) -> bool {
        self.known_type() == Some(KnownPlaylistType::Filters)
    }

    /// The playlist's kind, when it is one PostHog documents; `None` for a
    /// playlist saved before PostHog had kinds (`type` is null) and for a
    /// kind added later (kept as text in [`PlaylistType::Other`]).
    pub fn known_type(&self) -> Option<KnownPlaylistType> {
        match &self.type_ {
            Some(PlaylistType::Known(kind)) => Some(*kind),
            Some(PlaylistType::Other(_)) | None => None,
        }
    }
}

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
    ///     "id": 1, "short_id": "abc123", "name": "Last 7 days", "derived_name": null,
    ///     "description": "", "pinned": false, "created_at": null, "created_by": null,
    ///     "deleted": false, "filters": {"date_from": "-7d"}, "last_modified_at": null,
    ///     "last_modified_by": null, "recordings_counts": {}, "type": "filters",
    ///     "is_synthetic": false
    /// }))?;
    /// let update = SessionRecordingPlaylistUpdate {
    ///     name: Some("Last week".into()),
    ///     ..SessionRecordingPlaylistUpdate::for_playlist(&saved)
    /// };
    /// assert_eq!(update.filters, Some(json!({"date_from": "-7d"})));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn for_playlist(playlist: &SessionRecordingPlaylist) -> Self {
        Self {
            filters: playlist
                .is_saved_filters()
                .then(|| playlist.filters.clone()),
            ..Self::default()
        }
    }
}

impl Client {
    /// Every playlist of `project_id`, fetched `page_size` at a time (PostHog
    /// newer than its November 2025 schema caps it at 500) and yielded one
    /// by one, PostHog's synthetic playlists included. Both take what the
    /// list builder's `project_id` and `limit` take; one that does not
    /// convert (a page size of 0) is the stream's only item, an
    /// [`Error::InvalidRequest`].
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
    pub fn session_recording_playlists_all<'a, P, L>(
        &'a self,
        project_id: P,
        page_size: L,
    ) -> impl Stream<Item = Result<SessionRecordingPlaylist, Error>> + Send + 'a
    where
        P: PathId,
        L: PageSize,
    {
        const OPERATION: &str = "session_recording_playlists_all";
        let arguments = match (
            argument(OPERATION, crate::path_id(project_id, "project_id")),
            argument(OPERATION, crate::page_size(page_size, "page_size")),
        ) {
            (Ok(project_id), Ok(limit)) => Ok((project_id, limit)),
            (Err(error), _) | (_, Err(error)) => Err(error),
        };
        paged(
            arguments,
            0,
            move |(project_id, limit), offset| async move {
                let page = self
                    .session_recording_playlists_list()
                    .project_id(project_id)
                    .limit(limit)
                    .offset(offset)
                    .send()
                    .await?;
                Ok(playlists_page(offset, page.into_inner()))
            },
        )
    }

    /// Every recording of playlist `short_id`, fetched `page_size` at a time
    /// and yielded one by one, each once. The arguments take what the
    /// recordings builder's `project_id`, `short_id` and `limit` take; one
    /// that does not convert (a page size of 0) is the stream's only item,
    /// an [`Error::InvalidRequest`].
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
    pub fn session_recording_playlist_recordings_all<'a, P, S, L>(
        &'a self,
        project_id: P,
        short_id: S,
        page_size: L,
    ) -> impl Stream<Item = Result<SessionRecording, Error>> + Send + 'a
    where
        P: PathId,
        S: PathId,
        L: PageSize,
    {
        const OPERATION: &str = "session_recording_playlist_recordings_all";
        let arguments = match (
            argument(OPERATION, crate::path_id(project_id, "project_id")),
            argument(OPERATION, crate::path_id(short_id, "short_id")),
            argument(OPERATION, crate::page_size(page_size, "page_size")),
        ) {
            (Ok(project_id), Ok(short_id), Ok(limit)) => Ok((project_id, short_id, limit)),
            (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => Err(error),
        };
        let first = RecordingsCursor {
            offset: 0,
            seen: HashSet::new(),
        };
        paged(
            arguments,
            first,
            move |(project_id, short_id, limit), cursor| async move {
                let page = self
                    .session_recording_playlists_recordings_list()
                    .project_id(project_id)
                    .short_id(short_id)
                    .limit(limit)
                    .offset(cursor.offset)
                    .send()
                    .await?;
                Ok(recordings_page(cursor, limit, page.into_inner()))
            },
        )
    }

    /// Soft-deletes playlist `short_id`, of either kind, without the
    /// caller fetching it first. Costs two requests: a GET, to learn the
    /// playlist's kind and filters, then the PATCH of
    /// [`soft_delete_fetched_session_recording_playlist`](Self::soft_delete_fetched_session_recording_playlist)
    /// (PostHog refuses a hard DELETE with 405, and a PATCH of a
    /// saved-filters playlist that leaves out its filters with 400). A
    /// playlist already soft-deleted answers the GET with 404. The ids take
    /// what the builders' `project_id` and `short_id` take. Returns the
    /// playlist as the server now has it.
    pub async fn soft_delete_session_recording_playlist<P, S>(
        &self,
        project_id: P,
        short_id: S,
    ) -> Result<SessionRecordingPlaylist, Error>
    where
        P: PathId,
        S: PathId,
    {
        const OPERATION: &str = "soft_delete_session_recording_playlist";
        let project_id = argument(OPERATION, crate::path_id(project_id, "project_id"))?;
        let short_id: String = argument(OPERATION, crate::path_id(short_id, "short_id"))?;
        // Its errors name this helper: a 404 here means the playlist is
        // gone or already soft-deleted, not that a retrieve was asked for.
        let playlist = self
            .session_recording_playlists_retrieve()
            .project_id(&project_id)
            .short_id(short_id)
            .send()
            .await
            .map_err(|error| error.in_operation(OPERATION))?;
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
    /// `project_id` takes what the builders' `project_id` takes. Returns the
    /// playlist as the server now has it.
    pub async fn soft_delete_fetched_session_recording_playlist<P>(
        &self,
        project_id: P,
        playlist: &SessionRecordingPlaylist,
    ) -> Result<SessionRecordingPlaylist, Error>
    where
        P: PathId,
    {
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

impl Client {
    /// Removes recording `session_recording_id` from playlist `short_id`
    /// and says whether the playlist held it. The ids take what the
    /// builders' `project_id`, `short_id` and `session_recording_id` take.
    ///
    /// PostHog answers a playlist that does not hold the recording with a
    /// 500, the answer it also gives when it fails. So on a 500 this asks
    /// the list which of the project's playlists hold the recording
    /// (`session_recording_id`, `collection_type=custom`: one request per
    /// 500 playlists holding it): when `short_id` is not among them, the
    /// outcome is [`RecordingRemoval::NotInPlaylist`]; when it is, PostHog
    /// did fail, and the 500 is the error. Other failures are errors as
    /// they came. A removal is safe to repeat, so the client retries its
    /// transient failures, a 500 included, before this asks.
    ///
    /// Like adding, it needs a legacy personal API key (one created
    /// without scopes) or a logged-in session: PostHog refuses a key that
    /// holds scopes ([`Error::PersonalApiKeyRefused`]).
    ///
    /// ```no_run
    /// use posthog_api::RecordingRemoval;
    /// # async fn example(client: posthog_api::Client) -> Result<(), posthog_api::Error> {
    /// match client
    ///     .remove_session_recording_from_playlist("12345", "abc123", "0190a1b2-c3d4")
    ///     .await?
    /// {
    ///     RecordingRemoval::Removed => println!("removed"),
    ///     RecordingRemoval::NotInPlaylist => println!("it was not in the playlist"),
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn remove_session_recording_from_playlist<P, S, R>(
        &self,
        project_id: P,
        short_id: S,
        session_recording_id: R,
    ) -> Result<RecordingRemoval, Error>
    where
        P: PathId,
        S: PathId,
        R: PathId,
    {
        const OPERATION: &str = "remove_session_recording_from_playlist";
        let project_id: String = argument(OPERATION, crate::path_id(project_id, "project_id"))?;
        let short_id: String = argument(OPERATION, crate::path_id(short_id, "short_id"))?;
        let recording: String = argument(
            OPERATION,
            crate::path_id(session_recording_id, "session_recording_id"),
        )?;
        let removed = self
            .session_recording_playlists_recordings_remove()
            .project_id(&project_id)
            .short_id(&short_id)
            .session_recording_id(&recording)
            .send()
            .await;
        let failure = match removed {
            Ok(_) => return Ok(RecordingRemoval::Removed),
            Err(Error::Api(failure)) if failure.status() == StatusCode::INTERNAL_SERVER_ERROR => {
                failure
            }
            Err(error) => return Err(error),
        };
        // Its errors name this helper: the list was its question, not the caller's.
        let holding = std::pin::pin!(
            self.playlists_holding(&project_id, &recording)
                .try_filter(|playlist| std::future::ready(playlist.short_id == short_id))
        )
        .try_next()
        .await
        .map_err(|error| error.in_operation(OPERATION))?;
        match holding {
            Some(_) => Err(Error::Api(failure)),
            None => Ok(RecordingRemoval::NotInPlaylist),
        }
    }

    /// The project's own playlists (no synthetic ones) that hold
    /// `recording`, as the list filters them.
    fn playlists_holding<'a>(
        &'a self,
        project_id: &'a str,
        recording: &'a str,
    ) -> impl Stream<Item = Result<SessionRecordingPlaylist, Error>> + Send + 'a {
        paged(Ok(()), 0, move |(), offset| async move {
            let page = self
                .session_recording_playlists_list()
                .project_id(project_id)
                .session_recording_id(recording)
                .collection_type(PlaylistCollectionType::Custom)
                .limit(500)
                .offset(offset)
                .send()
                .await?;
            Ok(playlists_page(offset, page.into_inner()))
        })
    }
}

/// An argument converted as a builder converts it, or the error a
/// builder's `send()` gives, named after the helper.
// The crate's one error type, so `?` works beside every `send()`.
#[allow(clippy::result_large_err)]
fn argument<T>(operation: &'static str, converted: Result<T, String>) -> Result<T, Error> {
    converted.map_err(|message| Error::InvalidRequest { operation, message })
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
    let next = if !page.has_next {
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
struct Paging<T, Arguments, Cursor, Fetch> {
    fetch: Fetch,
    /// What every page request is made with; `None` when it did not convert.
    arguments: Option<Arguments>,
    /// Where the next page starts; `None` once the last is in.
    cursor: Option<Cursor>,
    buffered: VecDeque<T>,
    /// An error to yield once `buffered` is empty; it ends the stream.
    failure: Option<Error>,
}

/// The items of a listing, one by one, fetching a page
/// (`fetch(arguments, cursor)`) only when the items before it have been
/// read; the first failure is yielded after the items already fetched and
/// ends the stream. Arguments that did not convert are its only item.
fn paged<'a, T, Arguments, Cursor, Fetch, Fetched>(
    arguments: Result<Arguments, Error>,
    first: Cursor,
    fetch: Fetch,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    Arguments: Clone + Send + 'a,
    Cursor: Send + 'a,
    Fetch: FnMut(Arguments, Cursor) -> Fetched + Send + 'a,
    Fetched: Future<Output = Result<Page<T, Cursor>, Error>> + Send + 'a,
{
    let (arguments, cursor, failure) = match arguments {
        Ok(arguments) => (Some(arguments), Some(first), None),
        Err(error) => (None, None, Some(error)),
    };
    let paging = Paging {
        fetch,
        arguments,
        cursor,
        buffered: VecDeque::new(),
        failure,
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
            let arguments = paging.arguments.clone()?;
            match (paging.fetch)(arguments, cursor).await {
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
