//! The example host app (`examples/host`), served from its own origin as a product team
//! would, with the Snag server and key filled in. Optionally with a strict CSP.
//!
//! A thread per connection on a std listener: the page needs a handful of requests, and a
//! web framework would only add build time to the tests.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The nonce of the strict-CSP page. Fixed, since nothing here is an attack surface.
pub const NONCE: &str = "c25hZy1lMmUtbm9uY2U";

pub struct HostPage {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

#[derive(Clone)]
pub struct PageConfig {
    /// The Snag server's base URL with a trailing slash (`http://127.0.0.1:41234/`).
    pub snag: String,
    pub key: String,
    /// Send `Content-Security-Policy` with `script-src 'self' 'nonce-…'`, no `unsafe-eval`.
    pub strict_csp: bool,
}

impl HostPage {
    /// Binds a free port first, so the page's origin is known before the project is made.
    pub fn bind() -> (TcpListener, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding the host page");
        let port = listener.local_addr().expect("address").port();
        (listener, port)
    }

    pub fn serve(listener: TcpListener, config: PageConfig) -> HostPage {
        let port = listener.local_addr().expect("address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let config = config.clone();
                        std::thread::spawn(move || {
                            let _ = handle(stream, &config, port);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        HostPage { port, stop }
    }

    /// The page's origin, `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Where the example lives.
pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/host")
}

fn handle(mut stream: TcpStream, config: &PageConfig, port: u16) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let (status, content_type, body) = respond(path, config, port);
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if config.strict_csp && content_type.starts_with("text/html") {
        let snag = config.snag.trim_end_matches('/');
        head.push_str(&format!(
            "Content-Security-Policy: default-src 'self'; script-src 'self' 'nonce-{NONCE}' 'wasm-unsafe-eval'; \
             connect-src 'self' {snag}; img-src 'self' data: blob: http://localhost:{port}; style-src 'self'; \
             object-src 'none'; base-uri 'none'\r\n"
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

fn respond(path: &str, config: &PageConfig, port: u16) -> (&'static str, &'static str, Vec<u8>) {
    if path.starts_with("/api/") {
        return (
            "500 Internal Server Error",
            "application/json",
            br#"{"error":"recommendations are down"}"#.to_vec(),
        );
    }
    let file = match path {
        "/" | "/index.html" => "index.html",
        other => other.trim_start_matches('/'),
    };
    if file.contains("..") || file.contains('/') {
        return ("404 Not Found", "text/plain", b"not found".to_vec());
    }
    let content_type = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "application/javascript",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let Ok(bytes) = std::fs::read(example_dir().join(file)) else {
        return ("404 Not Found", "text/plain", b"not found".to_vec());
    };
    if file == "index.html" {
        let page = String::from_utf8_lossy(&bytes)
            .replace("{{SNAG}}", &config.snag)
            .replace("{{KEY}}", &config.key)
            .replace("{{NONCE}}", NONCE)
            .replace("{{OTHER_ORIGIN}}", &format!("http://localhost:{port}"));
        return ("200 OK", content_type, page.into_bytes());
    }
    ("200 OK", content_type, bytes)
}
