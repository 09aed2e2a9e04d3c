//! Images for the tests and the benchmark, drawn in code so nothing binary is checked in.
//!
//! [`screenshot`] looks like what the widget sends: a 1280×800 RGBA canvas of a web app
//! with a coloured header, a sidebar, cards, a photo and lines of text whose glyph-like
//! strokes give the PNG the entropy of real anti-aliased text (~200 KB, as real screenshots
//! of that size are).

#![allow(dead_code)] // The benchmark includes this file and uses only part of it.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageEncoder, Rgba, RgbaImage};

pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 800;

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const INK: Rgba<u8> = Rgba([36, 41, 47, 255]);

/// A light-theme web app page; `seed` varies the text, not the layout.
pub fn screenshot(seed: u64) -> RgbaImage {
    let mut page = RgbaImage::from_pixel(WIDTH, HEIGHT, WHITE);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    // Header bar with a logo and navigation links.
    fill(&mut page, 0, 0, WIDTH, 64, Rgba([31, 111, 235, 255]));
    fill(&mut page, 24, 16, 32, 32, Rgba([255, 200, 40, 255]));
    text_line(&mut page, &mut rng, 72, 26, 400, WHITE);
    // Sidebar with menu items.
    fill(
        &mut page,
        0,
        64,
        240,
        HEIGHT - 64,
        Rgba([246, 248, 250, 255]),
    );
    for item in 0..12 {
        text_line(&mut page, &mut rng, 24, 92 + item * 36, 150, INK);
    }
    // Two cards of text, a photo and a button.
    card(&mut page, &mut rng, 272, 96, 600, 300);
    card(&mut page, &mut rng, 272, 424, 600, 340);
    photo(&mut page, 904, 96, 344, 260);
    fill(&mut page, 904, 380, 160, 40, Rgba([45, 164, 78, 255]));
    text_line(&mut page, &mut rng, 920, 394, 120, WHITE);
    page
}

/// A dark-theme page with a different layout: a large photo on the left and a table.
pub fn other_page() -> RgbaImage {
    let mut page = RgbaImage::from_pixel(WIDTH, HEIGHT, Rgba([13, 17, 23, 255]));
    let mut rng = Rng(0x5eed);
    photo(&mut page, 0, 0, 700, 800);
    for row in 0..18 {
        let shade = if row % 2 == 0 { 22 } else { 48 };
        fill(
            &mut page,
            720,
            20 + row * 42,
            540,
            40,
            Rgba([shade, shade + 6, shade + 12, 255]),
        );
        text_line(
            &mut page,
            &mut rng,
            736,
            34 + row * 42,
            480,
            Rgba([201, 209, 217, 255]),
        );
    }
    page
}

/// PNG the way a browser's `canvas.toDataURL()` writes it: RGBA, default compression.
pub fn png(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .expect("encode PNG");
    out
}

pub fn jpeg(image: &RgbaImage, quality: u8) -> Vec<u8> {
    let rgb = DynamicImage::ImageRgba8(image.clone()).into_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode JPEG");
    out
}

pub fn webp(image: &RgbaImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    WebPEncoder::new_lossless(&mut out)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .expect("encode WebP");
    out.into_inner()
}

pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", STANDARD.encode(bytes))
}

/// A PNG that declares `width`×`height` 8-bit grey pixels but carries one compressed row:
/// a decompression bomb's header, with valid CRCs so decoders read it as a real image.
pub fn bomb_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    // A zlib stream holding one stored block of 16 zero bytes: the start of row one.
    let zeros = [0u8; 16];
    let mut idat = vec![0x78, 0x01, 0x01, 16, 0, !16, 0xff];
    idat.extend_from_slice(&zeros);
    idat.extend_from_slice(&adler32(&zeros).to_be_bytes());
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(
        &u32::try_from(data.len())
            .expect("chunk length")
            .to_be_bytes(),
    );
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn card(page: &mut RgbaImage, rng: &mut Rng, x: u32, y: u32, width: u32, height: u32) {
    fill(page, x, y, width, height, Rgba([208, 215, 222, 255]));
    fill(page, x + 1, y + 1, width - 2, height - 2, WHITE);
    // A heading, then paragraphs of ragged lines.
    text_line(page, rng, x + 20, y + 20, width / 2, INK);
    let mut line_y = y + 56;
    while line_y + 14 < y + height {
        let ragged = width - 40 - rng.below(width / 4);
        text_line(page, rng, x + 20, line_y, ragged, Rgba([87, 96, 106, 255]));
        line_y += 22;
    }
}

/// Words of glyph-like strokes: 10 px high columns of varying darkness with grey edges, so
/// the text compresses like anti-aliased type rather than like solid bars.
fn text_line(page: &mut RgbaImage, rng: &mut Rng, x: u32, y: u32, width: u32, ink: Rgba<u8>) {
    let mut cursor = x;
    while cursor < x + width {
        let word = 12 + rng.below(48);
        for column in cursor..(cursor + word).min(x + width) {
            let strength = rng.below(256);
            if strength < 96 {
                continue; // the gap between two glyph strokes
            }
            for row in y..y + 10 {
                let edge = row == y || row == y + 9;
                let coverage = if edge { strength / 3 } else { strength };
                blend(page, column, row, ink, coverage);
            }
        }
        cursor += word + 6;
    }
}

/// A smooth gradient with grain, like a photo or an avatar in the page.
fn photo(page: &mut RgbaImage, x: u32, y: u32, width: u32, height: u32) {
    let mut rng = Rng(0xfeed);
    for row in 0..height {
        for column in 0..width {
            let grain = rng.below(9) as u8;
            let r = (40 + column * 160 / width) as u8 + grain;
            let g = (90 + row * 120 / height) as u8 + grain;
            let b = (160 - (column + row) * 80 / (width + height)) as u8 + grain;
            page.put_pixel(x + column, y + row, Rgba([r, g, b, 255]));
        }
    }
}

fn fill(page: &mut RgbaImage, x: u32, y: u32, width: u32, height: u32, colour: Rgba<u8>) {
    for row in y..(y + height).min(page.height()) {
        for column in x..(x + width).min(page.width()) {
            page.put_pixel(column, row, colour);
        }
    }
}

fn blend(page: &mut RgbaImage, x: u32, y: u32, ink: Rgba<u8>, coverage: u32) {
    if x >= page.width() || y >= page.height() {
        return;
    }
    let under = *page.get_pixel(x, y);
    let mut out = under;
    for channel in 0..3 {
        let mixed = (u32::from(ink[channel]) * coverage
            + u32::from(under[channel]) * (255 - coverage))
            / 255;
        out[channel] = mixed as u8;
    }
    page.put_pixel(x, y, out);
}

/// xorshift64: deterministic, so every run draws the same pages.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(bound.max(1))) as u32
    }
}
