//! Conveniences over the generated playlist operations that PostHog's API
//! shape calls for: every playlist across pages, and the soft delete that
//! replaces the DELETE PostHog refuses.

use std::collections::VecDeque;
use std::num::NonZeroU64;

use futures_util::Stream;
use progenitor_client::ClientInfo;

use crate::types::{
    PaginatedSessionRecordingPlaylistList, SessionRecordingPlaylist, SessionRecordingPlaylistUpdate,
};
use crate::{Client, Error};

impl Client {
    /// Every playlist of `project_id`, fetched `page_size` at a time (at
    /// least 1) and yielded one by one.
    ///
    /// Pages are requested with `limit`/`offset`; each next offset is taken
    /// from the page's `next` link (only its query: the link's host may be
    /// an internal one behind a proxy) and paging ends when `next` is null.
    /// A `next` that does not advance ends the stream with
    /// [`Error::PaginationStalled`] instead of looping. Each page request is
    /// retried on 429 like any GET.
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
        let pager = Pager {
            client: self,
            project_id,
            limit: NonZeroU64::new(u64::from(page_size)).unwrap_or(NonZeroU64::MIN),
            next_offset: Some(0),
            buffered: VecDeque::new(),
            failure: None,
        };
        futures_util::stream::unfold(pager, Pager::next_item)
    }

    /// Soft-deletes a playlist: PATCH `deleted: true`, the deletion PostHog
    /// allows (a hard DELETE always answers 405). Setting the flag twice is
    /// harmless, so a 429 is retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows. Returns the playlist as
    /// the server now has it.
    pub async fn soft_delete_session_recording_playlist(
        &self,
        project_id: &str,
        short_id: &str,
    ) -> Result<SessionRecordingPlaylist, Error> {
        let policy = &self.inner().retry;
        let mut attempt = 1;
        loop {
            let result = self
                .session_recording_playlists_partial_update()
                .project_id(project_id)
                .short_id(short_id)
                .body(SessionRecordingPlaylistUpdate {
                    deleted: Some(true),
                    ..Default::default()
                })
                .send()
                .await;
            let wait = match &result {
                Err(Error::Api(error)) => {
                    policy.wait_after(attempt, error.status(), error.retry_after())
                }
                _ => None,
            };
            match wait {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return result.map(|response| response.into_inner()),
            }
        }
    }
}

/// State of [`Client::session_recording_playlists_all`] between items.
struct Pager<'a> {
    client: &'a Client,
    project_id: &'a str,
    limit: NonZeroU64,
    /// The offset of the next page to fetch; `None` once the last is in.
    next_offset: Option<u64>,
    buffered: VecDeque<SessionRecordingPlaylist>,
    /// An error to yield once `buffered` is empty; it ends the stream.
    failure: Option<Error>,
}

impl<'a> Pager<'a> {
    async fn next_item(mut self) -> Option<(Result<SessionRecordingPlaylist, Error>, Self)> {
        loop {
            if let Some(playlist) = self.buffered.pop_front() {
                return Some((Ok(playlist), self));
            }
            if let Some(error) = self.failure.take() {
                self.next_offset = None;
                return Some((Err(error), self));
            }
            let offset = self.next_offset?;
            match self.fetch(offset).await {
                Ok(page) => self.accept(offset, page),
                Err(error) => self.failure = Some(error),
            }
        }
    }

    async fn fetch(&self, offset: u64) -> Result<PaginatedSessionRecordingPlaylistList, Error> {
        let page = self
            .client
            .session_recording_playlists_list()
            .project_id(self.project_id)
            .limit(self.limit)
            .offset(offset)
            .send()
            .await?;
        Ok(page.into_inner())
    }

    /// Buffers `page` (fetched at `offset`) and works out where the next one starts.
    fn accept(&mut self, offset: u64, page: PaginatedSessionRecordingPlaylistList) {
        let fetched = page.results.len() as u64;
        self.buffered.extend(page.results);
        self.next_offset = None;
        let Some(next) = page.next else { return };
        let next_offset = offset_in(&next).unwrap_or(offset + fetched);
        if fetched == 0 || next_offset <= offset {
            self.failure = Some(Error::PaginationStalled { next });
        } else {
            self.next_offset = Some(next_offset);
        }
    }
}

/// The `offset` query parameter of a `next` link, absolute or relative.
fn offset_in(link: &str) -> Option<u64> {
    let base = reqwest::Url::parse("http://base.invalid/").ok()?;
    let url = base.join(link).ok()?;
    url.query_pairs()
        .find(|(name, _)| name == "offset")
        .and_then(|(_, value)| value.parse().ok())
}
