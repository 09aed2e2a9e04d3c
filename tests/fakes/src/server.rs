//! The HTTP server under every fake: hyper on 127.0.0.1:0, on its own thread and runtime so
//! that blocking tests and async tests alike can start one, with fault injection in front of
//! the service and a log of every request.
//!
//! hyper rather than actix-web: a fake must be able to drop a connection without answering
//! and to hold one open forever, which needs the connection in hand; hyper is already in the
//! build through reqwest.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::faults::{Fault, Faults};

/// A request as a fake saw it. Header names are lowercase.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The status the fake answered; `None` when a fault dropped or held the connection.
    pub status: Option<u16>,
    /// When the request arrived, for measuring delivery latency.
    pub at: std::time::Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Accepted: answered with a 2xx.
    pub fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// The query string's pairs, decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Reply {
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Bytes::from(body.to_string()),
        }
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/plain; charset=utf-8".into())],
            body: Bytes::from(body.to_owned()),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
}

/// What a fake service does with a request, and how it says "server error" and "slow down"
/// in its own words when a fault asks for them.
pub(crate) trait Service: Send + Sync + 'static {
    fn handle(&self, request: &Recorded) -> Reply;
    fn server_error(&self, status: u16) -> Reply;
    fn rate_limited(&self, retry_after_secs: u64) -> Reply;
    fn rate_limit_reset(&self, reset_after_secs: u64) -> Reply {
        self.rate_limited(reset_after_secs)
    }
}

/// The part of a fake that is the same for all: its address, its log, its faults.
pub(crate) struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    log: Mutex<Vec<Recorded>>,
    faults: Mutex<Faults>,
}

impl Server {
    pub(crate) fn start(service: Arc<dyn Service>) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Faults::default()),
        });
        let (shutdown, stop) = oneshot::channel();
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("fake-{}", addr.port()))
            .spawn(move || serve(listener, service, thread_shared, stop))
            .expect("spawn the fake's thread");
        Server {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    pub(crate) fn fail_next(&self, count: usize, fault: Fault) {
        lock(&self.shared.faults).push(count, fault);
    }

    pub(crate) fn fail_always(&self, fault: Option<Fault>) {
        lock(&self.shared.faults).always = fault;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not hide the fake's state from the next assertion.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn serve(
    listener: std::net::TcpListener,
    service: Arc<dyn Service>,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the fake's runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let service = service.clone();
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        let handler = service_fn(move |request| {
                            answer(request, service.clone(), shared.clone())
                        });
                        // An error here is a fault's doing (a dropped connection) or the
                        // client going away; either way the connection is over.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), handler)
                            .await;
                    });
                }
            }
        }
    });
    // Dropping the runtime ends every connection task, hung ones included.
}

/// Why a connection was dropped without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

async fn answer(
    request: hyper::Request<Incoming>,
    service: Arc<dyn Service>,
    shared: Arc<Shared>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut recorded = Recorded {
        at: std::time::Instant::now(),
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        status: None,
    };
    let fault = lock(&shared.faults).next();
    let reply = match fault {
        Some(Fault::Drop) => {
            lock(&shared.log).push(recorded);
            return Err(Dropped);
        }
        Some(Fault::Hang) => {
            lock(&shared.log).push(recorded);
            std::future::pending::<()>().await;
            unreachable!("a hung request never resumes")
        }
        Some(Fault::Status(status)) => service.server_error(status),
        Some(Fault::RateLimited { retry_after_secs }) => service.rate_limited(retry_after_secs),
        Some(Fault::RateLimitReset { reset_after_secs }) => {
            service.rate_limit_reset(reset_after_secs)
        }
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            service.handle(&recorded)
        }
        Some(Fault::SlowAnswer(delay)) => {
            let reply = service.handle(&recorded);
            tokio::time::sleep(delay).await;
            reply
        }
        None => service.handle(&recorded),
    };
    recorded.status = Some(reply.status);
    lock(&shared.log).push(recorded);
    let mut response = hyper::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name.as_str(), value.as_str());
    }
    Ok(response
        .body(Full::new(reply.body))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new()))))
}
