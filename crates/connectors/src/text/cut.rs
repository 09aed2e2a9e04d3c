//! Cutting text to a tracker's limits, visibly.

/// Appended where text was cut, so a reader knows the rest is in Snag.
pub(crate) const CUT_NOTE: &str = " … (cut, see Snag)";

/// At most `max_chars` characters, the note included when something was cut.
pub(crate) fn cut_chars(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let note_chars = CUT_NOTE.chars().count();
    let keep = max_chars.saturating_sub(note_chars);
    let mut cut: String = text.chars().take(keep).collect();
    // A lone backslash or an open escape at the end would swallow the note's first space.
    while cut.ends_with('\\') {
        cut.pop();
    }
    let mut out = cut.trim_end().to_owned();
    out.push_str(CUT_NOTE);
    if out.chars().count() > max_chars {
        // Only when max_chars is smaller than the note itself.
        return out.chars().take(max_chars).collect();
    }
    out
}

/// Text for a one-line field (a title): whitespace runs, newlines included, become one space.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    cut_chars(&joined, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays() {
        assert_eq!(cut_chars("hello", 5), "hello");
    }

    #[test]
    fn long_text_is_cut_with_a_note_within_the_limit() {
        let text = "é".repeat(100);
        let cut = cut_chars(&text, 50);
        assert_eq!(cut.chars().count(), 50);
        assert!(cut.ends_with(CUT_NOTE));
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(one_line("  a\n\tb  c ", 100), "a b c");
    }
}
