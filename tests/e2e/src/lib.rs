//! Starting the real `snag` binary for end-to-end tests.
//!
//! Each [`Snag`] runs `snag serve` on a free port with its own temporary data directory, waits
//! until it answers `/healthz`, and kills it when dropped. The binary is the one `cargo build
//! -p snag` made (`cargo xtask test` builds it first); `SNAG_BIN` points elsewhere.

pub mod browser;
pub mod dashboard;
pub mod fixtures;
pub mod host_page;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Path of the `snag` binary under test.
pub fn snag_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SNAG_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target.join("debug/snag");
    assert!(
        path.exists(),
        "{} is missing: run `cargo build -p snag` first (cargo xtask test does)",
        path.display()
    );
    path
}

/// Runs a `snag` subcommand against `data_dir` and returns its output.
pub fn snag_command(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(snag_binary())
        .args(args)
        .env("SNAG_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("running snag")
}

/// Creates a project with the CLI and returns its public key.
pub fn create_project(data_dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["project", "create", "--json"];
    all.extend_from_slice(args);
    let output = snag_command(data_dir, &all);
    assert!(
        output.status.success(),
        "project create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let project: Value =
        serde_json::from_slice(&output.stdout).expect("project create --json prints JSON");
    project["public_key"]
        .as_str()
        .expect("a public key")
        .to_owned()
}

/// Creates a staff token with the CLI.
pub fn create_token(data_dir: &Path) -> String {
    let output = snag_command(data_dir, &["token", "create", "--name", "e2e"]);
    assert!(
        output.status.success(),
        "token create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

pub struct Snag {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    /// Printed by the server when the demo project exists.
    pub demo_key: Option<String>,
    _temp: Option<tempfile::TempDir>,
}

/// How to start a server.
#[derive(Default, Clone)]
pub struct Options {
    /// Extra environment (`SNAG_*`); rate limiting is off unless set here.
    pub env: Vec<(String, String)>,
    /// Reuse a data directory (for restarts); a fresh temporary one otherwise.
    pub data_dir: Option<PathBuf>,
}

impl Options {
    pub fn env(mut self, key: &str, value: impl ToString) -> Self {
        self.env.push((key.to_owned(), value.to_string()));
        self
    }

    pub fn data_dir(mut self, dir: &Path) -> Self {
        self.data_dir = Some(dir.to_owned());
        self
    }
}

impl Snag {
    pub fn start() -> Snag {
        Snag::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> Snag {
        let (temp, data_dir) = match options.data_dir {
            Some(dir) => (None, dir),
            None => {
                let temp = tempfile::tempdir().expect("a temporary directory");
                let dir = temp.path().to_owned();
                (Some(temp), dir)
            }
        };
        let mut command = Command::new(snag_binary());
        command
            .arg("serve")
            .env("SNAG_BIND", "127.0.0.1:0")
            .env("SNAG_DATA_DIR", &data_dir)
            .env("SNAG_RATE_LIMIT", "off")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in &options.env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("starting snag serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut demo_key = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = received.recv_timeout(left).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("snag serve did not report its address within 60 s")
            });
            if let Some(key) = line.strip_prefix("demo project key: ") {
                demo_key = Some(key.trim().to_owned());
            }
            if let Some(address) = line.strip_prefix("snag listening on ") {
                break address.trim().to_owned();
            }
        };
        let snag = Snag {
            child,
            base,
            data_dir,
            demo_key,
            _temp: temp,
        };
        snag.wait_healthy();
        snag
    }

    fn wait_healthy(&self) {
        let client = reqwest::blocking::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let healthy = client
                .get(self.url("/healthz"))
                .send()
                .is_ok_and(|r| r.status().is_success());
            if healthy {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("snag did not become healthy within 30 s");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// SIGKILL: no chance to flush or drain anything.
    pub fn kill_hard(mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.pid(), libc::SIGKILL) };
        let _ = self.child.wait();
    }

    /// SIGTERM, then wait for a graceful exit.
    pub fn stop(mut self) -> ExitStatus {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for snag") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "snag did not stop within 30 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Opens the server's SQLite file read-only, to check what was really stored.
    pub fn database(&self) -> rusqlite::Connection {
        let path = self.data_dir.join("snag.db");
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("opening snag.db")
    }
}

impl Drop for Snag {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
