//! Routes. Handlers are adapters: extract, call the pipeline or the store, map the result.

mod auth;
mod body;
pub mod error;
mod ingest;
mod metrics_api;
mod ops;
mod outbox;
mod staff;
pub(crate) mod triage;
mod widget;

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, ResponseError, web};

use crate::metrics::Metrics;
use crate::state::AppState;
use error::ApiError;
pub(crate) use ingest::client_ip;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::PathConfig::default().error_handler(|_, _| ApiError::NotFound("route").into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        let message = err.to_string();
        ApiError::BadParameter {
            field: "query",
            message,
        }
        .into()
    }))
    .route("/healthz", web::get().to(ops::healthz))
    .route("/metrics", web::get().to(ops::metrics))
    .route("/widget.js", web::get().to(widget::loader))
    .route("/widget/{file}", web::get().to(widget::file))
    .service(
        web::scope("/api/v1")
            .route("/reports", web::post().to(ingest::submit))
            .route(
                "/reports",
                web::method(actix_web::http::Method::OPTIONS).to(ingest::preflight),
            )
            .route("/reports/{id}", web::get().to(staff::get_report))
            .route(
                "/reports/{id}/screenshot",
                web::get().to(staff::get_screenshot),
            )
            .route(
                "/reports/{id}/thumbnail",
                web::get().to(staff::get_thumbnail),
            )
            .route("/defects", web::get().to(staff::list_defects))
            .route("/defects/{id}", web::get().to(staff::get_defect))
            .route("/defects/{id}", web::patch().to(triage::patch))
            .route(
                "/defects/{id}/transitions",
                web::post().to(triage::transition),
            )
            .route("/defects/{id}/merge", web::post().to(triage::merge))
            .route("/defects/{id}/unmerge", web::post().to(triage::unmerge))
            .route("/defects/{id}/split", web::post().to(triage::split))
            .route("/metrics", web::get().to(metrics_api::get))
            .route("/outbox", web::get().to(outbox::list))
            .route("/outbox/{id}/retry", web::post().to(outbox::retry)),
    )
    .configure(crate::dashboard::routes)
    .default_service(web::to(|| async {
        ApiError::NotFound("route").error_response()
    }));
}

/// Counts and times every request by its route pattern (never the raw path, which would make
/// one time series per id), and logs it at debug level without query or body.
pub async fn observe(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let metrics: Option<Arc<Metrics>> = req
        .app_data::<web::Data<AppState>>()
        .map(|state| Arc::clone(&state.metrics));
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.call(req).await?;
    let status = response.status();
    let elapsed = started.elapsed();
    if let Some(metrics) = metrics {
        metrics
            .http_requests
            .with_label_values(&[&method, &route, status.as_str()])
            .inc();
        metrics
            .http_duration
            .with_label_values(&[&route])
            .observe(elapsed.as_secs_f64());
    }
    tracing::debug!(%method, %route, status = status.as_u16(), micros = elapsed.as_micros() as u64, "request");
    Ok(response)
}
