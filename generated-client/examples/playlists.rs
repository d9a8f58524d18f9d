//! List every session recording playlist of a project, create one, try to
//! add a recording to it (PostHog refuses personal API keys there), and
//! soft-delete it.
//!
//! ```sh
//! export POSTHOG_HOST=https://eu.posthog.com
//! export POSTHOG_PERSONAL_API_KEY=phx_...      # scopes: session_recording_playlist:read, :write
//! export POSTHOG_PROJECT_ID=12345
//! export POSTHOG_SESSION_RECORDING_ID=0190...  # optional: a recording to add
//! cargo run -p posthog-api --example playlists
//! ```

use std::process::ExitCode;

use futures_util::TryStreamExt;
use posthog_api::types::SessionRecordingPlaylistCreate;
use posthog_api::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let client = Client::from_env().map_err(|error| error.to_string())?;
    let project = std::env::var("POSTHOG_PROJECT_ID").map_err(|_| {
        "environment variable POSTHOG_PROJECT_ID is not set; set it to your project's id"
            .to_string()
    })?;

    let playlists: Vec<_> = client
        .session_recording_playlists_all(&project, 100)
        .try_collect()
        .await
        .map_err(|error| error.to_string())?;
    println!("{} playlists:", playlists.len());
    for playlist in &playlists {
        let name = playlist
            .name
            .as_deref()
            .or(playlist.derived_name.as_deref())
            .unwrap_or("(unnamed)");
        let kind = if playlist.is_synthetic {
            "built in"
        } else if playlist.is_saved_filters() {
            "saved filters"
        } else if playlist.is_collection() {
            "collection"
        } else {
            "kind unknown"
        };
        println!("  {}  {name}  ({kind})", playlist.short_id);
    }

    let created = client
        .session_recording_playlists_create()
        .project_id(&project)
        .body(SessionRecordingPlaylistCreate::collection(
            "Created by the posthog-api example",
        ))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    println!("created {}", created.short_id);

    if let Ok(recording) = std::env::var("POSTHOG_SESSION_RECORDING_ID") {
        let added = client
            .session_recording_playlists_recordings_add()
            .project_id(&project)
            .short_id(&created.short_id)
            .session_recording_id(&recording)
            .send()
            .await;
        match added {
            Ok(answer) => println!("added recording {recording}: success = {}", answer.success),
            // PostHog takes no personal API key here, whatever its scopes.
            Err(error @ Error::PersonalApiKeyRefused(_)) => println!("not added: {error}"),
            Err(error) => return Err(error.to_string()),
        }
    }

    let deleted = client
        .soft_delete_fetched_session_recording_playlist(&project, &created)
        .await
        .map_err(|error| error.to_string())?;
    println!(
        "soft-deleted {} (deleted = {})",
        deleted.short_id, deleted.deleted
    );
    Ok(())
}
