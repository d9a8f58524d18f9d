//! The smallest HTTP/1.1 server a test needs: it listens on 127.0.0.1, runs
//! one thread per connection, reads one request (head and a
//! `Content-Length` body), hands it to a handler and writes its answer with
//! `connection: close` — or, told to, fails as real servers do: closes the
//! connection unanswered, cuts the body short, or never answers. Plain `std` threads, so it runs the same under any
//! async runtime, or none (a test that blocks on a child process included),
//! and adds nothing to compile.
//!
//! The fake PostHog is built on it, and so is `posthog-api`'s scripted test
//! server (a script of answers in order, silence included).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Longest request head accepted; a longer one is answered 431.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Longest request body accepted; a longer one is answered 413.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How long a connection may stay silent before the server drops it.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query, e.g. `/api/environments/1/query/draft_sql/?prompt=x`.
    pub target: String,
    /// Header names in lowercase, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body, empty when none was sent.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The target's query string (after `?`), empty when there is none.
    pub fn raw_query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }

    /// The query's `name=value` pairs, form-decoded (`+` and `%XX`).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        parse_query(self.raw_query())
    }

    /// The body as text (lossily decoded).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// An answer to write back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code, e.g. 200.
    pub status: u16,
    /// Extra headers; `content-length` and `connection` are added.
    pub headers: Vec<(String, String)>,
    /// The body, possibly empty.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// An answer with no body and no content type.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the server does with a request, beyond answering it: the ways a
/// real server (or what stands in front of it) fails to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Write this answer.
    Answer(Response),
    /// Write the head and half the body the `content-length` promises, then
    /// close the connection.
    Truncated(Response),
    /// Close the connection without answering.
    Close,
    /// Keep the connection open and never answer, until the server stops.
    Silence,
}

/// What a handler makes of a request.
pub type Handler = dyn Fn(Request) -> Reply + Send + Sync;

/// A running loopback server; it stops when dropped.
pub struct LoopbackServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    /// Connections a handler chose not to answer, held open until the stop.
    unanswered: Arc<Mutex<Vec<TcpStream>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for LoopbackServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackServer")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl LoopbackServer {
    /// Listens on a free port of 127.0.0.1 and answers each request with
    /// `handler`. A handler that returns `None` leaves that connection
    /// open and unanswered until the server stops (for timeout tests).
    pub fn start(
        handler: impl Fn(Request) -> Option<Response> + Send + Sync + 'static,
    ) -> io::Result<Self> {
        Self::start_replying(move |request| handler(request).map_or(Reply::Silence, Reply::Answer))
    }

    /// [`start`](Self::start), with a handler that may also fail to answer
    /// ([`Reply`]).
    pub fn start_replying(
        handler: impl Fn(Request) -> Reply + Send + Sync + 'static,
    ) -> io::Result<Self> {
        Self::start_replying_on(0, handler)
    }

    /// [`start_replying`](Self::start_replying) on `port` of 127.0.0.1 (0:
    /// a free one).
    pub fn start_replying_on(
        port: u16,
        handler: impl Fn(Request) -> Reply + Send + Sync + 'static,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let unanswered = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let acceptor = {
            let stopping = Arc::clone(&stopping);
            let unanswered = Arc::clone(&unanswered);
            std::thread::Builder::new()
                .name(format!("loopback-{address}"))
                .spawn(move || accept_loop(&listener, &stopping, &unanswered, &handler))?
        };
        Ok(Self {
            address,
            stopping,
            unanswered,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking `accept` so the loop sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for stream in lock(&self.unanswered).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    stopping: &AtomicBool,
    unanswered: &Arc<Mutex<Vec<TcpStream>>>,
    handler: &Arc<Handler>,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let handler = Arc::clone(handler);
        let unanswered = Arc::clone(unanswered);
        let _ = std::thread::Builder::new()
            .name("loopback-connection".into())
            .spawn(move || serve(stream, handler.as_ref(), &unanswered));
    }
}

/// Reads one request from `stream` and writes the handler's answer.
fn serve(stream: TcpStream, handler: &Handler, unanswered: &Mutex<Vec<TcpStream>>) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let reply = match read_request(&stream) {
        Ok(Some(request)) => handler(request),
        Ok(None) => return,
        Err(status) => Reply::Answer(Response::empty(status)),
    };
    let mut stream = stream;
    match reply {
        Reply::Answer(response) => {
            let _ = write_response(&mut stream, &response, response.body.len());
            let _ = stream.shutdown(Shutdown::Write);
        }
        Reply::Truncated(response) => {
            let _ = write_response(&mut stream, &response, response.body.len() / 2);
            let _ = stream.shutdown(Shutdown::Both);
        }
        Reply::Close => {
            let _ = stream.shutdown(Shutdown::Both);
        }
        Reply::Silence => lock(unanswered).push(stream),
    }
}

/// `Ok(None)` when the client closed the connection without a request;
/// `Err(status)` for a request the server refuses to read.
fn read_request(stream: &TcpStream) -> Result<Option<Request>, u16> {
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let read = reader.read_until(b'\n', &mut head).map_err(|_| 400u16)?;
        if read == 0 {
            return if head.is_empty() { Ok(None) } else { Err(400) };
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(431);
        }
        if &head[before..] == b"\r\n" || &head[before..] == b"\n" {
            break;
        }
    }
    let head = String::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target)) = (request_line.next(), request_line.next()) else {
        return Err(400);
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = match headers.iter().find(|(name, _)| name == "content-length") {
        Some((_, value)) => value.parse::<usize>().map_err(|_| 400u16)?,
        None if headers.iter().any(|(name, _)| name == "transfer-encoding") => return Err(411),
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err(413);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|_| 400u16)?;
    Ok(Some(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    }))
}

/// Writes `response`'s head and the first `body_bytes` of its body.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    body_bytes: usize,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-length: {}\r\nconnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body[..body_bytes.min(response.body.len())])?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        408 => "Request Timeout",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Form-decodes `name=value&…` (`+` is a space, `%XX` a byte).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(name), form_decode(value))
        })
        .collect()
}

/// Form-encodes one name or value (the inverse of the decoding above).
pub fn form_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte));
            }
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match bytes.get(index..index + 3) {
            Some([b'%', high, low]) => hex_value(*high).zip(hex_value(*low)),
            _ => None,
        };
        match (escaped, bytes[index]) {
            (Some((high, low)), _) => {
                decoded.push(high << 4 | low);
                index += 3;
            }
            (None, b'+') => {
                decoded.push(b' ');
                index += 1;
            }
            (None, other) => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// Locks `mutex`, carrying on after a panic elsewhere: every value kept
/// behind these locks stays consistent between statements.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
