//! What every handler shares.

use std::sync::Arc;

use snag_core::Limits;
use snag_dedup::Folder;
use snag_storage::Store;

use crate::dashboard::DashboardState;
use crate::forward::{Forwarding, Links};
use crate::ingest::Pipeline;
use crate::metrics::Metrics;
use crate::projects::ProjectCache;
use crate::rate_limit::SubmitLimiter;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub folder: Arc<Folder>,
    pub forwarding: Arc<Forwarding>,
    pub links: Arc<Links>,
    pub projects: ProjectCache,
    pub pipeline: Pipeline,
    pub limiter: SubmitLimiter,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    pub trust_forwarded_for: bool,
    pub dashboard: DashboardState,
}
