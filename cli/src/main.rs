//! `posthog`: every operation of the spec as a subcommand. The commands,
//! their flags and `--help` text are generated (`posthog_api::cli`); this
//! file adds what a shell user needs around them: host and key from the
//! environment or flags, JSON on stdout, errors on stderr, a line on
//! stderr for each retry the client makes, and exit codes scripts can rely
//! on:
//!
//! - 0: done;
//! - 1: PostHog answered with an error (or with an answer the CLI cannot
//!   read);
//! - 2: bad usage or input, refused before anything was sent;
//! - 3: no answer from PostHog: it could not be reached (host down, DNS,
//!   TLS) or the connection broke or timed out before it answered.
//!
//! A JSON body is checked before it is sent (`Printer::check_json_body`):
//! a field the command does not know, a template placeholder left in it,
//! and a saved-filters playlist without filters are bad input.
//!
//! Three commands are hand-written over the client's conveniences: the soft
//! delete PostHog wants instead of a DELETE, and every playlist of a
//! project and every recording of a playlist across pages. The generated
//! removal of a recording runs through the client's
//! `remove_session_recording_from_playlist`, so a playlist that does not
//! hold the recording is said so, not reported as PostHog's 500.

mod body;
mod retry_notice;

use std::cell::Cell;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::bail;
use clap::error::ErrorKind;
use clap::{Arg, ArgMatches, Command};
use futures_util::{Stream, StreamExt};
use posthog_api::cli::{Cli, CliCommand, CliConfig};
use posthog_api::types::{
    KnownPlaylistType, SessionRecordingPlaylistCreate, SessionRecordingPlaylistUpdate,
};
use posthog_api::{
    Client, ConfigError, ENV_API_KEY, ENV_HOST, Error, Host, RecordingRemoval, ResponseValue,
};
use serde_json::Value;

/// PostHog answered with an error, or with an answer the CLI cannot read.
const API_ERROR: u8 = 1;
/// Bad usage or input: missing settings, an unknown subcommand, a body
/// that does not fit. Nothing was sent.
const USAGE_ERROR: u8 = 2;
/// No answer from PostHog: the host is down or unknown, TLS failed, or the
/// connection broke or timed out before an answer came.
const NO_ANSWER: u8 = 3;

/// Soft-deletes a playlist of either kind (`Client::soft_delete_session_recording_playlist`).
const SOFT_DELETE: &str = "session-recording-playlists-soft-delete";
/// Every playlist of a project (`Client::session_recording_playlists_all`).
const LIST_ALL: &str = "session-recording-playlists-list-all";
/// Every recording of a playlist (`Client::session_recording_playlist_recordings_all`).
const RECORDINGS_ALL: &str = "session-recording-playlists-recordings-all";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let matches = match parse(&args) {
        Ok(matches) => matches,
        Err(code) => return code,
    };
    let Some((name, sub_matches)) = matches.subcommand() else {
        return usage_error("no subcommand given; see `posthog --help`");
    };
    let operation = CliCommand::iter().find(|operation| subcommand_name(*operation) == name);
    // Before the client: a template needs neither host nor key, and sends nothing.
    if let Some(operation) = operation
        && asks_for_template(sub_matches)
    {
        return print_template(operation, sub_matches);
    }
    retry_notice::install();
    let client = match client(&matches) {
        Ok(client) => client,
        Err(error) => return usage_error(&error.to_string()),
    };
    let mut printer = Printer {
        failure: Rc::new(Cell::new(None)),
        hard_delete_hint: soft_delete_hint(sub_matches),
        resent_filters: None,
    };
    match name {
        SOFT_DELETE => return soft_delete(&client, sub_matches, &printer).await,
        LIST_ALL => return list_all(&client, sub_matches, &printer).await,
        RECORDINGS_ALL => return recordings_all(&client, sub_matches, &printer).await,
        _ => {}
    }
    let Some(operation) = operation else {
        return usage_error(&format!("unknown subcommand `{name}`"));
    };

    if matches!(
        operation,
        CliCommand::SessionRecordingPlaylistsRecordingsRemove
    ) {
        return remove_recording(&client, sub_matches, &printer).await;
    }

    if matches!(
        operation,
        CliCommand::SessionRecordingPlaylistsPartialUpdate
    ) {
        match filters_to_resend(&client, operation, sub_matches).await {
            Ok(filters) => printer.resent_filters = filters,
            Err(FiltersUnknown::Api(error)) => {
                printer.error(&error);
                return printer.exit_code();
            }
            Err(FiltersUnknown::Body(message)) => return usage_error(&message),
        }
    }

    let failure = Rc::clone(&printer.failure);
    let outcome = Cli::new(client, printer)
        .execute(operation, sub_matches)
        .await;
    match (outcome, failure.get()) {
        (Ok(()), _) => ExitCode::SUCCESS,
        // `Printer::error` has already said what failed.
        (Err(_), Some(code)) => ExitCode::from(code),
        // Anything else failed before a request went out, e.g. `--json-body`.
        (Err(error), None) => usage_error(&format!("{error:#}")),
    }
}

/// The command line read from `args`, or the exit code once help, the
/// version or a usage error is printed.
fn parse(args: &[OsString]) -> Result<ArgMatches, ExitCode> {
    match command().try_get_matches_from(args) {
        Ok(matches) => Ok(matches),
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = error.print();
            Err(ExitCode::SUCCESS)
        }
        // `--json-body-template` needs none of the command's required
        // arguments, which its usage line still shows as required.
        Err(error) if error.kind() == ErrorKind::MissingRequiredArgument => {
            without_requirements(command())
                .try_get_matches_from(args)
                .ok()
                .filter(|matches| {
                    matches
                        .subcommand()
                        .is_some_and(|(_, sub_matches)| asks_for_template(sub_matches))
                })
                .ok_or_else(|| usage_error(&first_paragraph(&error.to_string())))
        }
        Err(error) => Err(usage_error(&first_paragraph(&error.to_string()))),
    }
}

/// `command` with no argument or group of its subcommands required.
fn without_requirements(command: Command) -> Command {
    command.mut_subcommands(|subcommand| {
        let groups: Vec<clap::Id> = subcommand
            .get_groups()
            .map(|group| group.get_id().clone())
            .collect();
        groups.into_iter().fold(
            subcommand.mut_args(|arg| arg.required(false)),
            |subcommand, group| subcommand.mut_group(group, |group| group.required(false)),
        )
    })
}

/// Whether a subcommand's matches ask for `--json-body-template`.
fn asks_for_template(matches: &ArgMatches) -> bool {
    matches
        .try_get_one::<bool>("json-body-template")
        .is_ok_and(|flag| flag == Some(&true))
}

/// Prints the body `--json-body-template` promises: a placeholder in every
/// field, and the fields given as flags holding their values.
fn print_template(operation: CliCommand, matches: &ArgMatches) -> ExitCode {
    let Some(schema) = Cli::<Printer>::json_body_schema(operation) else {
        return usage_error(&format!(
            "{} takes no JSON body",
            subcommand_name(operation)
        ));
    };
    let mut template = body::template(&schema);
    if let Err(error) = Cli::<Printer>::set_body_flags(operation, matches, &mut template) {
        return usage_error(&format!("{error:#}"));
    }
    // PostHog refuses a collection created with filters (400 "You cannot
    // create a collection with filters").
    if matches!(operation, CliCommand::SessionRecordingPlaylistsCreate)
        && is_of_kind(&template, KnownPlaylistType::Collection)
        && let Some(fields) = template.as_object_mut()
    {
        fields.remove("filters");
    }
    Printer::print_json(&template);
    ExitCode::SUCCESS
}

/// Whether the playlist body `body` is of kind `kind`.
fn is_of_kind(body: &Value, kind: KnownPlaylistType) -> bool {
    serde_json::to_value(kind).is_ok_and(|kind| body.get("type") == Some(&kind))
}

/// The root command: global connection flags, then one subcommand per operation.
fn command() -> Command {
    let root = Command::new("posthog")
        .about("PostHog's API from the shell: a project's queries and session recording playlists.")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .after_help(
            "Exit codes: 0 done; 1 PostHog answered with an error; 2 bad usage or input, \
             nothing sent; 3 no answer from PostHog (host down, DNS, TLS, a broken or timed-out \
             connection).",
        )
        .arg(
            Arg::new("host")
                .long("host")
                .env(ENV_HOST)
                .global(true)
                .help("PostHog URL, e.g. https://us.posthog.com"),
        )
        .arg(
            Arg::new("api-key")
                .long("api-key")
                .env(ENV_API_KEY)
                .hide_env_values(true)
                .global(true)
                .help("Personal API key (the variable is safer)")
                .long_help(
                    "Personal API key; prefer the environment variable, since flags show in \
                     process lists",
                ),
        );
    let root = CliCommand::iter().fold(root, |root, operation| {
        root.subcommand(Cli::<Printer>::get_command(operation).name(subcommand_name(operation)))
    });
    root.subcommand(
        Command::new(SOFT_DELETE)
            .about("Soft-delete a playlist, as PostHog wants instead of a DELETE")
            .long_about(
                "Soft-deletes a playlist (PostHog refuses a hard DELETE): fetches it, then \
                 PATCHes `deleted: true`, resending a saved-filters playlist's filters as \
                 PostHog requires. Two requests.",
            )
            .arg(project_id_arg())
            .arg(short_id_arg()),
    )
    .subcommand(
        Command::new(LIST_ALL)
            .about("Print every playlist of a project, across pages")
            .long_about(
                "Prints every playlist of a project, PostHog's synthetic ones included, one \
                 JSON document per line, fetching page after page until PostHog says there \
                 is no next one.",
            )
            .arg(project_id_arg())
            .arg(page_size_arg(
                "100",
                "Playlists per request (later PostHog caps it at 500)",
            )),
    )
    .subcommand(
        Command::new(RECORDINGS_ALL)
            .about("Print every recording of a playlist, across pages")
            .long_about(
                "Prints every recording of a playlist, one JSON document per line, fetching \
                 page after page while PostHog says `has_next`.",
            )
            .arg(project_id_arg())
            .arg(short_id_arg())
            .arg(page_size_arg("50", "Recordings per request")),
    )
}

fn project_id_arg() -> Arg {
    Arg::new("project-id")
        .long("project-id")
        .required(true)
        .help("Project ID of the project you're trying to access")
}

fn short_id_arg() -> Arg {
    Arg::new("short-id")
        .long("short-id")
        .required(true)
        .help("The playlist's short id, as returned in `short_id`")
}

fn page_size_arg(default: &'static str, help: &'static str) -> Arg {
    Arg::new("page-size")
        .long("page-size")
        // At least 1, as the client's `limit` takes: clap refuses 0 as bad usage.
        .value_parser(clap::value_parser!(u64).range(1..))
        .default_value(default)
        .help(help)
}

/// The command that soft-deletes what a `…-destroy` subcommand tried to delete.
fn soft_delete_hint(matches: &ArgMatches) -> String {
    let value = |name: &str| {
        matches
            .try_get_one::<String>(name)
            .ok()
            .flatten()
            .map_or_else(|| format!("<{name}>"), Clone::clone)
    };
    format!(
        "posthog {SOFT_DELETE} --project-id {} --short-id {}",
        value("project-id"),
        value("short-id")
    )
}

/// A required string argument of a hand-written subcommand (clap checks presence).
fn required<'a>(matches: &'a ArgMatches, name: &str) -> &'a str {
    matches.get_one::<String>(name).map_or("", String::as_str)
}

/// The page size of a hand-written listing (clap gives the default).
fn page_size(matches: &ArgMatches) -> u64 {
    matches.get_one::<u64>("page-size").copied().unwrap_or(50)
}

async fn soft_delete(client: &Client, matches: &ArgMatches, printer: &Printer) -> ExitCode {
    let deleted = client
        .soft_delete_session_recording_playlist(
            required(matches, "project-id"),
            required(matches, "short-id"),
        )
        .await;
    match deleted {
        Ok(playlist) => {
            Printer::print_json(&playlist);
            ExitCode::SUCCESS
        }
        Err(error) => {
            printer.error(&error);
            printer.exit_code()
        }
    }
}

async fn list_all(client: &Client, matches: &ArgMatches, printer: &Printer) -> ExitCode {
    let playlists =
        client.session_recording_playlists_all(required(matches, "project-id"), page_size(matches));
    print_each(playlists, printer).await
}

async fn recordings_all(client: &Client, matches: &ArgMatches, printer: &Printer) -> ExitCode {
    let recordings = client.session_recording_playlist_recordings_all(
        required(matches, "project-id"),
        required(matches, "short-id"),
        page_size(matches),
    );
    print_each(recordings, printer).await
}

/// Prints each item of `items` as one line of JSON, as it comes; stops at
/// the first error, after the items before it.
async fn print_each<T: serde::Serialize>(
    items: impl Stream<Item = Result<T, Error>>,
    printer: &Printer,
) -> ExitCode {
    let mut items = std::pin::pin!(items);
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => Printer::print_line(&item),
            Err(error) => {
                printer.error(&error);
                return printer.exit_code();
            }
        }
    }
    ExitCode::SUCCESS
}

/// Removes a recording (`Client::remove_session_recording_from_playlist`):
/// PostHog's `{"success": true}` when it did; exit 1, saying so, when the
/// playlist does not hold the recording (PostHog's own answer is a 500).
async fn remove_recording(client: &Client, matches: &ArgMatches, printer: &Printer) -> ExitCode {
    let (short_id, recording) = (
        required(matches, "short-id"),
        required(matches, "session-recording-id"),
    );
    let removal = client
        .remove_session_recording_from_playlist(
            required(matches, "project-id"),
            short_id,
            recording,
        )
        .await;
    match removal {
        Ok(RecordingRemoval::Removed) => {
            Printer::print_json(&serde_json::json!({"success": true}));
            ExitCode::SUCCESS
        }
        Ok(_) => {
            eprintln!(
                "posthog: playlist `{short_id}` does not hold recording `{recording}` (PostHog \
                 answered 500, as it does for a recording not in the playlist)"
            );
            ExitCode::from(API_ERROR)
        }
        Err(error) => {
            printer.error(&error);
            printer.exit_code()
        }
    }
}

/// Why an update could not learn the filters it must resend.
enum FiltersUnknown {
    /// Fetching the playlist failed.
    Api(Error),
    /// The body (`--json-body` and the flags) could not be read.
    Body(String),
}

/// The filters an update of the playlist must send again: PostHog answers
/// 400 "You cannot remove all filters…" to an update of a saved-filters
/// playlist without them. Fetches the playlist, as
/// `SessionRecordingPlaylistUpdate::for_playlist` needs it, unless the
/// body (`--json-body` and the flags, `--filters` among them) brings its
/// own `filters`. A body the update would refuse is refused here, before
/// the fetch.
async fn filters_to_resend(
    client: &Client,
    operation: CliCommand,
    matches: &ArgMatches,
) -> Result<Option<Value>, FiltersUnknown> {
    let body = Cli::<Printer>::json_body(operation, matches)
        .and_then(|body| {
            if let Some(body) = &body {
                check_fields_and_placeholders(operation, matches, body)?;
            }
            Ok(body)
        })
        .map_err(|error| FiltersUnknown::Body(format!("{error:#}")))?;
    if body.is_some_and(|body| body.get("filters").is_some()) {
        return Ok(None);
    }
    let playlist = client
        .session_recording_playlists_retrieve()
        .project_id(required(matches, "project-id"))
        .short_id(required(matches, "short-id"))
        .send()
        .await
        .map_err(FiltersUnknown::Api)?;
    Ok(SessionRecordingPlaylistUpdate::for_playlist(&playlist).filters)
}

/// `session_recording_playlists_list` → `session-recording-playlists-list`.
fn subcommand_name(operation: CliCommand) -> String {
    operation.operation_id().replace('_', "-")
}

/// The client `--host` and `--api-key` (or their variables) describe.
fn client(matches: &ArgMatches) -> Result<Client, NoClient> {
    let host = matches.get_one::<String>("host").ok_or(NoClient::NoHost)?;
    let api_key = matches
        .get_one::<String>("api-key")
        .ok_or(NoClient::NoApiKey)?;
    let host: Host = host.parse().map_err(NoClient::Config)?;
    Client::with_api_key(host, api_key.as_str()).map_err(NoClient::Config)
}

/// Why the command line gives no client: a usage error.
#[derive(Debug)]
enum NoClient {
    /// Neither `--host` nor its variable.
    NoHost,
    /// Neither `--api-key` nor its variable.
    NoApiKey,
    /// The host, the key or TLS is unusable; its message says why.
    Config(ConfigError),
}

impl std::fmt::Display for NoClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoClient::NoHost => write!(
                f,
                "no PostHog host: set {ENV_HOST} or pass --host (e.g. https://us.posthog.com)"
            ),
            NoClient::NoApiKey => write!(f, "no API key: set {ENV_API_KEY} or pass --api-key"),
            NoClient::Config(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for NoClient {}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}

/// clap's first paragraph as one line: its message, and the arguments it
/// lists right below it (e.g. which required ones are missing).
fn first_paragraph(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    lines.join(" ").trim_start_matches("error: ").to_owned()
}

/// Prints `text` and a newline on stdout. A reader that stops reading (`|
/// head`) ends the program quietly, as it ends other shell tools, instead
/// of the panic `println!` would raise.
fn print_out(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to stdout: {error}");
        std::process::exit(i32::from(API_ERROR));
    }
}

/// The exit code for a call that failed with `error`: whether PostHog
/// answered decides it.
fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } | Error::DeadlineExceeded { .. } => {
            NO_ANSWER
        }
        // Refused by the client before sending: the input is at fault.
        Error::InvalidRequest { .. } => USAGE_ERROR,
        _ => API_ERROR,
    }
}

/// Prints answers as JSON on stdout and failures on stderr.
struct Printer {
    /// The exit code of the failure [`CliConfig::error`] printed, if any;
    /// shared with `main` (the generated `Cli` keeps its printer private).
    failure: Rc<Cell<Option<u8>>>,
    /// The soft-delete command to suggest when a hard delete is refused.
    hard_delete_hint: String,
    /// Filters an update sends again, as PostHog requires of a saved-filters
    /// playlist (`filters_to_resend`).
    resent_filters: Option<Value>,
}

impl Printer {
    /// `value` as pretty JSON: one answer.
    fn print_json(value: &impl serde::Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => print_out(&text),
            Err(error) => eprintln!("error: cannot print the answer as JSON: {error}"),
        }
    }

    /// `value` as one line of JSON: one item of a listing.
    fn print_line(value: &impl serde::Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => print_out(&text),
            Err(error) => eprintln!("error: cannot print the answer as JSON: {error}"),
        }
    }

    /// The exit code of the failure printed, 1 if none was.
    fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.failure.get().unwrap_or(API_ERROR))
    }
}

/// Refuses a body naming a field `cmd` does not know, or still holding a
/// placeholder of `--json-body-template`; the error names the file.
fn check_fields_and_placeholders(
    cmd: CliCommand,
    matches: &ArgMatches,
    body: &Value,
) -> anyhow::Result<()> {
    let Some(schema) = Cli::<Printer>::json_body_schema(cmd) else {
        return Ok(());
    };
    let source = matches
        .get_one::<PathBuf>("json-body")
        .map_or_else(|| "the body".to_owned(), |path| path.display().to_string());
    if let Some(unknown) = body::unknown_fields(&schema, body).first() {
        bail!(
            "{source}: `{}` is not a field of the body of {}; its fields are {}",
            unknown.pointer,
            subcommand_name(cmd),
            unknown.known.join(", ")
        );
    }
    let left = body::placeholders_left(&schema, body);
    if !left.is_empty() {
        bail!(
            "{source} still holds the placeholders of `--json-body-template` at {}: give each a \
             value or remove it",
            left.join(", ")
        );
    }
    Ok(())
}

/// Refuses a saved-filters playlist without filters, as the client does
/// (`SessionRecordingPlaylistCreate::saved_filters`), before PostHog would
/// answer 400.
fn check_saved_filters(body: &Value) -> anyhow::Result<()> {
    if !is_of_kind(body, KnownPlaylistType::Filters) {
        return Ok(());
    }
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
    let filters = body.get("filters").cloned().unwrap_or(Value::Null);
    SessionRecordingPlaylistCreate::saved_filters(name, filters)
        .map(drop)
        .map_err(anyhow::Error::new)
}

impl CliConfig for Printer {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
    {
        Self::print_json(&**value);
    }

    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    fn error(&self, error: &Error) {
        self.failure.set(Some(exit_code(error)));
        match error {
            // The client's own message names its Rust methods; a shell user
            // gets the command to run.
            Error::HardDeleteNotAllowed { operation } => eprintln!(
                "error: {operation}: PostHog does not allow hard deletes (405); soft-delete \
                 instead: {}",
                self.hard_delete_hint
            ),
            other => eprintln!("error: {other}"),
        }
        if let Error::Api(api) | Error::PersonalApiKeyRefused(api) = error {
            match api.body() {
                Some(body) => match serde_json::to_string_pretty(body) {
                    Ok(text) => eprintln!("{text}"),
                    Err(_) => eprintln!("{}", api.body_start()),
                },
                None if !api.body_start().is_empty() => eprintln!("{}", api.body_start()),
                None => {}
            }
        }
    }

    fn list_start<T>(&self)
    where
        T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
    {
        Self::print_json(value);
    }

    fn list_end_success<T>(&self)
    where
        T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error(&self, error: &Error) {
        self.error(error);
    }

    fn check_json_body(
        &self,
        cmd: CliCommand,
        matches: &ArgMatches,
        body: &mut Value,
    ) -> anyhow::Result<()> {
        check_fields_and_placeholders(cmd, matches, body)?;
        match cmd {
            CliCommand::SessionRecordingPlaylistsCreate => check_saved_filters(body),
            CliCommand::SessionRecordingPlaylistsPartialUpdate => {
                if let (Some(filters), Some(fields)) = (&self.resent_filters, body.as_object_mut())
                {
                    fields.entry("filters").or_insert_with(|| filters.clone());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
