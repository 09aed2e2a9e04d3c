//! Test inputs: realistic screenshots, crafted bad images, and report payloads.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

/// A deterministic generator, so every run posts the same bytes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

/// Something like a web app screenshot: a header bar, a sidebar, and lines of text set in a
/// small made-up font (so glyphs repeat, as on a real page), which compresses about as well
/// as a real page does: about 200 KB of PNG at 1280×800.
pub fn screenshot(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Lcg(seed);
    // 26 glyphs of 6×10 pixels, one bit per pixel.
    let glyphs: Vec<u64> = (0..26)
        .map(|_| u64::from(rng.next()) << 28 | u64::from(rng.next()))
        .collect();
    let mut img = RgbImage::from_pixel(width, height, Rgb([250, 250, 252]));
    fill(&mut img, 0, 0, width, 56, Rgb([32, 64, 160]));
    fill(
        &mut img,
        0,
        56,
        200.min(width),
        height,
        Rgb([236, 238, 244]),
    );
    let ink = Rgb([40, 40, 52]);
    let mut y = 80;
    while y + 12 < height {
        let mut x = 230;
        let line_end = width.saturating_sub(40).min(230 + 300 + rng.next() % 700);
        while x + 60 < line_end {
            let letters = 2 + rng.next() % 8;
            for _ in 0..letters {
                let glyph = glyphs[(rng.next() % 26) as usize];
                for bit in 0..60 {
                    if glyph >> bit & 1 == 1 {
                        img.put_pixel(x + bit % 6, y + bit / 6, ink);
                    }
                }
                x += 7;
            }
            x += 6;
        }
        y += 18;
    }
    img
}

fn fill(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, colour: Rgb<u8>) {
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            img.put_pixel(x, y, colour);
        }
    }
}

pub fn png_bytes(img: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .expect("encoding PNG");
    out.into_inner()
}

pub fn jpeg_bytes(img: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg)
        .expect("encoding JPEG");
    out.into_inner()
}

pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", STANDARD.encode(bytes))
}

/// A valid PNG whose header declares `width` × `height` pixels, with a tiny compressed body:
/// what a decompression bomb looks like before it is decoded.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    push_chunk(&mut png, b"IHDR", &ihdr);
    // A few bytes of zlib data that would inflate to far more than they are.
    push_chunk(
        &mut png,
        b"IDAT",
        &[
            0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d, 0x00, 0x00, 0x00, 0xc2, 0xa0,
        ],
    );
    push_chunk(&mut png, b"IEND", &[]);
    png
}

fn push_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
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

/// A report as the widget sends it, without a screenshot.
pub fn full_report() -> Value {
    json!({
        "description": "The Pay button does nothing. My card 4111 1111 1111 1111 was entered, mail me at jane.doe@example.com",
        "title": "Checkout: Pay button does nothing",
        "category": "bug",
        "steps": "1. Add an item\n2. Go to checkout\n3. Click Pay",
        "expected": "The order is placed",
        "actual": "Nothing happens; a console error appears",
        "reporter": {"id": "u-42", "email": "jane.doe@example.com", "name": "Jane Doe"},
        "page": {
            "url": "https://shop.example/checkout/8123/pay?token=s3cr3tvalue&step=2",
            "title": "Checkout",
            "referrer": "https://shop.example/cart"
        },
        "client": {
            "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36",
            "language": "en-GB",
            "timezone": "Europe/London",
            "viewport": {"width": 1280, "height": 800},
            "screen": {"width": 1920, "height": 1080},
            "pixel_ratio": 1.0
        },
        "console": [
            {"level": "error", "message": "TypeError: Cannot read properties of undefined (reading 'total') at pay.js:42:13", "ts": 1764147600000i64},
            {"level": "warn", "message": "POST /api/pay?api_key=abcd1234efgh5678 failed", "ts": 1764147600100i64}
        ],
        "breadcrumbs": [
            {"kind": "click", "message": "button#pay", "ts": 1764147599000i64},
            {"kind": "request", "method": "POST", "url": "https://shop.example/api/pay", "status": 500, "ts": 1764147599500i64}
        ],
        "custom": {"plan": "pro", "cart_items": "3"},
        "release": "2026.11.2",
        "environment": "production",
        "source": "widget"
    })
}

/// The smallest valid report.
pub fn minimal_report(description: &str) -> Value {
    json!({ "description": description })
}
