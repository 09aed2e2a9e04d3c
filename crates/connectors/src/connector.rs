//! A built connector, one per configured `[[...connectors]]` entry.

use snag_core::DefectId;

use crate::error::ConnectorError;
use crate::github::GitHubConnector;
use crate::input::{Opened, TicketInput, TicketRef};
use crate::jira::JiraConnector;
use crate::linear::LinearConnector;
use crate::slack::SlackConnector;
use crate::tracker::Tracker;
use crate::webhook::WebhookConnector;

#[derive(Debug)]
pub enum Connector {
    /// Opens one ticket per defect and comments on it for later reports.
    Tracker(TrackerConnector),
    /// Posts a notice per new defect.
    Slack(SlackConnector),
    /// Posts a signed event per defect change.
    Webhook(WebhookConnector),
}

impl Connector {
    pub fn kind(&self) -> &'static str {
        match self {
            Connector::Tracker(t) => t.kind(),
            Connector::Slack(_) => "slack",
            Connector::Webhook(_) => "webhook",
        }
    }
}

#[derive(Debug)]
pub enum TrackerConnector {
    Jira(JiraConnector),
    Linear(LinearConnector),
    GitHub(GitHubConnector),
}

impl TrackerConnector {
    pub fn kind(&self) -> &'static str {
        match self {
            TrackerConnector::Jira(_) => "jira",
            TrackerConnector::Linear(_) => "linear",
            TrackerConnector::GitHub(_) => "github",
        }
    }
}

impl Tracker for TrackerConnector {
    async fn find(&self, defect: &DefectId) -> Result<Option<TicketRef>, ConnectorError> {
        match self {
            TrackerConnector::Jira(c) => c.find(defect).await,
            TrackerConnector::Linear(c) => c.find(defect).await,
            TrackerConnector::GitHub(c) => c.find(defect).await,
        }
    }

    async fn create(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        match self {
            TrackerConnector::Jira(c) => c.create(input).await,
            TrackerConnector::Linear(c) => c.create(input).await,
            TrackerConnector::GitHub(c) => c.create(input).await,
        }
    }

    async fn open(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        match self {
            TrackerConnector::Jira(c) => c.open(input).await,
            TrackerConnector::Linear(c) => c.open(input).await,
            TrackerConnector::GitHub(c) => c.open(input).await,
        }
    }

    async fn comment(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        match self {
            TrackerConnector::Jira(c) => c.comment(ticket, input).await,
            TrackerConnector::Linear(c) => c.comment(ticket, input).await,
            TrackerConnector::GitHub(c) => c.comment(ticket, input).await,
        }
    }

    async fn attach(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        match self {
            TrackerConnector::Jira(c) => c.attach(ticket, input).await,
            TrackerConnector::Linear(c) => c.attach(ticket, input).await,
            TrackerConnector::GitHub(c) => c.attach(ticket, input).await,
        }
    }
}
