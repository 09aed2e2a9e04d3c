//! Turning a validated payload into a report ready to store: scrubbed, with the client parsed,
//! the route and component found, and the screenshot re-encoded with a thumbnail and hash.

use snag_core::{
    ConsoleLevel, DefectId, Enriched, IdempotencyKey, Rejection, ReportId, ReportPayload,
    ScreenshotFacts, SeverityFacts, Source, ThumbnailFacts, defect_title, normalize_route,
    suggest_severity,
};
use snag_dedup::{ReportFeatures, features};
use snag_enrich::{Screenshot, process_screenshot};
use snag_storage::{Millis, NewDefect, NewImage, NewReport};

use super::{Caller, EnrichContext};
use crate::keys::{new_id, sha256_hex};
use crate::projects::ProjectEntry;

/// Defect titles are one line in lists and ticket summaries.
const DEFECT_TITLE_CHARS: usize = 120;

pub fn enrich(
    project: &ProjectEntry,
    mut payload: ReportPayload,
    idempotency_key: Option<IdempotencyKey>,
    caller: Caller,
    context: &EnrichContext,
    received_at: Millis,
) -> Result<(NewReport, ReportFeatures), Rejection> {
    let screenshot = match payload.screenshot.take() {
        Some(data_url) => Some(process_screenshot(&data_url, &context.limits)?),
        None => None,
    };
    let scrubbed = project.scrubber.scrub_report(&mut payload);
    let client = payload
        .client
        .as_ref()
        .and_then(|c| c.user_agent.as_deref())
        .map(|ua| context.user_agents.parse(ua))
        .unwrap_or_default();
    let route = payload
        .page
        .as_ref()
        .and_then(|p| p.url.as_deref())
        .map(normalize_route);
    let component = route
        .as_deref()
        .and_then(|r| project.project.settings.routes.component_for(r))
        .map(str::to_owned);
    let source = payload.source.unwrap_or(match caller {
        Caller::Browser => Source::Widget,
        Caller::Server => Source::Api,
    });
    let description = payload.description.as_deref().unwrap_or_default();
    let settings = &project.project.settings;
    let rules = settings
        .severity_rules
        .as_deref()
        .unwrap_or(&context.severity_rules);
    let facts = SeverityFacts {
        route: route.as_deref(),
        component: component.as_deref(),
        category: payload.category,
        console_error: payload
            .console
            .iter()
            .any(|e| e.level == ConsoleLevel::Error),
        environment: payload.environment.as_deref(),
        source: Some(source),
    };
    let new_defect = NewDefect {
        id: DefectId::parse(&new_id()).expect("a v7 UUID has the id form"),
        title: defect_title(payload.title.as_deref(), description, DEFECT_TITLE_CHARS),
        severity: suggest_severity(rules, &facts),
        component: component.clone(),
        route: route.clone(),
        category: payload.category,
        environment: payload.environment.clone(),
        source,
    };
    let (screenshot_image, thumbnail_image, facts) = match screenshot {
        Some(shot) => split_screenshot(shot),
        None => (None, None, None),
    };
    let enriched = Enriched {
        browser: client.browser,
        browser_version: client.browser_version,
        os: client.os,
        os_version: client.os_version,
        device: client.device,
        device_brand: client.device_brand,
        device_model: client.device_model,
        route,
        component,
        scrubbed,
        screenshot: facts,
    };
    let features = features(&payload, &enriched);
    let report = NewReport {
        id: ReportId::parse(&new_id()).expect("a v7 UUID has the id form"),
        project_id: project.project.id,
        received_at,
        payload,
        enriched,
        screenshot: screenshot_image,
        thumbnail: thumbnail_image,
        idempotency_key,
        new_defect,
        features: Some(features.encode()),
        reopen_on_new_report: settings.fold.reopen_on_new_report,
        outbox: Vec::new(),
    };
    Ok((report, features))
}

fn split_screenshot(
    shot: Screenshot,
) -> (Option<NewImage>, Option<NewImage>, Option<ScreenshotFacts>) {
    let thumbnail_sha256 = sha256_hex(&shot.thumbnail);
    let facts = ScreenshotFacts {
        media_type: shot.media_type.to_owned(),
        width: shot.width,
        height: shot.height,
        bytes: shot.image.len(),
        received_bytes: shot.received_bytes,
        sha256: shot.sha256.clone(),
        perceptual_hash: format!("{:016x}", shot.perceptual_hash),
        thumbnail: ThumbnailFacts {
            media_type: shot.thumbnail_media_type.to_owned(),
            width: shot.thumbnail_width,
            height: shot.thumbnail_height,
            bytes: shot.thumbnail.len(),
        },
    };
    let screenshot = NewImage {
        sha256: shot.sha256,
        media_type: shot.media_type.to_owned(),
        width: shot.width,
        height: shot.height,
        bytes: shot.image,
    };
    let thumbnail = NewImage {
        sha256: thumbnail_sha256,
        media_type: shot.thumbnail_media_type.to_owned(),
        width: shot.thumbnail_width,
        height: shot.thumbnail_height,
        bytes: shot.thumbnail,
    };
    (Some(screenshot), Some(thumbnail), Some(facts))
}
