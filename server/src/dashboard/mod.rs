//! The staff dashboard at `/app`: server-rendered pages (askama templates in
//! `server/templates`, escaped by default) with one small script for keyboard shortcuts.
//!
//! Every page needs a session ([`session::SignedIn`]); every form post goes through
//! [`session::Posted`], which checks the session's CSRF token before the handler runs; every
//! read and write asks `snag_core::Access` whether this user may (a project the user may not
//! see answers 404, as if it did not exist). Every response carries a strict
//! Content-Security-Policy ([`security`]).

mod assets;
mod auth;
mod bulk;
mod charts;
mod defect;
mod error;
mod forms;
mod inbox;
mod metrics_page;
pub mod password;
mod report_view;
mod scope;
mod security;
mod session;
mod settings;
mod view;

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::middleware::from_fn;
use actix_web::web;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use snag_core::ForwardRule;

use crate::config::DashboardConfig;

/// What the dashboard keeps beside the shared state: sign-in limits and settings.
pub struct DashboardState {
    login_by_ip: DefaultKeyedRateLimiter<IpAddr>,
    login_by_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    pub session_ms: i64,
    /// The server is reached over https (its `public_url` says so): cookies are `Secure`
    /// even when TLS ends at a proxy in front.
    pub public_https: bool,
    /// Configured connectors (name, kind) and forwarding rules, for the settings page. Their
    /// secrets are never kept here.
    pub connectors: Vec<(String, &'static str)>,
    pub forwarding: Vec<ForwardRule>,
}

impl DashboardState {
    pub fn new(
        config: &DashboardConfig,
        public_url: &str,
        connectors: Vec<(String, &'static str)>,
        forwarding: Vec<ForwardRule>,
    ) -> Self {
        let per_minute = NonZeroU32::new(config.login_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.login_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        DashboardState {
            login_by_ip: RateLimiter::keyed(quota),
            login_by_account: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            session_ms: i64::from(config.session_hours.max(1)) * 3_600_000,
            public_https: public_url.starts_with("https://"),
            connectors,
            forwarding,
        }
    }

    /// Takes one sign-in attempt from `ip` for `account`; the seconds to wait when either
    /// has used its attempts.
    pub fn login_attempt(&self, ip: IpAddr, account: &str) -> Result<(), u64> {
        let wait = |not_until: governor::NotUntil<_>| {
            let wait = not_until.wait_time_from(self.clock.now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        };
        self.login_by_ip.check_key(&ip).map_err(wait)?;
        self.login_by_account
            .check_key(&account.to_owned())
            .map_err(wait)
    }

    /// Forgets buckets that have refilled.
    pub fn forget_idle(&self) {
        self.login_by_ip.retain_recent();
        self.login_by_account.retain_recent();
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/app")
            .wrap(from_fn(security::headers))
            .route("", web::get().to(inbox::page))
            .route("/", web::get().to(inbox::page))
            .route("/login", web::get().to(auth::login_page))
            .route("/login", web::post().to(auth::login))
            .route("/logout", web::post().to(auth::logout))
            .route("/invite/{token}", web::get().to(auth::invite_page))
            .route("/invite/{token}", web::post().to(auth::accept_invite))
            .route("/static/{file}", web::get().to(assets::file))
            .route("/bulk", web::post().to(bulk::bulk))
            .route("/defects/{id}", web::get().to(defect::page))
            .route("/defects/{id}/{action}", web::post().to(defect::act))
            .route("/reports/{id}/{image}", web::get().to(defect::image))
            .route("/metrics", web::get().to(metrics_page::page))
            .route("/projects", web::get().to(settings::first))
            .route("/projects/{id}", web::get().to(settings::page))
            .route("/projects/{id}", web::post().to(settings::save))
            .route(
                "/projects/{id}/rotate-key",
                web::post().to(settings::rotate),
            )
            .default_service(web::to(error::not_found)),
    );
}
