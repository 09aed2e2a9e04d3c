//! The metrics page: MTTR, leakage, density, volume, top pages and components over a window,
//! as SVG charts and tables, for the projects the user sees.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use snag_core::{Action, Window};
use snag_storage::ProjectId;

use super::charts::{self, ColumnChart, HBarChart};
use super::error::DashError;
use super::scope::visible_projects;
use super::session::SignedIn;
use super::view::{self, Choice, Nav, choices};
use crate::quality::{self, MetricsReport};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct MetricsQuery {
    #[serde(default)]
    window: String,
    #[serde(default)]
    project: String,
}

#[derive(Template)]
#[template(path = "metrics.html")]
struct MetricsPage {
    nav: Nav,
    window: &'static str,
    windows: Vec<Choice>,
    projects: Vec<Choice>,
    show_projects: bool,
    report: MetricsReport,
    mttr: Vec<(String, String, String, String, String)>,
    mttr_chart: HBarChart,
    mttr_components: Vec<(String, String, String, String, String)>,
    leakage_rate: String,
    leakage_bar: Vec<(f64, f64)>,
    density: Vec<(String, String, u64, String, String)>,
    density_chart: HBarChart,
    volume: ColumnChart,
    volume_rows: Vec<(String, u64, u64)>,
    pages_chart: HBarChart,
}

fn stats_row(name: &str, s: &snag_core::DurationStats) -> (String, String, String, String, String) {
    (
        name.to_owned(),
        s.count.to_string(),
        view::duration(s.mean_ms),
        view::duration(s.median_ms),
        view::duration(s.p90_ms),
    )
}

pub async fn page(
    signed: SignedIn,
    query: web::Query<MetricsQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    signed.require(Action::View)?;
    let window = Window::parse(&query.window).unwrap_or_default();
    let project = query.project.trim().to_owned();
    let only = match project.as_str() {
        "" => None,
        id => {
            let id: i64 = id.parse().map_err(|_| DashError::NotFound)?;
            signed.check(Action::View, id)?;
            Some(vec![ProjectId(id)])
        }
    };
    let state2 = state.clone();
    let (report, projects, signed) = web::block(move || {
        let projects = visible_projects(&state2, &signed)?;
        let scope = only.or_else(|| {
            signed
                .access
                .projects()
                .map(|_| projects.iter().map(|p| p.id).collect())
        });
        let report = quality::compute(
            state2.store.as_ref(),
            scope,
            &projects,
            window,
            snag_storage::now_millis(),
        )?;
        Ok::<_, DashError>((report, projects, signed))
    })
    .await
    .map_err(|_| DashError::BadRequest("the server is shutting down".into()))??;

    let mut mttr: Vec<_> = report.mttr.iter().map(|s| stats_row("all", s)).collect();
    mttr.extend(
        report
            .mttr_by_severity
            .iter()
            .map(|g| stats_row(&g.name, &g.stats)),
    );
    let mttr_chart = charts::hbars(
        &report
            .mttr_by_severity
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    g.stats.median_ms as f64,
                    format!("median {}", view::duration(g.stats.median_ms)),
                )
            })
            .collect::<Vec<_>>(),
    );
    let density_rows: Vec<_> = report
        .density
        .iter()
        .filter_map(|d| d.defects_per_kloc.map(|v| (d, v)))
        .collect();
    let density_chart = charts::hbars(
        &density_rows
            .iter()
            .map(|(d, v)| (d.component.clone(), *v, format!("{v:.2} / KLOC")))
            .collect::<Vec<_>>(),
    );
    let label_every = (report.volume.len() / 6).max(1);
    let volume_points: Vec<(String, u64, u64)> = report
        .volume
        .iter()
        .map(|p| {
            (
                view::time(p.start)[..10].to_owned(),
                p.reports,
                p.new_defects,
            )
        })
        .collect();
    let page = MetricsPage {
        nav: Nav::new(&signed, "metrics"),
        window: window.as_str(),
        windows: choices(
            window.as_str(),
            Window::ALL
                .iter()
                .map(|w| (w.as_str(), format!("last {} days", w.days()))),
        ),
        projects: choices(
            &project,
            std::iter::once(("".to_owned(), "all projects".to_owned())).chain(
                projects
                    .iter()
                    .map(|p| (p.id.0.to_string(), p.name.clone())),
            ),
        ),
        show_projects: projects.len() > 1,
        mttr,
        mttr_chart,
        mttr_components: report
            .mttr_by_component
            .iter()
            .map(|g| stats_row(&g.name, &g.stats))
            .collect(),
        leakage_rate: report
            .leakage
            .rate
            .map(|r| format!("{:.1} %", r * 100.0))
            .unwrap_or_else(|| "no classified defects".into()),
        leakage_bar: charts::shares(&[
            report.leakage.production,
            report.leakage.pre_release,
            report.leakage.unknown,
        ]),
        density: report
            .density
            .iter()
            .map(|d| {
                (
                    d.project.clone(),
                    d.component.clone(),
                    d.defects,
                    d.kloc.map(|k| format!("{k}")).unwrap_or_default(),
                    d.defects_per_kloc
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        density_chart,
        volume: charts::columns(&volume_points, label_every),
        volume_rows: volume_points,
        pages_chart: charts::hbars(
            &report
                .top_pages
                .iter()
                .map(|t| {
                    (
                        t.name.clone(),
                        t.reports as f64,
                        format!("{} reports", t.reports),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        report,
    };
    Ok(view::ok(&page))
}
