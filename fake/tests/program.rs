//! The `posthog-fake` program: it prints the settings a client needs, then
//! serves PostHog's API until it is stopped; bad options are usage errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The program, stopped when dropped.
struct Program(Child);

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the program and reads the `export NAME=value` lines it prints.
fn start(args: &[&str]) -> (Program, Vec<(String, String)>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_posthog-fake"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let program = Program(child);
    let mut exports = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("# serving") {
            break;
        }
        if let Some((name, value)) = line
            .strip_prefix("export ")
            .and_then(|pair| pair.split_once('='))
        {
            exports.push((name.to_owned(), value.to_owned()));
        }
    }
    (program, exports)
}

fn value<'a>(exports: &'a [(String, String)], name: &str) -> &'a str {
    exports
        .iter()
        .find(|(export, _)| export == name)
        .map_or_else(|| panic!("no {name} in {exports:?}"), |(_, value)| value)
}

/// The status line of `GET path` with `key`, over a plain TCP connection.
fn status_line(host: &str, path: &str, key: &str) -> String {
    status_line_of("GET", host, path, key)
}

/// The status line of `method path` (no body) with `key`.
fn status_line_of(method: &str, host: &str, path: &str, key: &str) -> String {
    let address = host.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn it_prints_host_and_key_and_serves_the_api() {
    let (_program, exports) = start(&["--project-id", "77"]);
    let host = value(&exports, "POSTHOG_HOST");
    let key = value(&exports, "POSTHOG_PERSONAL_API_KEY");
    assert!(host.starts_with("http://127.0.0.1:"), "{host}");
    assert_eq!(
        status_line(
            host,
            "/api/environments/77/session_recording_playlists/",
            key
        ),
        "HTTP/1.1 200 OK"
    );
    assert!(
        status_line(
            host,
            "/api/environments/4242/session_recording_playlists/",
            key
        )
        .starts_with("HTTP/1.1 404"),
        "only the project it was told to serve"
    );
}

#[test]
fn an_empty_scopes_list_makes_a_legacy_key_that_passes_where_scoped_keys_do_not() {
    // `check_auth_for_async` declares no scope: refused to a scoped key only.
    let path = "/api/projects/4242/query/check_auth_for_async/";
    for (args, expected) in [
        (&["--scopes", ""][..], "HTTP/1.1 200 OK"),
        (&[][..], "HTTP/1.1 403 Forbidden"),
        (&["--scopes", "*"][..], "HTTP/1.1 403 Forbidden"),
    ] {
        let (_program, exports) = start(args);
        let (host, key) = (
            value(&exports, "POSTHOG_HOST"),
            value(&exports, "POSTHOG_PERSONAL_API_KEY"),
        );
        assert_eq!(
            status_line_of("POST", host, path, key),
            expected,
            "{args:?}"
        );
    }
}

#[test]
fn it_listens_on_the_port_it_is_given() {
    // A port the OS just handed out, free again once its listener is gone.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_program, exports) = start(&["--port", &port.to_string()]);
    assert_eq!(
        value(&exports, "POSTHOG_HOST"),
        format!("http://127.0.0.1:{port}")
    );
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [&["--port", "http"][..], &["--port"], &["--verbose"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_posthog-fake"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(args[0]),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("Usage: posthog-fake"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// The fake writes its answers from PostHog's serializers, never from the
/// client's types: built from them, it could only agree with the spec.
#[test]
fn the_fake_does_not_depend_on_the_client() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let dependencies: Vec<&str> = manifest
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .filter(|line| line.starts_with("posthog-api") || line.starts_with("codegen"))
        .collect();
    assert!(dependencies.is_empty(), "{dependencies:?}");
}
