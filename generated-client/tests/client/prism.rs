//! A Prism mock server serving `spec/openapi.yaml`, for the contract tests:
//! an implementation of the spec that nobody here wrote, which checks every
//! request against it. [`Prism::start`] runs `prism mock` on 127.0.0.1 on a
//! free port and waits until it answers HTTP; dropping the guard kills the
//! process by its id, also when the test panics. The binary comes from the
//! `PRISM_BIN` environment variable, which `cargo xtask ci` sets after
//! installing the pinned Prism into `tools/`.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::spec::SPEC_PATH;

/// The environment variable naming the `prism` binary.
pub(crate) const PRISM_BIN: &str = "PRISM_BIN";

/// How long Prism may take to start (it parses the spec first).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running Prism; killed when dropped.
pub(crate) struct Prism {
    child: Child,
    address: SocketAddr,
    log: tempfile::NamedTempFile,
}

impl Prism {
    /// Starts Prism and returns once it answers HTTP; panics, with Prism's
    /// output, if it exits or stays silent for [`STARTUP_TIMEOUT`].
    pub(crate) fn start() -> Self {
        let bin =
            prism_bin(std::env::var_os(PRISM_BIN)).unwrap_or_else(|message| panic!("{message}"));
        let address = free_local_address();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(&bin)
            .args(["mock", "--host", "127.0.0.1", "--port"])
            .arg(address.port().to_string())
            .arg(SPEC_PATH)
            .stdin(Stdio::null())
            // One open file for both streams, so neither overwrites the other.
            .stdout(log_handle(log.as_file()))
            .stderr(log_handle(log.as_file()))
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", bin.to_string_lossy()));
        // The guard exists before the wait, so a failed start is cleaned up too.
        let mut prism = Self {
            child,
            address,
            log,
        };
        prism.wait_until_it_answers();
        prism
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Where Prism listens.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }

    /// Everything Prism printed so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    fn wait_until_it_answers(&mut self) {
        let started = Instant::now();
        while !answers_http(self.address) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("Prism exited ({status}) before answering:\n{}", self.log());
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                panic!(
                    "Prism did not answer on {} within {STARTUP_TIMEOUT:?}:\n{}",
                    self.address,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // `Child::kill` signals exactly this process id; `wait` reaps it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Prism binary named by `PRISM_BIN`, or a message saying how to run
/// these tests.
pub(crate) fn prism_bin(from_env: Option<OsString>) -> Result<OsString, String> {
    from_env.filter(|bin| !bin.is_empty()).ok_or_else(|| {
        format!(
            "{PRISM_BIN} is not set: the contract tests need Prism. Run `cargo xtask ci`, \
             which installs it into tools/ and sets {PRISM_BIN}"
        )
    })
}

fn log_handle(file: &File) -> Stdio {
    Stdio::from(file.try_clone().unwrap())
}

/// A port nobody listens on right now.
fn free_local_address() -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap()
}

/// Whether an HTTP server answers a request on `address`.
fn answers_http(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let mut start = [0; 5];
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut start).is_ok()
        && &start == b"HTTP/"
}

#[test]
fn without_prism_bin_the_tests_say_how_to_run_them() {
    let message = prism_bin(None).unwrap_err();
    assert!(message.contains("PRISM_BIN is not set"), "{message}");
    assert!(message.contains("cargo xtask ci"), "{message}");
    assert_eq!(
        prism_bin(Some("/opt/prism".into())),
        Ok("/opt/prism".into())
    );
}

#[test]
#[ignore = "needs Prism: run cargo xtask ci"]
fn prism_is_stopped_when_a_test_panics() {
    let mut address = None;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let prism = Prism::start();
        address = Some(prism.address());
        panic!("a failing contract test");
    }));
    assert!(outcome.is_err());
    let address = address.expect("Prism started");
    assert!(
        TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err(),
        "Prism still listens on {address} after the test panicked"
    );
}
