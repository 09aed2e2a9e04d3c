//! Pairwise evaluation of folding on the labelled set in `tests/fixtures/dedup/`.
//!
//! Feeds every report, in file order, through the same steps as the server (scrubbing, route,
//! screenshot hash, features, folding) and compares the defects it opens with the labelled
//! groups over all pairs of reports: precision, recall and F1 of "same defect".
//!
//! `cargo run --release -p snag-dedup --example eval [-- --split dev|test|all] [--sweep]
//! [--threshold 0.5] [--explain] [--groups]`
//! The split assigns whole groups to halves by a hash of their name: tune on `dev`, report
//! `test`.

mod common;

use std::collections::HashMap;

use common::{Prepared, Scores, fold, load, pairwise};
use snag_core::{DefectId, FoldDecision, FoldSettings};
use snag_dedup::Folder;

fn signals_text(signals: &[snag_core::Signal]) -> String {
    signals
        .iter()
        .map(|s| format!("{:?}{:+.2}", s.kind, s.weight))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints how each labelled group was spread over defects, and each defect's mix of groups,
/// where either is not one to one.
fn print_groups(reports: &[&Prepared], assigned: &[String]) {
    let mut by_group: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut by_defect: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (report, defect) in reports.iter().zip(assigned) {
        *by_group
            .entry(&report.group)
            .or_default()
            .entry(defect)
            .or_default() += 1;
        *by_defect
            .entry(defect)
            .or_default()
            .entry(&report.group)
            .or_default() += 1;
    }
    let sizes = |m: &HashMap<&str, usize>| {
        let mut v: Vec<usize> = m.values().copied().collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    };
    let mut groups: Vec<_> = by_group.iter().filter(|(_, d)| d.len() > 1).collect();
    groups.sort_by_key(|(g, _)| *g);
    for (group, defects) in groups {
        println!("split   {group}: {:?}", sizes(defects));
    }
    let mut mixed: Vec<_> = by_defect.values().filter(|g| g.len() > 1).collect();
    mixed.sort_by_key(|g| std::cmp::Reverse(g.values().sum::<usize>()));
    for groups in mixed {
        let mut parts: Vec<(&str, usize)> = groups.iter().map(|(g, n)| (*g, *n)).collect();
        parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        println!("merged  {parts:?}");
    }
}

/// Prints a decision that differs from where most of the report's group went so far.
fn print_decision(
    reports: &[&Prepared],
    n: usize,
    decision: &FoldDecision,
    folder: &Folder,
    assigned: &[String],
) {
    let report = reports[n];
    // The defect most of this report's group went to so far, if any.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (i, d) in assigned.iter().enumerate() {
        if reports[i].group == report.group {
            *counts.entry(d.as_str()).or_default() += 1;
        }
    }
    let home = counts
        .into_iter()
        .max_by_key(|(_, c)| *c)
        .map(|(d, _)| d.to_owned());
    let chosen = match &decision {
        FoldDecision::Join(found) => Some(found.defect.to_string()),
        FoldDecision::New => None,
    };
    if home != chosen {
        let wrong = match &decision {
            FoldDecision::Join(found) => {
                let group = &reports[assigned
                    .iter()
                    .position(|d| *d == found.defect.to_string())
                    .unwrap_or(0)]
                .group;
                format!(
                    "joined {group} at {:.2} [{}]",
                    found.score,
                    signals_text(&found.signals)
                )
            }
            FoldDecision::New => "opened a new defect".into(),
        };
        let home_score = home.as_ref().and_then(|h| {
            let id = DefectId::parse(h)?;
            folder.score_against(1, &report.features, &id)
        });
        let home_text = match home_score {
            Some((score, signals)) => {
                format!("home {:.2} [{}]", score, signals_text(&signals))
            }
            None => "no home yet".into(),
        };
        println!(
            "{}: {} {wrong}; {home_text} | {}",
            report.id,
            report.group,
            report
                .text
                .chars()
                .take(90)
                .collect::<String>()
                .replace('\n', " ")
        );
    }
}

fn evaluate(reports: &[&Prepared], threshold: f32, explain: bool, groups: bool) -> Scores {
    let settings = FoldSettings {
        threshold,
        ..FoldSettings::default()
    };
    let assigned = fold(reports, &settings, |n, decision, folder, assigned| {
        if explain {
            print_decision(reports, n, decision, folder, assigned);
        }
    });
    if groups {
        print_groups(reports, &assigned);
    }
    pairwise(reports, &assigned)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .map_or("all", String::as_str);
    let sweep = args.iter().any(|a| a == "--sweep");
    let explain = args.iter().any(|a| a == "--explain");
    let show_groups = args.iter().any(|a| a == "--groups");
    let prepared = load(split);
    let chosen: Vec<&Prepared> = prepared.iter().collect();
    let mut groups: HashMap<&str, usize> = HashMap::new();
    for p in &chosen {
        *groups.entry(&p.group).or_default() += 1;
    }
    println!(
        "split {split}: {} reports in {} groups",
        chosen.len(),
        groups.len()
    );
    let fixed = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<f32>().ok());
    let thresholds: Vec<f32> = if let Some(fixed) = fixed {
        vec![fixed]
    } else if sweep {
        (6..=16).map(|t| t as f32 * 0.05).collect()
    } else {
        vec![FoldSettings::default().threshold]
    };
    println!("| threshold | precision | recall | F1 | defects opened |");
    println!("|---|---|---|---|---|");
    for threshold in thresholds {
        let s = evaluate(&chosen, threshold, explain, show_groups);
        println!(
            "| {threshold:.2} | {:.3} | {:.3} | {:.3} | {} |",
            s.precision, s.recall, s.f1, s.defects
        );
    }
}
