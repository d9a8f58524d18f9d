//! The whole commands (`cargo xtask gen`, `gen --check`, `check-spec`) timed
//! on a scratch copy of the checkout.

use super::format::{as_ms, measured, met, target_time, this_command};
use super::scratch::{Scratch, run};
use super::stats::{Summary, millis, time_interleaved};
use crate::Workspace;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Timed runs of each whole command.
pub(crate) const COMMAND_RUNS: usize = 10;

/// A warm `cargo xtask gen`, in milliseconds.
pub(crate) const GEN_TARGET_MS: f64 = 300.0;
/// A warm `cargo xtask gen --check` takes at most this many times
/// `cargo xtask --help`, cargo's own floor for any xtask command.
pub(crate) const CHECK_OVER_FLOOR_TARGET: f64 = 1.3;
/// The whole-command timings.
#[derive(Debug)]
pub(crate) struct Commands {
    pub(crate) generate: Summary,
    pub(crate) check: Summary,
    /// `cargo xtask --help`: cargo's start and freshness check, the floor
    /// under every `cargo xtask` command.
    pub(crate) cargo_floor: Summary,
    /// This xtask binary's `gen`, without cargo in front.
    pub(crate) binary: Summary,
    /// `cargo xtask gen` after an edit of a spec comment: the freshness
    /// stamp misses, so it generates (and writes nothing new).
    pub(crate) generate_edited: Summary,
    /// `cargo xtask gen --check` after such an edit: generates and compares.
    pub(crate) check_edited: Summary,
}

/// Warm `cargo xtask gen` and `cargo xtask gen --check`, run by cargo as a
/// user types them, and the two parts of their time; then both again after
/// an edit of a spec comment, which misses xtask's freshness stamp, so they
/// generate. They work on copies of the spec and generated files (`--root`),
/// so the checkout is never written, even when another change to the spec
/// is in progress; the edited runs have a copy of their own, so their edits
/// never make the unedited runs generate.
pub(crate) fn whole_commands(workspace: &Workspace<'_>) -> anyhow::Result<Commands> {
    let root = workspace.root;
    let unchanged = copy_spec_and_generated(workspace, "gen")?;
    let edited = copy_spec_and_generated(workspace, "gen-edited")?;
    let cargo_xtask = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.arg("xtask").args(args).current_dir(root);
        run(&mut command).map(drop)
    };
    let unchanged_root = utf8(unchanged.path())?;
    let edited_root = utf8(edited.path())?;
    let edited_spec = edited.path().join(workspace.spec);
    let original_spec = fs::read_to_string(&edited_spec).context("cannot read the spec copy")?;
    let edits = std::cell::Cell::new(0_usize);
    // A new comment line each time: the spec's bytes change, its meaning
    // does not, so the generated files stay as they are.
    let edit_spec = || {
        edits.set(edits.get() + 1);
        fs::write(
            &edited_spec,
            format!("{original_spec}# bench edit {}\n", edits.get()),
        )
        .context("cannot edit the spec copy")
    };
    let exe = std::env::current_exe().context("cannot find xtask itself")?;
    // The untimed first run of each builds xtask if needed and brings the
    // copies up to date. Interleaved, because `--check` is judged against
    // `--help`: a load change mid-measurement must not fall on one of them.
    let summaries = time_interleaved(
        COMMAND_RUNS,
        &mut [
            &mut || cargo_xtask(&["gen", "--root", unchanged_root]),
            &mut || cargo_xtask(&["gen", "--check", "--root", unchanged_root]),
            &mut || cargo_xtask(&["--help"]),
            &mut || run(Command::new(&exe).args(["gen", "--root", unchanged_root])).map(drop),
            &mut || {
                edit_spec()?;
                cargo_xtask(&["gen", "--root", edited_root])
            },
            &mut || {
                edit_spec()?;
                cargo_xtask(&["gen", "--check", "--root", edited_root])
            },
        ],
    )?;
    // Struct fields are evaluated in the order written: the tasks' order.
    let mut summaries = summaries.into_iter();
    let mut next = || summaries.next().expect("one summary per command");
    Ok(Commands {
        generate: next(),
        check: next(),
        cargo_floor: next(),
        binary: next(),
        generate_edited: next(),
        check_edited: next(),
    })
}

/// A scratch folder holding a copy of the spec and the generated files.
pub(crate) fn copy_spec_and_generated(
    workspace: &Workspace<'_>,
    purpose: &str,
) -> anyhow::Result<Scratch> {
    let copy = Scratch::new(purpose)?;
    for file in std::iter::once(&workspace.spec).chain(workspace.generated) {
        let target = copy.path().join(file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        // A missing generated file is fine: the warm-up run writes it.
        let _ = fs::copy(workspace.root.join(file), &target);
    }
    Ok(copy)
}

pub(crate) fn utf8(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not UTF-8", path.display()))
}

pub(crate) fn report_commands(report: &mut String, commands: &anyhow::Result<Commands>) {
    let _ = writeln!(
        report,
        "\n### Whole command\n\n\
         Warm (xtask already built, generated files current), spawned as a user \
         types it, through cargo; on a copy of the spec and generated files \
         (`--root`); one untimed warm-up run each, then the rows' runs \
         interleaved. The first two rows find xtask's freshness stamp and do \
         not generate; the next two split `cargo xtask gen` into cargo's part \
         and xtask's part; the last two follow an edit of a spec comment, \
         which misses the stamp, so they generate.\n\
         Reproduce: `{}`, or by hand `time cargo xtask gen`.\n",
        this_command("bench"),
    );
    let Some(commands) = measured(report, commands, "Not measured") else {
        return;
    };
    let _ = writeln!(
        report,
        "| command | runs | median | min – max | target | met |\n\
         | --- | ---: | ---: | ---: | --- | --- |"
    );
    let rows = [
        ("`cargo xtask gen`", &commands.generate, Some(GEN_TARGET_MS)),
        ("`cargo xtask gen --check`", &commands.check, None),
        (
            "`cargo xtask --help` (cargo alone)",
            &commands.cargo_floor,
            None,
        ),
        (
            &format!(
                "`xtask gen`, this {} binary without cargo",
                crate::machine::short_profile()
            ),
            &commands.binary,
            None,
        ),
        (
            "`cargo xtask gen` after a spec edit (generates)",
            &commands.generate_edited,
            None,
        ),
        (
            "`cargo xtask gen --check` after a spec edit (generates)",
            &commands.check_edited,
            None,
        ),
    ];
    for (command, summary, target) in rows {
        let (target, met_it) = match target {
            Some(ms) => (
                format!("≤ {}", target_time(ms)),
                met(as_ms(summary.median) <= ms),
            ),
            None => ("–".into(), "–"),
        };
        let _ = writeln!(
            report,
            "| {command} | {} | {} | {} | {target} | {met_it} |",
            summary.runs,
            millis(summary.median),
            summary.spread()
        );
    }
    let factor = commands.check.median.as_secs_f64() / commands.cargo_floor.median.as_secs_f64();
    let _ = writeln!(
        report,
        "\nTarget warm `cargo xtask gen --check` ≤ {CHECK_OVER_FLOOR_TARGET}× \
         `cargo xtask --help`, same run: {} ({factor:.2}×).",
        met(factor <= CHECK_OVER_FLOOR_TARGET),
    );
}
