//! Checks over the checkout's own text, as rust-analyzer's `tidy.rs` keeps
//! its docs and code honest: nothing names a place that exists on one
//! machine only, every link in the Markdown resolves, every install line
//! pins what it says, and the lockfile stays within the MSRV.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace_root;

/// This file, relative to the checkout.
const THIS_FILE: &str = "xtask/tests/xtask/tidy.rs";

/// Folders of the checkout that are not its own text.
const NOT_OURS: [&str; 3] = ["target", ".git", "node_modules"];

/// Every file of the checkout, relative to its root, sorted.
fn checkout_files() -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            // `.git` is a file in a worktree, a folder elsewhere.
            if NOT_OURS.contains(&name.as_ref()) {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                files.push(path.strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    let root = workspace_root();
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    files
}

/// Folders that exist on the machine a file was written on and, as far as
/// anyone can know, nowhere else: a test or script that writes there passes
/// on that machine and fails on CI's.
const MACHINE_ROOTS: [&str; 7] = [
    "/tmp", "/var/tmp", "/home", "/root", "/work", "/Users", "/mnt",
];

/// The absolute paths below [`MACHINE_ROOTS`] that `line` spells out, as a
/// string literal or a shell word (after a quote, a space, `=`, `>`, `(` or
/// `:`), and not as part of a longer name (`/tmpfs`) or a URL's path. A
/// root alone (`find /tmp`) names the folder, not a place in it.
fn machine_paths(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for root in MACHINE_ROOTS {
        for (at, _) in line.match_indices(root) {
            let before = line[..at].chars().next_back();
            let starts_a_word = before.is_none_or(|c| {
                c.is_whitespace() || matches!(c, '"' | '\'' | '=' | '>' | '(' | ':')
            });
            let rest = &line[at + root.len()..];
            let goes_below = rest.starts_with('/');
            if starts_a_word && goes_below {
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '`'))
                    .unwrap_or(rest.len());
                found.push(&line[at..at + root.len() + end]);
            }
        }
    }
    found
}

#[test]
fn machine_paths_are_found_in_code_and_scripts_and_nothing_else_is() {
    let cases: [(&str, &[&str]); 11] = [
        // The write that made the workspace's tests pass on one machine only.
        (
            r#"        format!("/tmp/shapes/{}.rs", file.replace("/", "_")),"#,
            &["/tmp/shapes/{}.rs"],
        ),
        (r#"let dir = Path::new("/root/.cache");"#, &["/root/.cache"]),
        (r#"fs::write("/tmp/", b"")"#, &["/tmp/"]),
        ("find /tmp -newer \"$since\"", &[]),
        ("out=/work/main/target/x", &["/work/main/target/x"]),
        (
            "generate -o /tmp/out > /var/tmp/log",
            &["/tmp/out", "/var/tmp/log"],
        ),
        // URL paths, relative paths, other roots and longer names are not.
        (r#"format!("/api/projects/{project}/home/")"#, &[]),
        ("https://example.com/tmp/x and tmp/x", &[]),
        (r#"let dir = tempfile::tempdir()?; // not "/tmpfs""#, &[]),
        ("#!/usr/bin/env bash; exec 2>/dev/null", &[]),
        (r#"std::env::temp_dir().join("x")"#, &[]),
    ];
    for (line, expected) in cases {
        assert_eq!(machine_paths(line), expected, "{line}");
    }
}

/// No test, bench, script or command of the checkout names a folder that
/// only its author's machine has; each makes its own temporary directory
/// (`tempfile`, `mktemp -d`). Markdown is prose for people, who adapt it.
#[test]
fn no_code_or_script_names_a_path_of_one_machine() {
    let root = workspace_root();
    let mut found = Vec::new();
    for file in checkout_files() {
        // This file's cases are examples of what it refuses.
        if file.extension().is_some_and(|ext| ext == "md") || file == Path::new(THIS_FILE) {
            continue;
        }
        let Ok(text) = fs::read_to_string(root.join(&file)) else {
            continue; // not text
        };
        for (number, line) in text.lines().enumerate() {
            for path in machine_paths(line) {
                found.push(format!("{}:{}: {path}", file.display(), number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "paths that exist on one machine only (make a temporary directory instead: \
         `tempfile::tempdir()`, `mktemp -d`):\n{}",
        found.join("\n")
    );
}

/// The crates of this workspace on crates.io (and so on docs.rs). A link
/// to the page of one not listed is a link to nothing.
const PUBLISHED: [&str; 0] = [];

/// The workspace's crates people would look for on crates.io.
const OURS: [&str; 3] = ["posthog-api", "posthog-fake", "posthog-cli"];

/// Links to a file of this repository on GitHub, as a page that is not in
/// the repository (a crate's README on crates.io and docs.rs) must give
/// them; the rest of the link is a path in the checkout.
const THIS_REPOSITORY_FILES: [&str; 2] = [
    "https://github.com/posthog-rs/posthog-api/blob/main/",
    "https://github.com/posthog-rs/posthog-api/tree/main/",
];

/// A Markdown file's link targets with their line numbers: inline links
/// `[text](target)` and reference definitions `[label]: target`, outside
/// fenced code blocks.
fn links(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut fenced = false;
    for (number, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[')
            && let Some(close) = trimmed.find("]: ")
        {
            let target = trimmed[close + 3..].split_whitespace().next().unwrap_or("");
            found.push((number + 1, target.to_owned()));
            continue;
        }
        for (at, _) in line.match_indices("](") {
            let rest = &line[at + 2..];
            let end = rest
                .find(|c: char| c == ')' || c.is_whitespace())
                .unwrap_or(rest.len());
            found.push((number + 1, rest[..end].to_owned()));
        }
    }
    found
}

/// The anchors GitHub gives the headings of a Markdown file: lower case,
/// punctuation but `-` and `_` dropped, spaces as `-`, a repeated one
/// suffixed `-1`, `-2`, ….
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#').trim();
        let slug: String = heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut unique = slug.clone();
        let mut n = 0;
        while found.contains(&unique) {
            n += 1;
            unique = format!("{slug}-{n}");
        }
        found.insert(unique);
    }
    found
}

/// What is wrong with the link `target` in the Markdown file `file`, if
/// anything: a file or heading of the checkout that does not exist, or a
/// crates.io or docs.rs page of one of our crates that is not published.
fn broken(root: &Path, file: &Path, target: &str) -> Option<String> {
    if let Some(page) = target
        .strip_prefix("https://docs.rs/")
        .or_else(|| target.strip_prefix("https://crates.io/crates/"))
    {
        let name = page.split(['/', '#']).next().unwrap_or(page);
        return (OURS.contains(&name) && !PUBLISHED.contains(&name)).then(|| {
            format!("{name} is not on crates.io yet: link its README in the repository instead")
        });
    }
    let (in_repository, rest) = match THIS_REPOSITORY_FILES
        .iter()
        .find_map(|prefix| target.strip_prefix(prefix))
    {
        Some(rest) => (true, rest),
        None if target.contains("://") || target.starts_with("mailto:") || target.is_empty() => {
            return None;
        }
        None => (false, target),
    };
    let (path, anchor) = rest.split_once('#').unwrap_or((rest, ""));
    let linked = if in_repository {
        root.join(path)
    } else if path.is_empty() {
        root.join(file)
    } else {
        root.join(file).parent().unwrap().join(path)
    };
    if !linked.exists() {
        return Some(format!("`{path}` does not exist"));
    }
    if !anchor.is_empty() && linked.extension().is_some_and(|ext| ext == "md") {
        let text = fs::read_to_string(&linked).unwrap();
        if !anchors(&text).contains(anchor) {
            return Some(format!(
                "`{}` has no heading `#{anchor}`",
                linked.strip_prefix(root).unwrap_or(&linked).display()
            ));
        }
    }
    None
}

#[test]
fn links_heading_anchors_and_crate_pages_are_checked_as_github_renders_them() {
    let markdown = "# Set-up: two commands\n## `cargo xtask ci`\n## Notes\n## Notes\n\
                    ```sh\n# not a heading\n```\n";
    let found = anchors(markdown);
    let expected = ["set-up-two-commands", "cargo-xtask-ci", "notes", "notes-1"];
    assert_eq!(found, expected.iter().map(|s| s.to_string()).collect());

    let text = "See [the fake](fake/README.md), [CI](#ci) and [x][ref].\n\
                ```toml\n[deps](not/a/link)\n```\n[ref]: https://docs.rs/posthog-fake\n";
    assert_eq!(
        links(text),
        [
            (1, "fake/README.md".to_owned()),
            (1, "#ci".to_owned()),
            (5, "https://docs.rs/posthog-fake".to_owned())
        ]
    );

    let root = workspace_root();
    let readme = Path::new("README.md");
    assert_eq!(broken(&root, readme, "fake/README.md"), None);
    assert!(broken(&root, readme, "fake/NOPE.md").is_some());
    assert!(broken(&root, readme, "#no-such-heading").is_some());
    assert!(broken(&root, readme, "https://docs.rs/posthog-fake").is_some());
    let on_github = "https://github.com/posthog-rs/posthog-api/blob/main/fake/README.md";
    assert_eq!(broken(&root, readme, on_github), None);
    assert!(broken(&root, readme, &on_github.replace("README", "NOPE")).is_some());
    assert!(broken(&root, readme, &format!("{on_github}#no-such-heading")).is_some());
    assert_eq!(broken(&root, readme, "https://docs.rs/tracing"), None);
}

/// Every link in the checkout's Markdown (the READMEs are also rustdoc
/// front pages) leads somewhere: a file or heading that exists, and no
/// crates.io or docs.rs page of a crate of ours that is not published.
#[test]
fn every_link_in_the_markdown_resolves() {
    let root = workspace_root();
    let mut wrong = Vec::new();
    for file in checkout_files() {
        if file.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = fs::read_to_string(root.join(&file)).unwrap();
        for (line, target) in links(&text) {
            if let Some(why) = broken(&root, &file, &target) {
                wrong.push(format!("{}:{line}: ({target}): {why}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "links that lead nowhere:\n{}",
        wrong.join("\n")
    );
}

/// A `rust-version` as numbers, `1.88` being `1.88.0`.
fn rust_version(text: &str) -> Vec<u32> {
    let mut parts: Vec<u32> = text.split('.').map(|part| part.parse().unwrap()).collect();
    parts.resize(3, 0);
    parts
}

/// The workspace's MSRV holds for what it depends on: every package in
/// Cargo.lock that the host builds (the crates.io ones and ours) declares a
/// `rust-version` no newer than the workspace's, or none. Cargo's resolver
/// keeps the lockfile so (`resolver = "3"`); this fails if an update forces
/// a newer one, and clippy's `incompatible_msrv` does the same for the
/// standard library inside our own code.
#[test]
fn every_locked_dependency_builds_with_our_msrv() {
    let root = workspace_root();
    let host = Command::new("rustc").arg("-vV").output().unwrap();
    let host = String::from_utf8(host.stdout).unwrap();
    let host = host
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned();
    let output = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
            &host,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let ours = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("the workspace declares rust-version")
        .trim_matches('"');
    let resolved: BTreeSet<&str> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["id"].as_str().unwrap())
        .collect();
    let newer: Vec<String> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|package| resolved.contains(package["id"].as_str().unwrap()))
        .filter_map(|package| {
            let needs = package["rust_version"].as_str()?;
            (rust_version(needs) > rust_version(ours)).then(|| {
                format!(
                    "{} {} needs Rust {needs}",
                    package["name"], package["version"]
                )
            })
        })
        .collect();
    assert!(
        newer.is_empty(),
        "dependencies newer than the workspace's rust-version {ours} (hold them back with \
         `cargo update -p NAME --precise VERSION`, or raise rust-version and say so in the \
         CHANGELOG):\n{}",
        newer.join("\n")
    );
}

/// The repository the install lines name.
const REPOSITORY: &str = "https://github.com/posthog-rs/posthog-api";

/// Each install line of a README for one of [`OURS`] (a TOML dependency,
/// `cargo add`, `cargo install`): the crate, and the revision it pins when
/// it pins one.
fn install_lines(markdown: &str) -> Vec<(usize, &'static str, Option<String>)> {
    let mut found = Vec::new();
    for (number, line) in markdown.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let toml = OURS
            .iter()
            .find(|name| line.trim_start().starts_with(&format!("{name} =")));
        let command = (line.contains("cargo add") || line.contains("cargo install"))
            .then(|| {
                OURS.iter()
                    .find(|name| words.iter().any(|word| word.starts_with(**name)))
            })
            .flatten();
        let Some(name) = toml.or(command) else {
            continue;
        };
        let rev = if toml.is_some() {
            line.split_once("rev = \"").map(|(_, rest)| rest)
        } else {
            words
                .iter()
                .position(|word| *word == "--rev")
                .and_then(|at| words.get(at + 1).copied())
        };
        // The revision ends where its word does (`…0612`),` in prose).
        let rev = rev.map(|rev| {
            rev.split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
                .to_owned()
        });
        found.push((number + 1, *name, rev));
    }
    found
}

/// What is wrong with an install line for `name` pinning `rev`: not pinned
/// to a commit of this repository whose published crates have today's
/// versions, or a crates.io line for a crate not published.
fn wrong_install(
    root: &Path,
    line: &str,
    name: &str,
    rev: Option<&str>,
    versions: &[(String, String)],
) -> Option<String> {
    let after_publishing = line.contains("Once") || line.contains("once");
    if PUBLISHED.contains(&name) || after_publishing {
        return None;
    }
    let Some(rev) = rev else {
        return Some(format!(
            "{name} is not on crates.io yet: depend on {REPOSITORY} by git, pinned with `rev`"
        ));
    };
    if !line.contains(REPOSITORY) {
        return Some(format!(
            "a git line for {name} names another repository than {REPOSITORY}"
        ));
    }
    if rev.len() != 40 || !rev.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(format!("`{rev}` is not a full commit hash"));
    }
    for (manifest, version) in versions {
        let show = Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{rev}:{manifest}")])
            .output()
            .unwrap();
        if !show.status.success() {
            return Some(format!(
                "{rev} has no {manifest} in this repository's history (a shallow clone? \
                 CI clones whole): {}",
                String::from_utf8_lossy(&show.stderr).trim()
            ));
        }
        let pinned = String::from_utf8_lossy(&show.stdout);
        if !pinned
            .lines()
            .any(|line| line == format!("version = \"{version}\""))
        {
            return Some(format!(
                "{rev} has another version in {manifest} than today's {version}: \
                 pin the commit that released it"
            ));
        }
    }
    None
}

/// The install lines in every README are true today: a crate not on
/// crates.io is installed from this repository by git, pinned to a commit
/// whose published crates have the versions they have now (so the README
/// describes what that line installs), and the crates.io line is marked
/// as the one for later.
#[test]
fn install_lines_pin_a_commit_that_has_todays_versions() {
    let root = workspace_root();
    let versions: Vec<(String, String)> = ["generated-client", "fake", "cli"]
        .iter()
        .map(|dir| {
            let manifest = format!("{dir}/Cargo.toml");
            let text = fs::read_to_string(root.join(&manifest)).unwrap();
            let version = text
                .lines()
                .find_map(|line| line.strip_prefix("version = \""))
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap()
                .to_owned();
            (manifest, version)
        })
        .collect();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for file in checkout_files() {
        if file.file_name().is_none_or(|name| name != "README.md") {
            continue;
        }
        let text = fs::read_to_string(root.join(&file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (number, name, rev) in install_lines(&text) {
            seen += 1;
            let line = lines[number - 1];
            if let Some(why) = wrong_install(&root, line, name, rev.as_deref(), &versions) {
                wrong.push(format!("{}:{number}: {why}\n    {line}", file.display()));
            }
        }
    }
    assert!(
        seen >= 4,
        "found only {seen} install lines; has the README format changed?"
    );
    assert!(
        wrong.is_empty(),
        "install lines that are not true:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn install_lines_are_found_with_what_they_pin() {
    let rev = "0123456789abcdef0123456789abcdef01234567";
    let text = format!(
        "posthog-api = {{ git = \"{REPOSITORY}\", rev = \"{rev}\" }}\n\
         posthog-api = \"0.3\"\n\
         cargo install --locked --git {REPOSITORY} --rev {rev} posthog-cli\n\
         Once it is published: `cargo add --dev posthog-fake`.\n\
         reqwest = \"0.13\"\n"
    );
    assert_eq!(
        install_lines(&text),
        [
            (1, "posthog-api", Some(rev.to_owned())),
            (2, "posthog-api", None),
            (3, "posthog-cli", Some(rev.to_owned())),
            (4, "posthog-fake", None),
        ]
    );
    let root = workspace_root();
    let lines: Vec<&str> = text.lines().collect();
    let wrong =
        |at: usize, rev: Option<&str>| wrong_install(&root, lines[at], "posthog-api", rev, &[]);
    assert!(wrong(1, None).unwrap().contains("not on crates.io yet"));
    assert_eq!(wrong(3, None), None, "a line for after publishing");
    assert!(
        wrong(0, Some("0123abc"))
            .unwrap()
            .contains("full commit hash")
    );
}

/// The documents whose citations of tests must stay true (not the
/// CHANGELOG, which names what was), and whether a citation there must
/// name its module: the READMEs also cite PostHog's functions
/// (`_filter_synthetic_playlists`), which a test citation's module sets
/// apart; every snake_case name of four words in ARCHITECTURE.md is a test.
const CITING_DOCUMENTS: [(&str, bool); 5] = [
    ("ARCHITECTURE.md", false),
    ("README.md", true),
    ("generated-client/README.md", true),
    ("fake/README.md", true),
    ("cli/README.md", true),
];

/// The tests a Markdown text cites, with their line numbers: a code span
/// holding a snake_case path whose last name has four words or more
/// (`transient::no_span_or_event_carries_the_api_key`). Shorter names are
/// functions of the code (`http_client_builder`), not tests.
fn cited_tests(markdown: &str) -> Vec<(usize, &str)> {
    let mut cited = Vec::new();
    for (number, line) in markdown.lines().enumerate() {
        for (index, span) in line.split('`').enumerate() {
            let in_code = index % 2 == 1;
            let path_like = !span.is_empty()
                && span
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':');
            let name = span.rsplit("::").next().unwrap_or(span);
            if in_code && path_like && name.split('_').count() >= 4 {
                cited.push((number + 1, span));
            }
        }
    }
    cited
}

/// Where `citation` is defined as a test: a file with `fn NAME(` under a
/// test attribute, whose path holds each module the citation names
/// (`transient::…` in `tests/client/transient.rs`; `tests` is the inline
/// module). `None` when no such test exists.
fn test_defined<'a>(sources: &'a [(PathBuf, String)], citation: &str) -> Option<&'a Path> {
    let mut segments: Vec<&str> = citation.split("::").collect();
    let name = segments.pop()?;
    let signature = format!("fn {name}(");
    let in_path = |path: &Path| {
        segments
            .iter()
            .filter(|module| **module != "tests")
            .all(|module| {
                path.iter().any(|part| {
                    let part = part.to_string_lossy();
                    part == *module || part.strip_suffix(".rs") == Some(*module)
                })
            })
    };
    let defines_test = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines.iter().enumerate().any(|(at, line)| {
            let line = line.trim_start();
            (line.starts_with("fn ") || line.starts_with("async fn "))
                && line.contains(&signature)
                && lines[at.saturating_sub(3)..at].iter().any(|above| {
                    let above = above.trim_start();
                    above.starts_with("#[") && above.contains("test")
                })
        })
    };
    sources
        .iter()
        .find(|(path, text)| in_path(path) && defines_test(text))
        .map(|(path, _)| path.as_path())
}

#[test]
fn citations_of_tests_are_found_where_a_test_is() {
    let markdown = "Kept (`transient::no_key_is_ever_logged_anywhere`), \
                    a helper (`http_client_builder`), a type (`Error::Api`), \
                    inline (`call::tests::what_is_retried_is_this`).";
    let cited: Vec<&str> = cited_tests(markdown).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        cited,
        [
            "transient::no_key_is_ever_logged_anywhere",
            "call::tests::what_is_retried_is_this"
        ]
    );
    let test = "#[tokio::test]\nasync fn no_key_is_ever_logged_anywhere() {}\n";
    let helper = "fn what_is_retried_is_this() {}\n";
    let sources = vec![
        (
            PathBuf::from("c/tests/client/transient.rs"),
            test.to_owned(),
        ),
        (PathBuf::from("c/src/call.rs"), helper.to_owned()),
        (
            PathBuf::from("c/tests/client/other.rs"),
            test.replace("no_key", "a_key"),
        ),
    ];
    assert_eq!(
        test_defined(&sources, "transient::no_key_is_ever_logged_anywhere"),
        Some(Path::new("c/tests/client/transient.rs"))
    );
    assert_eq!(
        test_defined(&sources, "other::no_key_is_ever_logged_anywhere"),
        None,
        "the module must be the file's"
    );
    assert_eq!(
        test_defined(&sources, "call::tests::what_is_retried_is_this"),
        None,
        "a function without a test attribute is no test"
    );
}

/// Every test that ARCHITECTURE.md (each invariant names the test that
/// keeps it) and the READMEs cite exists, as a test, in the module named.
#[test]
fn every_test_the_docs_cite_exists() {
    let root = workspace_root();
    let sources: Vec<(PathBuf, String)> = checkout_files()
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
        .map(|file| {
            let text = fs::read_to_string(root.join(&file)).unwrap();
            (file, text)
        })
        .collect();
    let mut missing = Vec::new();
    let mut seen = 0;
    for (document, qualified_only) in CITING_DOCUMENTS {
        let text = fs::read_to_string(root.join(document)).unwrap();
        for (line, citation) in cited_tests(&text) {
            if qualified_only && !citation.contains("::") {
                continue;
            }
            seen += 1;
            if test_defined(&sources, citation).is_none() {
                missing.push(format!("{document}:{line}: `{citation}`"));
            }
        }
    }
    assert!(
        seen >= 30,
        "found only {seen} cited tests; has the citation format changed?"
    );
    assert!(
        missing.is_empty(),
        "the docs cite tests that do not exist (renamed or removed?): \
         name the test that now keeps the rule:\n{}",
        missing.join("\n")
    );
}

/// The phrases ARCHITECTURE.md's glossary says are not said: each
/// “quoted” phrase of its "Not said" paragraph.
fn phrases_not_said(architecture: &str) -> Vec<String> {
    let Some(start) = architecture.find("\nNot said,") else {
        return Vec::new();
    };
    let paragraph = architecture[start + 1..]
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .replace('\n', " ");
    paragraph
        .split('“')
        .skip(1)
        .filter_map(|quoted| quoted.split_once('”'))
        .map(|(phrase, _)| phrase.to_lowercase())
        .collect()
}

/// Where `text` says one of `phrases`, as `line: phrase`, ignoring case
/// and line breaks inside the phrase.
fn saying(text: &str, phrases: &[String]) -> Vec<(usize, String)> {
    let words: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .flat_map(|(index, line)| {
            line.split_whitespace()
                .map(move |word| (index + 1, word.to_lowercase()))
        })
        .collect();
    let mut found = Vec::new();
    for phrase in phrases {
        let wanted: Vec<&str> = phrase.split_whitespace().collect();
        for window in words.windows(wanted.len()) {
            let matches = window.iter().zip(&wanted).all(|((_, word), want)| {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
                word == *want || word.strip_suffix('s') == Some(want)
            });
            if matches {
                found.push((window[0].0, phrase.clone()));
            }
        }
    }
    found
}

#[test]
fn phrases_not_said_are_found_across_lines_and_in_plural() {
    let architecture =
        "## Glossary\n\nNot said, because: “retry rules”,\n“Django\nmodels”.\n\n## Next\n“other”\n";
    let phrases = phrases_not_said(architecture);
    assert_eq!(phrases, ["retry rules", "django models"]);
    let text = "the retry\nrules say\nDjango models, a Django model, retrying rules\n";
    assert_eq!(
        saying(text, &phrases),
        [
            (1, "retry rules".to_owned()),
            (3, "django models".to_owned())
        ]
    );
}

#[test]
fn no_doc_or_code_gives_a_glossary_word_another_meaning() {
    let root = workspace_root();
    let architecture = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let phrases = phrases_not_said(&architecture);
    assert!(
        phrases.len() >= 5,
        "ARCHITECTURE.md's glossary lists {phrases:?} as not said; has its format changed?"
    );
    let mut found = Vec::new();
    for file in checkout_files() {
        if file == Path::new(THIS_FILE) || file == Path::new("ARCHITECTURE.md") {
            continue;
        }
        let Ok(text) = fs::read_to_string(root.join(&file)) else {
            continue;
        };
        for (line, phrase) in saying(&text, &phrases) {
            found.push(format!("{}:{line}: “{phrase}”", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "these give a glossary word (ARCHITECTURE.md) another meaning; say it with the glossary's word:\n{}",
        found.join("\n")
    );
}
