//! The example host app (`examples/host`) on its own origin for `cargo xtask demo`, as a
//! product team's site would be: Snag's address and the demo key filled into the page.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use anyhow::Context;

use crate::root;

/// Serves the example on `bind` in a background thread.
pub fn serve(bind: &str, snag: &str, key: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    let port = listener.local_addr()?.port();
    let snag = format!("{}/", snag.trim_end_matches('/'));
    let key = key.to_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (snag, key) = (snag.clone(), key.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &snag, &key, port);
            });
        }
    });
    Ok(())
}

fn handle(mut stream: TcpStream, snag: &str, key: &str, port: u16) -> std::io::Result<()> {
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
    let (status, content_type, body) = if path.starts_with("/api/") {
        // The example's "Load recommendations" fails on purpose.
        (
            "500 Internal Server Error",
            "application/json",
            b"{}".to_vec(),
        )
    } else {
        let file = match path {
            "/" => "index.html",
            other => other.trim_start_matches('/'),
        };
        let content_type = match file.rsplit_once('.').map(|(_, e)| e) {
            Some("html") => "text/html; charset=utf-8",
            Some("css") => "text/css",
            Some("js") => "application/javascript",
            Some("svg") => "image/svg+xml",
            _ => "application/octet-stream",
        };
        let bytes = if file.contains("..") || file.contains('/') {
            None
        } else {
            std::fs::read(root().join("examples/host").join(file)).ok()
        };
        match bytes {
            Some(bytes) if file == "index.html" => {
                let page = String::from_utf8_lossy(&bytes)
                    .replace("{{SNAG}}", snag)
                    .replace("{{KEY}}", key)
                    .replace("{{NONCE}}", "")
                    .replace("{{OTHER_ORIGIN}}", &format!("http://localhost:{port}"));
                ("200 OK", content_type, page.into_bytes())
            }
            Some(bytes) => ("200 OK", content_type, bytes),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
