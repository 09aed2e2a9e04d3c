//! Headless Chromium driven over WebDriver, for the widget's end-to-end tests.
//!
//! Each [`Browser`] starts its own chromedriver (in its own process group, with a fresh
//! profile) and kills the whole group when dropped, so a failing test leaves no Chromium
//! behind. Needs `chromium` and `chromedriver` on the machine (`.ci/run` installs them).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// A current-thread runtime for one test's async body.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let mut command = Command::new(chromedriver());
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let driver = command.spawn().unwrap_or_else(|err| {
            panic!("starting chromedriver ({err}): apt-get install chromium chromium-driver")
        });
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut guard = Browser::guard(driver);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic",
                    "--window-size=1280,900", "--hide-scrollbars", "--force-device-scale-factor=1",
                    // "Capture exactly" (getDisplayMedia with preferCurrentTab) without a prompt.
                    "--auto-accept-this-tab-capture",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(15);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(err) if Instant::now() > deadline => panic!("no WebDriver session: {err}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver: guard.take(),
            _profile: profile,
        }
    }

    fn guard(driver: Child) -> DriverGuard {
        DriverGuard(Some(driver))
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigating");
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|err| panic!("script failed: {err}\n{script}"))
    }

    /// Runs an async script: the last argument is the callback to call with the result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|err| panic!("async script failed: {err}\n{script}"))
    }

    /// Polls `script` until it returns something truthy, or panics with `what`.
    pub async fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.js(script, vec![]).await;
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return value;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses keys on whatever has focus: each entry is pressed with the modifiers before
    /// it held (`&[Key::Shift, Key::Tab]` is Shift+Tab).
    pub async fn press(&self, chord: &[char]) {
        let mut actions = KeyActions::new("keyboard".into());
        for key in chord {
            actions = actions.then(KeyAction::Down { value: *key });
        }
        for key in chord.iter().rev() {
            actions = actions.then(KeyAction::Up { value: *key });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("pressing keys");
    }

    /// Types text into the focused element.
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("typing".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.expect("typing");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// Kills chromedriver if starting the session fails.
struct DriverGuard(Option<Child>);

impl DriverGuard {
    fn take(&mut self) -> Child {
        self.0.take().expect("the driver")
    }
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            kill_group(child);
        }
    }
}

/// Kills chromedriver and every Chromium process it started (they share its group).
/// `libc::killpg`, not `/usr/bin/kill -KILL -PGID`: Debian 12's procps turns that into
/// kill(-1), which kills every process of the user.
fn kill_group(child: &mut Child) {
    let pgid = child.id() as i32;
    if pgid > 0 {
        // SAFETY: killpg(2) on the group we created with process_group(0).
        unsafe { libc::killpg(pgid, libc::SIGKILL) };
    }
    let _ = child.wait();
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn chromedriver() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into())
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}
