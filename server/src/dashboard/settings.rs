//! A project's settings, for admins: allowed origins, the public key (rotate), routing and
//! connectors (shown, configured in the server's file), duplicate folding, scrubbing,
//! component sizes. Connector secrets never reach this page.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use snag_core::metrics::parse_component_size;
use snag_core::{Action, RouteRule, RouteRules};
use snag_storage::{Project, ProjectId, ProjectUpdate};

use super::error::DashError;
use super::forms::Form;
use super::scope::visible_projects;
use super::session::{Posted, SignedIn};
use super::view::{self, Nav, see_other};
use crate::commands::project::parse_origins;
use crate::keys::new_project_key;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    nav: Nav,
    id: i64,
    name: String,
    key: String,
    projects: Vec<(i64, String)>,
    origins: String,
    allow_no_origin: bool,
    routes: String,
    fold_enabled: bool,
    threshold: String,
    separate_environments: bool,
    reopen: bool,
    scrub: Vec<(&'static str, &'static str, bool)>,
    extra_secret_keys: String,
    sizes: String,
    connectors: Vec<(String, &'static str)>,
    forwarding: Vec<String>,
    saved: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn load(state: &AppState, signed: &SignedIn, id: &str) -> Result<Project, DashError> {
    let id: i64 = id.parse().map_err(|_| DashError::NotFound)?;
    signed.check(Action::Configure, id)?;
    state
        .store
        .project(ProjectId(id))?
        .ok_or(DashError::NotFound)
}

/// `/app/projects`: the first project this admin may configure.
pub async fn first(
    signed: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    signed.require(Action::Configure)?;
    let projects = visible_projects(&state, &signed)?;
    let first = projects.first().ok_or(DashError::NotFound)?;
    Ok(see_other(&format!("/app/projects/{}", first.id.0)))
}

pub async fn page(
    signed: SignedIn,
    path: web::Path<String>,
    query: web::Query<SavedQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let project = load(&state, &signed, &path)?;
    let projects = visible_projects(&state, &signed)?;
    let s = &project.settings;
    let forwarding = state
        .dashboard
        .forwarding
        .iter()
        .filter(|rule| rule.project == "*" || rule.project == project.name)
        .map(|rule| serde_json::to_string(rule).unwrap_or_default())
        .collect();
    let page = SettingsPage {
        nav: Nav::new(&signed, "settings"),
        id: project.id.0,
        name: project.name.clone(),
        key: project.public_key.to_string(),
        projects: projects.iter().map(|p| (p.id.0, p.name.clone())).collect(),
        origins: project.allowed_origins.join("\n"),
        allow_no_origin: project.allow_no_origin,
        routes: s
            .routes
            .0
            .iter()
            .map(|r| format!("{}={}", r.pattern, r.component))
            .collect::<Vec<_>>()
            .join("\n"),
        fold_enabled: s.fold.enabled,
        threshold: format!("{}", s.fold.threshold),
        separate_environments: s.fold.separate_environments,
        reopen: s.fold.reopen_on_new_report,
        scrub: vec![
            ("scrub", "scrub personal data at all", s.scrub.enabled),
            ("scrub_emails", "e-mail addresses", s.scrub.emails),
            ("scrub_cards", "card numbers", s.scrub.card_numbers),
            ("scrub_ibans", "IBANs", s.scrub.ibans),
            ("scrub_tokens", "tokens and API keys", s.scrub.tokens),
            ("scrub_secrets", "secrets in URLs and text", s.scrub.secrets),
        ],
        extra_secret_keys: s.scrub.extra_secret_keys.join("\n"),
        sizes: s
            .component_sizes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        connectors: state.dashboard.connectors.clone(),
        forwarding,
        saved: query.saved.is_some(),
    };
    Ok(view::ok(&page))
}

fn lines(text: Option<&str>) -> impl Iterator<Item = &str> {
    text.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

fn update_from(form: &Form, project: &Project) -> Result<ProjectUpdate, DashError> {
    let bad = |message: String| DashError::BadRequest(message);
    let origins: Vec<String> = lines(form.get("origins")).map(str::to_owned).collect();
    let allowed_origins = parse_origins(&origins).map_err(|e| bad(format!("{e:#}")))?;
    let routes = lines(form.get("routes"))
        .map(|line| {
            RouteRule::parse(line).ok_or_else(|| {
                bad(format!(
                    "{line:?} is not a rule such as /checkout/**=checkout"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let threshold: f32 = form
        .text("threshold")
        .unwrap_or("0.5")
        .parse()
        .ok()
        .filter(|t| (0.0..=2.0).contains(t))
        .ok_or_else(|| bad("the threshold is a number from 0 to 2".into()))?;
    let component_sizes = lines(form.get("sizes"))
        .map(|line| parse_component_size(line).map_err(bad))
        .collect::<Result<_, _>>()?;
    let mut settings = project.settings.clone();
    settings.routes = RouteRules(routes);
    settings.fold.enabled = form.checked("fold_enabled");
    settings.fold.threshold = threshold;
    settings.fold.separate_environments = form.checked("separate_environments");
    settings.fold.reopen_on_new_report = form.checked("reopen");
    settings.scrub.enabled = form.checked("scrub");
    settings.scrub.emails = form.checked("scrub_emails");
    settings.scrub.card_numbers = form.checked("scrub_cards");
    settings.scrub.ibans = form.checked("scrub_ibans");
    settings.scrub.tokens = form.checked("scrub_tokens");
    settings.scrub.secrets = form.checked("scrub_secrets");
    settings.scrub.extra_secret_keys = lines(form.get("extra_secret_keys"))
        .map(str::to_owned)
        .collect();
    settings.component_sizes = component_sizes;
    Ok(ProjectUpdate {
        allowed_origins,
        allow_no_origin: form.checked("allow_no_origin"),
        settings,
    })
}

pub async fn save(
    posted: Posted,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let project = load(&state, &posted.signed, &path)?;
    let update = update_from(&posted.form, &project)?;
    state.store.update_project(project.id, update)?;
    // Ingest reads projects from a cache: refresh it so the change applies now.
    state.projects.reload()?;
    Ok(see_other(&format!(
        "/app/projects/{}?saved=1",
        project.id.0
    )))
}

pub async fn rotate(
    posted: Posted,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let project = load(&state, &posted.signed, &path)?;
    state
        .store
        .rotate_project_key(project.id, &new_project_key())?;
    state.projects.reload()?;
    Ok(see_other(&format!(
        "/app/projects/{}?saved=1",
        project.id.0
    )))
}
