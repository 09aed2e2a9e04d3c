//! Snag's connectors: the defect's ticket in Jira, Linear or GitHub (exactly one, found again
//! by a marker the connector put there), a Slack notice, and a signed webhook event.
//!
//! The outbox workers in the server call these; nothing here stores anything or retries by
//! itself. A [`ConnectorError`] tells the worker whether and when to try again.
//!
//! Everything a report carries is untrusted: each connector escapes it for its tracker's
//! format (markdown, ADF, Block Kit) and cuts it to the tracker's limits with a visible note.

mod config;
mod connector;
mod error;
pub mod github;
mod http;
mod input;
pub mod jira;
pub mod linear;
mod secret;
pub mod slack;
mod text;
mod tracker;
pub mod webhook;

pub use config::ConnectorConfig;
pub use connector::{Connector, TrackerConnector};
pub use error::{ConfigError, ConnectorError};
pub use http::{Timeouts, parse_epoch_reset, parse_iso8601_reset, parse_retry_after};
pub use input::{
    BreadcrumbLine, ConsoleLine, DefectInfo, Opened, ReportInfo, Screenshot, TicketInput, TicketRef,
};
pub use secret::{Env, ProcessEnv, Secret};
pub use tracker::{Tracker, defect_marker};
pub use webhook::{DefectEvent, EventKind, WebhookSecret};
