//! Fits the weights of the folding score on the `dev` half of the labelled set, and shows
//! what they do there.
//!
//! The reports are replayed in arrival order into an index that knows the right answer (each
//! labelled group is one defect). At every report the decision the folder faces is recorded:
//! the candidate defects the buckets give, each with its unweighted [`Evidence`], and which
//! choice is right (the report's own defect, or a new one when its group has none yet). The
//! weights are those of a conditional logit over that choice, where "open a new defect" is an
//! option whose score is the threshold: the folder's own rule (join the best candidate when
//! its score reaches the threshold) is exactly the choice this model makes, so fitting it
//! fits the rule. An L2 penalty keeps weights of rare signals near zero, and each weight
//! keeps its sign (a disagreement never counts for a match). Only the weights of what broke
//! are fitted; those of where it broke are set by design (`PLACE`).
//!
//! The fitted weights are replayed online (the folder's real decisions, with its mistakes
//! feeding later ones) over thresholds 0.30..0.80; the threshold with the best recall at
//! precision 0.98 is chosen, and all weights are scaled so that it becomes
//! `FoldSettings::default()`'s, which changes no decision. The printed array is
//! `snag_dedup::score::WEIGHTS`.
//!
//! `cargo run --release -p snag-dedup --example calibrate [-- --split dev] [--half]
//! [--precision 0.98] [--l2 1] [--weights w1,w2,...] [--margins]`
//!
//! Only ever fit on `dev`; `--split test|all` only replays the weights (compiled, or
//! `--weights`). `--half` fits on half of `dev`'s groups and replays on all of `dev`, which
//! shows what happens when siblings the fit never saw arrive; `--margins` lists the closest
//! calls of the right-answer replay.

mod common;

use std::collections::HashMap;

use common::{Prepared, Scores, id_from, load, pairwise};
use snag_core::{DefectId, FoldSettings, ReportId};
use snag_dedup::ProjectIndex;
use snag_dedup::score::{Evidence, FEATURES, NAMES, WEIGHTS};

/// One decision: the candidates' feature vectors and the index of the right one
/// (`None`: open a new defect).
struct Choice {
    report: usize,
    options: Vec<[f32; FEATURES]>,
    /// The group of the defect each option is.
    groups: Vec<String>,
    right: Option<usize>,
}

fn defect_of(n: usize) -> DefectId {
    DefectId::parse(&id_from(n, 2)).expect("id")
}

fn report_of(n: usize) -> ReportId {
    ReportId::parse(&id_from(n, 1)).expect("id")
}

/// Replays `reports` into an index that knows the groups and records each decision.
fn choices(reports: &[Prepared]) -> (Vec<Choice>, usize) {
    let mut index = ProjectIndex::default();
    let mut home: HashMap<&str, DefectId> = HashMap::new();
    let mut group_of: HashMap<DefectId, String> = HashMap::new();
    let mut found = Vec::new();
    let mut unreachable = 0;
    for (n, report) in reports.iter().enumerate() {
        let candidates = index.candidate_evidence(&report.features);
        let own = home.get(report.group.as_str());
        let right = own.and_then(|own| candidates.iter().position(|(id, _)| id == own));
        if own.is_some() && right.is_none() {
            // The buckets did not offer its defect: no weight can fix that.
            unreachable += 1;
        } else {
            found.push(Choice {
                report: n,
                options: candidates.iter().map(|(_, e)| e.vector()).collect(),
                groups: candidates
                    .iter()
                    .map(|(id, _)| group_of[id].clone())
                    .collect(),
                right,
            });
        }
        let defect = home
            .entry(report.group.as_str())
            .or_insert_with(|| defect_of(n))
            .clone();
        group_of.insert(defect.clone(), report.group.clone());
        index.add(&defect, &report_of(n), report.features.clone());
    }
    (found, unreachable)
}

fn dot(w: &[f64; FEATURES], x: &[f32; FEATURES]) -> f64 {
    w.iter().zip(x).map(|(w, x)| w * f64::from(*x)).sum()
}

/// Where a report was made, what it clicked, how its screen looks: siblings on one page
/// share all of it, so these weights are set by design, small enough that together they
/// stay well below the threshold (0.37 of 0.5), and are not fitted. In the folder's units,
/// for the default threshold.
const PLACE: [(&str, f32); 7] = [
    ("last_click", 0.10),
    ("same_route", 0.15),
    ("same_section", 0.0),
    ("other_route", -0.20),
    ("route_anywhere", 0.0),
    ("component", 0.05),
    ("screenshot", 0.07),
];

/// Maximum likelihood with an L2 penalty, by gradient ascent. Scores are in the folder's
/// units (the threshold stays at `threshold`); a fitted temperature turns them into the
/// model's log-odds. Place weights stay at `start`.
fn fit(choices: &[Choice], l2: f64, start: &[f32; FEATURES], threshold: f64) -> [f64; FEATURES] {
    let fitted: Vec<bool> = NAMES
        .iter()
        .map(|n| !PLACE.iter().any(|(p, _)| p == n))
        .collect();
    let mut w: [f64; FEATURES] = std::array::from_fn(|i| f64::from(start[i]));
    let mut temperature = 5.0f64;
    let rate = 0.2 / choices.len() as f64;
    for _ in 0..20_000 {
        let mut grad = [0.0f64; FEATURES];
        let mut grad_t = 0.0f64;
        for choice in choices {
            let scores: Vec<f64> = choice.options.iter().map(|x| dot(&w, x)).collect();
            let top = scores.iter().copied().fold(threshold, f64::max);
            let new = (temperature * (threshold - top)).exp();
            let exps: Vec<f64> = scores
                .iter()
                .map(|s| (temperature * (s - top)).exp())
                .collect();
            let sum = new + exps.iter().sum::<f64>();
            let (right_x, right_score) = match choice.right {
                Some(at) => (Some(&choice.options[at]), scores[at]),
                None => (None, threshold),
            };
            let mut expected_score = new / sum * threshold;
            for (i, g) in grad.iter_mut().enumerate() {
                let observed = right_x.map_or(0.0, |x| f64::from(x[i]));
                let expected: f64 = choice
                    .options
                    .iter()
                    .zip(&exps)
                    .map(|(x, e)| e / sum * f64::from(x[i]))
                    .sum();
                *g += temperature * (observed - expected);
            }
            for (s, e) in scores.iter().zip(&exps) {
                expected_score += e / sum * s;
            }
            grad_t += right_score - expected_score;
        }
        for i in 0..FEATURES {
            if fitted[i] {
                w[i] += rate * (grad[i] - l2 * w[i]);
                // Evidence keeps its meaning: a disagreement never counts for a match, and
                // an agreement never against.
                w[i] = if NAMES[i].starts_with("other_") {
                    w[i].min(0.0)
                } else {
                    w[i].max(0.0)
                };
            }
        }
        temperature = (temperature + rate * grad_t).max(0.5);
    }
    w
}

/// The folder's online decisions with `weights` and `threshold`, scored over report pairs.
fn replay(reports: &[Prepared], weights: &[f32; FEATURES], threshold: f32) -> Scores {
    let mut index = ProjectIndex::default();
    let mut assigned: Vec<String> = Vec::new();
    for (n, report) in reports.iter().enumerate() {
        let best = index
            .candidate_evidence(&report.features)
            .into_iter()
            .map(|(id, e): (DefectId, Evidence)| (e.weigh(weights).0, id))
            .filter(|(score, _)| *score >= threshold)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let defect = match best {
            Some((_, id)) => id,
            None => defect_of(n),
        };
        assigned.push(defect.to_string());
        index.add(&defect, &report_of(n), report.features.clone());
    }
    let reports: Vec<&Prepared> = reports.iter().collect();
    pairwise(&reports, &assigned)
}

/// Replays the thresholds 0.30, 0.35, ... 0.80 and prints them; returns the one with the
/// best recall among those with at least `precision` (the highest threshold when none).
fn sweep(reports: &[Prepared], weights: &[f32; FEATURES], precision: f64) -> f32 {
    println!("| threshold | precision | recall | F1 | defects |");
    println!("|---|---|---|---|---|");
    let mut best = (f64::NEG_INFINITY, 0.8f32);
    for t in 6..=16 {
        let threshold = t as f32 * 0.05;
        let p = replay(reports, weights, threshold);
        if p.precision >= precision && p.recall > best.0 {
            best = (p.recall, threshold);
        }
        println!(
            "| {threshold:.2} | {:.3} | {:.3} | {:.3} | {} |",
            p.precision, p.recall, p.f1, p.defects
        );
    }
    best.1
}

/// With the right answers in the index: the best wrong score of each decision against the
/// right one's score (the threshold must separate the first from the second).
fn margins(reports: &[Prepared], choices: &[Choice], weights: &[f32; FEATURES]) {
    let w: [f64; FEATURES] = std::array::from_fn(|i| f64::from(weights[i]));
    let mut wrong_new: Vec<f64> = Vec::new();
    let mut right_join: Vec<(f64, f64)> = Vec::new();
    for choice in choices {
        let scores: Vec<f64> = choice.options.iter().map(|x| dot(&w, x)).collect();
        let best_wrong = scores
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != choice.right)
            .map(|(_, s)| *s)
            .fold(f64::NEG_INFINITY, f64::max);
        match choice.right {
            Some(at) => right_join.push((scores[at], best_wrong)),
            None => wrong_new.push(best_wrong),
        }
    }
    wrong_new.sort_by(|a, b| b.total_cmp(a));
    right_join.sort_by(|a, b| a.0.total_cmp(&b.0));
    let show = |v: &[f64]| {
        v.iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "first reports, best wrong score: {}",
        show(&wrong_new[..wrong_new.len().min(20)])
    );
    let lowest: Vec<f64> = right_join.iter().take(30).map(|(r, _)| *r).collect();
    println!("joins, lowest right scores: {}", show(&lowest));
    // The closest calls, with what made them.
    for choice in choices {
        let scores: Vec<f64> = choice.options.iter().map(|x| dot(&w, x)).collect();
        for (i, s) in scores.iter().enumerate() {
            let right = choice.right.map(|r| scores[r]);
            let close = Some(i) != choice.right && *s >= right.unwrap_or(0.45).min(0.45);
            if close {
                let x = &choice.options[i];
                let parts: Vec<String> = (0..FEATURES)
                    .filter(|&f| x[f] != 0.0)
                    .map(|f| format!("{}={:.2}", NAMES[f], x[f]))
                    .collect();
                let report = &reports[choice.report];
                println!(
                    "  {} ({}) -> {} at {s:.2} (right {}) [{}] | {}",
                    report.id,
                    report.group,
                    choice.groups[i],
                    right.map_or("new".into(), |r| format!("{r:.2}")),
                    parts.join(" "),
                    report.text.chars().take(80).collect::<String>()
                );
            }
        }
    }
    let beaten = right_join.iter().filter(|(r, w)| w >= r).count();
    println!(
        "joins where a wrong defect scores at least as high: {beaten} of {}",
        right_join.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .map_or("dev", String::as_str);
    let l2 = args
        .iter()
        .position(|a| a == "--l2")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    // `--weights 0.9,0.6,...` replays other weights than the compiled ones.
    let weights = args
        .iter()
        .position(|a| a == "--weights")
        .and_then(|i| args.get(i + 1))
        .map(|list| {
            let mut w = [0.0f32; FEATURES];
            for (slot, v) in w.iter_mut().zip(list.split(',')) {
                *slot = v.trim().parse().expect("a number");
            }
            w
        })
        .unwrap_or(WEIGHTS);
    let reports = load(split);
    println!("split {split}: {} reports", reports.len());
    // The threshold is the one with the best recall at this precision on the reports the
    // weights are fitted on.
    let target = args
        .iter()
        .position(|a| a == "--precision")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.98);
    println!("\nweights {weights:?}:");
    sweep(&reports, &weights, target);
    if split != "dev" {
        return;
    }
    // `--half`: fit on half of dev's groups and replay on all of dev, which mimics fitting
    // on dev and running on dev and test together (siblings of the other half are new).
    let half = args.iter().any(|a| a == "--half");
    let fitted_on: Vec<Prepared> = if half {
        reports
            .iter()
            .filter(|r| (common::fnv(&r.group) >> 1).is_multiple_of(2))
            .cloned()
            .collect()
    } else {
        reports.clone()
    };
    let (choices, unreachable) = choices(&fitted_on);
    if args.iter().any(|a| a == "--margins") {
        margins(&fitted_on, &choices, &weights);
    }
    let joins = choices.iter().filter(|c| c.right.is_some()).count();
    let options: usize = choices.iter().map(|c| c.options.len()).sum();
    let most = choices.iter().map(|c| c.options.len()).max().unwrap_or(0);
    println!(
        "\n{} decisions ({joins} joins, {} new), {options} candidates (at most {most} for \
         one report); {unreachable} reports whose defect was not among the candidates",
        choices.len(),
        choices.len() - joins
    );
    // The fit holds the threshold at the default and the place weights at their design
    // values; the threshold with the best F1 on dev is then found by replaying, and every
    // weight is scaled so that threshold becomes the default one. Place weights are fixed
    // at their design values *after* that scaling, so the fit is repeated until the chosen
    // threshold settles.
    let default = FoldSettings::default().threshold;
    let mut chosen = default;
    let mut fitted = [0.0f32; FEATURES];
    for round in 1..=4 {
        let mut start = weights;
        for (name, value) in PLACE {
            let at = NAMES.iter().position(|n| *n == name).expect("a feature");
            start[at] = value * chosen / default;
        }
        let w = fit(&choices, l2, &start, f64::from(default));
        fitted = std::array::from_fn(|i| w[i] as f32);
        println!("\nround {round}: fitted (L2 {l2}) with place weights for {chosen:.2}:");
        let next = sweep(&fitted_on, &fitted, target);
        if next == chosen {
            break;
        }
        chosen = next;
    }
    let scaled: [f32; FEATURES] =
        std::array::from_fn(|i| (fitted[i] * default / chosen * 100.0).round() / 100.0);
    println!(
        "\nbest recall at precision {target} at {chosen:.2}; scaled to the default threshold \
         {default}:"
    );
    for i in 0..FEATURES {
        println!("  {:<20} {:+.2}", NAMES[i], scaled[i]);
    }
    println!("  [{}]", {
        let parts: Vec<String> = scaled.iter().map(|w| format!("{w:.2}")).collect();
        parts.join(", ")
    });
    if half {
        println!("\nreplayed on all of dev:");
    }
    sweep(&reports, &scaled, target);
}
