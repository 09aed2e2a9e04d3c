//! The labelled set in `tests/fixtures/dedup/`, prepared the way the server prepares a report
//! (scrubbing, route, screenshot hash, features); shared by `eval`, `calibrate` and the
//! quality test (`tests/quality.rs`), each of which uses a part of it.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine;
use image::{ImageFormat, Rgb, RgbImage};
use serde::Deserialize;
use snag_core::{DefectId, FoldDecision, FoldSettings, ReportId};
use snag_core::{
    Enriched, Limits, ReportPayload, ScreenshotFacts, Scrubber, ThumbnailFacts, normalize_route,
};
use snag_dedup::{Folder, features};

#[derive(Deserialize)]
struct Labelled {
    id: String,
    group: String,
    report: serde_json::Value,
    screenshot: Option<Scene>,
}

#[derive(Deserialize)]
struct Scene {
    scene: String,
    seed: u64,
}

pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A synthetic screenshot: the scene fixes the layout (blocks and colours), the seed varies a
/// few details, as two users' screens of one page differ.
fn render(scene: &Scene) -> Vec<u8> {
    let mut layout = fnv(&scene.scene);
    let mut detail = scene.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ layout;
    let next = |state: &mut u64| {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    };
    let mut img = RgbImage::from_pixel(640, 400, Rgb([248, 248, 250]));
    let block = |img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: Rgb<u8>| {
        for yy in y..(y + h).min(400) {
            for xx in x..(x + w).min(640) {
                img.put_pixel(xx, yy, c);
            }
        }
    };
    let header = Rgb([(next(&mut layout) % 200) as u8, 60, 140]);
    block(&mut img, 0, 0, 640, 40, header);
    for _ in 0..6 {
        let (x, y) = (
            (next(&mut layout) % 560) as u32,
            50 + (next(&mut layout) % 300) as u32,
        );
        let (w, h) = (
            40 + (next(&mut layout) % 200) as u32,
            20 + (next(&mut layout) % 90) as u32,
        );
        let shade = (next(&mut layout) % 180) as u8;
        block(
            &mut img,
            x,
            y,
            w,
            h,
            Rgb([shade, shade, shade.saturating_add(30)]),
        );
    }
    for _ in 0..3 {
        let (x, y) = (
            (next(&mut detail) % 600) as u32,
            60 + (next(&mut detail) % 320) as u32,
        );
        block(&mut img, x, y, 30, 8, Rgb([90, 90, 90]));
    }
    let mut png = Cursor::new(Vec::new());
    img.write_to(&mut png, ImageFormat::Png)
        .expect("encoding a PNG in memory");
    png.into_inner()
}

fn screenshot_facts(scene: &Scene) -> ScreenshotFacts {
    let data_url = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(render(scene))
    );
    let shot = snag_enrich::process_screenshot(&data_url, &Limits::default())
        .expect("a valid synthetic screenshot");
    ScreenshotFacts {
        media_type: shot.media_type.into(),
        width: shot.width,
        height: shot.height,
        bytes: shot.image.len(),
        received_bytes: shot.received_bytes,
        sha256: shot.sha256,
        perceptual_hash: format!("{:016x}", shot.perceptual_hash),
        thumbnail: ThumbnailFacts {
            media_type: "image/jpeg".into(),
            width: 0,
            height: 0,
            bytes: 0,
        },
    }
}

pub fn id_from(n: usize, tag: u8) -> String {
    format!("00000000-0000-7000-8{tag:03x}-{n:012x}")
}

#[derive(Clone)]
pub struct Prepared {
    pub id: String,
    pub text: String,
    pub group: String,
    pub features: snag_dedup::ReportFeatures,
}

fn prepare(lines: &[Labelled]) -> Vec<Prepared> {
    let scrubber = Scrubber::new(&Default::default());
    lines
        .iter()
        .map(|line| {
            let bytes = serde_json::to_vec(&line.report).expect("JSON");
            let mut payload: ReportPayload = snag_core::parse_report(&bytes, &Limits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", line.id));
            let scrubbed = scrubber.scrub_report(&mut payload);
            let route = payload
                .page
                .as_ref()
                .and_then(|p| p.url.as_deref())
                .map(normalize_route);
            let enriched = Enriched {
                route,
                scrubbed,
                screenshot: line.screenshot.as_ref().map(screenshot_facts),
                ..Enriched::default()
            };
            Prepared {
                id: line.id.clone(),
                text: payload.description.clone().unwrap_or_default(),
                group: line.group.clone(),
                features: features(&payload, &enriched),
            }
        })
        .collect()
}

/// The reports of one split (`dev`, `test` or `all`), in file order. The split assigns whole
/// groups to halves by a hash of their name: tune on `dev`, report `test`.
pub fn load(split: &str) -> Vec<Prepared> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dedup/reports.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let lines: Vec<Labelled> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .filter(|l: &Labelled| in_split(split, &l.group))
        .collect();
    prepare(&lines)
}

pub fn in_split(split: &str, group: &str) -> bool {
    match split {
        "dev" => fnv(group).is_multiple_of(2),
        "test" => fnv(group) % 2 == 1,
        _ => true,
    }
}

/// Pairwise quality of "same defect" decisions: over every pair of reports, whether they
/// landed in one defect against whether they share a group.
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Defects opened.
    pub defects: usize,
}

/// Scores the defect each report was folded into (`assigned`, in `reports` order).
pub fn pairwise(reports: &[&Prepared], assigned: &[String]) -> Scores {
    let (mut tp, mut fp, mut fne) = (0u64, 0u64, 0u64);
    for i in 0..reports.len() {
        for j in i + 1..reports.len() {
            let truth = reports[i].group == reports[j].group;
            let said = assigned[i] == assigned[j];
            match (truth, said) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fne += 1,
                (false, false) => {}
            }
        }
    }
    let ratio = |hit: u64, miss: u64| {
        if hit + miss == 0 {
            1.0
        } else {
            hit as f64 / (hit + miss) as f64
        }
    };
    let precision = ratio(tp, fp);
    let recall = ratio(tp, fne);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let mut distinct = assigned.to_vec();
    distinct.sort();
    distinct.dedup();
    Scores {
        precision,
        recall,
        f1,
        defects: distinct.len(),
    }
}

/// Folds `reports` one at a time, in order, as the server's writer does, showing `observe`
/// each decision before it is remembered (with the defects chosen so far); returns the
/// defect each report went to.
pub fn fold(
    reports: &[&Prepared],
    settings: &FoldSettings,
    mut observe: impl FnMut(usize, &FoldDecision, &Folder, &[String]),
) -> Vec<String> {
    let folder = Folder::new();
    let mut assigned: Vec<String> = Vec::with_capacity(reports.len());
    for (n, report) in reports.iter().enumerate() {
        let report_id = ReportId::parse(&id_from(n, 1)).expect("id");
        let mut job = folder.job(1, report_id, report.features.clone(), settings.clone(), 0);
        let decision = job.decide();
        observe(n, &decision, &folder, &assigned);
        let defect = match decision {
            FoldDecision::Join(found) => found.defect,
            FoldDecision::New => DefectId::parse(&id_from(n, 2)).expect("id"),
        };
        job.remember(&defect);
        assigned.push(defect.to_string());
    }
    assigned
}
