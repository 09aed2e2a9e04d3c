//! The ingest pipeline behind `POST /api/v1/reports`: parse and validate, answer a retry from
//! its first answer, enrich, and store in one transaction. The 202 is sent only after the
//! writer committed.

mod enrich;

use std::sync::Arc;

use actix_web::web::{self, Bytes};
use snag_core::{ForwardFacts, IdempotencyKey, Limits, SeverityRule, parse_report};
use snag_dedup::Folder;
use snag_enrich::UserAgentParser;
use snag_storage::{Accepted, Store, now_millis};

use crate::forward::Forwarding;
use crate::http::error::ApiError;
use crate::projects::ProjectEntry;

pub use enrich::enrich;

pub struct Pipeline {
    store: Arc<dyn Store>,
    folder: Arc<Folder>,
    forwarding: Arc<Forwarding>,
    context: Arc<EnrichContext>,
}

/// What enrichment needs besides the report and its project.
pub struct EnrichContext {
    pub user_agents: UserAgentParser,
    pub limits: Limits,
    /// Severity rules for projects that set none of their own.
    pub severity_rules: Vec<SeverityRule>,
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
    pub fn new(
        store: Arc<dyn Store>,
        folder: Arc<Folder>,
        forwarding: Arc<Forwarding>,
        context: EnrichContext,
    ) -> Self {
        Pipeline {
            store,
            folder,
            forwarding,
            context: Arc::new(context),
        }
    }

    pub async fn submit(
        &self,
        project: Arc<ProjectEntry>,
        body: Bytes,
        caller: Caller,
    ) -> Result<Accepted, ApiError> {
        let received_at = now_millis();
        let limits = &self.context.limits;
        let payload = parse_report(&body, limits)?;
        drop(body);
        let key = payload
            .idempotency_key
            .as_deref()
            .and_then(|k| IdempotencyKey::parse(k, limits.max_idempotency_key_chars));
        if let Some(key) = &key {
            // A retry of a stored report skips enrichment; the writer checks again under its
            // lock, so two copies arriving together still store one report.
            if let Some(first) = self.store.find_idempotent(project.project.id, key)? {
                return Ok(first);
            }
        }
        let context = Arc::clone(&self.context);
        let fold_settings = project.project.settings.fold.clone();
        let project_id = project.project.id;
        let project_name = project.project.name.clone();
        let (mut report, features) = if payload.screenshot.is_some() {
            // Decoding and re-encoding an image takes milliseconds: keep it off the I/O threads.
            web::block(move || enrich(&project, payload, key, caller, &context, received_at))
                .await
                .map_err(|_| ApiError::ShuttingDown)??
        } else {
            enrich(&project, payload, key, caller, &context, received_at)?
        };
        report.outbox = self.forwarding.requests(&ForwardFacts {
            project: &project_name,
            component: report.new_defect.component.as_deref(),
            severity: report.new_defect.severity,
            category: report.new_defect.category,
            environment: report.new_defect.environment.as_deref(),
        });
        let forwards = !report.outbox.is_empty();
        let job = self.folder.job(
            project_id.0,
            report.id.clone(),
            features,
            fold_settings,
            received_at,
        );
        let accepted = self.store.insert_report(report, job).await?;
        if forwards {
            self.forwarding.wake();
        }
        Ok(accepted)
    }
}
