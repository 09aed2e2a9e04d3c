//! Helpers for the dashboard's tests and tools: staff accounts through the CLI, and a small
//! HTTP session (cookies kept by hand, redirects not followed, so each answer is seen as the
//! server gave it).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::Value;

use crate::{Snag, snag_binary};

/// A password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// Creates a staff account with `snag user create`, piping the password on stdin.
pub fn create_user(data_dir: &Path, email: &str, role: &str, projects: &[&str]) {
    let mut args = vec!["user", "create", "--email", email, "--role", role];
    for project in projects {
        args.extend(["--project", project]);
    }
    let mut child = Command::new(snag_binary())
        .args(&args)
        .env("SNAG_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running snag user create");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("writing the password");
    let output = child.wait_with_output().expect("snag user create");
    assert!(
        output.status.success(),
        "user create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Posts a report with a project key (no Origin: the project must allow that); returns
/// the answer's JSON (`id`, `defect_id`).
pub fn post_report(snag: &Snag, key: &str, report: &Value) -> Value {
    let response = http()
        .post(snag.url("/api/v1/reports"))
        .header("X-Snag-Key", key)
        .json(report)
        .send()
        .expect("posting a report");
    assert_eq!(
        response.status().as_u16(),
        202,
        "report refused: {:?}",
        response.text()
    );
    response.json().expect("JSON")
}

pub fn http() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// What the server answered.
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    fn from(response: Response) -> Page {
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().unwrap_or_default(),
        }
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first CSRF token in the page's forms.
    pub fn csrf(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        let end = self.body[at..].find('"')?;
        Some(self.body[at..at + end].to_owned())
    }
}

/// A signed-in (or not yet) dashboard user.
pub struct Session {
    client: Client,
    base: String,
    cookies: Vec<(String, String)>,
    pub csrf: String,
}

impl Session {
    pub fn new(snag: &Snag) -> Session {
        Session {
            client: http(),
            base: snag.base.clone(),
            cookies: Vec::new(),
            csrf: String::new(),
        }
    }

    /// Signs in through the login form; panics unless it worked.
    pub fn login(snag: &Snag, email: &str) -> Session {
        let mut session = Session::new(snag);
        let answer = session.try_login(email, PASSWORD);
        assert_eq!(answer.status, 303, "sign-in failed: {}", answer.body);
        let inbox = session.get("/app");
        assert_eq!(inbox.status, 200);
        session.csrf = inbox.csrf().expect("a CSRF token in the inbox");
        session
    }

    /// Loads the login form and posts it.
    pub fn try_login(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/app/login");
        let token = form.csrf().expect("the login form's token");
        self.post_form(
            "/app/login",
            &[
                ("csrf", &token),
                ("email", email),
                ("password", password),
                ("next", "/app"),
            ],
        )
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(SET_COOKIE) {
            let Some((pair, _)) = value.to_str().ok().and_then(|v| v.split_once(';')) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    pub fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .send()
            .expect("GET");
        let page = Page::from(response);
        self.keep_cookies(&page.headers);
        page
    }

    /// Posts exactly these fields (no CSRF token added).
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .form(fields)
            .send()
            .expect("POST");
        let page = Page::from(response);
        self.keep_cookies(&page.headers);
        page
    }

    /// Posts the fields with this session's CSRF token, as the dashboard's forms do.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all)
    }
}
