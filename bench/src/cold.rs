//! Cold builds: what a contributor and a user wait for the first time.
//! A fresh `git clone` of this checkout at a revision (HEAD, or the
//! baseline it is compared with; uncommitted changes are in neither) with
//! its own empty target folder, then either `cargo xtask gen` there
//! ([`measure`]) or `cargo build` of a fresh crate outside it that depends
//! on its `posthog-api` by path ([`measure_downstream`]), counting the
//! crates cargo compiles on the way. Crates already downloaded to the cargo
//! home are reused, so this is compile time, not download time. The
//! report's rows of both, with their baselines and targets, are written
//! here too.

use anyhow::Context as _;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::format::{measured, met};
use super::scratch::{Scratch, run};
use super::stats::{Summary, time_interleaved};

/// One cold run of `cargo xtask gen`.
#[derive(Debug)]
pub(crate) struct ColdResult {
    pub(crate) wall: Duration,
    pub(crate) crates: Vec<String>,
}

/// Clones `root` at `revision` and times the first `cargo xtask gen` in
/// the clone.
pub(crate) fn measure(root: &Path, revision: &str) -> anyhow::Result<ColdResult> {
    let scratch = Scratch::new("cold")?;
    let clone = scratch.path().join("repo");
    clone_at(root, revision, &clone)?;
    // `cargo xtask` is `cargo run --quiet --package xtask --`; without
    // `--quiet` cargo names each crate it compiles, which is what we count.
    let started = Instant::now();
    let output = run(Command::new("cargo")
        .args(["run", "--package", "xtask", "--", "gen"])
        .current_dir(&clone)
        .env("CARGO_TARGET_DIR", clone.join("target"))
        .env("CARGO_TERM_COLOR", "never"))?;
    let wall = started.elapsed();
    Ok(ColdResult {
        wall,
        crates: compiled_crates(&String::from_utf8_lossy(&output.stderr)),
    })
}

/// `name version` of every `Compiling name vX.Y.Z (…)` line cargo printed.
fn compiled_crates(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .map(|rest| rest.split(" (").next().unwrap_or(rest).to_owned())
        .collect()
}

/// `git clone` of `root` into `clone`, checked out at `revision`.
fn clone_at(root: &Path, revision: &str, clone: &Path) -> anyhow::Result<()> {
    run(Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks", "--no-checkout"])
        .arg(root)
        .arg(clone))?;
    run(Command::new("git")
        .args(["checkout", "--quiet", revision])
        .current_dir(clone))
    .map(drop)
}

/// The downstream crate's program: the workspace README's first example,
/// reading its host, key and project from the environment. It is only
/// built, never run.
const DOWNSTREAM_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = posthog_api::Client::from_env()?;
    let page = client
        .session_recording_playlists_list()
        .project_id(std::env::var("POSTHOG_PROJECT_ID")?)
        .send()
        .await?;
    println!("{} playlists", page.count);
    Ok(())
}
"#;

/// The same request with reqwest alone, with the features the client
/// turns on (rustls on aws-lc-rs, as `posthog-api`'s default TLS, and
/// JSON; no HTTP/2, proxy or charset support, which the client leaves out
/// too), tokio and serde_json: the floor of any client of this API with
/// this TLS.
const BARE_REQWEST_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::var("POSTHOG_HOST")?;
    let key = std::env::var("POSTHOG_PERSONAL_API_KEY")?;
    let project = std::env::var("POSTHOG_PROJECT_ID")?;
    let page: serde_json::Value = reqwest::Client::new()
        .get(format!("{host}/api/projects/{project}/session_recording_playlists/"))
        .bearer_auth(key)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{} playlists", page["count"]);
    Ok(())
}
"#;

/// What the downstream crate depends on to make its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Through {
    /// `posthog-api` by path, with its default features.
    Client,
    /// reqwest with the client's features, and serde_json ([`BARE_REQWEST_MAIN`]).
    BareReqwest,
}

/// One downstream build to measure: the crate makes its request
/// `through` the client or bare reqwest, with the versions `revision`'s
/// `Cargo.lock` pins (and `posthog-api` as it is at `revision`), and
/// `extra` lines in its `[dependencies]` (a choice its author may make).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DownstreamSide {
    pub(crate) revision: &'static str,
    pub(crate) through: Through,
    pub(crate) extra: &'static str,
}

/// Cold `cargo build`s of the downstream crate for one [`DownstreamSide`].
#[derive(Debug)]
pub(crate) struct DownstreamBuild {
    pub(crate) side: DownstreamSide,
    pub(crate) summary: Summary,
    /// Each timed build, round by round, for ratios taken per round.
    pub(crate) rounds: Vec<Duration>,
    /// What the last timed build compiled, the downstream crate included.
    pub(crate) crates: Vec<String>,
    /// The features serde_json is built with there (`cargo tree`).
    pub(crate) serde_json_features: Vec<String>,
}

/// A fresh crate depending on `posthog-api` by path, for each side, built
/// with its own empty target folder each time, `runs` rounds interleaved
/// (after one untimed build each), so a change in the machine's load
/// reaches all sides alike. Each side's crate starts from its clone's
/// `Cargo.lock`, so all build the versions the workspace pins; `cargo
/// fetch` before the clock starts, `--offline` on it.
pub(crate) fn measure_downstream(
    root: &Path,
    sides: &[DownstreamSide],
    runs: usize,
) -> anyhow::Result<Vec<DownstreamBuild>> {
    let scratch = Scratch::new("downstream")?;
    let mut builders = Vec::new();
    for (index, side) in sides.iter().enumerate() {
        let dir = scratch
            .path()
            .join(format!("{index}-{}", short(side.revision)));
        downstream_crate(root, side, &dir)?;
        builders.push(DownstreamBuilder {
            app: dir.join("app"),
            next_target: Cell::new(0),
            builds: RefCell::new(Vec::new()),
            crates: RefCell::new(Vec::new()),
        });
    }
    let mut tasks: Vec<_> = builders
        .iter()
        .map(|builder| move || builder.build())
        .collect();
    let mut tasks: Vec<&mut dyn FnMut() -> anyhow::Result<()>> = tasks
        .iter_mut()
        .map(|task| task as &mut dyn FnMut() -> anyhow::Result<()>)
        .collect();
    let summaries = time_interleaved(runs, &mut tasks)?;
    sides
        .iter()
        .zip(builders)
        .zip(summaries)
        .map(|((side, builder), summary)| {
            Ok(DownstreamBuild {
                side: *side,
                summary,
                serde_json_features: serde_json_features(&builder.app)?,
                // The first build is the untimed warm-up.
                rounds: builder.builds.into_inner().split_off(1),
                crates: builder.crates.into_inner(),
            })
        })
        .collect()
}

/// Builds one side's crate for [`measure_downstream`].
struct DownstreamBuilder {
    app: PathBuf,
    /// Each build gets a target folder of its own; they go with the scratch
    /// folder, after the clock.
    next_target: Cell<usize>,
    /// Every build's time, as `time_interleaved` times it, warm-up first.
    builds: RefCell<Vec<Duration>>,
    crates: RefCell<Vec<String>>,
}

impl DownstreamBuilder {
    fn build(&self) -> anyhow::Result<()> {
        let target = self.app.join(format!("target-{}", self.next_target.get()));
        self.next_target.set(self.next_target.get() + 1);
        let started = Instant::now();
        let output = run(Command::new("cargo")
            .args(["build", "--offline"])
            .current_dir(&self.app)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_TERM_COLOR", "never"))?;
        self.builds.borrow_mut().push(started.elapsed());
        *self.crates.borrow_mut() = compiled_crates(&String::from_utf8_lossy(&output.stderr));
        Ok(())
    }
}

/// Clones `root` at the side's revision into `dir/repo` and writes the
/// downstream crate `dir/app` beside it, its dependencies fetched.
fn downstream_crate(root: &Path, side: &DownstreamSide, dir: &Path) -> anyhow::Result<()> {
    let clone = dir.join("repo");
    let revision = side.revision;
    clone_at(root, revision, &clone)?;
    let app = dir.join("app");
    fs::create_dir_all(app.join("src"))
        .with_context(|| format!("cannot create {}", app.display()))?;
    let (request, main) = match side.through {
        Through::Client => (
            format!(
                "posthog-api = {{ path = {:?} }}",
                clone.join("generated-client")
            ),
            DOWNSTREAM_MAIN,
        ),
        Through::BareReqwest => (
            "reqwest = { version = \"0.13\", default-features = false, \
             features = [\"rustls\", \"json\"] }\n\
             serde_json = \"1\""
                .to_owned(),
            BARE_REQWEST_MAIN,
        ),
    };
    let manifest = format!(
        "[package]\n\
         name = \"downstream\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [dependencies]\n\
         {request}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         {extra}\n\n\
         # Outside any workspace, whatever folder it sits in.\n\
         [workspace]\n",
        extra = side.extra,
    );
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    write(app.join("Cargo.toml"), &manifest)?;
    write(app.join("src/main.rs"), main)?;
    fs::copy(clone.join("Cargo.lock"), app.join("Cargo.lock"))
        .with_context(|| format!("cannot copy {revision}'s Cargo.lock"))?;
    run(Command::new("cargo")
        .args(["fetch", "--quiet"])
        .current_dir(&app))
    .map(drop)
}

/// The features of serde_json in the build of the crate at `app`, sorted.
fn serde_json_features(app: &Path) -> anyhow::Result<Vec<String>> {
    let output = run(Command::new("cargo")
        .args(["tree", "--offline", "-e", "features", "-i", "serde_json"])
        .current_dir(app))?;
    Ok(tree_features(
        &String::from_utf8_lossy(&output.stdout),
        "serde_json",
    ))
}

/// The `name feature "X"` entries of `cargo tree -e features` output.
fn tree_features(tree: &str, name: &str) -> Vec<String> {
    let marker = format!("{name} feature \"");
    let mut features: Vec<String> = tree
        .lines()
        .filter_map(|line| Some(line.split_once(&marker)?.1.split('"').next()?.to_owned()))
        .collect();
    features.sort();
    features.dedup();
    features
}

/// A revision as a folder name.
fn short(revision: &str) -> String {
    revision.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}

/// The commit a cold first `cargo xtask gen` is compared with, built in the
/// same run (the last before the generator's dependencies grew), and how
/// much slower HEAD may be.
pub(crate) const COLD_BASELINE: &str = "9e56bd7";
pub(crate) const COLD_SLOWDOWN_LIMIT: f64 = 1.2;
/// The `posthog-api` a downstream crate's cold build is compared with: the
/// last whose default TLS was rustls on *ring* (no post-quantum key
/// exchange; rustls has since deprecated that provider), so the table
/// shows what rustls' recommended provider costs. How many interleaved
/// rounds.
pub(crate) const DOWNSTREAM_BASELINE: &str = "b7c3c3e";
pub(crate) const DOWNSTREAM_RUNS: usize = 5;
/// HEAD's build at most this many times the same request through bare
/// reqwest with the same TLS: what the client itself adds.
pub(crate) const DOWNSTREAM_OVER_FLOOR_TARGET: f64 = 1.15;
/// The downstream builds measured: the baseline, HEAD, the floor (bare
/// reqwest at HEAD's versions), and HEAD with the lever left to the
/// downstream crate's author, the `idna` crate's own switch to ASCII-only
/// host names (no ICU4X; PostHog's hosts are ASCII).
pub(crate) const DOWNSTREAM_SIDES: [DownstreamSide; 4] = [
    DownstreamSide {
        revision: DOWNSTREAM_BASELINE,
        through: Through::Client,
        extra: "",
    },
    DownstreamSide {
        revision: "HEAD",
        through: Through::Client,
        extra: "",
    },
    DownstreamSide {
        revision: "HEAD",
        through: Through::BareReqwest,
        extra: "",
    },
    DownstreamSide {
        revision: "HEAD",
        through: Through::Client,
        extra: "idna_adapter = \"=1.0.0\"",
    },
];
pub(crate) fn report_cold(
    report: &mut String,
    head: anyhow::Result<ColdResult>,
    baseline: anyhow::Result<ColdResult>,
) {
    let _ = writeln!(
        report,
        "\n### Cold start\n\n\
         A fresh `git clone` with an empty target folder, then \
         `cargo run --package xtask -- gen` (what `cargo xtask gen` runs, without \
         `--quiet` so cargo names each crate it compiles), at HEAD and at the \
         baseline `{COLD_BASELINE}`, one after the other; crates come from the \
         local cargo cache, so no download time. One run each.\n\
         Reproduce: `cargo xtask bench --cold`.\n"
    );
    let Some(head) = measured(report, &head, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| command | wall | crates compiled |\n\
         | --- | ---: | ---: |\n\
         | `cargo xtask gen`, fresh clone of HEAD | {:.1} s | {} |",
        head.wall.as_secs_f64(),
        head.crates.len(),
    );
    if let Some(baseline) = measured(report, &baseline, "\nBaseline not measured") {
        let factor = head.wall.as_secs_f64() / baseline.wall.as_secs_f64();
        let _ = writeln!(
            report,
            "| `cargo xtask gen`, fresh clone of `{COLD_BASELINE}` | {:.1} s | {} |\n\n\
             Target HEAD at most {COLD_SLOWDOWN_LIMIT}× the baseline: {} ({factor:.2}×).",
            baseline.wall.as_secs_f64(),
            baseline.crates.len(),
            met(factor <= COLD_SLOWDOWN_LIMIT),
        );
    }
    let _ = writeln!(report, "\nCompiled at HEAD: {}.", head.crates.join(", "));
}

pub(crate) fn report_downstream(report: &mut String, builds: anyhow::Result<Vec<DownstreamBuild>>) {
    let _ = writeln!(
        report,
        "\n### Cold build of a downstream crate\n\n\
         A fresh crate outside the workspace (the README's first example: \
         `posthog-api` by path, with its default features, and tokio; or the \
         same request through bare reqwest with the client's features, its \
         default TLS and JSON, and serde_json), \
         `cargo build` (dev profile) into an empty target folder, against a \
         fresh clone of HEAD and of the baseline `{DOWNSTREAM_BASELINE}`; each \
         side starts from its clone's `Cargo.lock`, crates come from the local \
         cargo cache (`cargo fetch` first, `--offline` on the clock). One \
         untimed build each, then the sides interleaved, round by round.\n\
         Reproduce: `cargo xtask bench --downstream`.\n"
    );
    let Some(builds) = measured(report, &builds, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| versions of | request through | downstream crate adds | runs | median | min – max | crates compiled | serde_json features |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | --- |"
    );
    for build in builds {
        let _ = writeln!(
            report,
            "| `{}` | {} | {} | {} | {:.1} s | {:.1} s – {:.1} s | {} | {} |",
            build.side.revision,
            match build.side.through {
                Through::Client => "`posthog-api`",
                Through::BareReqwest => "bare reqwest",
            },
            if build.side.extra.is_empty() {
                "–".to_owned()
            } else {
                format!("`{}`", build.side.extra)
            },
            build.summary.runs,
            build.summary.median.as_secs_f64(),
            build.summary.min.as_secs_f64(),
            build.summary.max.as_secs_f64(),
            build.crates.len(),
            build.serde_json_features.join(", "),
        );
    }
    let [baseline, head, floor, levers @ ..] = builds.as_slice() else {
        return;
    };
    let median = |build: &DownstreamBuild| build.summary.median.as_secs_f64();
    let over_floor = median(head) / median(floor);
    let _ = writeln!(
        report,
        "\nTarget HEAD at most {DOWNSTREAM_OVER_FLOOR_TARGET}× bare reqwest with the same TLS: \
         {} ({over_floor:.2}× its median; per round {}).",
        met(over_floor <= DOWNSTREAM_OVER_FLOOR_TARGET),
        per_round(&head.rounds, &floor.rounds),
    );
    let _ = writeln!(
        report,
        "\nHEAD against the baseline: {:.2}× ({:+.1} s of the medians; per round {}).",
        median(head) / median(baseline),
        median(head) - median(baseline),
        per_round(&head.rounds, &baseline.rounds),
    );
    let only = |these: &[String], those: &[String]| {
        let only: Vec<&str> = these
            .iter()
            .filter(|name| !those.contains(name))
            .map(String::as_str)
            .collect();
        if only.is_empty() {
            "none".to_owned()
        } else {
            only.join(", ")
        }
    };
    let _ = writeln!(
        report,
        "\nCompiled only at `{}`: {}.\n\nCompiled only at `{}`: {}.\n\n\
         Compiled for HEAD's client, not for bare reqwest: {}.",
        baseline.side.revision,
        only(&baseline.crates, &head.crates),
        head.side.revision,
        only(&head.crates, &baseline.crates),
        only(&head.crates, &floor.crates),
    );
    for lever in levers {
        let _ = writeln!(
            report,
            "\nWith `{}` as well: {:.2}× bare reqwest, {:.2}× the baseline (per round {}); \
             not compiled then: {}.",
            lever.side.extra,
            median(lever) / median(floor),
            median(lever) / median(baseline),
            per_round(&lever.rounds, &baseline.rounds),
            only(&head.crates, &lever.crates),
        );
    }
}

/// `these / those` round by round, as `median 0.50× (0.40× – 0.60×)`: the
/// sides of a round shared the machine's load of the moment.
pub(crate) fn per_round(these: &[Duration], those: &[Duration]) -> String {
    let mut ratios: Vec<f64> = these
        .iter()
        .zip(those)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    match ratios.as_slice() {
        [] => "not measured".into(),
        [first, .., last] | [first @ last] => {
            let middle = ratios.len() / 2;
            let median = if ratios.len() % 2 == 1 {
                ratios[middle]
            } else {
                f64::midpoint(ratios[middle - 1], ratios[middle])
            };
            format!("median {median:.2}× ({first:.2}× – {last:.2}×)")
        }
    }
}
