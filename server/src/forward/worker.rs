//! One delivery worker per connector: claims due rows, delivers them, records the outcome.
//! Retries back off exponentially with jitter (never sooner than a `Retry-After` the service
//! asked for); after `max_attempts` a row is dead-lettered for staff to retry.

use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use serde::{Deserialize, Serialize};
use snag_connectors::{Connector, ConnectorError, DefectEvent, EventKind, Tracker};
use snag_storage::{DeliveryOutcome, OutboxAction, OutboxRow, Store, Ticket, now_millis};
use tokio::sync::Notify;

use super::input::{defect_info, load_ticket_input, ticket_ref};
use super::links::Links;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxSettings {
    /// Attempts before a row is dead-lettered.
    pub max_attempts: u32,
    /// First retry delay, doubled each attempt (with jitter) up to `max_delay_secs`.
    pub min_delay_ms: u64,
    pub max_delay_secs: u64,
    /// How long a claimed row is reserved; a worker that died loses it after this.
    pub lease_secs: u64,
    /// Rows claimed at once.
    pub batch: usize,
    /// How often an idle worker looks for due rows (new rows wake it at once).
    pub poll_ms: u64,
    /// The most one delivery may take, all requests included.
    pub delivery_timeout_secs: u64,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            max_attempts: 8,
            min_delay_ms: 1_000,
            max_delay_secs: 600,
            lease_secs: 120,
            batch: 8,
            poll_ms: 1_000,
            delivery_timeout_secs: 60,
        }
    }
}

impl OutboxSettings {
    /// The delay before attempt `attempts + 1`.
    fn backoff(&self, attempts: u32) -> Duration {
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(self.min_delay_ms))
            .with_max_delay(Duration::from_secs(self.max_delay_secs))
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        delays
            .nth(attempts.saturating_sub(1) as usize)
            .unwrap_or(Duration::from_secs(self.max_delay_secs))
    }
}

pub struct Worker {
    pub name: String,
    pub connector: Arc<Connector>,
    pub store: Arc<dyn Store>,
    pub links: Arc<Links>,
    pub settings: OutboxSettings,
    pub wake: Arc<Notify>,
}

impl Worker {
    pub async fn run(self) {
        let lease = (self.settings.lease_secs * 1000) as i64;
        loop {
            let claimed = self
                .store
                .claim_outbox(self.name.clone(), lease, self.settings.batch)
                .await;
            let rows = match claimed {
                Ok(rows) => rows,
                Err(err) => {
                    tracing::warn!(connector = %self.name, error = %err, "claiming outbox rows failed");
                    Vec::new()
                }
            };
            if rows.is_empty() {
                let poll = Duration::from_millis(self.settings.poll_ms);
                let _ = tokio::time::timeout(poll, self.wake.notified()).await;
                continue;
            }
            for row in rows {
                let outcome = self.deliver(&row).await;
                if let Err(err) = self.store.complete_outbox(row.id, outcome).await {
                    // The lease runs out and the row is delivered again; trackers find their
                    // own ticket by its marker, so this cannot make a second one.
                    tracing::warn!(connector = %self.name, row = row.id, error = %err, "recording a delivery failed");
                }
            }
        }
    }

    async fn deliver(&self, row: &OutboxRow) -> DeliveryOutcome {
        let timeout = Duration::from_secs(self.settings.delivery_timeout_secs);
        let result = match tokio::time::timeout(timeout, self.attempt(row)).await {
            Ok(result) => result,
            Err(_) => Err(ConnectorError::retryable(
                "the delivery took too long",
                None,
            )),
        };
        let attempt = row.attempts + 1;
        match result {
            Ok(ticket) => {
                tracing::info!(connector = %self.name, row = row.id, attempt, "delivered");
                DeliveryOutcome::Delivered { ticket }
            }
            Err(err) if err.is_retryable() && attempt < self.settings.max_attempts => {
                let delay = self
                    .settings
                    .backoff(attempt)
                    .max(err.retry_after().unwrap_or_default());
                tracing::warn!(connector = %self.name, row = row.id, attempt, error = %err, delay_ms = delay.as_millis() as u64, "delivery failed; will retry");
                DeliveryOutcome::Retry {
                    at: now_millis() + delay.as_millis() as i64,
                    error: err.to_string(),
                }
            }
            Err(err) => {
                tracing::error!(connector = %self.name, row = row.id, attempt, error = %err, "delivery failed; dead-lettered");
                DeliveryOutcome::Dead {
                    error: err.to_string(),
                }
            }
        }
    }

    /// One try. A created ticket is returned to be recorded with the row's completion.
    async fn attempt(&self, row: &OutboxRow) -> Result<Option<Ticket>, ConnectorError> {
        let store = self.store.as_ref();
        let internal = |err: snag_storage::StoreError| {
            ConnectorError::retryable(format!("reading the defect: {err}"), None)
        };
        let Some(input) = load_ticket_input(store, &self.links, &row.defect, row.report.as_ref())
            .map_err(internal)?
        else {
            return Err(ConnectorError::permanent(
                "the defect or report no longer exists",
            ));
        };
        let defect = input.defect.id.clone();
        match (self.connector.as_ref(), row.action) {
            (Connector::Tracker(tracker), OutboxAction::Ticket) => {
                match store.ticket(&defect, &self.name).map_err(internal)? {
                    Some(existing) => {
                        tracker.comment(&ticket_ref(&existing), &input).await?;
                        Ok(None)
                    }
                    None => {
                        let opened = tracker.open(&input).await?;
                        if let Some(err) = &opened.attachment_error {
                            tracing::warn!(connector = %self.name, error = %err, "ticket created; its screenshot upload failed");
                        }
                        Ok(Some(Ticket {
                            defect,
                            connector: self.name.clone(),
                            external_id: opened.ticket.external_id,
                            key: opened.ticket.key,
                            url: opened.ticket.url,
                            created_at: snag_core::Timestamp(now_millis()),
                        }))
                    }
                }
            }
            (Connector::Slack(slack), OutboxAction::NotifyNew) => {
                let detail = store.get_defect(&defect).map_err(internal)?;
                let ticket = detail
                    .as_ref()
                    .and_then(|d| d.tickets.first())
                    .map(ticket_ref);
                slack.notify(&input, ticket.as_ref()).await?;
                Ok(None)
            }
            (Connector::Webhook(webhook), OutboxAction::Event) => {
                let event = self
                    .event(row, &defect, input.report, input.snag_url)
                    .map_err(internal)?;
                webhook.send(&event).await?;
                Ok(None)
            }
            (connector, action) => Err(ConnectorError::permanent(format!(
                "a {} connector cannot handle {} rows",
                connector.kind(),
                action.as_str()
            ))),
        }
    }

    fn event(
        &self,
        row: &OutboxRow,
        defect: &snag_core::DefectId,
        report: snag_connectors::ReportInfo,
        snag_url: String,
    ) -> Result<DefectEvent, snag_storage::StoreError> {
        let detail = self
            .store
            .get_defect(defect)?
            .ok_or(snag_storage::StoreError::NotFound("defect"))?;
        let kind = match row.event.as_ref().and_then(|e| e["type"].as_str()) {
            Some("defect.created") => EventKind::Created,
            Some("defect.report_added") => EventKind::ReportAdded,
            _ => EventKind::Changed,
        };
        let change = match kind {
            EventKind::Changed => detail.history.last().and_then(|e| e.change.clone()),
            _ => None,
        };
        let report = match kind {
            EventKind::Changed => None,
            _ => Some(report),
        };
        Ok(DefectEvent {
            id: format!("snag-outbox-{}", row.id),
            kind,
            occurred_at: row.created_at,
            defect: defect_info(&detail.defect),
            report,
            change,
            tickets: detail.tickets.iter().map(ticket_ref).collect(),
            snag_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_within_bounds() {
        let settings = OutboxSettings {
            min_delay_ms: 100,
            max_delay_secs: 5,
            ..OutboxSettings::default()
        };
        let first = settings.backoff(1);
        assert!(
            first >= Duration::from_millis(100) && first <= Duration::from_millis(250),
            "{first:?}"
        );
        for attempt in 1..20 {
            assert!(
                settings.backoff(attempt) <= Duration::from_secs(10),
                "jitter stays bounded"
            );
        }
        assert!(settings.backoff(6) >= Duration::from_millis(3_200));
    }
}
