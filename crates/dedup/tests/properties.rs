//! Properties of folding: it never panics on any features, the stored form round-trips, and
//! a report folds with its identical twin whatever else arrives.

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;
use snag_core::{Category, DefectId, FoldDecision, FoldSettings, ReportId};
use snag_dedup::console::ErrorSignature;
use snag_dedup::minhash::signature;
use snag_dedup::{DefectIndexState, Folder, ReportFeatures};

fn id(n: usize, tag: u16) -> String {
    format!("00000000-0000-7000-{tag:04x}-{n:012x}")
}

fn report_id(n: usize) -> ReportId {
    ReportId::parse(&id(n, 0x8001)).expect("id")
}

fn defect_id(n: usize) -> DefectId {
    DefectId::parse(&id(n, 0x8002)).expect("id")
}

fn category() -> impl Strategy<Value = Option<Category>> {
    prop_oneof![
        Just(None),
        Just(Some(Category::Bug)),
        Just(Some(Category::Idea)),
        Just(Some(Category::Question)),
        Just(Some(Category::Other)),
    ]
}

fn signature_of(values: u64) -> impl Strategy<Value = ErrorSignature> {
    (0..values, 0..values, any::<bool>()).prop_map(|(specific, message, generic)| ErrorSignature {
        specific,
        message,
        generic,
    })
}

/// Features whose values come from small ranges (`values` of each), so that reports share
/// words, routes and errors as a project's reports do. Tokens are sorted and the MinHash is
/// the tokens', as `features` makes them.
fn shaped(values: u64) -> impl Strategy<Value = ReportFeatures> {
    let optional = move || proptest::option::of(0..values);
    (
        proptest::collection::btree_set(0..values as u32 * 8, 0..24),
        (optional(), optional(), optional()),
        proptest::collection::vec(signature_of(values), 0..4),
        proptest::collection::vec(signature_of(values), 0..3),
        (proptest::collection::vec(0..values, 0..3), any::<bool>()),
        (optional(), optional(), optional()),
        category(),
    )
        .prop_map(
            |(tokens, (route, section, component), errors, warnings, requests, rest, category)| {
                let tokens: Vec<u32> = tokens.into_iter().collect();
                let (last_click, screenshot, environment) = rest;
                ReportFeatures {
                    minhash: signature(&tokens),
                    tokens,
                    route,
                    section,
                    component,
                    errors,
                    warnings,
                    requests: requests.0,
                    saw_requests: requests.1,
                    last_click,
                    screenshot,
                    environment,
                    category,
                }
            },
        )
}

/// Features with anything in them: unsorted, repeated tokens, a MinHash that does not belong
/// to them, any hashes.
fn arbitrary() -> impl Strategy<Value = ReportFeatures> {
    let optional = || proptest::option::of(any::<u64>());
    (
        proptest::collection::vec(any::<u32>(), 0..120),
        prop::array::uniform32(any::<u32>()),
        (optional(), optional(), optional()),
        proptest::collection::vec(signature_of(u64::MAX), 0..8),
        proptest::collection::vec(signature_of(u64::MAX), 0..8),
        (proptest::collection::vec(any::<u64>(), 0..8), any::<bool>()),
        (optional(), optional(), optional()),
        category(),
    )
        .prop_map(
            |(
                tokens,
                minhash,
                (route, section, component),
                errors,
                warnings,
                requests,
                rest,
                category,
            )| {
                let (last_click, screenshot, environment) = rest;
                ReportFeatures {
                    tokens,
                    minhash,
                    route,
                    section,
                    component,
                    errors,
                    warnings,
                    requests: requests.0,
                    saw_requests: requests.1,
                    last_click,
                    screenshot,
                    environment,
                    category,
                }
            },
        )
}

/// Folds `report` as the server does, returning the defect it went to (`n` names a new one).
fn fold(
    folder: &Arc<Folder>,
    n: usize,
    report: ReportFeatures,
    settings: &FoldSettings,
) -> DefectId {
    let mut job = folder.job(1, report_id(n), report, settings.clone(), 0);
    let defect = match job.decide() {
        FoldDecision::Join(found) => found.defect,
        FoldDecision::New => defect_id(n),
    };
    job.remember(&defect);
    defect
}

fn settings() -> impl Strategy<Value = FoldSettings> {
    (any::<f32>(), any::<bool>(), 0u32..400).prop_map(|(threshold, separate, days)| FoldSettings {
        threshold,
        separate_environments: separate,
        resolved_window_days: days,
        ..FoldSettings::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn decide_never_panics_on_arbitrary_features(
        stream in proptest::collection::vec(prop_oneof![arbitrary(), shaped(6)], 0..40),
        probe in prop_oneof![arbitrary(), shaped(6)],
        settings in settings(),
        states in proptest::collection::vec((0usize..40, 0u8..4, any::<i64>()), 0..6),
        now in any::<i64>(),
    ) {
        let folder = Folder::new();
        let mut defects = Vec::new();
        for (n, report) in stream.into_iter().enumerate() {
            defects.push(fold(&folder, n, report, &settings));
        }
        for (at, state, when) in states {
            if defects.is_empty() {
                break;
            }
            let defect = &defects[at % defects.len()];
            let state = match state {
                0 => DefectIndexState::Open,
                1 => DefectIndexState::Done(when),
                2 => DefectIndexState::Gone,
                _ => DefectIndexState::MergedInto(defects[(at + 1) % defects.len()].clone()),
            };
            folder.set_state(1, defect, state);
        }
        let threshold = settings.threshold;
        let mut job = folder.job(1, report_id(1000), probe.clone(), settings, now);
        if let FoldDecision::Join(found) = job.decide() {
            prop_assert!(defects.contains(&found.defect));
            // Above a positive threshold a join always says why.
            prop_assert!(threshold <= 0.0 || !found.signals.is_empty());
        }
        job.remember(&defect_id(1000));
        let _ = folder.score_against(1, &probe, &defect_id(1000));
    }

    #[test]
    fn the_stored_form_round_trips(features in prop_oneof![arbitrary(), shaped(1000)]) {
        let bytes = features.encode();
        prop_assert_eq!(ReportFeatures::decode(&bytes), Ok(features));
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = ReportFeatures::decode(&bytes);
    }

    #[test]
    fn identical_reports_fold_together_whatever_arrives_between(
        before in proptest::collection::vec(shaped(6), 0..30),
        twin in shaped(6),
        between in proptest::collection::vec(shaped(6), 0..6),
    ) {
        // A twin that says something: some words (a report of nothing matches nothing).
        prop_assume!(twin.tokens.len() >= 2);
        let folder = Folder::new();
        let settings = FoldSettings::default();
        let mut n = 0;
        for report in before {
            fold(&folder, n, report, &settings);
            n += 1;
        }
        let first = fold(&folder, n, twin.clone(), &settings);
        n += 1;
        for report in between {
            fold(&folder, n, report, &settings);
            n += 1;
        }
        let second = fold(&folder, n, twin, &settings);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_copy_of_a_loaded_report_joins_its_defect_whatever_the_load_order(
        reports in proptest::collection::vec(shaped(1000), 1..12),
        pick in any::<prop::sample::Index>(),
        reverse in any::<bool>(),
    ) {
        // Distinct reports of distinct defects; one comes again.
        let words: BTreeSet<Vec<u32>> = reports.iter().map(|r| r.tokens.clone()).collect();
        prop_assume!(words.len() == reports.len());
        let at = pick.index(reports.len());
        prop_assume!(reports[at].tokens.len() >= 2);
        let folder = Folder::new();
        let mut order: Vec<usize> = (0..reports.len()).collect();
        if reverse {
            order.reverse();
        }
        for &i in &order {
            folder.load(1, &defect_id(i), &report_id(i), reports[i].clone());
        }
        let mut job = folder.job(1, report_id(999), reports[at].clone(), FoldSettings::default(), 0);
        match job.decide() {
            FoldDecision::Join(found) => prop_assert_eq!(found.defect, defect_id(at)),
            FoldDecision::New => prop_assert!(false, "a copy opened a new defect"),
        }
    }
}
