//! Turning report text into comparable tokens: lowercase, accents folded, numbers and
//! scrubbed values dropped (HTTP status codes kept), stopwords removed, words and phrases
//! mapped to concepts across languages (see [`crate::lexicon`]), the rest cut to a stem.

use crate::hash::fnv1a;
use crate::lexicon::{collapse_doubles, lexicon};

/// Words longer than this are cut: a crude stem that lets "freezes", "freezing" and "frozen"
/// fall together with less code than a stemmer per language.
pub const STEM_CHARS: usize = 6;

/// The most tokens kept per report; long stories say their point early.
pub const MAX_TOKENS: usize = 96;

/// Lowercases and folds Latin accents (é → e, ß → ss), and replaces scrubber placeholders
/// such as `[email]` by a space. An apostrophe after one or two letters is an elision and
/// separates words (French "l'achat" → "l achat", "qu'il" → "qu il"); elsewhere it joins them
/// ("doesn't" → "doesnt").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_placeholder = false;
    // Letters since the last non-letter, to tell an elision from a contraction.
    let mut word_letters = 0usize;
    for c in text.chars() {
        match c {
            '[' => in_placeholder = true,
            ']' if in_placeholder => {
                in_placeholder = false;
                out.push(' ');
                word_letters = 0;
            }
            _ if in_placeholder => {}
            '\'' | '’' | '`' => {
                if (1..=2).contains(&word_letters)
                    || out.ends_with("jusqu")
                    || out.ends_with("lorsqu")
                    || out.ends_with("puisqu")
                {
                    out.push(' ');
                    word_letters = 0;
                }
            }
            _ => {
                if c.is_alphanumeric() {
                    word_letters += 1;
                } else {
                    word_letters = 0;
                }
                for lower in c.to_lowercase() {
                    push_folded(&mut out, lower);
                }
            }
        }
    }
    out
}

fn push_folded(out: &mut String, c: char) {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => {
            out.push_str("ss");
            return;
        }
        'œ' => {
            out.push_str("oe");
            return;
        }
        'æ' => {
            out.push_str("ae");
            return;
        }
        other => other,
    };
    out.push(plain);
}

/// The token hashes of a text, deduplicated, in first-seen order.
pub fn tokens(text: &str) -> Vec<u32> {
    let lexicon = lexicon();
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<u32> = Vec::new();
    let mut concepts: Vec<u16> = Vec::new();
    let mut phrase = String::new();
    let mut at = 0;
    'words: while at < words.len() && found.len() < MAX_TOKENS {
        for length in (2..=lexicon.longest_phrase().min(words.len() - at)).rev() {
            phrase.clear();
            for (i, word) in words[at..at + length].iter().enumerate() {
                if i > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(word);
            }
            if let Some(concept) = lexicon.phrase(&phrase) {
                push_unique(&mut found, concept_token(lexicon.name(concept)));
                at += length;
                continue 'words;
            }
        }
        let word = words[at];
        at += 1;
        if lexicon.is_stopword(word) {
            continue;
        }
        if word.bytes().any(|b| b.is_ascii_digit()) {
            // Numbers are order ids, prices and dates, except the HTTP status codes the
            // lexicon names ("404", "500").
            if let Some(concept) = lexicon.concept_of(word) {
                push_unique(&mut found, concept_token(lexicon.name(concept)));
            }
            continue;
        }
        if word.chars().count() < 2 {
            continue;
        }
        concepts.clear();
        lexicon.concepts_in(word, &mut concepts);
        if concepts.is_empty() {
            push_unique(&mut found, token_hash(&stem(word)));
        }
        for &concept in &concepts {
            push_unique(&mut found, concept_token(lexicon.name(concept)));
        }
    }
    found.truncate(MAX_TOKENS);
    found
}

/// A word that is no concept: doubled letters collapsed (so a typo that doubles or drops a
/// letter still matches), a trailing plural s dropped, cut to [`STEM_CHARS`].
pub fn stem(word: &str) -> String {
    let collapsed = collapse_doubles(word);
    // A trailing plural s goes first: "videos" and "video" are one word.
    let singular = match collapsed.strip_suffix('s') {
        Some(rest) if rest.len() >= 3 => rest,
        _ => &collapsed,
    };
    singular.chars().take(STEM_CHARS).collect()
}

fn push_unique(tokens: &mut Vec<u32>, token: u32) {
    if !tokens.contains(&token) {
        tokens.push(token);
    }
}

/// Tokens of concepts have the top bit set, plain words not: the index weighs the two kinds
/// differently (see [`is_concept`]).
const CONCEPT_BIT: u32 = 1 << 31;

fn token_hash(word: &str) -> u32 {
    (fnv1a(word.as_bytes()) >> 33) as u32
}

/// Whether a token is a concept of the lexicon rather than a plain word.
pub fn is_concept(token: u32) -> bool {
    token & CONCEPT_BIT != 0
}

/// Concept tokens carry [`CONCEPT_BIT`], so a concept never collides with a plain word of the
/// same spelling.
fn concept_token(name: &str) -> u32 {
    token_hash(name) | CONCEPT_BIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_lowercases_drops_accents_and_placeholders() {
        assert_eq!(
            fold("Écran BLANC après [email] l'achat"),
            "ecran blanc apres   l achat"
        );
        assert_eq!(fold("doesn't, qu'il, jusqu'à"), "doesnt, qu il, jusqu a");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn the_same_problem_in_other_languages_shares_concepts() {
        let en = tokens("The pay button does nothing");
        let de = tokens("Der Bezahlen-Knopf macht nichts");
        let fr = tokens("Le bouton payer ne fait rien");
        let shared = |a: &[u32], b: &[u32]| a.iter().filter(|t| b.contains(t)).count();
        assert!(shared(&en, &de) >= 3, "{en:?} {de:?}");
        assert!(shared(&en, &fr) >= 3, "{en:?} {fr:?}");
    }

    #[test]
    fn numbers_and_stopwords_say_nothing() {
        assert!(tokens("the order 81234 and the 3").len() == 1);
        assert_eq!(tokens("error 404"), tokens("Fehler: nicht gefunden"));
        assert!(tokens("").is_empty());
        assert_eq!(
            tokens("video"),
            tokens("videos"),
            "stems, and video is not French 'vide'"
        );
        assert_ne!(tokens("video"), tokens("vide"));
    }
}
