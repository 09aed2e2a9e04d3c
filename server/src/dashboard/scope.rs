//! What a signed-in user may reach: the projects they see, and a defect they may change.

use actix_web::web;
use snag_core::{Action, DefectId};
use snag_storage::{Defect, Project};

use super::error::DashError;
use super::session::SignedIn;
use crate::state::AppState;

/// The projects this user sees, by id.
pub fn visible_projects(state: &AppState, signed: &SignedIn) -> Result<Vec<Project>, DashError> {
    Ok(state
        .store
        .list_projects()?
        .into_iter()
        .filter(|p| signed.access.can_see(p.id.0))
        .collect())
}

/// Refuses a defect the user may not change (404 when they may not even see it).
pub async fn check_defect(
    state: &AppState,
    signed: &SignedIn,
    id: &DefectId,
) -> Result<Defect, DashError> {
    let store = state.store.clone();
    let wanted = id.clone();
    let detail = web::block(move || store.get_defect(&wanted))
        .await
        .map_err(|_| DashError::NotFound)??
        .ok_or(DashError::NotFound)?;
    signed.check(Action::Triage, detail.defect.project_id.0)?;
    Ok(detail.defect)
}
