//! Markdown (GitHub, Linear) for untrusted text: shown as the person typed it, never as
//! markup. Every ASCII punctuation that CommonMark or GFM gives a meaning is backslash-escaped
//! where it could act (emphasis, links, images, HTML and comments, tables, code, headings,
//! lists, block quotes); `@` and `#` get an invisible word joiner so that no `@team` mention
//! or `#12` reference is made.

/// U+2060 WORD JOINER: invisible, and breaks the `@name` and `#123` patterns.
const JOINER: char = '\u{2060}';

/// Multi-line text: each line escaped, leading indentation dropped (it would make a code
/// block), line breaks kept.
pub(crate) fn escape_markdown(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(escape_line).collect();
    lines.join("\n")
}

/// Text inside one line of our own markup (a table cell, a list item, a title).
pub(crate) fn escape_markdown_inline(text: &str) -> String {
    escape_line(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn escape_line(line: &str) -> String {
    let line = line.trim_start();
    let mut out = String::with_capacity(line.len() + 8);
    let mut at_start = true;
    let mut digits_only = true;
    for c in line.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' | '&' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '@' | '#' => {
                out.push(c);
                out.push(JOINER);
            }
            // A list marker, a setext underline or a thematic break only at a line's start.
            '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            // `1.` or `1)` at a line's start opens an ordered list.
            '.' | ')' if digits_only && !at_start => {
                out.push('\\');
                out.push(c);
            }
            // `(` after an escaped `]` can no longer form a link, but a bare `(url)` after
            // our own `]` in a template could: keep it escaped too.
            '(' => {
                out.push('\\');
                out.push(c);
            }
            // `GH-12` is a GitHub issue reference too.
            '-' if out.to_ascii_lowercase().ends_with("gh") => {
                out.push(c);
                out.push(JOINER);
            }
            '\t' => out.push(' '),
            _ => out.push(c),
        }
        digits_only = digits_only && c.is_ascii_digit();
        at_start = false;
    }
    out
}

/// A URL for our own `[label](url)` or `![alt](url)`: only http(s), with the characters that
/// could end the destination early percent-encoded.
pub(crate) fn markdown_link_url(url: &str) -> Option<String> {
    let parsed = super::safe_link(url)?;
    Some(
        parsed
            .as_str()
            .replace('(', "%28")
            .replace(')', "%29")
            .replace(' ', "%20")
            .replace('<', "%3C")
            .replace('>', "%3E"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_stays_text() {
        let hostile = "[click](javascript:alert(1)) ![x](http://evil/x.png) <script>alert(1)</script> <!-- hidden -->";
        let escaped = escape_markdown(hostile);
        assert!(!escaped.contains("]("));
        assert!(!escaped.contains("<!--"));
        assert!(escaped.contains(r"\<script"));
        let unescaped_angle = escaped
            .char_indices()
            .any(|(i, c)| c == '<' && !escaped[..i].ends_with('\\'));
        assert!(!unescaped_angle, "{escaped}");
        assert!(escaped.contains(r"\[click\]"));
    }

    #[test]
    fn mentions_and_references_are_neutral() {
        let escaped = escape_markdown("ping @channel and @org/team about #12 and GH-7");
        assert!(!escaped.contains("GH-7"));
        assert!(!escaped.contains("@channel"));
        assert!(!escaped.contains("@org"));
        assert!(!escaped.contains("#12"));
        assert_eq!(
            escaped.replace(JOINER, ""),
            "ping @channel and @org/team about #12 and GH-7"
        );
    }

    #[test]
    fn line_starts_make_no_blocks() {
        let escaped = escape_markdown("# Title\n- item\n1. first\n    code\n> quote\n---");
        for line in escaped.lines() {
            assert!(
                !line.starts_with("# ")
                    && !line.starts_with("- ")
                    && !line.starts_with("1. ")
                    && !line.starts_with("    ")
                    && !line.starts_with('>')
                    && !line.starts_with("---"),
                "{line:?}"
            );
        }
    }

    #[test]
    fn link_urls_are_http_only_and_cannot_break_out() {
        assert_eq!(markdown_link_url("javascript:alert(1)"), None);
        assert_eq!(markdown_link_url("data:text/html,hi"), None);
        assert_eq!(
            markdown_link_url("https://shop.example/a(b)?q=1 2").as_deref(),
            Some("https://shop.example/a%28b%29?q=1%202")
        );
    }
}
