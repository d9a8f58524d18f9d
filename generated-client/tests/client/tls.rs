//! HTTPS with the crate's TLS as built (by default rustls with its default
//! crypto provider, aws-lc-rs), against a TLS server on 127.0.0.1 whose
//! certificate is signed by a test CA (`tests/fixtures/tls/`, valid until
//! 2126). The client must trust what the system trusts and nothing else:
//! the CA is trusted only in a child process of this test binary started
//! with `SSL_CERT_FILE` naming it, which both rustls's platform verifier
//! and OpenSSL read on Linux. The server records the key exchanges the
//! client offers: the default must offer the post-quantum hybrid.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use posthog_api::{Client, Error, Host, RetryPolicy};
use rustls::NamedGroup;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use crate::{API_KEY, BEARER, PROJECT, project_path};

/// Set in the child process, which trusts the test CA.
const CHILD: &str = "POSTHOG_API_TLS_TEST_CHILD";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// What the TLS server saw of one connection.
#[derive(Debug)]
struct Seen {
    /// The key-exchange groups the client offered, in its order.
    offered_groups: Vec<NamedGroup>,
    /// The key-exchange group the handshake agreed on.
    agreed_group: Option<NamedGroup>,
    /// The ALPN protocol agreed on, when the client offered one.
    alpn: Option<Vec<u8>>,
    /// The request head, line by line.
    head: Vec<String>,
}

/// The server's one certificate, handed out after noting the groups each
/// client hello offers.
#[derive(Debug)]
struct RecordingResolver {
    key: Arc<CertifiedKey>,
    offered_groups: Mutex<Vec<NamedGroup>>,
}

impl ResolvesServerCert for RecordingResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        *self.offered_groups.lock().unwrap() = hello.named_groups().unwrap_or_default().to_vec();
        Some(self.key.clone())
    }
}

/// Serves one HTTPS connection on 127.0.0.1, answering its request with an
/// empty playlist page. Returns the base URL and what the server saw (it
/// sends nothing when the handshake fails).
fn serve_one_https_request() -> (String, mpsc::Receiver<Seen>) {
    let chain = CertificateDer::pem_file_iter(fixture("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).unwrap();
    // Every group aws-lc-rs has, so the server takes what the client prefers.
    let provider = Arc::new(CryptoProvider {
        kx_groups: rustls::crypto::aws_lc_rs::ALL_KX_GROUPS.to_vec(),
        ..rustls::crypto::aws_lc_rs::default_provider()
    });
    let resolver = Arc::new(RecordingResolver {
        key: Arc::new(CertifiedKey::from_der(chain, key, &provider).unwrap()),
        offered_groups: Mutex::default(),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(resolver.clone());
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let (sender, seen) = mpsc::channel();
    thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let connection = rustls::ServerConnection::new(config).unwrap();
        let mut tls = BufReader::new(rustls::StreamOwned::new(connection, tcp));
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            // A failed handshake surfaces here, as the first read's error.
            if tls.read_line(&mut line).is_err() || line.is_empty() {
                return;
            }
            if line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_owned());
        }
        let body = r#"{"count": 0, "next": null, "previous": null, "results": []}"#;
        let stream = tls.get_mut();
        let alpn = stream.conn.alpn_protocol().map(<[u8]>::to_vec);
        let agreed_group = stream
            .conn
            .negotiated_key_exchange_group()
            .map(|group| group.name());
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        stream.flush().unwrap();
        stream.conn.send_close_notify();
        let _ = stream.flush();
        let offered_groups = resolver.offered_groups.lock().unwrap().clone();
        let _ = sender.send(Seen {
            offered_groups,
            agreed_group,
            alpn,
            head,
        });
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    Client::builder(Host::self_hosted(url).unwrap(), API_KEY)
        // A refused certificate counts as "never reached PostHog", which
        // is retried; one attempt is the answer here.
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_works_with_the_default_tls_when_the_system_trusts_the_server() {
    if std::env::var_os(CHILD).is_none() {
        // The body runs in a child that trusts the test CA: the variable
        // is read when a client is built, and setting it here would reach
        // every test running in this process.
        let name = "tls::https_works_with_the_default_tls_when_the_system_trusts_the_server";
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .env("SSL_CERT_FILE", fixture("ca.pem"))
            .env_remove("SSL_CERT_DIR")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "the child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let (url, seen) = serve_one_https_request();
    let page = client(&url)
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.count, 0);
    let seen = seen.recv().unwrap();
    assert_eq!(
        seen.head[0],
        format!(
            "GET {} HTTP/1.1",
            project_path("session_recording_playlists/")
        )
    );
    assert!(
        seen.head
            .iter()
            .any(|line| line.eq_ignore_ascii_case(&format!("authorization: {BEARER}"))),
        "{:?}",
        seen.head
    );
    // The client offers HTTP/1.1 by ALPN, as reqwest does with its own TLS.
    assert_eq!(seen.alpn.as_deref(), Some(&b"http/1.1"[..]));
    // The post-quantum hybrid first, so a server that has it agrees on it;
    // the classical groups stay for servers that do not.
    assert_eq!(
        seen.offered_groups.first(),
        Some(&NamedGroup::X25519MLKEM768),
        "{:?}",
        seen.offered_groups
    );
    assert!(
        seen.offered_groups.contains(&NamedGroup::X25519),
        "{:?}",
        seen.offered_groups
    );
    assert_eq!(seen.agreed_group, Some(NamedGroup::X25519MLKEM768));
}

#[tokio::test]
async fn a_server_certificate_the_system_does_not_trust_is_refused() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let (url, seen) = serve_one_https_request();
    let error = client(&url)
        .session_recording_playlists_list()
        .project_id(PROJECT)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let message = format!("{error:?}").to_lowercase();
    assert!(message.contains("certificate"), "{message}");
    assert!(seen.recv().is_err(), "a request got through");
}
