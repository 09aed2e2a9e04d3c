//! `snag serve`: open the store, make sure a project exists, and run the HTTP server until
//! SIGINT/SIGTERM, then drain the writer so every acknowledged report is committed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use snag_core::scrub::ScrubConfig;
use snag_dedup::Folder;
use snag_enrich::UserAgentParser;
use snag_storage::{NewProject, Project, ProjectSettings, SqliteStore, Store, StoreOptions};

use crate::config::Config;
use crate::dashboard::DashboardState;
use crate::folding;
use crate::forward::{Forwarding, Links};
use crate::http;
use crate::ingest::{EnrichContext, Pipeline};
use crate::keys::new_project_key;
use crate::metrics::Metrics;
use crate::projects::ProjectCache;
use crate::rate_limit::SubmitLimiter;
use crate::state::AppState;
use crate::telemetry;

pub fn run(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config.log);
    let metrics = Arc::new(Metrics::new());
    let batch_metrics = Arc::clone(&metrics);
    let options = StoreOptions {
        durability: config.storage.durability.into(),
        max_batch: config.storage.max_batch,
        ..StoreOptions::default()
    };
    let sqlite = SqliteStore::open(
        &config.data_dir,
        &options,
        Box::new(move |size, took| batch_metrics.observe_batch(size, took)),
    )
    .with_context(|| format!("opening the database in {}", config.data_dir.display()))?;
    let store: Arc<dyn Store> = sqlite.clone();

    let started = Instant::now();
    let user_agents = UserAgentParser::embedded().context("loading the user-agent rules")?;
    tracing::info!(
        millis = started.elapsed().as_millis() as u64,
        "user-agent rules loaded"
    );

    let listener = std::net::TcpListener::bind(config.bind)
        .with_context(|| format!("binding {}", config.bind))?;
    let address = listener.local_addr()?;
    if config.demo.create_project {
        ensure_demo_project(store.as_ref(), &config, address)?;
    }
    let started = Instant::now();
    let folder = Folder::new();
    let loaded =
        folding::rebuild(store.as_ref(), &folder).context("rebuilding the folding index")?;
    tracing::info!(
        reports = loaded,
        millis = started.elapsed().as_millis() as u64,
        "folding index rebuilt"
    );

    let forwarding = Arc::new(
        Forwarding::from_config(&config.connectors, &config.forwarding)
            .context("configuring connectors")?,
    );
    let links = Arc::new(Links::new(
        &config.public_url(address),
        config.signing_key()?,
        config.link_validity_days,
    ));

    let state = web::Data::new(AppState {
        projects: ProjectCache::load(Arc::clone(&store))?,
        pipeline: Pipeline::new(
            Arc::clone(&store),
            Arc::clone(&folder),
            Arc::clone(&forwarding),
            EnrichContext {
                user_agents,
                limits: config.limits.clone(),
                severity_rules: config.severity_rules.clone(),
            },
        ),
        folder,
        forwarding: Arc::clone(&forwarding),
        links: Arc::clone(&links),
        limiter: SubmitLimiter::new(&config.rate_limit),
        metrics,
        limits: config.limits.clone(),
        trust_forwarded_for: config.rate_limit.trust_forwarded_for,
        dashboard: DashboardState::new(
            &config.dashboard,
            &config.public_url(address),
            config
                .connectors
                .iter()
                .map(|(name, connector)| (name.clone(), connector.kind()))
                .collect(),
            config.forwarding.clone(),
        ),
        store,
    });

    let workers = if config.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        config.workers
    };
    let result = actix_web::rt::System::new().block_on(async move {
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .wrap(from_fn(http::observe))
                .configure(http::routes)
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        state.forwarding.spawn_workers(
            Arc::clone(&state.store),
            Arc::clone(&state.links),
            config.outbox.clone(),
        );
        let forget_state = state.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                forget_state.limiter.forget_idle();
                forget_state.dashboard.forget_idle();
            }
        });
        println!("snag listening on http://{address}");
        server.await
    });
    tracing::info!("HTTP server stopped; draining the writer");
    sqlite.close();
    result.context("running the HTTP server")
}

/// On first start with no project, a `demo` project that accepts the server's own origin
/// (where the demo page is served) and requests without an origin (curl), so the demo and
/// the README's curl line work with no setup. Its key is printed on every start.
fn ensure_demo_project(
    store: &dyn Store,
    config: &Config,
    address: SocketAddr,
) -> anyhow::Result<()> {
    let projects = store.list_projects()?;
    let demo = match projects.iter().find(|p| p.name == "demo") {
        Some(demo) => demo.clone(),
        None if projects.is_empty() => create_demo_project(store, config, address)?,
        None => return Ok(()),
    };
    println!("demo project key: {}", demo.public_key);
    Ok(())
}

fn create_demo_project(
    store: &dyn Store,
    config: &Config,
    address: SocketAddr,
) -> anyhow::Result<Project> {
    let port = address.port();
    let mut origins = vec![
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ];
    origins.extend(super::project::parse_origins(&config.demo.origins)?);
    let project = store.insert_project(NewProject {
        name: "demo".into(),
        public_key: new_project_key(),
        allowed_origins: origins,
        allow_no_origin: true,
        settings: ProjectSettings {
            scrub: ScrubConfig::default(),
            ..ProjectSettings::default()
        },
    })?;
    println!("created the demo project");
    Ok(project)
}
