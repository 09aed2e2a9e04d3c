//! Atlassian Document Format from the document model. ADF is a tree of typed nodes, so report
//! text stays in `text` nodes and cannot become markup; the only rules are the schema's
//! (`text` never empty, lists and tables never empty, marks only where allowed).

use serde_json::{Value, json};

use crate::text::{Block, Inline, safe_link};

pub(crate) fn document(blocks: &[Block]) -> Value {
    let content: Vec<Value> = blocks.iter().filter_map(block).collect();
    json!({"type": "doc", "version": 1, "content": content})
}

fn block(block: &Block) -> Option<Value> {
    match block {
        Block::Heading(text) => Some(json!({
            "type": "heading",
            "attrs": {"level": 3},
            "content": text_nodes(text),
        })),
        Block::Text(text) => Some(paragraph(multiline(text))),
        Block::Ordered(items) => list("orderedList", items),
        Block::Bullets(items) => list("bulletList", items),
        Block::Table(rows) => {
            let rows: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let value = if row.link {
                        link_nodes(&row.value, &row.value)
                    } else {
                        text_nodes(&row.value)
                    };
                    json!({"type": "tableRow", "content": [
                        {"type": "tableHeader", "content": [paragraph(text_nodes(&row.label))]},
                        {"type": "tableCell", "content": [paragraph(value)]},
                    ]})
                })
                .collect();
            (!rows.is_empty()).then(|| json!({"type": "table", "content": rows}))
        }
        Block::Code(text) => Some(json!({
            "type": "codeBlock",
            "attrs": {"language": "text"},
            "content": text_nodes(text),
        })),
        Block::Line(inlines) => Some(paragraph(inlines.iter().flat_map(inline).collect())),
        // Jira shows the screenshot as an attachment of the issue.
        Block::Image { .. } => None,
        Block::Rule => Some(json!({"type": "rule"})),
    }
}

fn inline(inline: &Inline) -> Vec<Value> {
    match inline {
        Inline::Plain(text) => text_nodes(text),
        Inline::Strong(text) => non_empty(text)
            .map(|t| vec![json!({"type": "text", "text": t, "marks": [{"type": "strong"}]})])
            .unwrap_or_default(),
        Inline::Link { text, url } => link_nodes(text, url),
    }
}

fn paragraph(content: Vec<Value>) -> Value {
    if content.is_empty() {
        json!({"type": "paragraph"})
    } else {
        json!({"type": "paragraph", "content": content})
    }
}

/// A list; ADF refuses an empty one, and every item needs a paragraph.
fn list(kind: &str, items: &[String]) -> Option<Value> {
    let items: Vec<Value> = items
        .iter()
        .map(|item| json!({"type": "listItem", "content": [paragraph(text_nodes(item))]}))
        .collect();
    (!items.is_empty()).then(|| json!({"type": kind, "content": items}))
}

/// Lines of text joined by hard breaks, so a report's line structure survives.
fn multiline(text: &str) -> Vec<Value> {
    let mut nodes = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            nodes.push(json!({"type": "hardBreak"}));
        }
        nodes.extend(text_nodes(line));
    }
    nodes
}

/// A text node, or none for empty text (ADF's `text` has `minLength: 1`).
fn text_nodes(text: &str) -> Vec<Value> {
    non_empty(text)
        .map(|t| vec![json!({"type": "text", "text": t})])
        .unwrap_or_default()
}

fn link_nodes(text: &str, url: &str) -> Vec<Value> {
    match (non_empty(text), safe_link(url)) {
        (Some(t), Some(url)) => vec![json!({
            "type": "text",
            "text": t,
            "marks": [{"type": "link", "attrs": {"href": url.as_str()}}],
        })],
        _ => text_nodes(text),
    }
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}
