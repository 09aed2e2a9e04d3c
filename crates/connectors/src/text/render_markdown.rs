//! Markdown for GitHub and Linear from the document model.

use super::doc::{Block, Inline};
use super::{escape_markdown, escape_markdown_inline, markdown_link_url};

pub(crate) fn render_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        match block {
            Block::Heading(text) => {
                out.push_str("### ");
                out.push_str(&escape_markdown_inline(text));
            }
            Block::Text(text) => out.push_str(&escape_markdown(text)),
            Block::Ordered(items) => {
                let lines: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| format!("{}. {}", i + 1, escape_markdown_inline(item)))
                    .collect();
                out.push_str(&lines.join("\n"));
            }
            Block::Bullets(items) => {
                let lines: Vec<String> = items
                    .iter()
                    .map(|item| format!("- {}", escape_markdown_inline(item)))
                    .collect();
                out.push_str(&lines.join("\n"));
            }
            Block::Table(rows) => {
                out.push_str("| | |\n| --- | --- |");
                for row in rows {
                    let value = match row.link.then(|| markdown_link_url(&row.value)).flatten() {
                        Some(url) => format!("[{}]({url})", escape_markdown_inline(&row.value)),
                        None => escape_markdown_inline(&row.value),
                    };
                    out.push_str(&format!(
                        "\n| **{}** | {} |",
                        escape_markdown_inline(&row.label),
                        value
                    ));
                }
            }
            Block::Code(text) => {
                // A fence longer than any backtick run inside keeps the text from closing it.
                let longest = longest_run(text, '`');
                let fence = "`".repeat((longest + 1).max(3));
                out.push_str(&format!("{fence}text\n{text}\n{fence}"));
            }
            Block::Line(inlines) => out.push_str(&render_inlines(inlines)),
            Block::Image { alt, url } => {
                if let Some(url) = markdown_link_url(url) {
                    out.push_str(&format!("![{}]({url})", escape_markdown_inline(alt)));
                }
            }
            Block::Rule => out.push_str("---"),
        }
    }
    out
}

fn render_inlines(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Plain(text) => out.push_str(&spaced(text, escape_markdown_inline(text))),
            Inline::Strong(text) => {
                let strong = format!("**{}**", escape_markdown_inline(text));
                out.push_str(&spaced(text, strong));
            }
            Inline::Link { text, url } => match markdown_link_url(url) {
                Some(url) => out.push_str(&format!("[{}]({url})", escape_markdown_inline(text))),
                None => out.push_str(&escape_markdown_inline(text)),
            },
        }
    }
    out
}

/// Keeps one space where `text` began or ended with whitespace, which escaping trims.
fn spaced(text: &str, rendered: String) -> String {
    let mut out = String::new();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(&rendered);
    if text.ends_with(char::is_whitespace) && !rendered.is_empty() {
        out.push(' ');
    }
    out
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        if ch == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_fences_cannot_be_closed_from_inside() {
        let out = render_markdown(&[Block::Code("a ``` b ```` c".into())]);
        assert!(out.starts_with("`````text\n"));
        assert!(out.ends_with("\n`````"));
    }
}
