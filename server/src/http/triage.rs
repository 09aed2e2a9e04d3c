//! Staff writes on defects: patch, transitions, merge and its undo, split. Each handler parses
//! the body, asks the store (where core's rules decide), tells the folding index, and answers
//! with the defect as it now is.

use actix_web::web::{self, Bytes};
use actix_web::{HttpResponse, http::StatusCode};
use serde::Deserialize;
use snag_core::{DefectId, DefectPatch, ForwardFacts, ReportId, Status, parse_json_object};
use snag_storage::{DefectOp, OpOutcome, OutboxRequest};

use super::auth::Staff;
use super::error::ApiError;
use super::staff::blocking;
use crate::folding;
use crate::keys::new_id;
use crate::state::AppState;

fn defect_id(text: &str) -> Result<DefectId, ApiError> {
    DefectId::parse(text).ok_or(ApiError::NotFound("defect"))
}

/// Runs `op` on the defect in the path, then answers with the defect the outcome names.
async fn act(
    staff: Staff,
    state: web::Data<AppState>,
    id: DefectId,
    op: DefectOp,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let defect = run(&state, id, op, staff.0.name.clone()).await?.defect;
    let store = state.store.clone();
    let detail = blocking(move || Ok(store.get_defect(&defect)?)).await?;
    Ok(HttpResponse::build(status).json(detail.ok_or(ApiError::NotFound("defect"))?))
}

/// Runs `op` by `actor` (a staff token's name, or a dashboard user's e-mail), then tells the
/// folding index and wakes the forwarding workers. The API and the dashboard both call this.
pub(crate) async fn run(
    state: &AppState,
    id: DefectId,
    op: DefectOp,
    actor: String,
) -> Result<OpOutcome, ApiError> {
    let events = change_events(state, &id).await?;
    let outcome = state.store.update_defect(id, op, actor, events).await?;
    folding::apply(&state.folder, &outcome.touched, outcome.moved.as_ref());
    state.forwarding.wake();
    Ok(outcome)
}

/// The webhook connectors told about changes to this defect, by its project's routing.
async fn change_events(state: &AppState, id: &DefectId) -> Result<Vec<OutboxRequest>, ApiError> {
    let store = state.store.clone();
    let wanted = id.clone();
    let detail = blocking(move || Ok(store.get_defect(&wanted)?)).await?;
    let Some(detail) = detail else {
        return Ok(Vec::new());
    };
    let d = &detail.defect;
    Ok(state.forwarding.change_requests(&ForwardFacts {
        project: &d.project,
        component: d.component.as_deref(),
        severity: d.severity,
        category: d.category,
        environment: d.environment.as_deref(),
    }))
}

pub async fn patch(
    staff: Staff,
    path: web::Path<String>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = defect_id(&path)?;
    let patch: DefectPatch = parse_json_object(&body)?;
    act(staff, state, id, DefectOp::Patch(patch), StatusCode::OK).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitionBody {
    to: Status,
    #[serde(default)]
    note: Option<String>,
}

/// The longest note a transition may carry.
const MAX_NOTE_CHARS: usize = 2_000;

pub async fn transition(
    staff: Staff,
    path: web::Path<String>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = defect_id(&path)?;
    let TransitionBody { to, note } = parse_json_object(&body)?;
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(ApiError::Rejected(snag_core::Rejection::new(
            snag_core::RejectCode::TooLarge,
            "note",
            format!("note is longer than {MAX_NOTE_CHARS} characters"),
        )));
    }
    act(
        staff,
        state,
        id,
        DefectOp::Transition { to, note },
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeBody {
    into: String,
}

pub async fn merge(
    staff: Staff,
    path: web::Path<String>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = defect_id(&path)?;
    let MergeBody { into } = parse_json_object(&body)?;
    let into = DefectId::parse(&into).ok_or(ApiError::NotFound("target defect"))?;
    act(staff, state, id, DefectOp::Merge { into }, StatusCode::OK).await
}

pub async fn unmerge(
    staff: Staff,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = defect_id(&path)?;
    act(staff, state, id, DefectOp::Unmerge, StatusCode::OK).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitBody {
    report: String,
}

pub async fn split(
    staff: Staff,
    path: web::Path<String>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = defect_id(&path)?;
    let SplitBody { report } = parse_json_object(&body)?;
    let report = ReportId::parse(&report).ok_or(ApiError::NotFound("report"))?;
    let new_defect = DefectId::parse(&new_id()).expect("a v7 UUID has the id form");
    act(
        staff,
        state,
        id,
        DefectOp::Split { report, new_defect },
        StatusCode::CREATED,
    )
    .await
}
