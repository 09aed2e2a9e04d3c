//! The screenshot: taken from the DOM when the dialog opens, redacted in its pixels before it
//! leaves the page, annotated by the user, and stored with the report.

use std::time::Duration;

use e2e::browser::{Browser, runtime};
use image::RgbImage;
use serde_json::json;

use crate::support::{
    ROOT, SetupOptions, WAIT, centre, click_at, drag, num, setup, staff_bytes, staff_get,
    submitted_id, wait_dialog_open, wait_status,
};

/// A page element's box in viewport CSS pixels: `[x, y, width, height]`.
async fn page_rect(browser: &Browser, selector: &str) -> [f64; 4] {
    let r = browser
        .js(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();\
             return [r.left, r.top, r.width, r.height];",
            vec![json!(selector)],
        )
        .await;
    [num(&r[0]), num(&r[1]), num(&r[2]), num(&r[3])]
}

#[test]
fn the_stored_screenshot_is_redacted_and_carries_the_users_boxes() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    let (id, rects, viewport_width) = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        browser
            .wait_for(
                "the page's images",
                "return [...document.images].every(i => i.complete)",
                WAIT,
            )
            .await;
        let mut rects = Vec::new();
        for selector in ["#password", "#card", "#cvc", "#account", ".hero h1", "#name", "#partner"] {
            rects.push((selector, page_rect(&browser, selector).await));
        }
        let viewport_width = num(&browser.js("return document.documentElement.clientWidth", vec![]).await);

        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        let millis = browser
            .wait_for(
                "the screenshot",
                &format!(
                    "const c = {ROOT}.querySelector('.canvas');\
                     return !c.hidden && c.getAttribute('data-capture-ms');"
                ),
                WAIT,
            )
            .await;
        println!("screenshot of the example page captured in the browser in {millis} ms");
        // `cargo xtask test` prints it with the widget's sizes.
        let _ = std::fs::write(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/widget-capture-ms"),
            millis.as_str().unwrap_or_default(),
        );

        // Draw a redact box over the page's heading, on the editor's canvas.
        browser
            .js(
                &format!("{ROOT}.querySelector('.canvas').scrollIntoView({{block: 'center'}})"),
                vec![],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let canvas = browser
            .js(
                &format!(
                    "const c = {ROOT}.querySelector('.canvas'); const r = c.getBoundingClientRect();\
                     return [r.left, r.top, r.width / c.width];"
                ),
                vec![],
            )
            .await;
        let (left, top, scale) = (num(&canvas[0]), num(&canvas[1]), num(&canvas[2]));
        let [hx, hy, hw, hh] = rects[4].1;
        let from = (left + (hx - 4.0) * scale, top + (hy - 4.0) * scale);
        let to = (left + (hx + hw + 4.0) * scale, top + (hy + hh + 4.0) * scale);
        // Redact is the default tool.
        drag(&browser, from, to).await;

        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser.type_text("Card form shows the wrong total").await;
        click_at(&browser, centre(&browser, ".send").await).await;
        wait_status(&browser, "Thank you").await;
        (submitted_id(&browser, 0).await, rects, viewport_width)
    });

    let report = staff_get(&setup, &format!("/api/v1/reports/{id}"));
    let shot = &report["enriched"]["screenshot"];
    assert_eq!(shot["media_type"], "image/png", "{report}");
    let png = staff_bytes(&setup, &format!("/api/v1/reports/{id}/screenshot"));
    let image = image::load_from_memory(&png).expect("a PNG").to_rgb8();
    if let Ok(path) = std::env::var("SNAG_KEEP_SCREENSHOT") {
        let _ = std::fs::write(path, &png);
    }
    let scale = f64::from(image.width()) / viewport_width;
    // Boxes in image pixels, cut to the image (a field may be partly below the fold).
    let pixel_rect = |r: [f64; 4]| {
        let x = (r[0] * scale).round().max(0.0) as u32;
        let y = (r[1] * scale).round().max(0.0) as u32;
        let right = ((r[0] + r[2]) * scale)
            .round()
            .min(f64::from(image.width())) as u32;
        let bottom = ((r[1] + r[3]) * scale)
            .round()
            .min(f64::from(image.height())) as u32;
        [x, y, right.saturating_sub(x), bottom.saturating_sub(y)]
    };
    for (selector, rect) in &rects[..5] {
        assert!(
            all_black(&image, pixel_rect(*rect)),
            "{selector} must be black in the stored screenshot"
        );
    }
    assert!(
        !all_black(&image, pixel_rect(rects[5].1)),
        "an ordinary field stays visible"
    );
    // The partner banner comes from another origin without CORS: a neutral placeholder.
    let [x, y, w, h] = pixel_rect(rects[6].1);
    let centre = image.get_pixel(x + w / 2, y + h / 2).0;
    assert_eq!(
        centre,
        [0xcb, 0xd5, 0xe1],
        "the unreadable image is a placeholder"
    );
}

/// Whether every pixel of the box (less a 2-pixel border for anti-aliasing) is black.
fn all_black(image: &RgbImage, [x, y, w, h]: [u32; 4]) -> bool {
    let (x1, y1) = ((x + w).saturating_sub(2), (y + h).saturating_sub(2));
    assert!(x1 > x + 2 && y1 > y + 2 && x1 <= image.width() && y1 <= image.height());
    (y + 2..y1).all(|py| (x + 2..x1).all(|px| image.get_pixel(px, py).0.iter().all(|c| *c <= 8)))
}
