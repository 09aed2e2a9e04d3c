//! A fake Slack incoming webhook: the URL is the credential, errors are plain-text codes,
//! and every Block Kit limit in `specs/slack/NOTES.md` is enforced (`invalid_blocks`).
//! Slack publishes no Block Kit schema; blocks are otherwise accepted as the `@slack/types`
//! types describe them.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::fake_handle;
use crate::server::{Recorded, Reply, Server, Service, lock};

const PATH: &str = "/services/T0FAKE000/B0FAKE000/fakewebhooksecret000000";
const MAX_BLOCKS: usize = 50;
const MAX_MESSAGE_TEXT: usize = 40_000;

pub struct FakeSlack {
    server: Server,
    state: Arc<SlackService>,
}

fake_handle!(FakeSlack);

impl FakeSlack {
    pub fn start() -> FakeSlack {
        let service = Arc::new(SlackService {
            messages: Mutex::new(Vec::new()),
            truncated: Mutex::new(0),
        });
        FakeSlack {
            server: Server::start(service.clone()),
            state: service,
        }
    }

    /// The secret webhook URL to configure.
    pub fn webhook_url(&self) -> String {
        format!("{}{PATH}", self.url())
    }

    /// Messages accepted, as posted.
    pub fn messages(&self) -> Vec<Value> {
        lock(&self.state.messages).clone()
    }

    /// Messages whose `text` Slack would have cut (over 40,000 characters).
    pub fn truncated(&self) -> usize {
        *lock(&self.state.truncated)
    }
}

struct SlackService {
    messages: Mutex<Vec<Value>>,
    truncated: Mutex<usize>,
}

impl Service for SlackService {
    fn handle(&self, request: &Recorded) -> Reply {
        if request.path != PATH {
            return Reply::text(404, "no_service");
        }
        if request.method != "POST" {
            return Reply::text(405, "invalid_method");
        }
        let content_type = request
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let payload: Option<Value> = if content_type.starts_with("application/json") {
            request.json()
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            url::form_urlencoded::parse(&request.body)
                .find(|(k, _)| k == "payload")
                .and_then(|(_, v)| serde_json::from_str(&v).ok())
        } else {
            None
        };
        let Some(Value::Object(message)) = payload else {
            return Reply::text(400, "invalid_payload");
        };
        let text = message.get("text");
        let blocks = message.get("blocks");
        if text.is_none() && blocks.is_none() && message.get("attachments").is_none() {
            return Reply::text(400, "no_text");
        }
        if text.is_some_and(|t| !t.is_string()) {
            return Reply::text(400, "invalid_payload");
        }
        if let Some(blocks) = blocks
            && let Err(problem) = check_blocks(blocks)
        {
            return Reply::text(400, "invalid_blocks").with_header("x-fake-problem", problem);
        }
        if text
            .and_then(Value::as_str)
            .is_some_and(|t| t.chars().count() > MAX_MESSAGE_TEXT)
        {
            *lock(&self.truncated) += 1;
        }
        lock(&self.messages).push(Value::Object(message));
        Reply::text(200, "ok")
    }

    fn server_error(&self, status: u16) -> Reply {
        Reply::text(status, "rollup_error")
    }

    fn rate_limited(&self, retry_after_secs: u64) -> Reply {
        Reply::text(429, "rate_limited").with_header("retry-after", retry_after_secs.to_string())
    }
}

fn check_blocks(blocks: &Value) -> Result<(), String> {
    let blocks = blocks.as_array().ok_or("blocks must be an array")?;
    if blocks.len() > MAX_BLOCKS {
        return Err(format!("{} blocks, at most {MAX_BLOCKS}", blocks.len()));
    }
    for (i, block) in blocks.iter().enumerate() {
        check_block(block).map_err(|e| format!("blocks[{i}]: {e}"))?;
    }
    Ok(())
}

fn check_block(block: &Value) -> Result<(), String> {
    if let Some(id) = block.get("block_id") {
        max_chars(id, 255, "block_id")?;
    }
    match block["type"].as_str() {
        Some("header") => text_object(&block["text"], 150, Some("plain_text")),
        Some("section") => {
            let text = block.get("text");
            let fields = block.get("fields");
            if text.is_none() && fields.is_none() {
                return Err("a section needs text or fields".into());
            }
            if let Some(text) = text {
                text_object(text, 3000, None)?;
            }
            if let Some(fields) = fields {
                let fields = fields.as_array().ok_or("fields must be an array")?;
                if fields.is_empty() || fields.len() > 10 {
                    return Err("a section has 1 to 10 fields".into());
                }
                for field in fields {
                    text_object(field, 2000, None)?;
                }
            }
            Ok(())
        }
        Some("context") => {
            let elements = block["elements"]
                .as_array()
                .ok_or("context needs elements")?;
            if elements.is_empty() || elements.len() > 10 {
                return Err("context has 1 to 10 elements".into());
            }
            for element in elements {
                if element["type"] == "image" {
                    max_chars(&element["alt_text"], 2000, "alt_text")?;
                } else {
                    text_object(element, 3000, None)?;
                }
            }
            Ok(())
        }
        Some("actions") => {
            let elements = block["elements"]
                .as_array()
                .ok_or("actions needs elements")?;
            if elements.is_empty() || elements.len() > 25 {
                return Err("actions has 1 to 25 elements".into());
            }
            elements.iter().try_for_each(check_element)
        }
        Some("divider") => Ok(()),
        Some("markdown") => max_chars(&block["text"], 12_000, "markdown text"),
        Some("image") => {
            max_chars(&block["alt_text"], 2000, "alt_text")?;
            max_chars(&block["image_url"], 3000, "image_url")
        }
        Some("rich_text" | "video" | "file" | "input") => Ok(()),
        other => Err(format!("unknown block type {other:?}")),
    }
}

fn check_element(element: &Value) -> Result<(), String> {
    if let Some(id) = element.get("action_id") {
        max_chars(id, 255, "action_id")?;
    }
    match element["type"].as_str() {
        Some("button") => {
            text_object(&element["text"], 75, Some("plain_text"))?;
            if let Some(url) = element.get("url") {
                max_chars(url, 3000, "url")?;
            }
            if let Some(value) = element.get("value") {
                max_chars(value, 2000, "value")?;
            }
            Ok(())
        }
        Some(_) => Ok(()),
        None => Err("an element needs a type".into()),
    }
}

/// A text object: `plain_text` or `mrkdwn`, 1..`max` characters.
fn text_object(object: &Value, max: usize, only: Option<&str>) -> Result<(), String> {
    let kind = object["type"]
        .as_str()
        .ok_or("a text object needs a type")?;
    if !matches!(kind, "plain_text" | "mrkdwn") || only.is_some_and(|o| o != kind) {
        return Err(format!("text type {kind} not allowed here"));
    }
    let text = object["text"].as_str().ok_or("a text object needs text")?;
    let count = text.chars().count();
    if count == 0 || count > max {
        return Err(format!("text of {count} characters, allowed 1 to {max}"));
    }
    Ok(())
}

fn max_chars(value: &Value, max: usize, what: &str) -> Result<(), String> {
    let text = value.as_str().ok_or(format!("{what} must be a string"))?;
    let count = text.chars().count();
    if count > max {
        return Err(format!("{what} has {count} characters, at most {max}"));
    }
    Ok(())
}
