//! A loopback HTTP server that answers from a script, one response per
//! request in order, and records every request. httpmock answers by
//! matching, so it cannot say "429 first, then 200" or "never answer";
//! retry and timeout tests need exactly that. The HTTP plumbing is the fake
//! PostHog's (`posthog_fake::http`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use posthog_fake::http::{LoopbackServer, Request, Response};

/// One scripted answer.
#[derive(Clone)]
pub(crate) enum Reply {
    /// Status, extra headers and a JSON body.
    Json(u16, Vec<(&'static str, &'static str)>, String),
    /// Accept the connection and never answer.
    Silence,
}

/// The running server; stops when dropped.
pub(crate) struct ScriptedServer {
    server: LoopbackServer,
    received: Arc<Mutex<Vec<Request>>>,
}

impl ScriptedServer {
    /// Serves `script` in order; requests past its end get a 599.
    pub(crate) fn start(script: Vec<Reply>) -> Self {
        let script = Mutex::new(VecDeque::from(script));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let server = LoopbackServer::start(move |request| {
            log.lock().unwrap().push(request);
            let reply = script.lock().unwrap().pop_front();
            match reply {
                Some(Reply::Json(status, headers, body)) => {
                    let mut response =
                        Response::json(status, &serde_json::from_str(&body).unwrap());
                    for (name, value) in headers {
                        response = response.with_header(name, value);
                    }
                    Some(response)
                }
                Some(Reply::Silence) => None,
                None => Some(Response::json(599, &"script exhausted".into())),
            }
        })
        .unwrap();
        Self { server, received }
    }

    pub(crate) fn base_url(&self) -> String {
        self.server.url()
    }

    /// Every request so far, in arrival order.
    pub(crate) fn received(&self) -> Vec<Request> {
        self.received.lock().unwrap().clone()
    }
}
