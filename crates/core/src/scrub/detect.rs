//! The pass over a text: a byte-class table says which bytes can start a detector, each
//! detector answers with a replacement or with how far the scan may skip, and the output is
//! only allocated at the first replacement.

use alloc::{string::String, vec::Vec};

use super::{ScrubConfig, ScrubKind, ScrubSummary, email, keys, numbers, secrets, tokens};

/// Whether a text is free text or a URL, whose host is never taken for an e-mail domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Text,
    Url,
}

/// Bytes `start..end` of the scanned text are to become `kind`'s placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: ScrubKind,
}

enum Step {
    Replace(Hit),
    /// Nothing starts before this position (always past the current one).
    Skip(usize),
}

const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const AT: u8 = 4;
const PERCENT: u8 = 8;
const SEPARATOR: u8 = 16;

/// The enabled detectors, with the byte classes that trigger them.
#[derive(Clone)]
pub(super) struct Rules {
    ibans: bool,
    tokens: bool,
    pub extra_keys: Vec<keys::NormalKey>,
    pub key_endings: keys::KeyEndings,
    classes: [u8; 256],
}

impl Rules {
    pub fn new(config: &ScrubConfig) -> Self {
        let on = |flag: bool| config.enabled && flag;
        let mut classes = [0u8; 256];
        for b in 0..=255u8 {
            let slot = &mut classes[usize::from(b)];
            if b.is_ascii_digit() && on(config.card_numbers) {
                *slot |= DIGIT;
            }
            if b.is_ascii_alphabetic() && (on(config.ibans) || on(config.tokens)) {
                *slot |= LETTER;
            }
            if b == b'@' && on(config.emails) {
                *slot |= AT;
            }
            if b == b'%' && on(config.emails) {
                *slot |= PERCENT;
            }
            if matches!(b, b':' | b'=') && on(config.secrets) {
                *slot |= SEPARATOR;
            }
        }
        let extra_keys: Vec<_> = config
            .extra_secret_keys
            .iter()
            .filter_map(|key| keys::NormalKey::new(key.as_bytes()))
            .filter(|key| !key.is_empty())
            .collect();
        Rules {
            ibans: on(config.ibans),
            tokens: on(config.tokens),
            key_endings: keys::KeyEndings::new(&extra_keys),
            extra_keys,
            classes,
        }
    }

    pub fn tokens(&self) -> bool {
        self.tokens
    }

    /// One scan of `text`; `None` when nothing was found.
    pub fn pass(&self, text: &str, mode: Mode, summary: &mut ScrubSummary) -> Option<String> {
        let bytes = text.as_bytes();
        let no_email_before = match mode {
            Mode::Text => 0,
            Mode::Url => authority_end(bytes),
        };
        let mut out: Option<String> = None;
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let class = self.classes[usize::from(bytes[i])];
            if class == 0 {
                i += 1;
                continue;
            }
            match self.step(bytes, i, copied, no_email_before, class) {
                Step::Replace(hit) => {
                    debug_assert!(copied <= hit.start && hit.start < hit.end && i < hit.end);
                    let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                    out.push_str(between(text, copied, hit.start));
                    out.push_str(hit.kind.placeholder());
                    summary.add(hit.kind);
                    copied = hit.end;
                    i = hit.end;
                }
                Step::Skip(next) => {
                    debug_assert!(next > i);
                    i = next;
                }
            }
        }
        if let Some(out) = &mut out {
            out.push_str(between(text, copied, text.len()));
        }
        out
    }

    /// What starts at `i`. `floor` is where the unreplaced text begins: detectors that look
    /// back (e-mail local parts, secret keys) never reach below it.
    fn step(
        &self,
        bytes: &[u8],
        i: usize,
        floor: usize,
        no_email_before: usize,
        class: u8,
    ) -> Step {
        if class & (DIGIT | LETTER) != 0 {
            let word_end = word_end(bytes, i + 1);
            // Every word-shaped detector starts at the beginning of a word, so the rest of a
            // word is skipped in one step; this is what keeps prose cheap.
            if i > 0 && is_word_byte(bytes[i - 1]) {
                return Step::Skip(word_end);
            }
            if class & DIGIT != 0 {
                if !numbers::card_may_start(bytes, i) {
                    return Step::Skip(word_end);
                }
                return match numbers::find_card(bytes, i) {
                    Ok((start, end)) => Step::Replace(Hit {
                        start,
                        end,
                        kind: ScrubKind::CardNumber,
                    }),
                    Err(run_end) => Step::Skip(run_end.max(word_end)),
                };
            }
            return match self.word(bytes, i) {
                Ok(hit) => Step::Replace(hit),
                Err(next) => Step::Skip(next.max(word_end)),
            };
        }
        if class & (AT | PERCENT) != 0 && i >= no_email_before {
            let domain_start = if class & AT != 0 {
                Some(i + 1)
            } else {
                bytes[i + 1..].starts_with(b"40").then_some(i + 3)
            };
            if let Some((start, end)) =
                domain_start.and_then(|domain| email::find(bytes, i, domain, floor))
            {
                return Step::Replace(Hit {
                    start,
                    end,
                    kind: ScrubKind::Email,
                });
            }
        }
        if class & SEPARATOR != 0
            && let Some(hit) = secrets::find(self, bytes, i, floor)
        {
            return Step::Replace(hit);
        }
        Step::Skip(i + 1)
    }

    /// Detectors that start with a letter at the beginning of a word; otherwise where the
    /// next may start.
    fn word(&self, bytes: &[u8], i: usize) -> Result<Hit, usize> {
        let next = match self.tokens.then(|| tokens::find(bytes, i)) {
            Some(Ok(hit)) => return Ok(hit),
            Some(Err(next)) => next,
            None => i + 1,
        };
        let iban = self.ibans.then(|| numbers::find_iban(bytes, i)).flatten();
        match iban {
            Some(end) => Ok(Hit {
                start: i,
                end,
                kind: ScrubKind::Iban,
            }),
            None => Err(next),
        }
    }
}

/// Letters, digits and `_`: the bytes a word-shaped match may not be glued to.
pub(super) fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// A table, because skipping words is most of the work on ordinary text.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_word_byte(bytes[i]) {
        i += 1;
    }
    i
}

/// Where the host part of `scheme://userinfo@host:port` (or `//host`) ends; 0 when the text
/// does not start with one.
fn authority_end(bytes: &[u8]) -> usize {
    let start = if bytes.starts_with(b"//") {
        2
    } else {
        let scheme = bytes
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))
            .unwrap_or(bytes.len());
        if scheme == 0 || !bytes[0].is_ascii_alphabetic() || !bytes[scheme..].starts_with(b"://") {
            return 0;
        }
        scheme + 3
    };
    bytes[start..]
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .map_or(bytes.len(), |p| start + p)
}

/// The text between two places a rule found. Both are at ASCII bytes or the ends (rules only
/// stop on ASCII), so this never comes up empty by mistake; `get` rather than a slice, whose
/// failure path would bring a panic's text formatting into the widget (about 4 KB gzipped).
fn between(text: &str, start: usize, end: usize) -> &str {
    let part = text.get(start..end);
    debug_assert!(part.is_some(), "{start}..{end} is not a span of the text");
    part.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::authority_end;

    #[test]
    fn authority_ends_at_the_path_query_or_fragment() {
        assert_eq!(authority_end(b"https://a.example/x"), 17);
        assert_eq!(authority_end(b"https://u:p@a.example?q"), 21);
        assert_eq!(authority_end(b"//cdn.example#x"), 13);
        assert_eq!(authority_end(b"https://a.example"), 17);
        assert_eq!(authority_end(b"/relative?x=1"), 0);
        assert_eq!(authority_end(b"mailto:a@b.example"), 0);
        assert_eq!(authority_end(b"1http://x"), 0);
    }
}
