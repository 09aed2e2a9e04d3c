//! "What is sent": the report exactly as it will leave the page, with the screenshot shown
//! as its size rather than as megabytes of base64.

use alloc::string::String;

use snag_core::{ReportPayload, ScrubKind, ScrubSummary};

use super::json::to_pretty_json;
use crate::text::push_decimal;

pub fn preview(payload: &ReportPayload, scrubbed: &ScrubSummary, removed_label: &str) -> String {
    let size = payload.screenshot.as_ref().map(|shot| {
        let kib = shot.len() * 3 / 4 / 1024;
        let mut text = String::from("[image, ");
        push_decimal(&mut text, kib as i64);
        text.push_str(" KiB]");
        text
    });
    let mut out = to_pretty_json(payload, size.as_deref());
    if !scrubbed.is_empty() {
        out.push_str("\n\n");
        out.push_str(removed_label);
        for kind in ScrubKind::ALL {
            let count = scrubbed.get(kind);
            if count > 0 {
                out.push_str("\n  ");
                out.push_str(kind.placeholder());
                out.push_str(" × ");
                push_decimal(&mut out, i64::from(count));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_screenshot_is_shown_by_size() {
        let payload = ReportPayload {
            description: Some("x".into()),
            screenshot: Some(["data:image/png;base64,", &"A".repeat(4096)].concat()),
            ..ReportPayload::default()
        };
        let mut scrubbed = ScrubSummary::default();
        scrubbed.add(ScrubKind::Email);
        let text = preview(&payload, &scrubbed, "Removed:");
        assert!(text.contains("[image, 3 KiB]"), "{text}");
        assert!(text.contains("[email] × 1"), "{text}");
        assert!(!text.contains("AAAA"));
    }
}
