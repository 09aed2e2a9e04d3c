//! Screenshots that should be accepted, in each format the widget or an API client sends.

use image::{GenericImageView, Rgba, RgbaImage};
use sha2::{Digest, Sha256};
use snag_core::Limits;
use snag_enrich::{Screenshot, THUMBNAIL_WIDTH, process_screenshot};

use crate::fixtures;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = &[0xff, 0xd8, 0xff];

fn process(media_type: &str, bytes: &[u8]) -> Screenshot {
    let url = fixtures::data_url(media_type, bytes);
    process_screenshot(&url, &Limits::default()).expect("screenshot is accepted")
}

#[test]
fn a_png_screenshot_is_re_encoded_as_png_with_a_jpeg_thumbnail() {
    let png = fixtures::png(&fixtures::screenshot(1));
    let shot = process("image/png", &png);

    assert_eq!((shot.width, shot.height), (1280, 800));
    assert_eq!(shot.media_type, "image/png");
    assert!(shot.image.starts_with(PNG_MAGIC));
    assert_eq!(shot.received_bytes, png.len());

    assert_eq!(shot.thumbnail_media_type, "image/jpeg");
    assert!(shot.thumbnail.starts_with(JPEG_MAGIC));
    assert_eq!(
        (shot.thumbnail_width, shot.thumbnail_height),
        (THUMBNAIL_WIDTH, 200)
    );
    let thumbnail = image::load_from_memory(&shot.thumbnail).expect("thumbnail decodes");
    assert_eq!(thumbnail.dimensions(), (320, 200));

    assert_eq!(shot.sha256, hex(&Sha256::digest(&shot.image)));
    assert_eq!(shot.sha256.len(), 64);
    assert_ne!(
        shot.perceptual_hash, 0,
        "a page with content has a non-trivial hash"
    );
}

#[test]
fn the_stored_png_holds_the_same_pixels_without_alpha() {
    let page = fixtures::screenshot(2);
    let shot = process("image/png", &fixtures::png(&page));
    let stored = image::load_from_memory(&shot.image).expect("stored image decodes");
    assert!(!stored.color().has_alpha());
    let stored = stored.into_rgb8();
    for (x, y) in [(0, 0), (30, 20), (300, 120), (1000, 200), (1279, 799)] {
        let Rgba([r, g, b, _]) = *page.get_pixel(x, y);
        assert_eq!(stored.get_pixel(x, y).0, [r, g, b], "pixel ({x}, {y})");
    }
}

#[test]
fn transparent_areas_are_stored_white() {
    let mut page = RgbaImage::from_pixel(40, 30, Rgba([0, 0, 0, 0]));
    page.put_pixel(5, 5, Rgba([200, 0, 0, 255]));
    let shot = process("image/png", &fixtures::png(&page));
    let stored = image::load_from_memory(&shot.image)
        .expect("decodes")
        .into_rgb8();
    assert_eq!(stored.get_pixel(0, 0).0, [255, 255, 255]);
    assert_eq!(stored.get_pixel(5, 5).0, [200, 0, 0]);
}

#[test]
fn a_jpeg_screenshot_stays_jpeg() {
    let jpeg = fixtures::jpeg(&fixtures::screenshot(3), 90);
    let shot = process("image/jpeg", &jpeg);
    assert_eq!(shot.media_type, "image/jpeg");
    assert!(shot.image.starts_with(JPEG_MAGIC));
    assert_eq!((shot.width, shot.height), (1280, 800));
    assert_eq!((shot.thumbnail_width, shot.thumbnail_height), (320, 200));
}

#[test]
fn a_webp_screenshot_is_stored_as_png() {
    let webp = fixtures::webp(&fixtures::screenshot(4));
    let shot = process("image/webp", &webp);
    assert_eq!(shot.media_type, "image/png");
    assert!(shot.image.starts_with(PNG_MAGIC));
    assert_eq!((shot.width, shot.height), (1280, 800));
}

#[test]
fn metadata_chunks_are_not_carried_over() {
    // A tEXt chunk inserted before IEND, as tools add comments or capture details.
    let mut png = fixtures::png(&RgbaImage::from_pixel(16, 16, Rgba([9, 9, 9, 255])));
    let iend = png.len() - 12;
    let text = b"tEXtComment\0secret-session-token";
    let mut chunk = u32::try_from(text.len() - 4)
        .expect("len")
        .to_be_bytes()
        .to_vec();
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&fixtures::crc32(text).to_be_bytes());
    png.splice(iend..iend, chunk);

    let shot = process("image/png", &png);
    let needle = b"secret-session-token";
    assert!(
        !shot
            .image
            .windows(needle.len())
            .any(|window| window == needle)
    );
}

#[test]
fn a_narrow_image_is_never_upscaled() {
    let small = RgbaImage::from_pixel(200, 120, Rgba([10, 120, 200, 255]));
    let shot = process("image/png", &fixtures::png(&small));
    assert_eq!((shot.thumbnail_width, shot.thumbnail_height), (200, 120));
}

#[test]
fn a_tall_page_keeps_its_aspect_in_the_thumbnail() {
    let tall = RgbaImage::from_pixel(1000, 4000, Rgba([250, 250, 250, 255]));
    let shot = process("image/png", &fixtures::png(&tall));
    assert_eq!((shot.thumbnail_width, shot.thumbnail_height), (320, 1280));
}

#[test]
fn the_same_pixels_give_the_same_content_address() {
    let png = fixtures::png(&fixtures::screenshot(5));
    let first = process("image/png", &png);
    let second = process("image/png", &png);
    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first, second);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
