//! The command line, read once into a [`Command`]: each command takes its
//! own options, so a misplaced option is a usage error that says where it
//! belongs, and the commands get typed arguments instead of loose flags.
//! Options may come before or after the command word; `--root DIR` goes
//! with every command. Hand-written rather than clap: clap's builder alone
//! costs about 6 s of CPU in a cold build (its derive, 16 s), which every
//! fresh clone's first `cargo xtask gen` would pay for these few words.

use std::path::PathBuf;

/// `cargo xtask --help`.
pub(crate) const HELP: &str = "\
cargo xtask — the workspace's own commands

USAGE:
    cargo xtask gen            Regenerate the client, its typed mocks and its
                               CLI from spec/openapi.yaml (generated-client/
                               src/generated*.rs; files already current are
                               left untouched)
    cargo xtask gen --check    Write nothing; print a unified diff and fail
                               when a committed generated file is stale
    cargo xtask gen --all      Regenerate everything that follows the spec:
                               the client as `gen` does, then upstream-diff's
                               report on PostHog's schema snapshot
                               (upstream-diff/tests/golden/) and the CLI's
                               help text (cli/tests/help.txt)
    cargo xtask ci             The test command: install the pinned spec
                               tools if missing (`npm ci` in tools/; needs
                               Node.js 20), lint the spec with Redocly, run
                               `cargo test --workspace`, then the ignored
                               lint-gate and Prism contract tests
    cargo xtask bench          Measure generation (in-process, growth to
                               3,000 operations, the whole command) beside
                               openapi-generator, and the client beside raw
                               reqwest; prints Markdown (see BENCHMARKS.md)
    cargo xtask bench --cold   Also time a first `cargo xtask gen` on a fresh
                               clone with an empty target dir, and a first
                               build of a fresh crate using the client (minutes)
    cargo xtask bench --downstream
                               Only that first build of a fresh crate using
                               the client, HEAD beside a baseline, interleaved
    cargo xtask spec-diff [--base REF] [--fail-on-breaking]
                               Print, as Markdown for a pull-request comment,
                               what the spec change from REF (default: the
                               merge-base with main, else HEAD) to the working
                               tree does to client users: each change marked
                               breaking or compatible, and the generated
                               client's public items added, removed, changed
    cargo xtask live           Run the client scenario against a real PostHog
                               (needs network): POSTHOG_HOST,
                               POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID
                               must be set; one line per step, exit 1 on any
                               failure, 2 when a variable is missing
    cargo xtask check-spec FILE
                               Before adopting this workspace for your own
                               API: generate FILE (an OpenAPI 3.0 .yaml or
                               .json, or either .gz) into a scratch crate,
                               `cargo check` it, and report codegen's and
                               rustc's warnings, the time and peak memory
    cargo xtask check-spec --posthog
                               The same on PostHog's full schema, as CI runs
                               it: the file $POSTHOG_SCHEMA names, else
                               ../shared/specs/posthog-full-openapi.yaml.gz
                               beside the checkout (or beside the one it was
                               cloned from)
    cargo xtask check-spec --peer
                               The same on each spec of the peer corpus
                               (.ci/peer-specs.sha256: progenitor's test
                               specs, GitHub's and Oxide's APIs), as CI runs
                               it, then a Markdown table of them all: the
                               folder $PEER_SPECS names, else
                               ../shared/specs/peer, found as --posthog is
    cargo xtask upstream-diff SCHEMA
                               Say where PostHog's published schema SCHEMA
                               (OpenAPI .yaml or .json, or either .gz) and
                               spec/openapi.yaml part ways, as Markdown: each
                               difference known (declared in the spec with
                               x-upstream-departure) or drift
    cargo xtask upstream-diff --posthog
                               The same on PostHog's full schema, found as
                               check-spec --posthog finds it
    cargo xtask --help         Show this text

OPTIONS:
    --root DIR    Work on the checkout at DIR instead of the one the command
                  runs in (found from cargo, else from the current folder up)

EXIT CODES:
    0  success    1  generated files are stale (--check), or a ci step failed
                     or spec-diff --fail-on-breaking found a breaking change
                     or upstream-diff found drift
    2  bad spec or usage
";

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    /// `--help`, `-h` or `help`.
    Help,
    /// `gen [--check | --all]`.
    Gen { check: bool, all: bool },
    /// `ci`.
    Ci,
    /// `bench [--cold | --downstream]`.
    Bench { scope: BenchScope },
    /// `bench-one N` or `bench-one FILE`: one synthetic size or one spec
    /// file, run by `bench` in a child process.
    BenchOne { subject: BenchSubject },
    /// `spec-diff [--base REF] [--fail-on-breaking]`.
    SpecDiff {
        base: Option<String>,
        fail_on_breaking: bool,
    },
    /// `live`.
    Live,
    /// `check-spec FILE` or `check-spec --posthog`.
    CheckSpec { spec: SpecFile },
    /// `check-spec --peer`.
    CheckPeerSpecs,
    /// `upstream-diff SCHEMA` or `upstream-diff --posthog`.
    UpstreamDiff { schema: SpecFile },
}

/// Which spec `check-spec` checks, or which schema `upstream-diff` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SpecFile {
    /// A file given on the command line.
    Given(PathBuf),
    /// `--posthog`: PostHog's full schema, found by
    /// [`xtask::posthog_full_spec`].
    PostHog,
}

impl SpecFile {
    /// The file's path under the checkout `root`; for `--posthog`, an error
    /// naming every place it looked when the schema is nowhere.
    pub(crate) fn path(&self, root: &std::path::Path) -> Result<PathBuf, xtask::SchemaNotFound> {
        match self {
            SpecFile::Given(file) => Ok(file.clone()),
            SpecFile::PostHog => xtask::posthog_full_spec(root),
        }
    }
}

/// How much `bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BenchScope {
    /// Everything but the cold builds.
    Warm,
    /// Everything, cold builds included (`--cold`).
    Cold,
    /// Only the cold build of a downstream crate (`--downstream`).
    Downstream,
}

/// What `bench-one` measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BenchSubject {
    /// A synthetic spec of this many operations.
    Operations(usize),
    /// A spec file (`.yaml`, `.json`, or either gzipped).
    Spec(PathBuf),
}

/// The command line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invocation {
    /// `--root DIR`, when given.
    pub(crate) root: Option<PathBuf>,
    pub(crate) command: Command,
}

/// The command words, as typed.
const GEN: &str = "gen";
const CI: &str = "ci";
const BENCH: &str = "bench";
const BENCH_ONE: &str = bench::GROWTH_CHILD;
const SPEC_DIFF: &str = "spec-diff";
const LIVE: &str = "live";
const CHECK_SPEC: &str = "check-spec";
const UPSTREAM_DIFF: &str = "upstream-diff";
const COMMANDS: [&str; 8] = [
    GEN,
    CI,
    BENCH,
    BENCH_ONE,
    SPEC_DIFF,
    LIVE,
    CHECK_SPEC,
    UPSTREAM_DIFF,
];

/// An option of one command.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Flag {
    Check,
    All,
    Cold,
    Downstream,
    Base(String),
    FailOnBreaking,
    PostHog,
    Peer,
}

impl Flag {
    /// Whether the command `word` takes this option.
    fn belongs_to(&self, word: &str) -> bool {
        match self {
            Flag::Check | Flag::All => word == GEN,
            Flag::Cold | Flag::Downstream => word == BENCH,
            Flag::Base(_) | Flag::FailOnBreaking => word == SPEC_DIFF,
            Flag::PostHog => word == CHECK_SPEC || word == UPSTREAM_DIFF,
            Flag::Peer => word == CHECK_SPEC,
        }
    }

    /// The usage error for this option given to another command.
    fn misplaced(&self) -> &'static str {
        match self {
            Flag::Check => "--check belongs to `gen`",
            Flag::All => "--all belongs to `gen`",
            Flag::Cold => "--cold belongs to `bench`",
            Flag::Downstream => "--downstream belongs to `bench`",
            Flag::Base(_) | Flag::FailOnBreaking => {
                "--base and --fail-on-breaking belong to `spec-diff`"
            }
            Flag::PostHog => "--posthog belongs to `check-spec` and `upstream-diff`",
            Flag::Peer => "--peer belongs to `check-spec`",
        }
    }
}

/// A command line `parse` refuses: what is wrong, printed above the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Parses the arguments after the program name. `Err` is the usage error
/// to print above the help.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Invocation, UsageError> {
    let mut args = args.into_iter();
    let mut root = None;
    let mut word = None;
    let mut subject = None;
    let mut spec_file = None;
    let mut flags = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => {
                return Ok(Invocation {
                    root,
                    command: Command::Help,
                });
            }
            "--root" => root = Some(PathBuf::from(value(&mut args, "--root needs a directory")?)),
            "--base" => flags.push(Flag::Base(value(&mut args, "--base needs a git revision")?)),
            "--check" => flags.push(Flag::Check),
            "--all" => flags.push(Flag::All),
            "--cold" => flags.push(Flag::Cold),
            "--downstream" => flags.push(Flag::Downstream),
            "--fail-on-breaking" => flags.push(Flag::FailOnBreaking),
            "--posthog" => flags.push(Flag::PostHog),
            "--peer" => flags.push(Flag::Peer),
            other if word.is_none() && COMMANDS.contains(&other) => {
                word = COMMANDS.into_iter().find(|command| *command == other);
            }
            size if word == Some(BENCH_ONE) && subject.is_none() => {
                subject = Some(match size.parse::<usize>() {
                    Ok(operations) => BenchSubject::Operations(operations),
                    Err(_) => BenchSubject::Spec(PathBuf::from(size)),
                });
            }
            file if matches!(word, Some(CHECK_SPEC | UPSTREAM_DIFF)) && spec_file.is_none() => {
                spec_file = Some(PathBuf::from(file));
            }
            other => return Err(UsageError(format!("unexpected argument `{other}`"))),
        }
    }
    let Some(word) = word else {
        return Err(UsageError("no command given".into()));
    };
    if let Some(flag) = flags.iter().find(|flag| !flag.belongs_to(word)) {
        return Err(UsageError(flag.misplaced().to_owned()));
    }
    let command = match word {
        GEN => match (flags.contains(&Flag::Check), flags.contains(&Flag::All)) {
            (true, true) => {
                return Err(UsageError(
                    "--check writes nothing and --all writes more; give one".into(),
                ));
            }
            (check, all) => Command::Gen { check, all },
        },
        CI => Command::Ci,
        BENCH => Command::Bench {
            scope: match (
                flags.contains(&Flag::Cold),
                flags.contains(&Flag::Downstream),
            ) {
                (true, true) => {
                    return Err(UsageError("--cold already includes --downstream".into()));
                }
                (true, false) => BenchScope::Cold,
                (false, true) => BenchScope::Downstream,
                (false, false) => BenchScope::Warm,
            },
        },
        BENCH_ONE => Command::BenchOne {
            subject: subject.ok_or_else(|| {
                UsageError(format!(
                    "{BENCH_ONE} needs a number of operations or a spec file"
                ))
            })?,
        },
        LIVE => Command::Live,
        CHECK_SPEC if flags.contains(&Flag::Peer) => {
            if spec_file.is_some() || flags.contains(&Flag::PostHog) {
                return Err(UsageError(
                    "check-spec --peer checks the peer corpus; give it no spec file and no --posthog"
                        .into(),
                ));
            }
            Command::CheckPeerSpecs
        }
        CHECK_SPEC => Command::CheckSpec {
            spec: spec_file_or_posthog(CHECK_SPEC, "a spec file", spec_file, &flags)?,
        },
        UPSTREAM_DIFF => Command::UpstreamDiff {
            schema: spec_file_or_posthog(
                UPSTREAM_DIFF,
                "PostHog's schema file",
                spec_file,
                &flags,
            )?,
        },
        _ => Command::SpecDiff {
            base: flags.iter().rev().find_map(|flag| match flag {
                Flag::Base(revision) => Some(revision.clone()),
                _ => None,
            }),
            fail_on_breaking: flags.contains(&Flag::FailOnBreaking),
        },
    };
    Ok(Invocation { root, command })
}

/// The file `word` was given, or `--posthog`; exactly one of them.
fn spec_file_or_posthog(
    word: &str,
    what: &str,
    file: Option<PathBuf>,
    flags: &[Flag],
) -> Result<SpecFile, UsageError> {
    match (file, flags.contains(&Flag::PostHog)) {
        (Some(file), false) => Ok(SpecFile::Given(file)),
        (None, true) => Ok(SpecFile::PostHog),
        (Some(_), true) => Err(UsageError(format!(
            "{word} takes {what} or --posthog, not both"
        ))),
        (None, false) => Err(UsageError(format!("{word} needs {what}, or --posthog"))),
    }
}

/// The value after an option, or the usage error `missing`.
fn value(args: &mut impl Iterator<Item = String>, missing: &str) -> Result<String, UsageError> {
    args.next().ok_or_else(|| UsageError(missing.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Result<Invocation, UsageError> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    fn command(line: &str) -> Command {
        parsed(line)
            .unwrap_or_else(|error| panic!("`{line}`: {error}"))
            .command
    }

    #[test]
    fn each_command_takes_its_own_options_anywhere_on_the_line() {
        assert_eq!(
            command("gen"),
            Command::Gen {
                check: false,
                all: false
            }
        );
        assert_eq!(
            command("gen --check"),
            Command::Gen {
                check: true,
                all: false
            }
        );
        assert_eq!(
            command("--check gen"),
            Command::Gen {
                check: true,
                all: false
            }
        );
        assert_eq!(
            command("gen --all"),
            Command::Gen {
                check: false,
                all: true
            }
        );
        assert_eq!(command("ci"), Command::Ci);
        assert_eq!(command("live"), Command::Live);
        let bench = |scope| Command::Bench { scope };
        assert_eq!(command("bench"), bench(BenchScope::Warm));
        assert_eq!(command("bench --cold"), bench(BenchScope::Cold));
        assert_eq!(command("--downstream bench"), bench(BenchScope::Downstream));
        assert_eq!(
            command("bench-one 1000"),
            Command::BenchOne {
                subject: BenchSubject::Operations(1000)
            }
        );
        assert_eq!(
            command("bench-one api.yaml.gz"),
            Command::BenchOne {
                subject: BenchSubject::Spec(PathBuf::from("api.yaml.gz"))
            }
        );
        assert_eq!(
            command("spec-diff --fail-on-breaking --base main"),
            Command::SpecDiff {
                base: Some("main".into()),
                fail_on_breaking: true
            }
        );
        assert_eq!(
            command("spec-diff"),
            Command::SpecDiff {
                base: None,
                fail_on_breaking: false
            }
        );
        assert_eq!(
            command("check-spec api.yaml.gz"),
            Command::CheckSpec {
                spec: SpecFile::Given(PathBuf::from("api.yaml.gz"))
            }
        );
        assert_eq!(command("check-spec --peer"), Command::CheckPeerSpecs);
        assert_eq!(
            command("--posthog check-spec"),
            Command::CheckSpec {
                spec: SpecFile::PostHog
            }
        );
        assert_eq!(
            command("upstream-diff posthog.yaml.gz"),
            Command::UpstreamDiff {
                schema: SpecFile::Given(PathBuf::from("posthog.yaml.gz"))
            }
        );
        assert_eq!(
            command("upstream-diff --posthog"),
            Command::UpstreamDiff {
                schema: SpecFile::PostHog
            }
        );
    }

    #[test]
    fn root_goes_with_every_command() {
        for line in ["--root /w gen", "gen --root /w", "bench-one 10 --root /w"] {
            assert_eq!(
                parsed(line).unwrap().root,
                Some(PathBuf::from("/w")),
                "{line}"
            );
        }
        assert_eq!(parsed("ci").unwrap().root, None);
    }

    #[test]
    fn help_wins_over_everything_after_it() {
        for line in ["--help", "-h", "help", "gen --help", "--help --bogus"] {
            assert_eq!(command(line), Command::Help, "{line}");
        }
    }

    #[test]
    fn misplaced_and_unknown_arguments_say_what_is_wrong() {
        let cases = [
            ("", "no command given"),
            ("generate", "unexpected argument `generate`"),
            ("gen ci", "unexpected argument `ci`"),
            ("gen --base", "--base needs a git revision"),
            ("gen --root", "--root needs a directory"),
            ("ci --check", "--check belongs to `gen`"),
            ("ci --all", "--all belongs to `gen`"),
            (
                "gen --check --all",
                "--check writes nothing and --all writes more; give one",
            ),
            ("gen --cold", "--cold belongs to `bench`"),
            ("ci --downstream", "--downstream belongs to `bench`"),
            (
                "bench --cold --downstream",
                "--cold already includes --downstream",
            ),
            (
                "gen --fail-on-breaking",
                "--base and --fail-on-breaking belong to `spec-diff`",
            ),
            (
                "bench --base main",
                "--base and --fail-on-breaking belong to `spec-diff`",
            ),
            (
                "bench-one",
                "bench-one needs a number of operations or a spec file",
            ),
            ("bench-one 10 20", "unexpected argument `20`"),
            ("check-spec", "check-spec needs a spec file, or --posthog"),
            (
                "check-spec a.yaml --posthog",
                "check-spec takes a spec file or --posthog, not both",
            ),
            (
                "bench --posthog",
                "--posthog belongs to `check-spec` and `upstream-diff`",
            ),
            (
                "check-spec --peer a.yaml",
                "check-spec --peer checks the peer corpus; give it no spec file and no --posthog",
            ),
            (
                "check-spec --peer --posthog",
                "check-spec --peer checks the peer corpus; give it no spec file and no --posthog",
            ),
            ("upstream-diff --peer", "--peer belongs to `check-spec`"),
            (
                "upstream-diff",
                "upstream-diff needs PostHog's schema file, or --posthog",
            ),
            (
                "upstream-diff a.yaml --posthog",
                "upstream-diff takes PostHog's schema file or --posthog, not both",
            ),
            (
                "upstream-diff a.yaml b.yaml",
                "unexpected argument `b.yaml`",
            ),
            ("check-spec a.yaml b.yaml", "unexpected argument `b.yaml`"),
            ("check-spec a.yaml --check", "--check belongs to `gen`"),
        ];
        for (line, message) in cases {
            assert_eq!(
                parsed(line),
                Err(UsageError(message.to_owned())),
                "`{line}`"
            );
        }
    }

    /// Every command a user runs has a usage line in the help, and every
    /// usage line in the help is a command line that parses.
    #[test]
    fn the_help_shows_every_command_and_only_lines_that_parse() {
        let usage: Vec<&str> = HELP
            .lines()
            .filter_map(|line| line.strip_prefix("    cargo xtask "))
            .map(|rest| rest.split("  ").next().unwrap_or(rest))
            .collect();
        let mut shown = Vec::new();
        for line in &usage {
            let line = line
                .replace(['[', ']'], "")
                .replace("REF", "main")
                .replace("FILE", "api.yaml")
                .replace("SCHEMA", "posthog.yaml");
            let command = command(&line);
            assert!(
                !matches!(command, Command::BenchOne { .. }),
                "the internal `{BENCH_ONE}` in the help"
            );
            shown.push(line.split_whitespace().next().unwrap_or("").to_owned());
        }
        for word in COMMANDS.into_iter().filter(|word| *word != BENCH_ONE) {
            assert!(
                shown.iter().any(|shown| shown == word),
                "`cargo xtask {word}` is missing from the help"
            );
        }
        assert!(shown.iter().any(|shown| shown == "--help"));
    }
}
