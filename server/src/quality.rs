//! The quality metrics over a window, for the dashboard's metrics page and
//! `GET /api/v1/metrics`: storage counts, `snag_core::metrics` computes, this module groups.

use std::collections::BTreeMap;

use serde::Serialize;
use snag_core::{DurationStats, Leakage, Severity, Timestamp, Window, duration_stats};
use snag_storage::{MetricsQuery, Project, ProjectId, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    #[serde(flatten)]
    pub stats: DurationStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct DensityRow {
    pub project: String,
    pub component: String,
    pub defects: u64,
    pub reports: u64,
    /// The component's size in thousands of lines, from the project's settings.
    pub kloc: Option<f64>,
    pub defects_per_kloc: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolumePoint {
    pub start: Timestamp,
    pub reports: u64,
    pub new_defects: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopRow {
    pub name: String,
    pub defects: u64,
    pub reports: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricsReport {
    pub window: Window,
    pub since: Timestamp,
    pub until: Timestamp,
    /// Time from a defect's first report to its resolution, over defects resolved in the
    /// window (milliseconds).
    pub mttr: Option<DurationStats>,
    pub mttr_by_severity: Vec<Group>,
    pub mttr_by_component: Vec<Group>,
    /// Defects first seen in the window, by where they were found.
    pub leakage: Leakage,
    pub density: Vec<DensityRow>,
    pub volume: Vec<VolumePoint>,
    pub top_pages: Vec<TopRow>,
    pub top_components: Vec<TopRow>,
}

const NONE: &str = "(none)";

fn groups(map: BTreeMap<String, Vec<i64>>) -> Vec<Group> {
    map.into_iter()
        .filter_map(|(name, mut durations)| {
            duration_stats(&mut durations).map(|stats| Group { name, stats })
        })
        .collect()
}

/// Computes the metrics of `projects` (all when `None`) over `window` ending at `now`.
pub fn compute(
    store: &dyn Store,
    projects: Option<Vec<ProjectId>>,
    known: &[Project],
    window: Window,
    now: i64,
) -> Result<MetricsReport, StoreError> {
    let since = window.start(now);
    let bucket_ms = window.bucket_ms();
    let buckets = window.buckets();
    let counts = store.metrics_counts(&MetricsQuery {
        projects,
        since,
        bucket_ms,
        buckets,
    })?;

    let mut all = Vec::with_capacity(counts.resolved.len());
    let mut by_severity: BTreeMap<Option<Severity>, Vec<i64>> = BTreeMap::new();
    let mut by_component: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (severity, component, took) in &counts.resolved {
        all.push(*took);
        by_severity.entry(*severity).or_default().push(*took);
        by_component
            .entry(component.clone().unwrap_or_else(|| NONE.to_owned()))
            .or_default()
            .push(*took);
    }
    // Severity order (blocker first), unset last.
    let mut severity_groups: Vec<Group> = Vec::new();
    let mut unset = None;
    for (severity, mut durations) in by_severity {
        if let Some(stats) = duration_stats(&mut durations) {
            match severity {
                Some(s) => severity_groups.push(Group {
                    name: s.as_str().to_owned(),
                    stats,
                }),
                None => {
                    unset = Some(Group {
                        name: NONE.to_owned(),
                        stats,
                    })
                }
            }
        }
    }
    severity_groups.extend(unset);

    let mut leakage = Leakage::default();
    for (source, environment, count) in &counts.found {
        leakage.add(*source, environment.as_deref(), *count);
    }

    let names: BTreeMap<ProjectId, &Project> = known.iter().map(|p| (p.id, p)).collect();
    let mut density = Vec::new();
    let mut components: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (project, component, defects, reports) in &counts.components {
        let name = component.clone().unwrap_or_else(|| NONE.to_owned());
        let entry = components.entry(name.clone()).or_default();
        entry.0 += defects;
        entry.1 += reports;
        let project = names.get(project);
        let kloc = component
            .as_ref()
            .and_then(|c| project.and_then(|p| p.settings.component_sizes.get(c).copied()));
        density.push(DensityRow {
            project: project.map(|p| p.name.clone()).unwrap_or_default(),
            component: name,
            defects: *defects,
            reports: *reports,
            kloc,
            defects_per_kloc: kloc.and_then(|k| snag_core::metrics::density(*defects, k)),
        });
    }
    let mut top_components: Vec<TopRow> = components
        .into_iter()
        .map(|(name, (defects, reports))| TopRow {
            name,
            defects,
            reports,
        })
        .collect();
    top_components.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.name.cmp(&b.name)));
    top_components.truncate(10);

    let mut volume: Vec<VolumePoint> = (0..buckets)
        .map(|i| VolumePoint {
            start: Timestamp(since + i * bucket_ms),
            reports: 0,
            new_defects: 0,
        })
        .collect();
    for (bucket, reports, defects) in &counts.volume {
        if let Some(point) = usize::try_from(*bucket)
            .ok()
            .and_then(|b| volume.get_mut(b))
        {
            point.reports += reports;
            point.new_defects += defects;
        }
    }

    Ok(MetricsReport {
        window,
        since: Timestamp(since),
        until: Timestamp(now),
        mttr: duration_stats(&mut all),
        mttr_by_severity: severity_groups,
        mttr_by_component: groups(by_component),
        leakage,
        density,
        volume,
        top_pages: counts
            .routes
            .into_iter()
            .map(|(name, defects, reports)| TopRow {
                name,
                defects,
                reports,
            })
            .collect(),
        top_components,
    })
}
