//! What the fake remembers between requests, and how each thing is written
//! out: by hand, field by field, in the order and shape of PostHog's
//! serializers (never from `posthog-api`'s types).

use serde_json::{Value, json};

use crate::time::timestamp;

/// A playlist row (PostHog's `SessionRecordingPlaylist` model).
#[derive(Debug, Clone)]
pub(crate) struct Playlist {
    pub(crate) id: i64,
    pub(crate) short_id: String,
    pub(crate) name: Option<String>,
    pub(crate) derived_name: Option<String>,
    pub(crate) description: String,
    pub(crate) pinned: bool,
    pub(crate) deleted: bool,
    pub(crate) filters: Value,
    pub(crate) kind: Kind,
    /// The id of the user who created it.
    pub(crate) created_by: i64,
    pub(crate) created_at: u64,
    pub(crate) last_modified_at: u64,
    /// Recording ids, newest first (PostHog orders items by `-created_at`).
    pub(crate) items: Vec<String>,
}

/// A playlist's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Collection,
    Filters,
}

impl Kind {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "collection" => Some(Self::Collection),
            "filters" => Some(Self::Filters),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Collection => "collection",
            Self::Filters => "filters",
        }
    }
}

/// One of PostHog's built-in playlists.
#[derive(Debug)]
pub(crate) struct Synthetic {
    pub(crate) id: i64,
    pub(crate) short_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
}

// The seven static synthetic playlists of an EE (cloud) server, in registry
// order: posthog/session_recordings/synthetic_playlists.py, `_get_static_synthetic_playlists`.
pub(crate) const SYNTHETIC: [Synthetic; 7] = [
    Synthetic {
        id: -1,
        short_id: "synthetic-watch-history",
        name: "Watch history",
        description: "Recordings you have watched",
    },
    Synthetic {
        id: -2,
        short_id: "synthetic-commented",
        name: "Recordings with comments",
        description: "Recordings that have team comments",
    },
    Synthetic {
        id: -3,
        short_id: "synthetic-shared",
        name: "Shared recordings",
        description: "Recordings that have been shared externally",
    },
    Synthetic {
        id: -4,
        short_id: "synthetic-exported",
        name: "Exported recordings",
        description: "Recordings that have been exported as clips or screenshots",
    },
    Synthetic {
        id: -6,
        short_id: "synthetic-expiring",
        name: "Expiring soon",
        description: "Recordings that will expire in the next 10 days",
    },
    Synthetic {
        id: -7,
        short_id: "synthetic-frustrated",
        name: "Frustration signals",
        description: "Sessions with rage clicks or errors in the last 7 days",
    },
    Synthetic {
        id: -5,
        short_id: "synthetic-summarised",
        name: "Summarised sessions",
        description: "Sessions with AI-generated summaries. Ask PostHog AI to summarize sessions for you.",
    },
];

/// A recording the fake has data for (what PostHog reads from ClickHouse).
#[derive(Debug, Clone)]
pub(crate) struct Recording {
    pub(crate) session_id: String,
    /// Seconds after the fake's epoch at which it started.
    start: u64,
    duration: u64,
}

/// The throttle [`crate::FakePostHog::throttle_next`] arms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Throttle {
    pub(crate) remaining: u32,
    pub(crate) retry_after_secs: u64,
}

/// Everything the fake knows.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) project_id: String,
    pub(crate) personal_api_key: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) session_token: String,
    pub(crate) playlists: Vec<Playlist>,
    pub(crate) recordings: Vec<Recording>,
    pub(crate) throttle: Option<Throttle>,
    pub(crate) faults: Vec<crate::fault::Armed>,
    pub(crate) log: Vec<String>,
    next_id: i64,
    /// Seconds after the fake's epoch; every write moves it on, so
    /// `-last_modified_at` orders playlists as the server would.
    clock: u64,
}

impl State {
    pub(crate) fn new(
        project_id: &str,
        personal_api_key: &str,
        scopes: Vec<String>,
        session_token: &str,
        recordings: usize,
    ) -> Self {
        let recordings = (0..recordings)
            .rev()
            .map(|index| Recording {
                session_id: format!("0190a1b2-c3d4-7e5f-8a9b-{:012x}", index + 1),
                start: 3_600 * (index as u64 + 1),
                duration: 60 + 30 * index as u64,
            })
            .collect();
        Self {
            project_id: project_id.into(),
            personal_api_key: personal_api_key.into(),
            scopes,
            session_token: session_token.into(),
            playlists: Vec::new(),
            recordings,
            throttle: None,
            faults: Vec::new(),
            log: Vec::new(),
            next_id: 1,
            clock: 86_400,
        }
    }

    pub(crate) fn recording_ids(&self) -> Vec<String> {
        self.recordings
            .iter()
            .map(|recording| recording.session_id.clone())
            .collect()
    }

    pub(crate) fn throttle(&mut self, requests: u32, retry_after_secs: u64) {
        self.throttle = Some(Throttle {
            remaining: requests,
            retry_after_secs,
        });
    }

    /// The time now: a second after the latest write, as a request always
    /// comes after what it reads.
    pub(crate) fn now(&self) -> u64 {
        self.clock + 1
    }

    /// Moves the clock on by `seconds`, as time passing.
    pub(crate) fn pass_time(&mut self, seconds: u64) {
        self.clock = self.clock.saturating_add(seconds);
    }

    /// Moves the clock on and returns the new time.
    pub(crate) fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// A new playlist row, not yet stored.
    pub(crate) fn new_playlist(&mut self, kind: Kind) -> Playlist {
        let id = self.next_id;
        self.next_id += 1;
        let now = self.tick();
        Playlist {
            id,
            short_id: short_id(id),
            name: None,
            derived_name: None,
            description: String::new(),
            pinned: false,
            deleted: false,
            filters: json!({}),
            kind,
            created_by: USER_ID,
            created_at: now,
            last_modified_at: now,
            items: Vec::new(),
        }
    }

    /// The playlist with `short_id` unless it is soft-deleted: what every
    /// action but an update finds
    /// (posthog/session_recordings/session_recording_playlist_api.py,
    /// `safely_get_queryset`).
    pub(crate) fn live_playlist(&self, short_id: &str) -> Option<&Playlist> {
        self.playlists
            .iter()
            .find(|playlist| playlist.short_id == short_id && !playlist.deleted)
    }

    /// [`State::live_playlist`], to change.
    pub(crate) fn live_playlist_mut(&mut self, short_id: &str) -> Option<&mut Playlist> {
        self.playlists
            .iter_mut()
            .find(|playlist| playlist.short_id == short_id && !playlist.deleted)
    }

    /// The playlist with `short_id`, soft-deleted ones included.
    pub(crate) fn playlist_mut(&mut self, short_id: &str) -> Option<&mut Playlist> {
        self.playlists
            .iter_mut()
            .find(|playlist| playlist.short_id == short_id)
    }

    pub(crate) fn recording(&self, session_id: &str) -> Option<&Recording> {
        self.recordings
            .iter()
            .find(|recording| recording.session_id == session_id)
    }
}

/// PostHog's short ids are 8 random characters; the fake's are predictable.
fn short_id(id: i64) -> String {
    format!("fk{id:06}")
}

/// The user every credential of the fake belongs to, as PostHog's
/// `UserBasicSerializer` writes it (posthog/api/shared.py).
pub(crate) const USER_ID: i64 = 1;

fn user() -> Value {
    json!({
        "id": USER_ID,
        "uuid": "01937a1e-5c5e-7b4a-9a53-2f1d3c4b5a69",
        "distinct_id": "fake-user-distinct-id",
        "first_name": "Fake",
        "last_name": "",
        "email": "fake@example.com",
        "is_email_verified": null,
        "hedgehog_config": null,
        "role_at_organization": null
    })
}

// posthog/session_recordings/session_recording_playlist_api.py, `SessionRecordingPlaylistSerializer`:
// its `Meta.fields`, in order (`_create_in_folder` is write-only).
pub(crate) fn playlist_json(playlist: &Playlist) -> Value {
    let item_count = playlist.items.len();
    json!({
        "id": playlist.id,
        "short_id": playlist.short_id,
        "name": playlist.name,
        "derived_name": playlist.derived_name,
        "description": playlist.description,
        "pinned": playlist.pinned,
        "created_at": timestamp(playlist.created_at),
        "created_by": user(),
        "deleted": playlist.deleted,
        "filters": playlist.filters,
        "last_modified_at": timestamp(playlist.last_modified_at),
        "last_modified_by": user(),
        // `count_collection_recordings`: null rather than 0; the saved-filters
        // counts come from Redis, which the fake does not have.
        "recordings_counts": {
            "saved_filters": empty_saved_filters_counts(),
            "collection": {
                "count": if item_count > 0 { json!(item_count) } else { Value::Null },
                "watched_count": 0
            }
        },
        "type": playlist.kind.as_str(),
        "is_synthetic": false
    })
}

// `create_synthetic_playlist_instance` and `count_synthetic_playlist` in the same file.
pub(crate) fn synthetic_json(synthetic: &Synthetic) -> Value {
    json!({
        "id": synthetic.id,
        "short_id": synthetic.short_id,
        "name": synthetic.name,
        "derived_name": null,
        "description": synthetic.description,
        "pinned": false,
        "created_at": null,
        "created_by": null,
        "deleted": false,
        "filters": {},
        "last_modified_at": null,
        "last_modified_by": null,
        "recordings_counts": {
            "saved_filters": empty_saved_filters_counts(),
            "collection": {
                "count": null,
                "has_more": false,
                "watched_count": 0,
                "increased": null,
                "last_refreshed_at": null
            }
        },
        "type": "collection",
        "is_synthetic": true
    })
}

fn empty_saved_filters_counts() -> Value {
    json!({
        "count": null,
        "has_more": null,
        "watched_count": null,
        "increased": null,
        "last_refreshed_at": null
    })
}

// posthog/session_recordings/session_recording_api.py, `SessionRecordingSerializer`:
// its `Meta.fields`, in order; `person` is `MinimalPersonSerializer` (posthog/api/person.py).
pub(crate) fn recording_json(recording: &Recording) -> Value {
    let end = recording.start + recording.duration;
    let active = recording.duration * 2 / 3;
    json!({
        "id": recording.session_id,
        "distinct_id": "fake-user-distinct-id",
        "viewed": false,
        "viewers": [],
        "recording_duration": recording.duration,
        "active_seconds": active,
        "inactive_seconds": recording.duration - active,
        "start_time": timestamp(recording.start),
        "end_time": timestamp(end),
        "click_count": 4,
        "keypress_count": 12,
        "mouse_activity_count": 40,
        "console_log_count": 1,
        "console_warn_count": 0,
        "console_error_count": 0,
        "start_url": "https://example.com/checkout",
        "person": {
            "id": 7,
            "name": "fake@example.com",
            "distinct_ids": ["fake-user-distinct-id"],
            "properties": {"email": "fake@example.com"},
            "created_at": timestamp(0),
            "uuid": "01937a1e-0000-7000-8000-000000000007"
        },
        "storage": "object_storage",
        "retention_period_days": 21,
        "expiry_time": timestamp(recording.start + 21 * 86_400),
        "recording_ttl": 20,
        "snapshot_source": "web",
        "ongoing": false,
        "activity_score": null
    })
}
