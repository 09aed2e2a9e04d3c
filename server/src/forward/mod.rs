//! Forwarding: which connectors receive a report (routing, at ingest), and the workers that
//! deliver the outbox rows the ingest transaction wrote.

mod input;
pub mod links;
mod worker;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, bail};
use snag_connectors::{Connector, ConnectorConfig, ProcessEnv};
use snag_core::{ForwardFacts, ForwardRule, connectors_for};
use snag_storage::{OutboxAction, OutboxRequest, Store};
use tokio::sync::Notify;

pub use links::Links;
pub use worker::OutboxSettings;

/// The configured connectors and routing rules.
pub struct Forwarding {
    connectors: BTreeMap<String, Arc<Connector>>,
    rules: Vec<ForwardRule>,
    /// Woken after every stored report, so a worker need not wait for its next poll.
    wake: Arc<Notify>,
}

fn action_of(connector: &Connector) -> OutboxAction {
    match connector {
        Connector::Tracker(_) => OutboxAction::Ticket,
        Connector::Slack(_) => OutboxAction::NotifyNew,
        Connector::Webhook(_) => OutboxAction::Event,
    }
}

impl Forwarding {
    /// Builds every configured connector (reading `*_env` secrets) and checks that the rules
    /// name only configured connectors.
    pub fn from_config(
        configs: &BTreeMap<String, ConnectorConfig>,
        rules: &[ForwardRule],
    ) -> anyhow::Result<Self> {
        let mut connectors = BTreeMap::new();
        for (name, config) in configs {
            let connector = config
                .build(&ProcessEnv)
                .with_context(|| format!("connector {name:?}"))?;
            connectors.insert(name.clone(), Arc::new(connector));
        }
        for rule in rules {
            for name in &rule.connectors {
                if !connectors.contains_key(name) {
                    bail!(
                        "a forwarding rule names connector {name:?}, which is not configured under [connectors]"
                    );
                }
            }
        }
        Ok(Forwarding {
            connectors,
            rules: rules.to_vec(),
            wake: Arc::new(Notify::new()),
        })
    }

    /// The outbox rows a report's routing asks for.
    pub fn requests(&self, facts: &ForwardFacts<'_>) -> Vec<OutboxRequest> {
        connectors_for(&self.rules, facts)
            .iter()
            .filter_map(|name| {
                let connector = self.connectors.get(name)?;
                Some(OutboxRequest {
                    connector: name.clone(),
                    action: action_of(connector),
                })
            })
            .collect()
    }

    /// The webhook rows a staff change of a defect in `project` asks for.
    pub fn change_requests(&self, facts: &ForwardFacts<'_>) -> Vec<OutboxRequest> {
        self.requests(facts)
            .into_iter()
            .filter(|r| r.action == OutboxAction::Event)
            .collect()
    }

    /// Wakes the workers: new rows may be waiting.
    pub fn wake(&self) {
        self.wake.notify_waiters();
    }

    /// Starts one worker per connector on the current runtime, so a slow or failing one
    /// never holds up another (or ingest, which only writes rows).
    pub fn spawn_workers(
        &self,
        store: Arc<dyn Store>,
        links: Arc<Links>,
        settings: OutboxSettings,
    ) {
        for (name, connector) in &self.connectors {
            let worker = worker::Worker {
                name: name.clone(),
                connector: Arc::clone(connector),
                store: Arc::clone(&store),
                links: Arc::clone(&links),
                settings: settings.clone(),
                wake: Arc::clone(&self.wake),
            };
            actix_web::rt::spawn(worker.run());
        }
    }
}
