//! The fakes refuse what the real services refuse. Plain blocking HTTP, as the server's
//! end-to-end tests use them.

mod faults;
mod github;
mod jira;
mod linear;
mod slack;
mod webhook;

use std::time::Duration;

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}
