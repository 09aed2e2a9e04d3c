//! Staff reads: reports, their images, and defects.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use snag_core::{DefectId, Priority, ReportId, Severity, Status};
use snag_storage::{Defect, DefectFilter, ImageKind};

use super::auth::{ScreenshotAccess, Staff};
use super::error::ApiError;
use crate::state::AppState;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 200;

/// Runs a blocking store read on the blocking pool.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    web::block(f).await.map_err(|_| ApiError::ShuttingDown)?
}

fn report_id(text: &str) -> Result<ReportId, ApiError> {
    ReportId::parse(text).ok_or(ApiError::NotFound("report"))
}

pub async fn get_report(
    _: Staff,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = report_id(&path)?;
    let store = state.store.clone();
    let report = blocking(move || Ok(store.get_report(&id)?)).await?;
    let report = report.ok_or(ApiError::NotFound("report"))?;
    Ok(HttpResponse::Ok().json(report))
}

/// Staff, or a signed link in a ticket, may read a report's screenshot.
pub async fn get_screenshot(
    _: ScreenshotAccess,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    image(path, state, ImageKind::Screenshot).await
}

pub async fn get_thumbnail(
    _: Staff,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    image(path, state, ImageKind::Thumbnail).await
}

async fn image(
    path: web::Path<String>,
    state: web::Data<AppState>,
    kind: ImageKind,
) -> Result<HttpResponse, ApiError> {
    let id = report_id(&path)?;
    let store = state.store.clone();
    let image = blocking(move || Ok(store.report_image(&id, kind)?)).await?;
    let image = image.ok_or(ApiError::NotFound("screenshot"))?;
    Ok(HttpResponse::Ok()
        .content_type(image.media_type)
        // Images are content-addressed and never change under a report id.
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(image.bytes))
}

#[derive(Debug, Deserialize)]
pub struct DefectQuery {
    status: Option<String>,
    severity: Option<String>,
    priority: Option<String>,
    assignee: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

#[derive(Serialize)]
struct DefectPage {
    defects: Vec<Defect>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

fn parse_param<T>(
    field: &'static str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<T>, ApiError> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| ApiError::BadParameter {
            field,
            message: format!("{field} must be one of {allowed}"),
        }),
    }
}

fn filter_from(query: &DefectQuery) -> Result<DefectFilter, ApiError> {
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_PAGE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| ApiError::BadParameter {
                field: "limit",
                message: format!("limit must be 1 to {MAX_PAGE}"),
            })?,
    };
    let after = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(DefectId::parse(text).ok_or_else(|| ApiError::BadParameter {
            field: "cursor",
            message: "cursor must be a next_cursor from an earlier page".into(),
        })?),
    };
    Ok(DefectFilter {
        status: parse_param(
            "status",
            query.status.as_deref(),
            Status::parse,
            "new, triaged, assigned, in_progress, resolved, verified, closed, reopened, duplicate, wont_fix",
        )?,
        severity: parse_param(
            "severity",
            query.severity.as_deref(),
            Severity::parse,
            "blocker, critical, major, minor",
        )?,
        priority: parse_param(
            "priority",
            query.priority.as_deref(),
            Priority::parse,
            "p0, p1, p2, p3",
        )?,
        assignee: query.assignee.clone().filter(|a| !a.is_empty()),
        query: query.q.clone(),
        after,
        limit,
    })
}

pub async fn list_defects(
    _: Staff,
    query: web::Query<DefectQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut filter = filter_from(&query)?;
    let limit = filter.limit;
    // One extra row tells whether another page follows.
    filter.limit = limit + 1;
    let store = state.store.clone();
    let mut defects = blocking(move || Ok(store.list_defects(&filter)?)).await?;
    let next_cursor = if defects.len() > limit {
        defects.truncate(limit);
        defects.last().map(|d| d.id.to_string())
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(DefectPage {
        defects,
        next_cursor,
    }))
}

pub async fn get_defect(
    _: Staff,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = DefectId::parse(&path).ok_or(ApiError::NotFound("defect"))?;
    let store = state.store.clone();
    let defect = blocking(move || Ok(store.get_defect(&id)?)).await?;
    Ok(HttpResponse::Ok().json(defect.ok_or(ApiError::NotFound("defect"))?))
}
