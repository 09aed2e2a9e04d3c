//! Local fakes of the services Snag forwards to, each accepting exactly what the real service
//! accepts (checked against the official contracts in `specs/`) and refusing the rest the way
//! the real one does. Each runs on 127.0.0.1 on its own thread, records every request, counts
//! the tickets per marker, and can be told to fail: server errors, rate limits, hangs and
//! dropped connections.

mod common;
mod faults;
mod github;
mod jira;
mod linear;
mod multipart;
mod openapi;
mod server;
mod slack;
mod specs;
mod webhook;

pub use faults::Fault;
pub use github::{FakeGitHub, GitHubIssue};
pub use jira::{FakeJira, JiraAttachment, JiraIssue, JiraSetup};
pub use linear::{FakeLinear, LinearComment, LinearIssue, LinearUpload};
pub use server::{Recorded, Reply};
pub use slack::FakeSlack;
pub use specs::{spec_path, specs_dir};
pub use webhook::{Delivery, FakeWebhook};
