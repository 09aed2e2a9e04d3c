//! Re-encoding the decoded pixels: the stored image and its thumbnail.

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbImage};

use crate::screenshot::ScreenshotError;

/// JPEG input is stored as JPEG at this quality: close enough to the original that a
/// second generation shows no visible loss on text, while staying near the input's size.
/// Re-encoding 1280×800 costs ~25 ms with `image`'s encoder, the one step over budget; it is
/// paid only for JPEG input, so the widget should send PNG or WebP.
pub(crate) const IMAGE_JPEG_QUALITY: u8 = 85;

/// A thumbnail is a preview, never read closely: at 80 the benchmark screenshot's 320×200
/// thumbnail is 13 KB (a PNG of it would be several times larger).
const THUMBNAIL_JPEG_QUALITY: u8 = 80;

/// An encoded thumbnail and its size.
pub(crate) struct Thumbnail {
    pub(crate) bytes: Vec<u8>,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// PNG with the fast deflate setting and the adaptive filter.
///
/// Measured on the benchmark screenshot (1280×800, 215 KB as sent): `Fast` encodes in 1.4 ms
/// to 291 KB, `Default` in 27 ms to 201 KB; `Fast` with the `Sub` filter alone is no faster
/// and gives 640 KB. Default's 27 ms alone would blow the 15 ms budget, and 45% more bytes
/// per stored screenshot is the cheaper side of that trade.
pub(crate) fn png(pixels: &RgbImage) -> Result<Vec<u8>, ScreenshotError> {
    let mut out = Vec::with_capacity(pixels.as_raw().len() / 8);
    let encoder = PngEncoder::new_with_quality(
        &mut out,
        CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    encoder
        .write_image(
            pixels.as_raw(),
            pixels.width(),
            pixels.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|error| encode_failed("PNG", error))?;
    Ok(out)
}

pub(crate) fn jpeg(pixels: &RgbImage, quality: u8) -> Result<Vec<u8>, ScreenshotError> {
    let mut out = Vec::with_capacity(pixels.as_raw().len() / 10);
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            pixels.as_raw(),
            pixels.width(),
            pixels.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|error| encode_failed("JPEG", error))?;
    Ok(out)
}

/// A JPEG `max_width` pixels wide (or the image's own width if narrower: upscaling would
/// only blur it), keeping the aspect ratio.
pub(crate) fn thumbnail(pixels: &RgbImage, max_width: u32) -> Result<Thumbnail, ScreenshotError> {
    let (width, height) = pixels.dimensions();
    if width <= max_width {
        let bytes = jpeg(pixels, THUMBNAIL_JPEG_QUALITY)?;
        return Ok(Thumbnail {
            bytes,
            width,
            height,
        });
    }
    let thumb_width = max_width;
    let scaled =
        (u64::from(height) * u64::from(max_width) + u64::from(width) / 2) / u64::from(width);
    // A 16,384×1 strip still gets a one-pixel-high thumbnail.
    let thumb_height = u32::try_from(scaled).unwrap_or(u32::MAX).max(1);

    let small = resize(pixels, thumb_width, thumb_height, FilterType::Hamming)?;
    let bytes = jpeg(&small, THUMBNAIL_JPEG_QUALITY)?;
    Ok(Thumbnail {
        bytes,
        width: thumb_width,
        height: thumb_height,
    })
}

/// Resizes RGB pixels with fast_image_resize (SIMD convolution).
///
/// For the thumbnail, `Hamming` is the cheapest convolution filter that does not alias: it
/// reads 2 source pixels per output pixel per axis at scale 1 (~8 at a 4× reduction), where
/// `Lanczos3` reads 6 (~24). Measured 1280×800 → 320×200: 0.39 ms against 0.97 ms, for a
/// difference nobody sees in a preview.
pub(crate) fn resize(
    pixels: &RgbImage,
    width: u32,
    height: u32,
    filter: FilterType,
) -> Result<RgbImage, ScreenshotError> {
    let mut dst = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    Resizer::new()
        .resize(pixels, &mut dst, &options)
        .map_err(|error| {
            ScreenshotError::Invalid(format!("screenshot could not be resized: {error}"))
        })?;
    RgbImage::from_raw(width, height, dst.into_vec()).ok_or_else(|| {
        ScreenshotError::Invalid("screenshot resize produced a buffer of the wrong size".into())
    })
}

/// Encoding pixels we decoded ourselves into a `Vec` has no failure mode in practice; if one
/// ever appears it is reported against the screenshot rather than as a panic.
fn encode_failed(format: &str, error: image::ImageError) -> ScreenshotError {
    ScreenshotError::Invalid(format!(
        "screenshot could not be re-encoded as {format}: {error}"
    ))
}
