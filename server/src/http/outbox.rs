//! Staff view of the forwarding outbox: list rows, retry a dead one.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use snag_storage::OutboxState;

use super::auth::Staff;
use super::error::ApiError;
use super::staff::blocking;
use crate::state::AppState;

const MAX_ROWS: usize = 500;

#[derive(Deserialize)]
pub struct OutboxQuery {
    state: Option<String>,
    limit: Option<usize>,
}

pub async fn list(
    _: Staff,
    query: web::Query<OutboxQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let wanted = match query.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(
            OutboxState::parse(text).ok_or_else(|| ApiError::BadParameter {
                field: "state",
                message: "state must be pending, done or dead".into(),
            })?,
        ),
    };
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_ROWS);
    let store = state.store.clone();
    let rows = blocking(move || Ok(store.list_outbox(wanted, limit)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "rows": rows })))
}

pub async fn retry(
    _: Staff,
    path: web::Path<i64>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    match state.store.retry_outbox(Some(id)).await? {
        0 => Err(ApiError::NotFound("dead outbox row")),
        _ => Ok(HttpResponse::Ok().json(serde_json::json!({ "id": id, "state": "pending" }))),
    }
}
