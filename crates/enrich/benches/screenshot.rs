//! Per-step cost of screenshot processing and user agent parsing, on one core.
//!
//! Run: `cargo bench -p snag-enrich --bench screenshot` (release). A plain timing loop, not a
//! statistics harness: the numbers guide sizing ("how many reports a second per core"),
//! they are not a regression gate.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{DynamicImage, ImageEncoder, RgbImage};
use sha2::{Digest, Sha256};
use snag_core::Limits;
use snag_enrich::{UserAgentParser, process_screenshot};

#[path = "../tests/enrich/fixtures.rs"]
mod fixtures;

const USER_AGENTS: [&str; 6] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) \
     SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
];

fn main() {
    println!(
        "snag-enrich bench ({} core(s) available)",
        available_cores()
    );
    screenshots();
    user_agents();
}

fn screenshots() {
    let page = fixtures::screenshot(1);
    let png = fixtures::png(&page);
    let url = fixtures::data_url("image/png", &png);
    let limits = Limits::default();
    println!(
        "\nscreenshot: {}×{} PNG, {} bytes",
        page.width(),
        page.height(),
        png.len()
    );

    let base64 = url.split_once(',').map_or("", |(_, data)| data);
    report("base64 decode", time(|| STANDARD.decode(black_box(base64))));
    let decoded = image::load_from_memory(&png).expect("decode");
    report(
        "decode PNG (RGBA8)",
        time(|| image::load_from_memory(black_box(&png)).map(drop)),
    );
    let rgb: RgbImage = DynamicImage::ImageRgba8(page.clone()).into_rgb8();
    report(
        "RGBA→RGB (clone + into_rgb8)",
        time(|| DynamicImage::clone(&decoded).into_rgb8()),
    );

    for (name, compression, filter) in [
        (
            "encode PNG Fast/Adaptive",
            CompressionType::Fast,
            PngFilter::Adaptive,
        ),
        ("encode PNG Fast/Sub", CompressionType::Fast, PngFilter::Sub),
        (
            "encode PNG Default/Adaptive",
            CompressionType::Default,
            PngFilter::Adaptive,
        ),
    ] {
        let size = encode_png(&rgb, compression, filter).len();
        let timing = time(|| encode_png(black_box(&rgb), compression, filter));
        report(&format!("{name} → {size} B"), timing);
    }
    let jpeg = fixtures::jpeg(&page, 85);
    report(
        &format!("encode JPEG q85 (1280×800) → {} B", jpeg.len()),
        time(|| fixtures::jpeg(black_box(&page), 85)),
    );

    for (name, filter) in [
        ("Hamming", FilterType::Hamming),
        ("Lanczos3", FilterType::Lanczos3),
    ] {
        report(
            &format!("thumbnail resize 320×200 {name}"),
            time(|| resize(&rgb, 320, 200, filter)),
        );
    }
    let thumb = DynamicImage::ImageRgb8(rgb.clone())
        .thumbnail_exact(320, 200)
        .into_rgb8();
    report(
        "encode JPEG q80 (320×200 thumbnail)",
        time(|| encode_jpeg(black_box(&thumb), 80)),
    );
    report(
        "hash resize 9×8 Box",
        time(|| resize(&rgb, 9, 8, FilterType::Box)),
    );

    let shot = process_screenshot(&url, &limits).expect("accepted");
    report(
        "sha256 of the stored PNG",
        time(|| Sha256::digest(black_box(&shot.image))),
    );
    println!(
        "  stored {} B {}, thumbnail {} B ({}×{})",
        shot.image.len(),
        shot.media_type,
        shot.thumbnail.len(),
        shot.thumbnail_width,
        shot.thumbnail_height
    );
    report(
        "TOTAL process_screenshot (PNG)",
        time(|| process_screenshot(black_box(&url), &limits)),
    );

    let jpeg_url = fixtures::data_url("image/jpeg", &fixtures::jpeg(&page, 90));
    report(
        "TOTAL process_screenshot (JPEG q90)",
        time(|| process_screenshot(&jpeg_url, &limits)),
    );

    let bomb = fixtures::data_url("image/png", &fixtures::bomb_png(50_000, 50_000));
    report(
        "refuse 50,000×50,000 bomb",
        time(|| process_screenshot(&bomb, &limits)),
    );
}

fn user_agents() {
    println!("\nuser agents");
    let started = Instant::now();
    let parser = UserAgentParser::embedded().expect("rules");
    println!(
        "  {:<44} {:>10.1} ms",
        "build extractor (once)",
        ms(started.elapsed())
    );

    for (label, index) in [
        ("desktop Chrome", 0),
        ("iPhone Safari", 2),
        ("Googlebot", 5),
    ] {
        let timing = time(|| parser.parse_uncached(black_box(USER_AGENTS[index])));
        report(&format!("parse uncached ({label})"), timing);
    }
    for user_agent in USER_AGENTS {
        parser.parse(user_agent);
    }
    let mut next = 0;
    report(
        "parse cached",
        time(|| {
            next = (next + 1) % USER_AGENTS.len();
            parser.parse(black_box(USER_AGENTS[next]))
        }),
    );
}

fn encode_png(rgb: &RgbImage, compression: CompressionType, filter: PngFilter) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, compression, filter)
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode");
    out
}

fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode");
    out
}

fn resize(rgb: &RgbImage, width: u32, height: u32, filter: FilterType) -> Image<'static> {
    let mut dst = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    Resizer::new()
        .resize(rgb, &mut dst, &options)
        .expect("resize");
    dst
}

/// Runs `f` for at least half a second (and at least 5 times) and returns the mean.
fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    black_box(f()); // warm-up
    let started = Instant::now();
    let mut runs = 0u32;
    while runs < 5 || started.elapsed() < Duration::from_millis(500) {
        black_box(f());
        runs += 1;
    }
    started.elapsed() / runs
}

fn report(label: &str, mean: Duration) {
    if mean < Duration::from_micros(100) {
        println!("  {label:<44} {:>10.2} µs", mean.as_secs_f64() * 1e6);
    } else {
        println!("  {label:<44} {:>10.2} ms", ms(mean));
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
