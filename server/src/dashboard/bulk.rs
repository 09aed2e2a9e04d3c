//! Bulk actions from the inbox: one action on every selected defect (assign, severity,
//! priority, status, merge). Each defect is checked and changed on its own, through the same
//! operation the API runs, so one refusal does not undo the others.

use actix_web::{HttpResponse, web};
use snag_core::{Action, DefectId, DefectPatch, Priority, Severity, Status};
use snag_storage::DefectOp;

use super::error::DashError;
use super::scope::check_defect;
use super::session::Posted;
use super::view::{self, see_other};
use crate::http::triage;
use crate::state::AppState;

pub async fn bulk(posted: Posted, state: web::Data<AppState>) -> Result<HttpResponse, DashError> {
    let Posted { signed, form } = posted;
    signed.require(Action::Triage)?;
    let ids: Vec<DefectId> = form
        .all("ids")
        .into_iter()
        .filter_map(DefectId::parse)
        .collect();
    if ids.is_empty() {
        return Err(DashError::BadRequest("select at least one defect".into()));
    }
    let value = form.text("value").unwrap_or_default();
    let actor = signed.user.email.clone();
    let op_for = || -> Result<DefectOp, DashError> {
        let patch = |patch: DefectPatch| Ok(DefectOp::Patch(patch));
        match form.get("action").unwrap_or_default() {
            "assign_me" => patch(DefectPatch {
                assignee: Some(Some(actor.clone())),
                ..DefectPatch::default()
            }),
            "assign" => patch(DefectPatch {
                assignee: Some(Some(value.to_owned()).filter(|v| !v.is_empty())),
                ..DefectPatch::default()
            }),
            "severity" => patch(DefectPatch {
                severity: Some(form.get("severity_to").and_then(Severity::parse)),
                ..DefectPatch::default()
            }),
            "priority" => patch(DefectPatch {
                priority: Some(form.get("priority_to").and_then(Priority::parse)),
                ..DefectPatch::default()
            }),
            "status" => Ok(DefectOp::Transition {
                to: form
                    .get("status_to")
                    .and_then(Status::parse)
                    .ok_or_else(|| DashError::BadRequest("choose a status".into()))?,
                note: None,
            }),
            "merge" => {
                let into = form
                    .text("into")
                    .and_then(DefectId::parse)
                    .unwrap_or_else(|| ids[0].clone());
                Ok(DefectOp::Merge { into })
            }
            other => Err(DashError::BadRequest(format!("unknown action {other:?}"))),
        }
    };
    let merge_target = (form.get("action") == Some("merge")).then(|| {
        form.text("into")
            .and_then(DefectId::parse)
            .unwrap_or_else(|| ids[0].clone())
    });
    if let Some(target) = &merge_target {
        check_defect(&state, &signed, target).await?;
    }
    let mut refused = Vec::new();
    for id in &ids {
        if merge_target.as_ref() == Some(id) {
            continue;
        }
        check_defect(&state, &signed, id).await?;
        let op = op_for()?;
        if let Err(err) = triage::run(&state, id.clone(), op, actor.clone()).await {
            refused.push(format!("{id}: {err}"));
        }
    }
    if !refused.is_empty() {
        return Err(DashError::Conflict(format!(
            "{} of {} changed; refused: {}",
            ids.len() - refused.len(),
            ids.len(),
            refused.join("; ")
        )));
    }
    Ok(see_other(view::local_path(form.get("back"))))
}
