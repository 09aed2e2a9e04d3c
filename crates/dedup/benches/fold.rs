//! Folding against a large project: an index of 100,000 open defects, then 10,000 new
//! reports folded one at a time as the server's writer folds them (`decide`, then
//! `remember`), each timed.
//!
//! `cargo bench -p snag-dedup --bench fold` (plain `std::time`, one thread). The bar (issue
//! 5): under 1 ms at p99 per fold on one core, candidates found through the index.
//!
//! The reports are synthetic but shaped like a real project's, and go through the real
//! feature extraction (`snag_dedup::features`): descriptions mix a shared vocabulary of
//! web-app words (a few hundred, Zipf-distributed, so "page", "error" and "checkout" are in
//! thousands of defects) with each defect's own words and a long tail of rare ones (2 to 60
//! words besides the defect's own, so some reports reach the 96-token cap); routes
//! come from 300 templates, also Zipf (one route holds thousands of defects); about half the
//! reports carry console errors (one of 5,000 kinds, plus generic noise such as "Failed to
//! fetch"), a third failed requests, most a last click and a screenshot hash. Of the new
//! reports, 70 % describe an existing defect (in their own words) and 30 % a new problem.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use snag_core::{
    Breadcrumb, BreadcrumbKind, Category, ConsoleEntry, ConsoleLevel, DefectId, Enriched,
    FoldDecision, FoldSettings, Page, ReportId, ReportPayload, ScreenshotFacts, ThumbnailFacts,
};
use snag_dedup::{Folder, ReportFeatures, features};

const DEFECTS: usize = 100_000;
const FOLDS: usize = 10_000;
const PROJECT: i64 = 1;

/// Words every web app's reports use; drawn Zipf-distributed, so the first are everywhere.
const COMMON: &str = "\
    page error button click not working broken load loading blank checkout pay payment cart \
    order login password account search results filter save settings email slow spinner \
    crash freeze mobile phone safari chrome firefox image upload download export invoice \
    address shipping delivery price total discount coupon code review rating stock size \
    color quantity product wishlist profile language translation menu popup window form \
    field checkbox link tab icon banner cookie newsletter notification message chat help \
    admin dashboard report chart date calendar user role permission session logout register \
    reset twice duplicate missing wrong empty white black stuck again every time after \
    update since today nothing happens shows appears disappears cannot won't doesn't kaputt \
    Fehler funktioniert nicht Seite erreur marche pas página no funciona werkt niet pagina";

/// A small deterministic generator (splitmix64), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Zipf-distributed picks from `0..n` (exponent `s`), by the inverse of the CDF.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut cdf = Vec::with_capacity(n);
        let mut sum = 0.0;
        for k in 1..=n {
            sum += 1.0 / (k as f64).powf(s);
            cdf.push(sum);
        }
        Zipf(cdf.into_iter().map(|c| c / sum).collect())
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        self.0.partition_point(|&c| c < u).min(self.0.len() - 1)
    }
}

/// A pronounceable made-up word (product names, people's own words).
fn word(mut n: u64) -> String {
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwz";
    const VOWELS: &[u8] = b"aeiou";
    let mut out = String::new();
    for _ in 0..3 + n % 3 {
        out.push(CONSONANTS[(n % 18) as usize] as char);
        n /= 18;
        out.push(VOWELS[(n % 5) as usize] as char);
        n /= 5;
    }
    out
}

/// What stays the same across the reports of one defect.
struct Problem {
    words: Vec<String>,
    route: usize,
    error: Option<usize>,
    request: Option<usize>,
    click: usize,
    scene: u64,
}

struct World {
    rng: Rng,
    common_words: Vec<&'static str>,
    common: Zipf,
    routes: Zipf,
    errors: Zipf,
    rare: Zipf,
}

impl World {
    fn problem(&mut self) -> Problem {
        let rng = &mut self.rng;
        let mut words: Vec<String> = (0..3 + rng.below(4))
            .map(|_| self.common_words[self.common.pick(rng)].to_owned())
            .collect();
        words.extend((0..1 + rng.below(3)).map(|_| word(rng.next())));
        Problem {
            words,
            route: self.routes.pick(rng),
            error: rng.chance(0.5).then(|| self.errors.pick(rng)),
            request: rng.chance(0.35).then(|| rng.below(400)),
            click: rng.below(600),
            scene: rng.next(),
        }
    }

    /// One user's report of `problem`, in their own words.
    fn report(&mut self, problem: &Problem) -> (ReportPayload, Enriched) {
        let rng = &mut self.rng;
        let mut text: Vec<String> = problem
            .words
            .iter()
            .filter(|_| rng.chance(0.8))
            .cloned()
            .collect();
        // Terse to long: 2 to 60 more words.
        let more = if rng.chance(0.8) {
            2 + rng.below(10)
        } else {
            12 + rng.below(49)
        };
        for _ in 0..more {
            if rng.chance(0.6) {
                text.push(self.common_words[self.common.pick(rng)].to_owned());
            } else {
                text.push(word(self.rare.pick(rng) as u64 * 7919));
            }
        }
        let route = format!("/area{}/page{}", problem.route % 40, problem.route);
        let mut console = Vec::new();
        if let Some(error) = problem.error.filter(|_| rng.chance(0.7)) {
            console.push(ConsoleEntry {
                level: ConsoleLevel::Error,
                message: format!(
                    "TypeError: Cannot read properties of undefined (reading 'f{error}')\n    at \
                     Module{}.render (https://app.example/static/m{}.{:06x}.js:1:{})",
                    error % 300,
                    error % 50,
                    rng.next() & 0xff_ffff,
                    rng.below(90_000)
                ),
                ts: None,
            });
        }
        if rng.chance(0.2) {
            console.push(ConsoleEntry {
                level: ConsoleLevel::Error,
                message: "TypeError: Failed to fetch".into(),
                ts: None,
            });
        }
        if rng.chance(0.3) {
            console.push(ConsoleEntry {
                level: ConsoleLevel::Warn,
                message: format!("[widget{}] boot took {}ms", rng.below(5), rng.below(9000)),
                ts: None,
            });
        }
        let mut breadcrumbs = vec![Breadcrumb {
            kind: BreadcrumbKind::Click,
            message: Some(format!("button#action-{} \"Go\"", problem.click)),
            url: None,
            method: None,
            status: None,
            ts: None,
        }];
        if let Some(request) = problem.request {
            breadcrumbs.push(Breadcrumb {
                kind: BreadcrumbKind::Request,
                message: None,
                url: Some(format!(
                    "https://app.example/api/r{request}/{}",
                    rng.below(100_000)
                )),
                method: Some("POST".into()),
                status: Some(500),
                ts: None,
            });
        }
        let payload = ReportPayload {
            description: Some(text.join(" ")),
            category: Some(if rng.chance(0.9) {
                Category::Bug
            } else {
                Category::Idea
            }),
            page: Some(Page {
                url: Some(format!("https://app.example{route}")),
                ..Page::default()
            }),
            console,
            breadcrumbs,
            environment: Some("production".into()),
            ..ReportPayload::default()
        };
        let screenshot = rng.chance(0.6).then(|| ScreenshotFacts {
            media_type: "image/png".into(),
            width: 1280,
            height: 800,
            bytes: 0,
            received_bytes: 0,
            sha256: String::new(),
            perceptual_hash: format!("{:016x}", problem.scene ^ (1 << rng.below(64))),
            thumbnail: ThumbnailFacts {
                media_type: "image/jpeg".into(),
                width: 0,
                height: 0,
                bytes: 0,
            },
        });
        let enriched = Enriched {
            route: Some(route),
            screenshot,
            ..Enriched::default()
        };
        (payload, enriched)
    }

    fn features(&mut self, problem: &Problem) -> ReportFeatures {
        let (payload, enriched) = self.report(problem);
        features(&payload, &enriched)
    }
}

fn id(n: usize, tag: u16) -> String {
    format!("00000000-0000-7000-{tag:04x}-{n:012x}")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {model}")
}

fn main() {
    let common_words: Vec<&'static str> = COMMON.split_whitespace().collect();
    let mut world = World {
        rng: Rng(0x5eed),
        common: Zipf::new(common_words.len(), 1.0),
        common_words,
        routes: Zipf::new(300, 1.1),
        errors: Zipf::new(5_000, 1.0),
        rare: Zipf::new(50_000, 0.8),
    };
    println!("machine: {}", machine());

    // The problems first, so the resident memory the index adds can be measured.
    let problems: Vec<Problem> = (0..DEFECTS).map(|_| world.problem()).collect();
    let resident_before = resident_bytes();
    let started = Instant::now();
    let folder = Folder::new();
    let mut reports = 0usize;
    for (n, problem) in problems.iter().enumerate() {
        let defect = DefectId::parse(&id(n, 0x8001)).expect("id");
        // Most defects have one report, some a few.
        let count = 1 + usize::from(world.rng.chance(0.2)) + usize::from(world.rng.chance(0.05));
        for _ in 0..count {
            let report = ReportId::parse(&id(reports, 0x8002)).expect("id");
            let features = world.features(problem);
            folder.load(PROJECT, &defect, &report, features);
            reports += 1;
        }
    }
    let built = started.elapsed();
    let resident = resident_bytes().saturating_sub(resident_before);
    let memory = folder.memory_bytes(PROJECT);
    println!(
        "index: {} defects from {reports} reports, built in {:.1} s; memory: {:.0} MB \
         estimated ({} bytes per defect), {:.0} MB resident ({} bytes per defect)",
        folder.defects(PROJECT),
        built.as_secs_f64(),
        memory as f64 / 1e6,
        memory / DEFECTS,
        resident as f64 / 1e6,
        resident / DEFECTS,
    );

    // The new reports' features are made first: the server extracts them at ingest,
    // outside the writer, so they are not part of a fold's time.
    let popular = Zipf::new(DEFECTS, 0.9);
    let mut incoming = Vec::with_capacity(FOLDS);
    for _ in 0..FOLDS {
        incoming.push(if world.rng.chance(0.7) {
            let at = popular.pick(&mut world.rng);
            (Some(at), world.features(&problems[at]))
        } else {
            let problem = world.problem();
            (None, world.features(&problem))
        });
    }

    let settings = FoldSettings::default();
    let mut times = Vec::with_capacity(FOLDS);
    // Where the reports of known problems went: a defect of their problem (the indexed one,
    // or one an earlier report of it opened during this run), another problem's, or a new
    // one; and how many reports of new problems joined a defect.
    let mut problem_of: HashMap<String, usize> = (0..DEFECTS).map(|n| (id(n, 0x8001), n)).collect();
    let (mut own, mut other, mut apart, mut false_joins) = (0usize, 0usize, 0usize, 0usize);
    for (n, (truth, features)) in incoming.into_iter().enumerate() {
        let report = ReportId::parse(&id(reports + n, 0x8003)).expect("id");
        let started = Instant::now();
        let mut job = folder.job(PROJECT, report, features, settings.clone(), 0);
        let decision = job.decide();
        let defect = match &decision {
            FoldDecision::Join(found) => found.defect.clone(),
            FoldDecision::New => DefectId::parse(&id(n, 0x8004)).expect("id"),
        };
        job.remember(&defect);
        times.push(started.elapsed());
        match (truth, decision) {
            (Some(at), FoldDecision::Join(_)) if problem_of.get(defect.as_str()) == Some(&at) => {
                own += 1
            }
            (Some(_), FoldDecision::Join(_)) => other += 1,
            (Some(at), FoldDecision::New) => {
                apart += 1;
                problem_of.insert(defect.to_string(), at);
            }
            (None, FoldDecision::Join(_)) => false_joins += 1,
            (None, FoldDecision::New) => {}
        }
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "fold (decide + remember), {FOLDS} reports: p50 {:?}, p99 {:?}, max {:?}, \
         mean {mean:?}",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
    );
    println!(
        "reports of known problems: {own} joined a defect of theirs, {other} another \
         problem's, {apart} opened a new one; reports of new problems: {false_joins} joined \
         a defect"
    );
    let memory = folder.memory_bytes(PROJECT);
    println!(
        "after folding: {} defects, memory ~{:.0} MB, {} bytes per defect",
        folder.defects(PROJECT),
        memory as f64 / 1e6,
        memory / folder.defects(PROJECT)
    );
}

/// The process's resident memory, from `/proc/self/statm` (0 where there is none).
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}
