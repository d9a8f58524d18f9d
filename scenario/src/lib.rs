//! One scenario of `posthog-api` against a PostHog server, step by step,
//! so the same code proves the client against two servers: the behavioural
//! fake (`posthog-fake`) in plain `cargo test`, and a real PostHog with
//! `cargo xtask live` (the `posthog-live` binary). Each step reports pass,
//! fail or skip as it ends; whatever the scenario created is soft-deleted
//! at the end, even after a failed step.
//!
//! The steps: create a collection and a saved-filters playlist; page
//! through the list; retrieve and update each; list each one's recordings
//! and add one (refused to a personal API key that holds scopes); remove
//! it, and find a second removal says it is no longer there; a hard
//! DELETE gives the typed 405; soft-delete both and find them gone; the
//! query actions that refuse scoped personal API keys do so with the typed
//! error.

use std::collections::HashSet;
use std::fmt;
use std::num::NonZeroU64;

use futures_util::TryStreamExt;
use posthog_api::types::{
    KnownPlaylistType, QueryNode, QueryUpgradeRequest, SessionRecordingPlaylist,
    SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
};
use posthog_api::{Client, Error, RecordingRemoval};
use serde_json::json;

/// The environment variable with the project to run against.
pub const ENV_PROJECT_ID: &str = "POSTHOG_PROJECT_ID";

/// The saved filters the scenario's saved-filters playlist keeps.
fn saved_filters() -> serde_json::Value {
    json!({"date_from": "-7d", "events": [{"id": "$rageclick", "type": "events"}]})
}

/// What the scenario runs against.
#[derive(Debug)]
pub struct Target {
    /// A client for the server, authenticated as `credential` says.
    pub client: Client,
    /// The project to work in.
    pub project_id: String,
    /// What the client authenticates with; it decides what the steps expect.
    pub credential: Credential,
    /// Every playlist the scenario creates is named with this prefix; make
    /// it unique per run.
    pub name_prefix: String,
    /// Playlists per page while paging through the list (the type of the
    /// list builder's `limit`).
    pub page_size: NonZeroU64,
    /// A recording the server has data for, to add and find listed; without
    /// one, a credential that may add adds an id of the scenario's own and
    /// does not look for it in the listing.
    pub recording_id: Option<String>,
}

/// The kind of credential the client holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A personal API key that holds scopes: the steps expect the typed
    /// refusals of the actions that declare no scope.
    PersonalApiKey,
    /// A legacy personal API key, created without scopes, which PostHog
    /// lets do anything (posthog/permissions.py, `APIScopePermission`): the
    /// steps expect the actions scoped keys are refused to work.
    LegacyPersonalApiKey,
    /// A logged-in session (only the fake has a stand-in for one): the
    /// steps expect the actions scoped keys are refused to work.
    Session,
}

impl Credential {
    /// Whether PostHog refuses this credential the actions that declare no
    /// API scope.
    pub fn refused_unscoped_actions(self) -> bool {
        self == Self::PersonalApiKey
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Everything it checked held.
    Pass,
    /// What went wrong.
    Fail(String),
    /// It could not run: why.
    Skip(String),
}

/// One step's line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// 1-based; the cleanup is numbered after the steps.
    pub number: usize,
    /// What the step does.
    pub name: &'static str,
    /// How it ended.
    pub outcome: Outcome,
}

impl fmt::Display for StepReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (label, detail) = match &self.outcome {
            Outcome::Pass => ("PASS", None),
            Outcome::Fail(why) => ("FAIL", Some(why)),
            Outcome::Skip(why) => ("SKIP", Some(why)),
        };
        write!(f, "{label} {}. {}", self.number, self.name)?;
        match detail {
            Some(detail) => write!(f, ": {detail}"),
            None => Ok(()),
        }
    }
}

/// The names of the steps, in order; the last one is the cleanup.
pub const STEPS: [&str; 9] = [
    "create a collection and a saved-filters playlist",
    "page through the list",
    "retrieve and update each",
    "list each playlist's recordings; add one (refused to a scoped personal API key)",
    "remove it (refused to a scoped personal API key); a second removal finds it gone",
    "a hard DELETE gives the typed 405",
    "soft-delete both, then retrieve each: 404",
    "the actions that refuse scoped personal API keys",
    "cleanup: soft-delete what the scenario created",
];

/// Runs every step against `target`, handing each report to `report` as
/// the step ends, and returns them all.
pub async fn run(target: &Target, mut report: impl FnMut(&StepReport)) -> Vec<StepReport> {
    let mut scenario = Scenario {
        target,
        collection: None,
        saved: None,
        reports: Vec::new(),
    };
    // A step on the two playlists runs only when step 1 made both.
    macro_rules! on_the_playlists {
        ($step:ident) => {{
            let outcome = if scenario.playlists().is_some() {
                Outcome::of(scenario.$step().await)
            } else {
                Outcome::Skip("needs the two playlists of step 1".into())
            };
            scenario.record(outcome, &mut report);
        }};
    }
    let outcome = Outcome::of(scenario.create().await);
    scenario.record(outcome, &mut report);
    on_the_playlists!(page_through_the_list);
    on_the_playlists!(retrieve_and_update);
    on_the_playlists!(recordings);
    on_the_playlists!(remove_recording);
    on_the_playlists!(hard_delete);
    on_the_playlists!(soft_delete);
    let outcome = Outcome::of(scenario.refusals().await);
    scenario.record(outcome, &mut report);
    let outcome = Outcome::of(scenario.cleanup().await);
    scenario.record(outcome, &mut report);
    scenario.reports
}

/// Whether every step of `reports` passed.
pub fn all_passed(reports: &[StepReport]) -> bool {
    reports.iter().all(|report| report.outcome == Outcome::Pass)
}

impl Outcome {
    /// A step's outcome from what it returned.
    fn of(result: Result<(), StepFailed>) -> Self {
        match result {
            Ok(()) => Self::Pass,
            Err(why) => Self::Fail(why.0),
        }
    }
}

/// Why a step failed, as its report line gives it: what it did and what
/// it found instead.
#[derive(Debug)]
struct StepFailed(String);

impl fmt::Display for StepFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StepFailed {}

/// What the steps share.
struct Scenario<'a> {
    target: &'a Target,
    /// The playlists created, as the server last returned them; `None`
    /// once soft-deleted (or never created).
    collection: Option<SessionRecordingPlaylist>,
    saved: Option<SessionRecordingPlaylist>,
    reports: Vec<StepReport>,
}

/// Fails the step with `message` unless `condition` holds.
fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), StepFailed> {
    if condition {
        Ok(())
    } else {
        Err(StepFailed(message()))
    }
}

/// Fails the step with the client's error.
fn failed(action: &str) -> impl FnOnce(Error) -> StepFailed + '_ {
    move |error| StepFailed(format!("{action}: {error}"))
}

impl<'a> Scenario<'a> {
    fn record(&mut self, outcome: Outcome, report: &mut impl FnMut(&StepReport)) {
        let number = self.reports.len() + 1;
        let step = StepReport {
            number,
            name: STEPS[number - 1],
            outcome,
        };
        report(&step);
        self.reports.push(step);
    }

    fn client(&self) -> &'a Client {
        &self.target.client
    }

    fn project(&self) -> &'a str {
        &self.target.project_id
    }

    fn playlists(&self) -> Option<[&SessionRecordingPlaylist; 2]> {
        Some([self.collection.as_ref()?, self.saved.as_ref()?])
    }

    async fn create(&mut self) -> Result<(), StepFailed> {
        let prefix = &self.target.name_prefix;
        let collection = SessionRecordingPlaylistCreate::collection(format!("{prefix} collection"));
        let saved = SessionRecordingPlaylistCreate::saved_filters(
            format!("{prefix} saved filters"),
            saved_filters(),
        )
        .map_err(|error| StepFailed(error.to_string()))?;
        for body in [collection, saved] {
            let kind = body.type_;
            let playlist = self
                .client()
                .session_recording_playlists_create()
                .project_id(self.project())
                .body(body)
                .send()
                .await
                .map_err(|error| StepFailed(format!("create a {kind} playlist: {error}")))?
                .into_inner();
            let got = playlist.known_type();
            // Kept before anything is checked, so the cleanup finds it.
            match kind {
                KnownPlaylistType::Collection => self.collection = Some(playlist),
                KnownPlaylistType::Filters => self.saved = Some(playlist),
            }
            check(got == Some(kind), || {
                format!("created a {kind} playlist, got type {got:?}")
            })?;
        }
        Ok(())
    }

    async fn page_through_the_list(&self) -> Result<(), StepFailed> {
        let page_size = self.target.page_size;
        let first = self
            .client()
            .session_recording_playlists_list()
            .project_id(self.project())
            .limit(page_size)
            .send()
            .await
            .map_err(failed("first page"))?;
        check(first.count >= first.results.len() as i64, || {
            format!(
                "count {} is below the page's {} results",
                first.count,
                first.results.len()
            )
        })?;
        if u64::try_from(first.count).is_ok_and(|count| count > page_size.get()) {
            let next = first.next.as_deref().unwrap_or_default();
            check(
                next.starts_with("http://") || next.starts_with("https://"),
                || format!("`next` is not an absolute URL: {:?}", first.next),
            )?;
        }
        let mut wanted: HashSet<&str> = self
            .playlists()
            .into_iter()
            .flatten()
            .map(|playlist| playlist.short_id.as_str())
            .collect();
        let mut seen = HashSet::new();
        let mut read = 0_usize;
        let mut all = std::pin::pin!(
            self.client()
                .session_recording_playlists_all(self.project(), page_size)
        );
        // Newest first: the scenario's playlists come early, so stop there.
        while !wanted.is_empty() {
            let Some(playlist) = all.try_next().await.map_err(failed("paging"))? else {
                break;
            };
            read += 1;
            check(seen.insert(playlist.short_id.clone()), || {
                format!("`{}` came twice while paging", playlist.short_id)
            })?;
            wanted.remove(playlist.short_id.as_str());
        }
        check(wanted.is_empty(), || {
            format!("paged through {read} playlists without finding {wanted:?}")
        })?;
        check(
            read as u64 > page_size.get() || first.next.is_none(),
            || format!("found them in {read} playlists, without leaving the first page"),
        )
    }

    async fn retrieve_and_update(&self) -> Result<(), StepFailed> {
        for playlist in self.playlists().into_iter().flatten() {
            let short_id = playlist.short_id.as_str();
            let fetched = self
                .client()
                .session_recording_playlists_retrieve()
                .project_id(self.project())
                .short_id(short_id)
                .send()
                .await
                .map_err(failed("retrieve"))?;
            check(fetched.type_ == playlist.type_, || {
                format!("`{short_id}` came back as {:?}", fetched.type_)
            })?;
            check(!fetched.is_synthetic, || {
                format!("`{short_id}` says it is synthetic")
            })?;
            let description = format!("{} updated", self.target.name_prefix);
            let updated = self
                .client()
                .session_recording_playlists_partial_update()
                .project_id(self.project())
                .short_id(short_id)
                .body(SessionRecordingPlaylistUpdate {
                    description: Some(description.clone()),
                    ..SessionRecordingPlaylistUpdate::for_playlist(&fetched)
                })
                .send()
                .await
                .map_err(failed("update"))?;
            check(updated.description == description, || {
                format!("`{short_id}`: description is {:?}", updated.description)
            })?;
            check(updated.filters == fetched.filters, || {
                format!(
                    "`{short_id}`: the update changed the filters to {:?}",
                    updated.filters
                )
            })?;
        }
        // The server's behaviour the client works around: an update that leaves
        // out a saved filter's filters is refused.
        if let Some(saved) = &self.saved {
            let refused = self
                .client()
                .session_recording_playlists_partial_update()
                .project_id(self.project())
                .short_id(&saved.short_id)
                .body(SessionRecordingPlaylistUpdate {
                    pinned: Some(false),
                    ..SessionRecordingPlaylistUpdate::default()
                })
                .send()
                .await;
            check(
                matches!(&refused, Err(Error::Api(error)) if error.status() == 400),
                || {
                    format!(
                        "an update without the saved filters was not refused with 400: {refused:?}"
                    )
                },
            )?;
        }
        Ok(())
    }

    async fn recordings(&self) -> Result<(), StepFailed> {
        let (Some(collection), Some(saved)) = (&self.collection, &self.saved) else {
            return Err(StepFailed("no playlists".into()));
        };
        for playlist in [collection, saved] {
            self.recordings_of(&playlist.short_id).await?;
        }
        let recording = self.recording();
        let added = self
            .client()
            .session_recording_playlists_recordings_add()
            .project_id(self.project())
            .short_id(&collection.short_id)
            .session_recording_id(&recording)
            .send()
            .await;
        if self.target.credential.refused_unscoped_actions() {
            return check(
                matches!(added, Err(Error::PersonalApiKeyRefused(_))),
                || {
                    format!(
                        "adding a recording with a personal API key: expected the typed refusal, got {added:?}"
                    )
                },
            );
        }
        let added = added.map_err(failed("add a recording"))?;
        check(added.success, || format!("add answered {added:?}"))?;
        // Only a recording PostHog has data for is listed.
        if self.target.recording_id.is_none() {
            return Ok(());
        }
        let listed = self.recordings_of(&collection.short_id).await?;
        check(listed.contains(&recording), || {
            format!("`{recording}` is not listed after adding it: {listed:?}")
        })
    }

    /// The recording the scenario adds: one the server has data for, else an
    /// id of its own.
    fn recording(&self) -> String {
        self.target
            .recording_id
            .clone()
            .unwrap_or_else(|| format!("{}-recording", self.target.name_prefix))
    }

    /// Removes the recording step 4 added, then again: PostHog answers the
    /// second with a 500, which the client reads as not in the playlist.
    async fn remove_recording(&self) -> Result<(), StepFailed> {
        let collection = self
            .collection
            .as_ref()
            .ok_or_else(|| StepFailed("no collection".into()))?;
        let recording = self.recording();
        let remove = || {
            self.client().remove_session_recording_from_playlist(
                self.project(),
                &collection.short_id,
                &recording,
            )
        };
        let removed = remove().await;
        if self.target.credential.refused_unscoped_actions() {
            return check(
                matches!(removed, Err(Error::PersonalApiKeyRefused(_))),
                || {
                    format!(
                        "removing a recording with a personal API key: expected the typed refusal, got {removed:?}"
                    )
                },
            );
        }
        let removed = removed.map_err(failed("remove the recording"))?;
        check(removed == RecordingRemoval::Removed, || {
            format!("removing `{recording}` answered {removed:?}")
        })?;
        let again = remove().await.map_err(failed("remove it again"))?;
        check(again == RecordingRemoval::NotInPlaylist, || {
            format!("removing `{recording}` a second time answered {again:?}")
        })?;
        let listed = self.recordings_of(&collection.short_id).await?;
        check(!listed.contains(&recording), || {
            format!("`{recording}` is still listed after its removal: {listed:?}")
        })
    }

    /// Every recording of `short_id`, through the client's pager.
    async fn recordings_of(&self, short_id: &str) -> Result<Vec<String>, StepFailed> {
        self.client()
            .session_recording_playlist_recordings_all(self.project(), short_id, 2)
            .map_ok(|recording| recording.id)
            .try_collect()
            .await
            .map_err(failed("list recordings"))
    }

    async fn hard_delete(&self) -> Result<(), StepFailed> {
        let collection = self
            .collection
            .as_ref()
            .ok_or_else(|| StepFailed("no collection".into()))?;
        let missing = format!("{}-missing", self.target.name_prefix);
        // The 405 comes before any lookup, so an unknown short id gets it too.
        for short_id in [collection.short_id.as_str(), missing.as_str()] {
            let answer = self
                .client()
                .session_recording_playlists_destroy()
                .project_id(self.project())
                .short_id(short_id)
                .send()
                .await;
            check(
                matches!(answer, Err(Error::HardDeleteNotAllowed { .. })),
                || format!("DELETE `{short_id}`: expected the typed 405, got {answer:?}"),
            )?;
        }
        Ok(())
    }

    async fn soft_delete(&mut self) -> Result<(), StepFailed> {
        for slot in [&mut self.collection, &mut self.saved] {
            let Some(short_id) = slot.as_ref().map(|playlist| playlist.short_id.clone()) else {
                continue;
            };
            let deleted = self
                .target
                .client
                .soft_delete_session_recording_playlist(&self.target.project_id, &short_id)
                .await
                .map_err(failed("soft delete"))?;
            // Deleted on the server: nothing left for the cleanup.
            *slot = None;
            check(deleted.deleted, || {
                format!("`{short_id}` is not marked deleted: {:?}", deleted.deleted)
            })?;
            let gone = self
                .target
                .client
                .session_recording_playlists_retrieve()
                .project_id(&self.target.project_id)
                .short_id(&short_id)
                .send()
                .await;
            check(
                matches!(&gone, Err(Error::Api(error)) if error.status() == 404),
                || format!("`{short_id}` after the soft delete: expected 404, got {gone:?}"),
            )?;
        }
        Ok(())
    }

    async fn refusals(&self) -> Result<(), StepFailed> {
        let client = self.client();
        let project = self.project();
        let query: QueryNode =
            serde_json::from_value(json!({"kind": "EventsNode", "event": "$pageview"}))
                .map_err(|error| StepFailed(error.to_string()))?;
        let answers = [
            (
                "query_check_auth_for_async",
                client
                    .query_check_auth_for_async()
                    .project_id(project)
                    .send()
                    .await
                    .map(|_| ()),
            ),
            (
                "query_draft_sql",
                client
                    .query_draft_sql()
                    .project_id(project)
                    .prompt("count pageviews per day")
                    .send()
                    .await
                    .map(|_| ()),
            ),
            (
                "query_upgrade",
                client
                    .query_upgrade()
                    .project_id(project)
                    .body(QueryUpgradeRequest { query })
                    .send()
                    .await
                    .map(|_| ()),
            ),
        ];
        for (operation, answer) in answers {
            match (self.target.credential.refused_unscoped_actions(), answer) {
                (true, Err(Error::PersonalApiKeyRefused(_))) | (false, Ok(())) => {}
                (true, other) => {
                    return Err(StepFailed(format!(
                        "{operation}: expected the typed refusal, got {other:?}"
                    )));
                }
                (false, Err(error)) => return Err(failed(operation)(error)),
            }
        }
        Ok(())
    }

    /// Soft-deletes what is still live, one request each.
    async fn cleanup(&mut self) -> Result<(), StepFailed> {
        let mut problems = Vec::new();
        for playlist in [self.collection.take(), self.saved.take()]
            .into_iter()
            .flatten()
        {
            let deleted = self
                .client()
                .soft_delete_fetched_session_recording_playlist(self.project(), &playlist)
                .await;
            if let Err(error) = deleted {
                problems.push(format!("`{}`: {error}", playlist.short_id));
            }
        }
        check(problems.is_empty(), || problems.join("; "))
    }
}
