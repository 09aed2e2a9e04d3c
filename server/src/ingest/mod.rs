//! The ingest pipeline behind `POST /api/v1/reports`: parse and validate, answer a retry from
//! its first answer, enrich, and store in one transaction. The 202 is sent only after the
//! writer committed.

mod enrich;

use std::sync::Arc;

use actix_web::web::{self, Bytes};
use snag_core::{IdempotencyKey, Limits, parse_report};
use snag_enrich::UserAgentParser;
use snag_storage::{Accepted, Store, now_millis};

use crate::http::error::ApiError;
use crate::projects::ProjectEntry;

pub use enrich::enrich;

pub struct Pipeline {
    store: Arc<dyn Store>,
    user_agents: Arc<UserAgentParser>,
    limits: Arc<Limits>,
}

/// Where a submission came from, as far as the request tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A browser page (the request had an `Origin`).
    Browser,
    /// A server or CI job (no `Origin`).
    Server,
}

impl Pipeline {
    pub fn new(store: Arc<dyn Store>, user_agents: Arc<UserAgentParser>, limits: Limits) -> Self {
        Pipeline {
            store,
            user_agents,
            limits: Arc::new(limits),
        }
    }

    pub async fn submit(
        &self,
        project: Arc<ProjectEntry>,
        body: Bytes,
        caller: Caller,
    ) -> Result<Accepted, ApiError> {
        let received_at = now_millis();
        let payload = parse_report(&body, &self.limits)?;
        drop(body);
        let key = payload
            .idempotency_key
            .as_deref()
            .and_then(|k| IdempotencyKey::parse(k, self.limits.max_idempotency_key_chars));
        if let Some(key) = &key {
            // A retry of a stored report skips enrichment; the writer checks again under its
            // lock, so two copies arriving together still store one report.
            if let Some(first) = self.store.find_idempotent(project.project.id, key)? {
                return Ok(first);
            }
        }
        let user_agents = Arc::clone(&self.user_agents);
        let limits = Arc::clone(&self.limits);
        let report = if payload.screenshot.is_some() {
            // Decoding and re-encoding an image takes milliseconds: keep it off the I/O threads.
            web::block(move || {
                enrich(
                    &project,
                    payload,
                    key,
                    caller,
                    &user_agents,
                    &limits,
                    received_at,
                )
            })
            .await
            .map_err(|_| ApiError::ShuttingDown)??
        } else {
            enrich(
                &project,
                payload,
                key,
                caller,
                &user_agents,
                &limits,
                received_at,
            )?
        };
        Ok(self.store.insert_report(report).await?)
    }
}
