//! `GET /api/v1/metrics`: the dashboard's metrics as JSON, for a staff token (every project,
//! or `project=NAME`), over `window=7d|30d|90d|365d` (30 days by default).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use snag_core::Window;

use super::auth::Staff;
use super::error::ApiError;
use super::staff::blocking;
use crate::quality;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct MetricsParams {
    window: Option<String>,
    project: Option<String>,
}

pub async fn get(
    _: Staff,
    query: web::Query<MetricsParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let window = match query.window.as_deref().filter(|w| !w.is_empty()) {
        None => Window::default(),
        Some(text) => Window::parse(text).ok_or_else(|| ApiError::BadParameter {
            field: "window",
            message: "window must be one of 7d, 30d, 90d, 365d".into(),
        })?,
    };
    let wanted = query.project.clone().filter(|p| !p.is_empty());
    let store = state.store.clone();
    let report = blocking(move || {
        let projects = store.list_projects()?;
        let only = match &wanted {
            None => None,
            Some(name) => Some(vec![
                projects
                    .iter()
                    .find(|p| &p.name == name)
                    .ok_or(ApiError::NotFound("project"))?
                    .id,
            ]),
        };
        Ok(quality::compute(
            store.as_ref(),
            only,
            &projects,
            window,
            snag_storage::now_millis(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
