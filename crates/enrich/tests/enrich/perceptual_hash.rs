//! dHash behaviour on realistic screenshots, through the whole pipeline.

use image::{Rgba, RgbaImage};
use snag_core::Limits;
use snag_enrich::{hamming, process_screenshot};

use crate::fixtures;

fn hash(media_type: &str, bytes: &[u8]) -> u64 {
    let url = fixtures::data_url(media_type, bytes);
    process_screenshot(&url, &Limits::default())
        .expect("accepted")
        .perceptual_hash
}

fn png_hash(image: &RgbaImage) -> u64 {
    hash("image/png", &fixtures::png(image))
}

#[test]
fn identical_pixels_hash_the_same_whatever_the_lossless_format() {
    let page = fixtures::screenshot(1);
    let from_png = png_hash(&page);
    assert_eq!(from_png, png_hash(&page));
    assert_eq!(from_png, hash("image/webp", &fixtures::webp(&page)));
}

#[test]
fn a_few_changed_pixels_barely_move_the_hash() {
    let page = fixtures::screenshot(1);
    let mut edited = page.clone();
    for x in 600..640 {
        for y in 300..310 {
            edited.put_pixel(x, y, Rgba([255, 0, 0, 255]));
        }
    }
    let distance = hamming(png_hash(&page), png_hash(&edited));
    assert!(distance <= 6, "distance {distance}");
}

#[test]
fn a_slight_brightness_change_barely_moves_the_hash() {
    let page = fixtures::screenshot(1);
    let mut brighter = page.clone();
    for pixel in brighter.pixels_mut() {
        for channel in &mut pixel.0[..3] {
            *channel = channel.saturating_add(8);
        }
    }
    let distance = hamming(png_hash(&page), png_hash(&brighter));
    assert!(distance <= 6, "distance {distance}");
}

#[test]
fn a_jpeg_copy_barely_moves_the_hash() {
    let page = fixtures::screenshot(1);
    for quality in [90, 70, 50] {
        let distance = hamming(
            png_hash(&page),
            hash("image/jpeg", &fixtures::jpeg(&page, quality)),
        );
        assert!(distance <= 6, "quality {quality}: distance {distance}");
    }
}

#[test]
fn the_same_layout_with_other_text_stays_close() {
    // Two reports of the same broken page rarely show identical text (a user name, a time).
    let distance = hamming(
        png_hash(&fixtures::screenshot(1)),
        png_hash(&fixtures::screenshot(2)),
    );
    assert!(distance <= 10, "distance {distance}");
}

#[test]
fn a_different_page_is_far_away() {
    let distance = hamming(
        png_hash(&fixtures::screenshot(1)),
        png_hash(&fixtures::other_page()),
    );
    assert!(distance > 20, "distance {distance}");
}
