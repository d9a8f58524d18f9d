//! `posthog-fake`: the fake as a standalone server, so the `posthog` CLI,
//! curl or a test suite in another language can be tried against it. It
//! prints the settings a client needs (as `export` lines a shell can
//! `eval`), then serves until it is stopped.

use std::process::ExitCode;
use std::str::FromStr;

use posthog_fake::{Builder, FakePostHog};

const USAGE: &str = "\
Usage: posthog-fake [--port PORT] [--project-id ID] [--recordings N] [--scopes LIST]

Serves a behavioural fake of PostHog's query and session recording playlist
API on 127.0.0.1 until stopped (Ctrl-C), and prints the host and personal
API key to use.

Options:
  --port PORT        port of 127.0.0.1 to listen on (default 0: a free one)
  --project-id ID    the one project it serves (default 4242)
  --recordings N     how many recordings it has data for (default 3)
  --scopes LIST      the personal API key's scopes, comma-separated (default
                     session_recording_playlist:write,query:read); an empty
                     LIST makes a legacy key, which PostHog lets do anything
  -h, --help         print this help";

/// Bad usage: an unknown option or a value that does not parse.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let builder = match settings(std::env::args().skip(1)) {
        Ok(Some(builder)) => builder,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let fake = match builder.start() {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("error: cannot listen on 127.0.0.1: {error}; pick another --port");
            return ExitCode::FAILURE;
        }
    };
    println!("export POSTHOG_HOST={}", fake.url());
    println!(
        "export POSTHOG_PERSONAL_API_KEY={}",
        fake.personal_api_key()
    );
    println!("# project id: {}", fake.project_id());
    println!("# recordings: {}", fake.recording_ids().join(" "));
    println!(
        "# a logged-in session's stand-in, as a bearer token: {}",
        fake.session_token()
    );
    println!("# serving until stopped (Ctrl-C)");
    loop {
        std::thread::park();
    }
}

/// The fake's settings from the command line; `None` when help was asked for.
fn settings(mut args: impl Iterator<Item = String>) -> Result<Option<Builder>, UsageError> {
    let mut builder = FakePostHog::builder();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let value = args.next().ok_or_else(|| UsageError::NoValue(arg.clone()));
        builder = match arg.as_str() {
            "--port" => builder.port(number(&arg, &value?)?),
            "--project-id" => builder.project_id(&value?),
            "--recordings" => builder.recordings(number(&arg, &value?)?),
            "--scopes" => {
                let value = value?;
                let scopes: Vec<&str> =
                    value.split(',').filter(|scope| !scope.is_empty()).collect();
                builder.scopes(&scopes)
            }
            _ => return Err(UsageError::UnknownOption(arg)),
        };
    }
    Ok(Some(builder))
}

fn number<T: FromStr>(option: &str, value: &str) -> Result<T, UsageError> {
    value.parse().map_err(|_| UsageError::NotANumber {
        option: option.to_owned(),
        value: value.to_owned(),
    })
}

/// A command line the fake refuses; printed above the usage.
#[derive(Debug)]
enum UsageError {
    /// This option came last, without its value.
    NoValue(String),
    /// Not an option the fake has.
    UnknownOption(String),
    /// A number option's value that is not a whole number.
    NotANumber { option: String, value: String },
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsageError::NoValue(option) => write!(f, "`{option}` needs a value"),
            UsageError::UnknownOption(option) => write!(f, "unknown option `{option}`"),
            UsageError::NotANumber { option, value } => {
                write!(f, "`{option}` needs a whole number, got `{value}`")
            }
        }
    }
}

impl std::error::Error for UsageError {}
