//! Every way a screenshot is refused, and the limits at and one past their edge.

use std::time::{Duration, Instant};

use image::{Rgba, RgbaImage};
use snag_core::{Limits, RejectCode, Rejection};
use snag_enrich::{ScreenshotError, process_screenshot};

use crate::fixtures;

fn small_png() -> Vec<u8> {
    fixtures::png(&RgbaImage::from_fn(100, 100, |x, y| {
        Rgba([(x * 2) as u8, (y * 2) as u8, 128, 255])
    }))
}

fn process(data_url: &str, limits: &Limits) -> Result<(), ScreenshotError> {
    process_screenshot(data_url, limits).map(|_| ())
}

fn assert_invalid(data_url: &str) -> String {
    match process(data_url, &Limits::default()) {
        Err(ScreenshotError::Invalid(message)) => message,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn assert_too_large(result: Result<(), ScreenshotError>) -> String {
    match result {
        Err(ScreenshotError::TooLarge(message)) => message,
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn not_a_data_url() {
    for url in [
        "",
        "https://example.com/shot.png",
        "data:image/png,AAAA",
        "image/png;base64,AA",
    ] {
        let message = assert_invalid(url);
        assert!(message.contains("data URL"), "{message}");
    }
}

#[test]
fn an_unaccepted_media_type() {
    let message = assert_invalid(&fixtures::data_url("image/gif", b"GIF89a"));
    assert!(message.contains("image/gif"), "{message}");
    assert_invalid(&fixtures::data_url("text/html", b"<script>"));
}

#[test]
fn bad_base64() {
    let message = assert_invalid("data:image/png;base64,iVBORw0KGgo*not base64*");
    assert!(message.contains("base64"), "{message}");
    // Whitespace and URL-safe characters are not in the standard alphabet either.
    assert_invalid("data:image/png;base64,iVBO Rw0K");
    assert_invalid("data:image/png;base64,iVBO-_0K");
}

#[test]
fn bytes_that_are_no_image() {
    assert_invalid(&fixtures::data_url(
        "image/png",
        b"hello, this is not an image",
    ));
    assert_invalid(&fixtures::data_url("image/png", &[]));
}

#[test]
fn corrupt_bytes_after_a_valid_signature() {
    let mut png = small_png();
    for byte in &mut png[8..] {
        *byte ^= 0x5a;
    }
    assert_invalid(&fixtures::data_url("image/png", &png));

    let mut jpeg = fixtures::jpeg(&fixtures::screenshot(1), 80);
    let middle = jpeg.len() / 2;
    jpeg[4..middle].fill(0xff);
    assert_invalid(&fixtures::data_url("image/jpeg", &jpeg));
}

#[test]
fn a_truncated_png() {
    let png = fixtures::png(&fixtures::screenshot(1));
    for cut in [20, 40, png.len() / 2, png.len() - 13] {
        let message = assert_invalid(&fixtures::data_url("image/png", &png[..cut]));
        assert!(message.starts_with("screenshot"), "{message}");
    }
}

#[test]
fn declared_png_but_the_bytes_are_jpeg() {
    let jpeg = fixtures::jpeg(&fixtures::screenshot(1), 80);
    let message = assert_invalid(&fixtures::data_url("image/png", &jpeg));
    assert!(
        message.contains("image/png") && message.contains("JPEG"),
        "{message}"
    );
    let message = assert_invalid(&fixtures::data_url("image/webp", &small_png()));
    assert!(message.contains("PNG"), "{message}");
}

#[test]
fn bytes_at_the_limit_pass_and_one_past_fails() {
    let png = small_png();
    let url = fixtures::data_url("image/png", &png);
    let at_limit = Limits {
        max_screenshot_bytes: png.len(),
        ..Limits::default()
    };
    assert!(process(&url, &at_limit).is_ok());
    // One, two and three bytes short cover every base64 padding case, so both the check on
    // the base64 length and the one on the decoded length are exercised.
    for short in 1..=3 {
        let limits = Limits {
            max_screenshot_bytes: png.len() - short,
            ..Limits::default()
        };
        let message = assert_too_large(process(&url, &limits));
        assert!(
            message.contains(&(png.len() - short).to_string()),
            "{message}"
        );
    }
}

#[test]
fn pixels_at_the_limit_pass_and_one_past_fails() {
    let url = fixtures::data_url("image/png", &small_png());
    let at_limit = Limits {
        max_screenshot_pixels: 100 * 100,
        ..Limits::default()
    };
    assert!(process(&url, &at_limit).is_ok());
    let past = Limits {
        max_screenshot_pixels: 100 * 100 - 1,
        ..Limits::default()
    };
    let message = assert_too_large(process(&url, &past));
    assert!(message.contains("10000 pixels"), "{message}");
}

#[test]
fn a_side_at_the_limit_passes_and_one_past_fails() {
    let url = fixtures::data_url("image/png", &small_png());
    let at_limit = Limits {
        max_screenshot_side: 100,
        ..Limits::default()
    };
    assert!(process(&url, &at_limit).is_ok());
    let past = Limits {
        max_screenshot_side: 99,
        ..Limits::default()
    };
    assert_too_large(process(&url, &past));
}

#[test]
fn limits_apply_to_jpeg_and_webp_headers_too() {
    let page = fixtures::screenshot(1);
    let limits = Limits {
        max_screenshot_pixels: 1280 * 800 - 1,
        ..Limits::default()
    };
    let jpeg = fixtures::data_url("image/jpeg", &fixtures::jpeg(&page, 80));
    assert_too_large(process(&jpeg, &limits));
    let webp = fixtures::data_url("image/webp", &fixtures::webp(&page));
    assert_too_large(process(&webp, &limits));
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = fixtures::bomb_png(50_000, 50_000);
    assert!(bomb.len() < 100, "the bomb is {} bytes", bomb.len());
    let url = fixtures::data_url("image/png", &bomb);

    let started = Instant::now();
    let message = assert_too_large(process(&url, &Limits::default()));
    let elapsed = started.elapsed();
    assert!(message.contains("50000"), "{message}");
    // Decoding it would mean inflating 2.5 GB; refusing it reads 33 bytes of header.
    assert!(elapsed < Duration::from_millis(50), "took {elapsed:?}");
}

#[test]
fn a_bomb_within_the_side_limit_is_refused_by_its_pixel_count() {
    // 16,000×16,000 passes the 16,384 side limit but is 256 M pixels against 26 M.
    let url = fixtures::data_url("image/png", &fixtures::bomb_png(16_000, 16_000));
    let started = Instant::now();
    let message = assert_too_large(process(&url, &Limits::default()));
    assert!(message.contains("256000000 pixels"), "{message}");
    assert!(started.elapsed() < Duration::from_millis(50));
}

#[test]
fn a_bomb_header_within_the_limits_is_a_truncated_image() {
    // The same crafted file at a size the limits allow: the decoder runs out of data.
    let url = fixtures::data_url("image/png", &fixtures::bomb_png(2_000, 2_000));
    assert_invalid(&url);
}

#[test]
fn errors_become_rejections_on_the_screenshot_field() {
    let too_large = Limits {
        max_screenshot_bytes: 10,
        ..Limits::default()
    };
    let error = process_screenshot(&fixtures::data_url("image/png", &small_png()), &too_large)
        .expect_err("over the byte limit");
    let rejection = Rejection::from(error);
    assert_eq!(rejection.code, RejectCode::TooLarge);
    assert_eq!(rejection.field.as_deref(), Some("screenshot"));

    let error = process_screenshot("not a url", &Limits::default()).expect_err("invalid");
    let rejection = Rejection::from(error);
    assert_eq!(rejection.code, RejectCode::InvalidImage);
    assert_eq!(rejection.field.as_deref(), Some("screenshot"));
}
