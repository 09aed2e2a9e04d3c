//! Word lists for matching reports across wording and languages: stopwords, and concepts that
//! map the words users of a web app write for the same thing in English, German, French,
//! Spanish, Portuguese and Dutch to one token ("bezahlen", "payer", "pagar" → `pay`).
//!
//! The lists are data (`lexicon/concepts.txt`, `lexicon/stopwords.txt`), parsed once. A word
//! belongs to the concept of the longest stem it starts with, so the order of the table does
//! not matter and a longer, more specific stem ("carte", French for card) wins over a shorter
//! one ("cart"). German and Dutch glue nouns together ("Sendungsverfolgung", "zoekresultaten"):
//! a long word is also searched for a second concept after its first
//! ([`Lexicon::concepts_in`]). A misspelling that doubles or drops a doubled letter ("errror",
//! "adress") still matches: when a word matches no stem as written, it is looked up again with
//! doubled letters collapsed on both sides.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const CONCEPTS: &str = include_str!("lexicon/concepts.txt");
const STOPWORDS: &str = include_str!("lexicon/stopwords.txt");

/// Inner parts of a compound are looked for only in words at least this long (in bytes):
/// shorter words are rarely compounds, and English words such as "discard" would otherwise
/// split into a spurious concept.
const COMPOUND_CHARS: usize = 10;

/// A stem must be at least this long to be found inside a compound.
const INNER_STEM_CHARS: usize = 5;

#[derive(Debug, Clone, Copy)]
struct Stem {
    concept: u16,
    whole: bool,
}

/// The parsed word lists.
pub struct Lexicon {
    names: Vec<&'static str>,
    stems: HashMap<&'static str, Stem>,
    /// The stems with doubled letters collapsed, for misspellings.
    collapsed: HashMap<String, Stem>,
    phrases: HashMap<String, u16>,
    longest_phrase: usize,
    longest_stem: usize,
    stopwords: HashSet<&'static str>,
}

/// The lexicon, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::parse)
}

/// "errror" → "eror", "address" → "adres".
pub fn collapse_doubles(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

impl Lexicon {
    fn parse() -> Lexicon {
        let mut lexicon = Lexicon {
            names: Vec::new(),
            stems: HashMap::new(),
            collapsed: HashMap::new(),
            phrases: HashMap::new(),
            longest_phrase: 1,
            longest_stem: 0,
            stopwords: HashSet::new(),
        };
        for line in CONCEPTS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, stems)) = line.split_once(':') else {
                continue;
            };
            let concept = lexicon.names.len() as u16;
            lexicon.names.push(name.trim());
            for stem in stems.split_whitespace() {
                if stem.contains('_') {
                    let phrase = stem.trim_end_matches('$').replace('_', " ");
                    let words = phrase.split(' ').count();
                    lexicon.longest_phrase = lexicon.longest_phrase.max(words);
                    lexicon.phrases.insert(phrase, concept);
                    continue;
                }
                let (text, whole) = match stem.strip_suffix('$') {
                    Some(text) => (text, true),
                    None => (stem, false),
                };
                let entry = Stem { concept, whole };
                lexicon.longest_stem = lexicon.longest_stem.max(text.len());
                lexicon.stems.insert(text, entry);
                let collapsed = collapse_doubles(text);
                // A collapsed stem of three letters or fewer ("add" → "ad") would catch too
                // many words by prefix.
                let whole = whole || collapsed.len() <= 3;
                lexicon
                    .collapsed
                    .entry(collapsed)
                    .or_insert(Stem { concept, whole });
            }
        }
        for line in STOPWORDS.lines().map(str::trim) {
            if line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            lexicon.stopwords.extend(line.split_whitespace());
        }
        lexicon
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// The concept's name (its token is made from it).
    pub fn name(&self, concept: u16) -> &'static str {
        self.names[usize::from(concept)]
    }

    /// The number of concepts.
    pub fn concepts(&self) -> usize {
        self.names.len()
    }

    /// How many words the longest phrase has.
    pub fn longest_phrase(&self) -> usize {
        self.longest_phrase
    }

    /// The concept of a phrase of whole words joined by single spaces.
    pub fn phrase(&self, words: &str) -> Option<u16> {
        self.phrases.get(words).copied()
    }

    /// The concept of the longest stem `word` starts with, and that stem's length in bytes.
    fn longest_prefix(
        stems: &HashMap<impl std::borrow::Borrow<str> + Eq + std::hash::Hash, Stem>,
        word: &str,
        longest: usize,
        min: usize,
    ) -> Option<(u16, usize)> {
        let top = word.len().min(longest);
        for end in (min..=top).rev() {
            if !word.is_char_boundary(end) {
                continue;
            }
            if let Some(stem) = stems.get(&word[..end])
                && (!stem.whole || end == word.len())
            {
                return Some((stem.concept, end));
            }
        }
        None
    }

    /// The concept a folded word belongs to, if any.
    pub fn concept_of(&self, word: &str) -> Option<u16> {
        Self::longest_prefix(&self.stems, word, self.longest_stem, 2)
            .or_else(|| {
                let collapsed = collapse_doubles(word);
                Self::longest_prefix(&self.collapsed, &collapsed, self.longest_stem, 2)
            })
            .map(|(concept, _)| concept)
    }

    /// The concepts of a folded word: the one it starts with, and for a long compound the
    /// next one found after it ("sendungsverfolgung" → parcel, tracking). Empty when the word
    /// belongs to no concept.
    pub fn concepts_in(&self, word: &str, found: &mut Vec<u16>) {
        let first = Self::longest_prefix(&self.stems, word, self.longest_stem, 2);
        let first = first.or_else(|| {
            let collapsed = collapse_doubles(word);
            Self::longest_prefix(&self.collapsed, &collapsed, self.longest_stem, 2)
                // The length is of the collapsed word; it only bounds where parts start.
                .map(|(concept, end)| (concept, end.min(word.len())))
        });
        if let Some((concept, _)) = first {
            found.push(concept);
        }
        if word.len() < COMPOUND_CHARS {
            return;
        }
        // German glues with a letter or two between the parts ("Zahlung-s-methode"), and a
        // stem may run one letter into the next part ("Such-e" + "ergebnisse").
        let from = first.map_or(3, |(_, end)| end.saturating_sub(1).max(3));
        for start in from..=word.len() - INNER_STEM_CHARS {
            if !word.is_char_boundary(start) {
                continue;
            }
            let rest = &word[start..];
            let inner =
                Self::longest_prefix(&self.stems, rest, self.longest_stem, INNER_STEM_CHARS);
            if let Some((concept, _)) = inner {
                if !found.contains(&concept) {
                    found.push(concept);
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(word: &str) -> Option<&'static str> {
        let lexicon = lexicon();
        lexicon.concept_of(word).map(|c| lexicon.name(c))
    }

    fn parts(word: &str) -> Vec<&'static str> {
        let lexicon = lexicon();
        let mut found = Vec::new();
        lexicon.concepts_in(word, &mut found);
        found.into_iter().map(|c| lexicon.name(c)).collect()
    }

    #[test]
    fn the_longest_stem_wins() {
        assert_eq!(concept("carte"), Some("card"));
        assert_eq!(concept("cart"), Some("cart"));
        assert_eq!(concept("cartao"), Some("card"));
        assert_eq!(concept("nothing"), Some("nothing"));
        assert_eq!(concept("notification"), Some("notification"));
    }

    #[test]
    fn whole_word_stems_do_not_catch_longer_words() {
        assert_eq!(concept("vide"), Some("blank"));
        assert_eq!(concept("video"), Some("video"));
        assert_eq!(concept("note"), None);
    }

    #[test]
    fn misspelt_doubles_still_match() {
        assert_eq!(concept("errror"), Some("error"));
        assert_eq!(concept("adress"), Some("address"));
        assert_eq!(concept("paymment"), Some("pay"));
        assert_eq!(concept("adding"), Some("add"));
        assert_eq!(
            concept("advice"),
            None,
            "a collapsed short stem is whole-word only"
        );
    }

    #[test]
    fn compounds_give_their_parts() {
        assert_eq!(parts("sendungsverfolgung"), ["parcel", "tracking"]);
        assert_eq!(parts("zahlungsmethode"), ["pay", "method"]);
        assert_eq!(parts("suchergebnisse"), ["search", "results"]);
        assert_eq!(parts("zoekresultaten"), ["search", "results"]);
        assert_eq!(parts("downloading"), ["download"]);
        assert!(parts("discard").is_empty());
    }

    #[test]
    fn phrases_and_stopwords() {
        let lexicon = lexicon();
        let password = lexicon.phrase("mot de passe").map(|c| lexicon.name(c));
        assert_eq!(password, Some("password"));
        assert!(lexicon.longest_phrase() >= 3);
        for word in ["the", "und", "les", "los", "uma", "het"] {
            assert!(lexicon.is_stopword(word), "{word}");
        }
        for word in ["not", "nicht", "pas", "niet", "nothing"] {
            assert!(!lexicon.is_stopword(word), "{word}");
        }
    }

    #[test]
    fn no_stem_is_claimed_twice_and_no_stem_is_a_stopword() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        let lexicon = lexicon();
        for line in CONCEPTS.lines().filter(|l| !l.starts_with('#')) {
            let Some((name, stems)) = line.split_once(':') else {
                continue;
            };
            for stem in stems.split_whitespace() {
                let text = stem.trim_end_matches('$');
                if let Some(other) = seen.insert(text, name) {
                    assert_eq!(other, name, "{text} is in two concepts");
                }
                assert!(!lexicon.is_stopword(text), "{text} is also a stopword");
            }
        }
        assert!(lexicon.concepts() > 150);
    }
}
