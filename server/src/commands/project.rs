//! `snag project create` and `snag project list`.

use anyhow::{Context, bail};
use serde::Serialize;
use snag_core::scrub::ScrubConfig;
use snag_core::{FoldSettings, RouteRule, RouteRules, normalize_origin};
use snag_storage::{NewProject, Project, ProjectSettings, ProjectUpdate, Store};

use super::open_store;
use crate::cli::{ProjectCreate, ProjectSet};
use crate::config::Config;
use crate::keys::new_project_key;

#[derive(Serialize)]
struct ProjectView<'a> {
    name: &'a str,
    public_key: &'a str,
    allowed_origins: &'a [String],
    allow_no_origin: bool,
    routes: &'a RouteRules,
    scrubbing: bool,
}

impl<'a> From<&'a Project> for ProjectView<'a> {
    fn from(p: &'a Project) -> Self {
        ProjectView {
            name: &p.name,
            public_key: p.public_key.as_str(),
            allowed_origins: &p.allowed_origins,
            allow_no_origin: p.allow_no_origin,
            routes: &p.settings.routes,
            scrubbing: p.settings.scrub.enabled,
        }
    }
}

/// Checks and normalises origins: `*` or an http(s) origin.
pub fn parse_origins(origins: &[String]) -> anyhow::Result<Vec<String>> {
    origins
        .iter()
        .map(|origin| {
            if origin.trim() == "*" {
                return Ok("*".to_owned());
            }
            normalize_origin(origin)
                .with_context(|| format!("{origin:?} is not an origin such as https://app.example"))
        })
        .collect()
}

pub fn create(config: &Config, args: &ProjectCreate) -> anyhow::Result<()> {
    let name = args.name.trim();
    if name.is_empty() {
        bail!("--name must not be empty");
    }
    if args.origins.is_empty() && !args.allow_no_origin {
        bail!("give at least one --origin, or --allow-no-origin for server-side clients");
    }
    let allowed_origins = parse_origins(&args.origins)?;
    let routes = args
        .routes
        .iter()
        .map(|text| {
            RouteRule::parse(text)
                .with_context(|| format!("{text:?} is not a rule such as '/checkout/**=checkout'"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let settings = ProjectSettings {
        scrub: ScrubConfig {
            enabled: !args.no_scrub,
            ..ScrubConfig::default()
        },
        routes: RouteRules(routes),
        fold: fold_settings(args)?,
        severity_rules: None,
        component_sizes: Default::default(),
    };
    let store = open_store(config)?;
    let project = store.insert_project(NewProject {
        name: name.to_owned(),
        public_key: new_project_key(),
        allowed_origins,
        allow_no_origin: args.allow_no_origin,
        settings,
    });
    store.close();
    let project = project?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ProjectView::from(&project))?
        );
    } else {
        println!("created project {:?}", project.name);
        println!("public key: {}", project.public_key);
        println!(
            "embed: <script src=\"http://{}/widget.js\" data-key=\"{}\" async></script>",
            config.bind, project.public_key
        );
    }
    Ok(())
}

fn fold_settings(args: &ProjectCreate) -> anyhow::Result<FoldSettings> {
    let mut fold = FoldSettings {
        enabled: !args.no_dedup,
        ..FoldSettings::default()
    };
    if let Some(threshold) = args.dedup_threshold {
        if !(0.0..=2.0).contains(&threshold) {
            bail!("--dedup-threshold must be between 0 and 2, not {threshold}");
        }
        fold.threshold = threshold;
    }
    fold.separate_environments = args.separate_environments;
    Ok(fold)
}

pub fn list(config: &Config, json: bool) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let projects = store.list_projects();
    store.close();
    let projects = projects?;
    if json {
        let views: Vec<ProjectView<'_>> = projects.iter().map(ProjectView::from).collect();
        println!("{}", serde_json::to_string_pretty(&views)?);
    } else {
        for p in &projects {
            println!(
                "{}\t{}\t{}",
                p.name,
                p.public_key,
                p.allowed_origins.join(",")
            );
        }
    }
    Ok(())
}

/// `snag project set`: component sizes for defect density.
pub fn set(config: &Config, args: &ProjectSet) -> anyhow::Result<()> {
    let sizes = args
        .component_sizes
        .iter()
        .map(|text| snag_core::metrics::parse_component_size(text).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let store = open_store(config)?;
    let result = (|| {
        let project = store
            .list_projects()?
            .into_iter()
            .find(|p| p.name == args.name.trim())
            .with_context(|| format!("no project is named {:?}", args.name))?;
        let mut settings = project.settings.clone();
        for name in &args.remove_component_sizes {
            settings.component_sizes.remove(name.trim());
        }
        settings.component_sizes.extend(sizes);
        store.update_project(
            project.id,
            ProjectUpdate {
                allowed_origins: project.allowed_origins.clone(),
                allow_no_origin: project.allow_no_origin,
                settings: settings.clone(),
            },
        )?;
        Ok::<_, anyhow::Error>(settings)
    })();
    store.close();
    let settings = result?;
    println!("updated project {:?}", args.name.trim());
    for (component, kloc) in &settings.component_sizes {
        println!("component {component}: {kloc} KLOC");
    }
    Ok(())
}
