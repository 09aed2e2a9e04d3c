//! The inbox: defects by filters, search and sort, one page at a time, with bulk actions.
//! Every filter lives in the URL, so a view can be bookmarked or shared.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use snag_core::{Action, Priority, Severity, Status};
use snag_storage::{
    Defect, FieldFilter, InboxFilter, InboxSort, Project, ProjectId, StatusFilter, inbox_cursor,
};

use super::error::DashError;
use super::scope::visible_projects;
use super::session::SignedIn;
use super::view::{self, Choice, Nav, choices};
use crate::state::AppState;

const PAGE: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    component: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    after: String,
}

pub struct Row {
    pub id: String,
    pub title: String,
    pub project: String,
    pub status: &'static str,
    pub severity: &'static str,
    pub priority: &'static str,
    pub owner: String,
    pub component: String,
    pub reports: i64,
    pub first_seen: String,
    pub last_seen: String,
}

impl From<&Defect> for Row {
    fn from(d: &Defect) -> Row {
        Row {
            id: d.id.to_string(),
            title: d.title.clone(),
            project: d.project.clone(),
            status: d.status.as_str(),
            severity: d.severity.map_or("", Severity::as_str),
            priority: d.priority.map_or("", Priority::as_str),
            owner: d.assignee.clone().unwrap_or_default(),
            component: d.component.clone().unwrap_or_default(),
            reports: d.report_count,
            first_seen: view::time(d.first_seen),
            last_seen: view::time(d.last_seen),
        }
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    nav: Nav,
    query: InboxQuery,
    rows: Vec<Row>,
    projects: Vec<Choice>,
    statuses: Vec<Choice>,
    severities: Vec<Choice>,
    priorities: Vec<Choice>,
    sorts: Vec<Choice>,
    /// For the bulk form (no current value).
    bulk_statuses: Vec<Choice>,
    bulk_severities: Vec<Choice>,
    bulk_priorities: Vec<Choice>,
    show_projects: bool,
    next: Option<String>,
    first_page: Option<String>,
    back: String,
}

fn field<T>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    name: &str,
) -> Result<Option<FieldFilter<T>>, DashError> {
    match text.trim() {
        "" => Ok(None),
        "none" => Ok(Some(FieldFilter::Unset)),
        value => parse(value)
            .map(|v| Some(FieldFilter::Is(v)))
            .ok_or_else(|| DashError::BadRequest(format!("unknown {name} {value:?}"))),
    }
}

fn filter_from(
    query: &InboxQuery,
    signed: &SignedIn,
    projects: &[Project],
) -> Result<InboxFilter, DashError> {
    let visible: Vec<ProjectId> = projects.iter().map(|p| p.id).collect();
    let projects = match query.project.trim() {
        "" => signed.access.projects().map(|_| visible),
        id => {
            let id: i64 = id.parse().map_err(|_| DashError::NotFound)?;
            signed.access.check(Action::View, id)?;
            Some(vec![ProjectId(id)])
        }
    };
    let status = match query.status.as_str() {
        "" | "open" => StatusFilter::Open,
        "all" => StatusFilter::All,
        other => StatusFilter::Only(
            Status::parse(other)
                .ok_or_else(|| DashError::BadRequest(format!("unknown status {other:?}")))?,
        ),
    };
    let owner = match query.owner.trim() {
        "me" => Some(FieldFilter::Is(signed.user.email.clone())),
        other => field(other, |v| Some(v.to_owned()), "owner")?,
    };
    Ok(InboxFilter {
        projects,
        status,
        severity: field(&query.severity, Severity::parse, "severity")?,
        priority: field(&query.priority, Priority::parse, "priority")?,
        assignee: owner,
        component: field(&query.component, |v| Some(v.to_owned()), "component")?,
        search: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
        sort: InboxSort::parse(&query.sort).unwrap_or_default(),
        after: Some(query.after.clone()).filter(|a| !a.is_empty()),
        limit: PAGE + 1,
    })
}

fn query_string(query: &InboxQuery, after: &str) -> String {
    view::query(&[
        ("q", &query.q),
        ("status", &query.status),
        ("severity", &query.severity),
        ("priority", &query.priority),
        ("owner", &query.owner),
        ("component", &query.component),
        ("project", &query.project),
        ("sort", &query.sort),
        ("after", after),
    ])
}

pub async fn page(
    signed: SignedIn,
    query: web::Query<InboxQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let query = query.into_inner();
    let store_state = state.clone();
    let (rows, projects, next, sort) = web::block(move || {
        let projects = visible_projects(&store_state, &signed)?;
        let filter = filter_from(&query, &signed, &projects)?;
        let sort = filter.sort;
        let mut defects = store_state.store.inbox(&filter)?;
        let next = (defects.len() > PAGE).then(|| {
            defects.truncate(PAGE);
            defects.last().map(|d| inbox_cursor(d, sort))
        });
        Ok::<_, DashError>((
            defects.iter().map(Row::from).collect::<Vec<_>>(),
            projects,
            next.flatten(),
            (signed, query),
        ))
    })
    .await
    .map_err(|_| DashError::BadRequest("the server is shutting down".into()))??;
    let (signed, query) = sort;
    let current = query_string(&query, &query.after);
    let page = InboxPage {
        nav: Nav::new(&signed, "inbox"),
        next: next.map(|cursor| format!("/app?{}", query_string(&query, &cursor))),
        first_page: (!query.after.is_empty()).then(|| format!("/app?{}", query_string(&query, ""))),
        back: if current.is_empty() {
            "/app".into()
        } else {
            format!("/app?{current}")
        },
        projects: choices(
            &query.project,
            std::iter::once(("".to_owned(), "all projects".to_owned())).chain(
                projects
                    .iter()
                    .map(|p| (p.id.0.to_string(), p.name.clone())),
            ),
        ),
        show_projects: projects.len() > 1,
        statuses: choices(
            &query.status,
            [("", "open"), ("all", "any status")]
                .into_iter()
                .chain(Status::ALL.iter().map(|s| (s.as_str(), s.as_str()))),
        ),
        severities: choices(
            &query.severity,
            [("", "any severity"), ("none", "no severity")]
                .into_iter()
                .chain(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str()))),
        ),
        priorities: choices(
            &query.priority,
            [("", "any priority"), ("none", "no priority")]
                .into_iter()
                .chain(Priority::ALL.iter().map(|p| (p.as_str(), p.as_str()))),
        ),
        sorts: choices(
            &query.sort,
            InboxSort::ALL
                .iter()
                .map(|s| (s.as_str(), s.as_str().replace('_', " "))),
        ),
        bulk_statuses: choices(
            "",
            Status::ALL
                .iter()
                .filter(|s| **s != Status::Duplicate)
                .map(|s| (s.as_str(), s.as_str())),
        ),
        bulk_severities: choices(
            "",
            [("", "none")]
                .into_iter()
                .chain(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str()))),
        ),
        bulk_priorities: choices(
            "",
            [("", "none")]
                .into_iter()
                .chain(Priority::ALL.iter().map(|p| (p.as_str(), p.as_str()))),
        ),
        query,
        rows,
    };
    Ok(view::ok(&page))
}
