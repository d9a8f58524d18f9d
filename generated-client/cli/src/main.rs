//! `posthog`: every operation of the spec as a subcommand. The commands,
//! their flags and `--help` text are generated (`posthog_api::cli`); this
//! file adds what a shell user needs around them: host and key from the
//! environment or flags, JSON on stdout, errors on stderr, and exit codes
//! scripts can rely on (0 ok, 1 the API said no, 2 bad usage or input).

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;

use clap::error::ErrorKind;
use clap::{Arg, ArgMatches, Command};
use posthog_api::cli::{Cli, CliCommand, CliConfig};
use posthog_api::{Client, ENV_API_KEY, ENV_HOST, Error, Host, ResponseValue};

/// Bad usage or input: missing settings, unknown subcommand, unreadable body.
const USAGE_ERROR: u8 = 2;
/// The request was sent and failed.
const API_ERROR: u8 = 1;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => return usage_error(first_line(&error.to_string())),
    };
    let client = match client(&matches) {
        Ok(client) => client,
        Err(message) => return usage_error(&message),
    };
    let Some((name, sub_matches)) = matches.subcommand() else {
        return usage_error("no subcommand given; see `posthog --help`");
    };
    let Some(operation) = CliCommand::iter().find(|operation| subcommand_name(*operation) == name)
    else {
        return usage_error(&format!("unknown subcommand `{name}`"));
    };

    let api_failed = Rc::new(Cell::new(false));
    let printer = Printer {
        api_failed: Rc::clone(&api_failed),
    };
    match Cli::new(client, printer)
        .execute(operation, sub_matches)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        // `Printer::error` has already shown the API's answer.
        Err(_) if api_failed.get() => ExitCode::from(API_ERROR),
        // Anything else failed before a request went out, e.g. `--json-body`.
        Err(error) => usage_error(&format!("{error:#}")),
    }
}

/// The root command: global connection flags, then one subcommand per operation.
fn command() -> Command {
    let root = Command::new("posthog")
        .about("PostHog's environments API from the shell: queries and session recording playlists.")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(
            Arg::new("host")
                .long("host")
                .env(ENV_HOST)
                .global(true)
                .help("PostHog URL, e.g. https://us.posthog.com, https://eu.posthog.com or your own"),
        )
        .arg(
            Arg::new("api-key")
                .long("api-key")
                .env(ENV_API_KEY)
                .hide_env_values(true)
                .global(true)
                .help("Personal API key (prefer the environment variable: flags show in process lists)"),
        );
    CliCommand::iter().fold(root, |root, operation| {
        root.subcommand(Cli::<Printer>::get_command(operation).name(subcommand_name(operation)))
    })
}

/// `session_recording_playlists_list` → `session-recording-playlists-list`.
fn subcommand_name(operation: CliCommand) -> String {
    operation.operation_id().replace('_', "-")
}

fn client(matches: &ArgMatches) -> Result<Client, String> {
    let host = matches.get_one::<String>("host").ok_or_else(|| {
        format!("no PostHog host: set {ENV_HOST} or pass --host (e.g. https://us.posthog.com)")
    })?;
    let api_key = matches
        .get_one::<String>("api-key")
        .ok_or_else(|| format!("no API key: set {ENV_API_KEY} or pass --api-key"))?;
    let host: Host = host
        .parse()
        .map_err(|error: posthog_api::ConfigError| error.to_string())?;
    Client::with_api_key(host, api_key.as_str()).map_err(|error| error.to_string())
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}

fn first_line(text: &str) -> &str {
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
}

/// Prints answers as pretty JSON on stdout and API errors on stderr.
struct Printer {
    /// Set when the API answered with an error; shared with `main`, which
    /// picks the exit code (the generated `Cli` keeps its printer private).
    api_failed: Rc<Cell<bool>>,
}

impl Printer {
    fn print_json(value: &impl serde::Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(error) => eprintln!("error: cannot print the answer as JSON: {error}"),
        }
    }
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
        self.api_failed.set(true);
        eprintln!("error: {error}");
        if let Error::Api(api) = error {
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
}
