//! The in-memory index of one project's foldable defects: each defect's exemplar reports, its
//! profile and its lifecycle state, with candidates found through [`Buckets`], never a scan.

use std::cell::Cell;
use std::collections::HashMap;

use snag_core::{DefectId, FoldMatch, FoldSettings, ReportId, Signal};

use crate::buckets::{Buckets, table_bytes};
use crate::evidence::{Commonness, Query, Words, evidence, norm};
use crate::features::ReportFeatures;
use crate::profile::{DefectProfile, Kind, kept};
use crate::score::{Evidence, WEIGHTS};
use crate::tables::{Chunked, ShardedMap};
use crate::text::is_concept;

/// Reports kept per defect for matching: its first and its latest few, so a defect that
/// users describe in several ways matches each way.
pub const EXEMPLARS: usize = 8;

/// How much a plain word (one the lexicon does not know) counts against a concept of the
/// same rarity: plain words are mostly what differs between users' stories (product names,
/// their order, their theory), concepts are what the problem is. Chosen on `dev` among 1.0,
/// 0.7, 0.5 and 0.3: at 0.5 the weights fitted on half of `dev` and replayed on all of it
/// reach precision 0.957 at recall 0.883, against 0.927 at 0.867 for 1.0.
const PLAIN_WORD_FACTOR: f32 = 0.5;

/// How much less a word counts on a page where every defect reported from that page uses
/// it (linearly less by the share of the page's defects using it): words that a page's
/// siblings share ("pay", "button" on the pay page) say which page, not which problem.
pub const ROUTE_SHARE_FACTOR: f32 = 0.5;

/// A page's word use counts once this many defects were reported from it.
const MIN_ROUTE_DEFECTS: u32 = 3;

/// An exemplar's norm is recomputed when the project has this many times more reports than
/// when it was computed (word weights drift slowly as the project grows).
const NORM_DRIFT: f32 = 1.125;

#[derive(Debug, Clone, Copy, PartialEq)]
enum EntryState {
    Open,
    /// Resolved, verified or closed at this time (milliseconds): matched within the window.
    Done(i64),
    /// Merged into another entry: a match follows to the survivor.
    Merged(u32),
    /// Won't fix, or out of the window: never matched.
    Gone,
}

struct Exemplar {
    report: u128,
    route: Option<u64>,
    /// Sorted token hashes.
    tokens: Box<[u32]>,
    /// The norm of the tokens' weights, and the project's report count when computed.
    norm: Cell<(f32, u32)>,
    /// The rest of the report's features, encoded, for a split.
    context: Box<[u8]>,
}

struct Entry {
    id: u128,
    state: EntryState,
    exemplars: Vec<Exemplar>,
    profile: DefectProfile,
}

#[derive(Default)]
pub struct ProjectIndex {
    entries: Chunked<Entry>,
    by_id: ShardedMap<u128, u32>,
    buckets: Buckets,
    /// Error and warning message → how many defects have it.
    spread: HashMap<u64, u32>,
    document_frequency: ShardedMap<u32, u32>,
    documents: u32,
    /// Route → how many defects were reported from it.
    route_defects: HashMap<u64, u32>,
    /// (route, word) → how many of those defects used the word there.
    route_words: ShardedMap<u64, u32>,
}

fn route_word(route: u64, token: u32) -> u64 {
    crate::hash::mix(route ^ u64::from(token))
}

impl Commonness for ProjectIndex {
    fn weight(&self, token: u32, route: Option<u64>) -> f32 {
        let df = self.document_frequency.get(&token).copied().unwrap_or(0) as f32;
        let idf = (1.0 + (self.documents as f32 + 1.0) / (df + 1.0)).ln();
        let idf = idf * self.route_factor(token, route);
        if is_concept(token) {
            idf
        } else {
            idf * PLAIN_WORD_FACTOR
        }
    }

    fn spread(&self, message: u64) -> usize {
        self.spread.get(&kept(message)).map_or(0, |&n| n as usize)
    }
}

/// Ids are UUIDs in their text form; the index keeps their 128 bits.
fn id_bits(text: &str) -> u128 {
    text.bytes()
        .filter_map(|b| (b as char).to_digit(16))
        .fold(0u128, |bits, digit| (bits << 4) | u128::from(digit))
}

fn id_text(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn defect_id(bits: u128) -> DefectId {
    DefectId::parse(&id_text(bits)).expect("the index only holds ids it was given")
}

impl ProjectIndex {
    /// How much `token` counts on `route`, by the share of the page's defects using it.
    fn route_factor(&self, token: u32, route: Option<u64>) -> f32 {
        let Some(route) = route else {
            return 1.0;
        };
        let defects = self.route_defects.get(&route).copied().unwrap_or(0);
        if defects < MIN_ROUTE_DEFECTS {
            return 1.0;
        }
        let using = self.route_words.get(&route_word(route, token)).copied();
        let share = (using.unwrap_or(0) as f32 / defects as f32).min(1.0);
        1.0 - ROUTE_SHARE_FACTOR * share
    }

    pub fn defects(&self) -> usize {
        self.entries.len()
    }

    /// The best defect for `report` at or above the threshold, following merges to the
    /// survivor.
    pub fn best_match(
        &self,
        report: &ReportFeatures,
        settings: &FoldSettings,
        now: i64,
    ) -> Option<FoldMatch> {
        let window_ms = i64::from(settings.resolved_window_days) * 86_400_000;
        let query = Query::new(report, self);
        let mut best: Option<(f32, u32, Evidence)> = None;
        for at in self.buckets.candidates(report) {
            let entry = self.entries.get(at as usize);
            let foldable = match entry.state {
                EntryState::Open | EntryState::Merged(_) => true,
                // Saturating: times come from the store and the clock, and a wild one must
                // not panic the writer (found by `tests/properties.rs`).
                EntryState::Done(done) => now.saturating_sub(done) <= window_ms,
                EntryState::Gone => false,
            };
            if !foldable {
                continue;
            }
            let other_environment = report
                .environment
                .is_some_and(|e| !entry.profile.has(Kind::Environment, e));
            if settings.separate_environments && other_environment {
                continue;
            }
            let found = self.evidence(&query, entry);
            let total = found.total(&WEIGHTS);
            if best.as_ref().is_none_or(|(b, _, _)| total > *b) {
                best = Some((total, at, found));
            }
        }
        let (total, at, found) = best?;
        if total < settings.threshold {
            return None;
        }
        let survivor = self.survivor(at)?;
        let (score, signals) = found.weigh(&WEIGHTS);
        Some(FoldMatch {
            defect: defect_id(self.entries.get(survivor as usize).id),
            score,
            threshold: settings.threshold,
            signals,
        })
    }

    /// The score of `report` against one defect, to show why a report did or did not fold
    /// there.
    pub fn score_against(
        &self,
        report: &ReportFeatures,
        defect: &DefectId,
    ) -> Option<(f32, Vec<Signal>)> {
        Some(self.evidence_against(report, defect)?.weigh(&WEIGHTS))
    }

    /// The unweighted evidence of `report` against the candidates its buckets give, best
    /// ranked first (for calibrating the weights; folding uses [`ProjectIndex::best_match`]).
    pub fn candidate_evidence(&self, report: &ReportFeatures) -> Vec<(DefectId, Evidence)> {
        let query = Query::new(report, self);
        self.buckets
            .candidates(report)
            .into_iter()
            .map(|at| {
                let entry = self.entries.get(at as usize);
                (defect_id(entry.id), self.evidence(&query, entry))
            })
            .collect()
    }

    /// The unweighted evidence of `report` against one defect.
    pub fn evidence_against(&self, report: &ReportFeatures, defect: &DefectId) -> Option<Evidence> {
        let at = *self.by_id.get(&id_bits(defect.as_str()))?;
        let query = Query::new(report, self);
        Some(self.evidence(&query, self.entries.get(at as usize)))
    }

    fn evidence(&self, query: &Query<'_>, entry: &Entry) -> Evidence {
        let words: Vec<Words<'_>> = entry
            .exemplars
            .iter()
            .map(|e| Words {
                tokens: &e.tokens,
                norm: self.exemplar_norm(e),
            })
            .collect();
        evidence(query, &words, &entry.profile, self)
    }

    fn exemplar_norm(&self, exemplar: &Exemplar) -> f32 {
        let (value, at) = exemplar.norm.get();
        if self.documents as f32 <= at as f32 * NORM_DRIFT {
            return value;
        }
        let value = norm(&exemplar.tokens, exemplar.route, self);
        exemplar.norm.set((value, self.documents));
        value
    }

    fn survivor(&self, mut at: u32) -> Option<u32> {
        for _ in 0..self.entries.len() {
            match self.entries.get(at as usize).state {
                EntryState::Merged(into) => at = into,
                EntryState::Gone => return None,
                _ => return Some(at),
            }
        }
        None
    }

    /// Records that `report` is now part of `defect` (a new defect or one it joined).
    pub fn add(&mut self, defect: &DefectId, report: &ReportId, features: ReportFeatures) {
        let id = id_bits(defect.as_str());
        let at = match self.by_id.get(&id) {
            Some(&at) => at,
            None => {
                let at = self.entries.len() as u32;
                self.entries.push(Entry {
                    id,
                    state: EntryState::Open,
                    exemplars: Vec::new(),
                    profile: DefectProfile::default(),
                });
                self.by_id.insert(id, at);
                at
            }
        };
        self.buckets.file(&features, at);
        let profile = &self.entries.get(at as usize).profile;
        let lines = features.errors.iter().map(|e| (e, Kind::ErrorMessage));
        let lines = lines.chain(features.warnings.iter().map(|e| (e, Kind::WarningMessage)));
        for (line, kind) in lines.filter(|(e, _)| !e.generic) {
            if !profile.has(kind, line.message) {
                *self.spread.entry(kept(line.message)).or_default() += 1;
            }
        }
        if let Some(route) = features.route {
            self.count_route_words(at, route, &features.tokens);
        }
        for &token in &features.tokens {
            *self.document_frequency.get_or_default(token) += 1;
        }
        self.documents += 1;
        let norm = norm(&features.tokens, features.route, self);
        let entry = self.entries.get_mut(at as usize);
        entry
            .profile
            .add(&features, entry.exemplars.iter().map(|e| &*e.tokens));
        if entry.exemplars.len() == EXEMPLARS {
            // Keep the first report; drop the oldest of the latest ones.
            entry.exemplars.remove(1);
        }
        entry.exemplars.push(Exemplar {
            report: id_bits(report.as_str()),
            route: features.route,
            context: features.encode_context(),
            tokens: features.tokens.into_boxed_slice(),
            norm: Cell::new((norm, self.documents)),
        });
    }

    /// Counts the defect at `at` among `route`'s, and each of the report's words it had not
    /// used before (all of them when the route is new to it) among the route's words. A
    /// defect counts each word once per route; a split does not uncount (word use drifts
    /// little).
    fn count_route_words(&mut self, at: u32, route: u64, tokens: &[u32]) {
        let entry = self.entries.get(at as usize);
        let new_here = !entry.profile.has(Kind::Route, route);
        if new_here {
            *self.route_defects.entry(route).or_default() += 1;
        }
        for &token in tokens {
            let words = entry.exemplars.iter().map(|e| &*e.tokens);
            let used = entry.profile.share_or_exemplars(token, words) > 0.0;
            if new_here || !used {
                *self.route_words.get_or_default(route_word(route, token)) += 1;
            }
        }
    }

    /// A report moved to another defect (a split) stops speaking for its old one.
    pub fn remove_report(
        &mut self,
        defect: &DefectId,
        report: &ReportId,
    ) -> Option<ReportFeatures> {
        let at = *self.by_id.get(&id_bits(defect.as_str()))?;
        let entry = self.entries.get_mut(at as usize);
        let report = id_bits(report.as_str());
        let position = entry.exemplars.iter().position(|e| e.report == report)?;
        let exemplar = entry.exemplars.remove(position);
        entry.profile.remove_tokens(&exemplar.tokens);
        ReportFeatures::with_context(exemplar.tokens.into_vec(), &exemplar.context).ok()
    }

    pub fn set_state(&mut self, defect: &DefectId, state: DefectIndexState) {
        let Some(&at) = self.by_id.get(&id_bits(defect.as_str())) else {
            return;
        };
        self.entries.get_mut(at as usize).state = match state {
            DefectIndexState::Open => EntryState::Open,
            DefectIndexState::Done(at) => EntryState::Done(at),
            DefectIndexState::Gone => EntryState::Gone,
            DefectIndexState::MergedInto(target) => {
                match self.by_id.get(&id_bits(target.as_str())) {
                    Some(&target) => EntryState::Merged(target),
                    None => EntryState::Gone,
                }
            }
        };
    }

    /// An estimate of the heap bytes the index holds (tables at their capacity, with their
    /// control bytes and free slots; not the allocator's own overhead).
    pub fn memory_bytes(&self) -> usize {
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                e.exemplars.capacity() * std::mem::size_of::<Exemplar>()
                    + e.exemplars
                        .iter()
                        .map(|x| x.tokens.len() * 4 + x.context.len())
                        .sum::<usize>()
                    + e.profile.memory_bytes()
            })
            .sum();
        self.entries.memory_bytes()
            + entries
            + self.by_id.memory_bytes()
            + self.buckets.memory_bytes()
            + table_bytes::<u64, u32>(self.spread.capacity())
            + self.document_frequency.memory_bytes()
            + table_bytes::<u64, u32>(self.route_defects.capacity())
            + self.route_words.memory_bytes()
    }
}

/// What the lifecycle means for folding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefectIndexState {
    Open,
    Done(i64),
    Gone,
    MergedInto(DefectId),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::signature;

    fn id(n: usize) -> String {
        format!("00000000-0000-7000-8000-{n:012x}")
    }

    fn defect(n: usize) -> DefectId {
        DefectId::parse(&id(n)).expect("id")
    }

    fn report(n: usize) -> ReportId {
        ReportId::parse(&id(n)).expect("id")
    }

    fn features(words: &[u32], route: u64) -> ReportFeatures {
        let mut tokens = words.to_vec();
        tokens.sort_unstable();
        ReportFeatures {
            minhash: signature(&tokens),
            tokens,
            route: Some(route),
            section: Some(route),
            environment: Some(1),
            ..ReportFeatures::empty()
        }
    }

    fn settings() -> FoldSettings {
        FoldSettings::default()
    }

    #[test]
    fn a_twin_joins_and_a_stranger_does_not() {
        let mut index = ProjectIndex::default();
        index.add(&defect(1), &report(1), features(&[1, 2, 3, 4, 5], 7));
        index.add(&defect(2), &report(2), features(&[10, 11, 12, 13], 7));
        let found = index
            .best_match(&features(&[1, 2, 3, 4, 5], 7), &settings(), 0)
            .expect("a match");
        assert_eq!(found.defect, defect(1));
        assert!(found.score >= found.threshold);
        assert_eq!(found.signals[0].kind, snag_core::SignalKind::Text);
        assert!(
            index
                .best_match(&features(&[20, 21, 22], 8), &settings(), 0)
                .is_none()
        );
        assert_eq!(index.defects(), 2);
        assert!(index.memory_bytes() > 0);
    }

    #[test]
    fn states_decide_what_can_be_joined() {
        let mut index = ProjectIndex::default();
        let twin = features(&[1, 2, 3, 4], 7);
        index.add(&defect(1), &report(1), twin.clone());
        index.add(&defect(2), &report(2), features(&[30, 31, 32], 9));
        index.set_state(&defect(1), DefectIndexState::MergedInto(defect(2)));
        let found = index.best_match(&twin, &settings(), 0).expect("a match");
        assert_eq!(
            found.defect,
            defect(2),
            "a merged defect's match goes to the survivor"
        );

        index.set_state(&defect(1), DefectIndexState::Done(0));
        let day = 86_400_000;
        assert!(index.best_match(&twin, &settings(), 29 * day).is_some());
        assert!(
            index.best_match(&twin, &settings(), 31 * day).is_none(),
            "out of the resolved window"
        );
        index.set_state(&defect(1), DefectIndexState::Gone);
        assert!(index.best_match(&twin, &settings(), 0).is_none());
        index.set_state(&defect(1), DefectIndexState::Open);
        let mut elsewhere = twin.clone();
        elsewhere.environment = Some(2);
        let apart = FoldSettings {
            separate_environments: true,
            ..settings()
        };
        assert!(index.best_match(&elsewhere, &apart, 0).is_none());
        assert!(index.best_match(&elsewhere, &settings(), 0).is_some());
    }

    #[test]
    fn a_split_report_leaves_with_its_features() {
        let mut index = ProjectIndex::default();
        let mut moved = features(&[5, 6, 7], 3);
        moved.errors.push(crate::console::ErrorSignature {
            specific: 11,
            message: 12,
            generic: false,
        });
        moved.last_click = Some(4);
        index.add(&defect(1), &report(1), features(&[1, 2, 3], 3));
        index.add(&defect(1), &report(2), moved.clone());
        assert_eq!(
            index.remove_report(&defect(1), &report(2)),
            Some(moved.clone())
        );
        assert_eq!(index.remove_report(&defect(1), &report(2)), None);
        index.add(&defect(2), &report(2), moved.clone());
        let found = index.best_match(&moved, &settings(), 0).expect("a match");
        assert_eq!(found.defect, defect(2));
        let (score, signals) = index.score_against(&moved, &defect(2)).expect("known");
        assert!((score - found.score).abs() < 1e-6);
        assert_eq!(signals, found.signals);
        assert!(index.score_against(&moved, &defect(9)).is_none());
    }

    #[test]
    fn candidates_are_capped_and_the_closest_come_first() {
        let mut index = ProjectIndex::default();
        // Many defects on one route, one of them with the report's words.
        for n in 0..200 {
            index.add(&defect(n), &report(n), features(&[1000 + n as u32], 5));
        }
        index.add(&defect(500), &report(500), features(&[1, 2, 3, 4, 5, 6], 5));
        let probe = features(&[1, 2, 3, 4, 5, 6], 5);
        let candidates = index.buckets.candidates(&probe);
        assert!(candidates.len() <= crate::buckets::MAX_SCORED);
        assert_eq!(
            candidates[0], 200,
            "the defect sharing the words ranks first"
        );
        let found = index.best_match(&probe, &settings(), 0).expect("a match");
        assert_eq!(found.defect, defect(500));
    }

    #[test]
    fn words_a_pages_defects_share_count_less_on_that_page() {
        let mut index = ProjectIndex::default();
        // Four defects on page 7 all say word 1; one of them also says word 2. Page 8 has
        // four defects that never say word 1.
        for n in 0..4u32 {
            let words = if n == 0 {
                vec![1, 2, 10 + n]
            } else {
                vec![1, 10 + n]
            };
            index.add(
                &defect(n as usize),
                &report(n as usize),
                features(&words, 7),
            );
            index.add(
                &defect(20 + n as usize),
                &report(20 + n as usize),
                features(&[30 + n], 8),
            );
        }
        let on_page = index.weight(1, Some(7));
        let elsewhere = index.weight(1, Some(8));
        assert!(on_page < elsewhere);
        assert!((on_page - elsewhere * (1.0 - ROUTE_SHARE_FACTOR)).abs() < 1e-6);
        assert_eq!(index.weight(1, None), elsewhere);
        let telling = index.weight(2, Some(7)) / index.weight(2, None);
        assert!((telling - (1.0 - ROUTE_SHARE_FACTOR / 4.0)).abs() < 1e-6);

        // A second report of a defect does not count its words or its page again.
        index.add(&defect(0), &report(50), features(&[1, 2], 7));
        assert_eq!(index.route_defects[&7], 4);
        assert_eq!(index.route_words.get(&route_word(7, 2)), Some(&1));
        // A page new to the defect counts it there, with all its words.
        index.add(&defect(0), &report(51), features(&[1, 2], 8));
        assert_eq!(index.route_defects[&8], 5);
        assert_eq!(index.route_words.get(&route_word(8, 1)), Some(&1));
    }

    #[test]
    fn a_page_with_few_defects_weighs_words_as_the_project_does() {
        let mut index = ProjectIndex::default();
        for n in 0..MIN_ROUTE_DEFECTS as usize - 1 {
            index.add(&defect(n), &report(n), features(&[1, 2], 7));
        }
        assert_eq!(index.weight(1, Some(7)), index.weight(1, None));
    }

    #[test]
    fn ids_round_trip_through_their_bits() {
        let text = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(id_text(id_bits(text)), text);
        assert_eq!(defect_id(id_bits(text)).as_str(), text);
    }
}
