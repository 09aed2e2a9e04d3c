//! One defect: its reports in full, its lifecycle controls (only the legal moves), fields,
//! comments, history and tickets; and the posts that change it.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use snag_core::{Action, DefectId, DefectPatch, Priority, ReportId, Severity, Status};
use snag_storage::{DefectDetail, DefectOp, ImageKind};

use super::error::DashError;
use super::report_view::{ReportView, opt, report_view};
use super::scope::check_defect;
use super::session::{Posted, SignedIn};
use super::view::{self, Choice, Nav, choices, see_other};
use crate::http::triage;
use crate::keys::new_id;
use crate::state::AppState;

const REPORTS_PER_PAGE: usize = 20;
/// The longest comment or transition note.
const MAX_TEXT_CHARS: usize = 10_000;

pub struct EventView {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub from: String,
    pub from_link: Option<String>,
    pub to: String,
    pub to_link: Option<String>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "defect.html")]
struct DefectPage {
    nav: Nav,
    id: String,
    title: String,
    project: String,
    status: &'static str,
    severity: &'static str,
    suggested: &'static str,
    priority: &'static str,
    owner: String,
    component: String,
    facts: Vec<(&'static str, String)>,
    merged_into: Option<String>,
    transitions: Vec<(usize, &'static str)>,
    severities: Vec<Choice>,
    priorities: Vec<Choice>,
    reports: Vec<ReportView>,
    report_count: i64,
    older: Option<String>,
    history: Vec<EventView>,
    comments: Vec<(String, String, String)>,
    tickets: Vec<(String, String, Option<String>)>,
    can_split: bool,
}

fn defect_link(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .and_then(DefectId::parse)
        .map(|id| format!("/app/defects/{id}"))
}

#[derive(Deserialize)]
pub struct PageQuery {
    before: Option<String>,
}

fn parse_defect(text: &str) -> Result<DefectId, DashError> {
    DefectId::parse(text).ok_or(DashError::NotFound)
}

pub async fn page(
    signed: SignedIn,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let id = parse_defect(&path)?;
    let before = query
        .before
        .as_deref()
        .and_then(|b| b.split_once('.'))
        .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, ReportId::parse(id)?)));
    let store = state.store.clone();
    let (detail, mut reports, comments) = web::block(move || {
        let Some(detail) = store.get_defect(&id)? else {
            return Ok::<_, snag_storage::StoreError>((None, Vec::new(), Vec::new()));
        };
        let reports = store.defect_reports(&id, before, REPORTS_PER_PAGE + 1)?;
        let comments = store.comments(&id)?;
        Ok((Some(detail), reports, comments))
    })
    .await
    .map_err(|_| DashError::NotFound)??;
    let detail: DefectDetail = detail.ok_or(DashError::NotFound)?;
    signed.check(Action::View, detail.defect.project_id.0)?;
    let older = (reports.len() > REPORTS_PER_PAGE)
        .then(|| {
            reports.truncate(REPORTS_PER_PAGE);
            reports.last().map(|r| {
                format!(
                    "/app/defects/{}?before={}.{}",
                    detail.defect.id, r.received_at.0, r.id
                )
            })
        })
        .flatten();
    let d = &detail.defect;
    let can_triage = signed.access.may(Action::Triage);
    let mut facts = vec![
        ("project", d.project.clone()),
        ("reports", d.report_count.to_string()),
        ("first seen", view::time(d.first_seen)),
        ("last seen", view::time(d.last_seen)),
        ("source", d.source.as_str().to_owned()),
        ("environment", opt(&d.environment)),
        ("route", opt(&d.route)),
        (
            "category",
            d.category
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "resolved",
            d.resolved_at.map(view::time).unwrap_or_default(),
        ),
    ];
    facts.retain(|(_, v)| !v.is_empty());
    let state_now = snag_core::DefectState {
        status: d.status,
        severity: d.severity,
        priority: d.priority,
        assignee: d.assignee.clone(),
        component: d.component.clone(),
        title: d.title.clone(),
        merged_into: d.merged_into.clone(),
    };
    let page = DefectPage {
        nav: Nav::new(&signed, "inbox"),
        id: d.id.to_string(),
        title: d.title.clone(),
        project: d.project.clone(),
        status: d.status.as_str(),
        severity: d.severity.map_or("", Severity::as_str),
        suggested: d.suggested_severity.map_or("", Severity::as_str),
        priority: d.priority.map_or("", Priority::as_str),
        owner: opt(&d.assignee),
        component: opt(&d.component),
        facts,
        merged_into: d.merged_into.as_ref().map(|m| m.to_string()),
        transitions: if can_triage {
            state_now
                .allowed_transitions()
                .iter()
                .enumerate()
                .map(|(i, s)| (i + 1, s.as_str()))
                .collect()
        } else {
            Vec::new()
        },
        severities: choices(
            d.severity.map_or("", Severity::as_str),
            [("", "none")]
                .into_iter()
                .chain(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str()))),
        ),
        priorities: choices(
            d.priority.map_or("", Priority::as_str),
            [("", "none")]
                .into_iter()
                .chain(Priority::ALL.iter().map(|p| (p.as_str(), p.as_str()))),
        ),
        report_count: d.report_count,
        can_split: can_triage && d.report_count > 1,
        reports: reports.into_iter().map(report_view).collect(),
        older,
        history: detail
            .history
            .iter()
            .map(|e| EventView {
                at: view::time(e.at),
                actor: e.actor.clone(),
                kind: e.kind.clone(),
                from_link: defect_link(&e.from),
                from: opt(&e.from),
                to_link: defect_link(&e.to),
                to: if e.kind == "commented" {
                    String::new()
                } else {
                    opt(&e.to)
                },
                note: opt(&e.note),
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|c| (view::time(c.at), c.author, c.body))
            .collect(),
        tickets: detail
            .tickets
            .iter()
            .map(|t| (t.connector.clone(), t.key.clone(), view::safe_href(&t.url)))
            .collect(),
    };
    Ok(view::ok(&page))
}

fn long_text(text: Option<&str>, what: &str) -> Result<Option<String>, DashError> {
    match text {
        Some(t) if t.chars().count() > MAX_TEXT_CHARS => Err(DashError::BadRequest(format!(
            "the {what} is longer than {MAX_TEXT_CHARS} characters"
        ))),
        other => Ok(other.map(str::to_owned)),
    }
}

/// A change to one defect from its page.
pub async fn act(
    posted: Posted,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let Posted { signed, form } = posted;
    signed.require(Action::Triage)?;
    let (id, action) = path.into_inner();
    let id = parse_defect(&id)?;
    check_defect(&state, &signed, &id).await?;
    let actor = signed.user.email.clone();
    let text = |name: &str| form.text(name).map(str::to_owned);
    let op = match action.as_str() {
        "status" => DefectOp::Transition {
            to: form
                .get("to")
                .and_then(Status::parse)
                .ok_or_else(|| DashError::BadRequest("choose a status".into()))?,
            note: long_text(form.text("note"), "note")?,
        },
        "fields" => DefectOp::Patch(DefectPatch {
            severity: Some(form.get("severity").and_then(Severity::parse)),
            priority: Some(form.get("priority").and_then(Priority::parse)),
            assignee: Some(text("owner")),
            component: Some(text("component")),
            title: text("title"),
        }),
        "assign-me" => DefectOp::Patch(DefectPatch {
            assignee: Some(Some(actor.clone())),
            ..DefectPatch::default()
        }),
        "merge" => {
            let into = form
                .text("into")
                .map(|t| t.trim_start_matches("/app/defects/"))
                .and_then(DefectId::parse)
                .ok_or_else(|| {
                    DashError::BadRequest("give the id of the defect to merge into".into())
                })?;
            check_defect(&state, &signed, &into).await?;
            DefectOp::Merge { into }
        }
        "unmerge" => DefectOp::Unmerge,
        "split" => DefectOp::Split {
            report: form
                .get("report")
                .and_then(ReportId::parse)
                .ok_or(DashError::NotFound)?,
            new_defect: DefectId::parse(&new_id()).ok_or(DashError::NotFound)?,
        },
        "comment" => {
            let body = long_text(form.text("body"), "comment")?
                .ok_or_else(|| DashError::BadRequest("the comment is empty".into()))?;
            state.store.add_comment(id.clone(), actor, body).await?;
            return Ok(see_other(&format!("/app/defects/{id}#comments")));
        }
        _ => return Err(DashError::NotFound),
    };
    let outcome = triage::run(&state, id, op, actor).await?;
    Ok(see_other(&format!("/app/defects/{}", outcome.defect)))
}

/// A report's screenshot or thumbnail, for a user who may see its project.
pub async fn image(
    signed: SignedIn,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let (id, which) = path.into_inner();
    let kind = match which.as_str() {
        "screenshot" => ImageKind::Screenshot,
        "thumbnail" => ImageKind::Thumbnail,
        _ => return Err(DashError::NotFound),
    };
    let id = ReportId::parse(&id).ok_or(DashError::NotFound)?;
    let store = state.store.clone();
    let (report, image) = web::block(move || {
        let report = store.get_report(&id)?;
        let image = match &report {
            Some(_) => store.report_image(&id, kind)?,
            None => None,
        };
        Ok::<_, snag_storage::StoreError>((report, image))
    })
    .await
    .map_err(|_| DashError::NotFound)??;
    let report = report.ok_or(DashError::NotFound)?;
    signed.check(Action::View, report.project_id.0)?;
    let image = image.ok_or(DashError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(image.media_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400, immutable"))
        .body(image.bytes))
}
