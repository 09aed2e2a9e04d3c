//! A report's screenshot: from the data URL the widget sent to the bytes staff will see.
//!
//! The pipeline is: data URL → base64 → header check against the limits → bounded decode →
//! flatten to RGB on white → re-encode (PNG, or JPEG for JPEG input) → 320 px JPEG thumbnail →
//! dHash → SHA-256. Re-encoding strips every metadata chunk (EXIF with GPS, text chunks,
//! ICC profiles) and guarantees the stored bytes are an image a browser can show.
//!
//! Cost for a realistic 1280×800 PNG screenshot of 215 KB, measured in release on one core of
//! the 2-core VM (`cargo bench -p snag-enrich --bench screenshot`): ~6.5 ms in all (decode
//! 1.8, flatten 0.6, PNG encode 1.6, thumbnail 2.0 of which 1.6 is its JPEG encoding, hash
//! 0.15, SHA-256 0.17), inside the ~15 ms budget that lets two cores take ~120 screenshot
//! reports a second. JPEG input costs ~32 ms, nearly all of it `image`'s JPEG encoder
//! (~30 ns a pixel).

use image::{ImageError, ImageFormat};
use sha2::{Digest, Sha256};
use snag_core::{Limits, RejectCode, Rejection};

use crate::{decode, encode, phash};

/// The JSON field every screenshot rejection names.
const FIELD: &str = "screenshot";

/// A screenshot ready to store: the re-encoded image, its thumbnail and the values that
/// identify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screenshot {
    /// The re-encoded image: PNG for PNG and WebP input, JPEG for JPEG input.
    pub image: Vec<u8>,
    /// `"image/png"` or `"image/jpeg"`.
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// A JPEG at most [`THUMBNAIL_WIDTH`] pixels wide, never wider than the image.
    pub thumbnail: Vec<u8>,
    pub thumbnail_media_type: &'static str,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    /// 64-bit dHash; compare two with [`crate::hamming`].
    pub perceptual_hash: u64,
    /// Lower-case hex SHA-256 of `image`, its content address.
    pub sha256: String,
    /// Size of the image the client sent, after base64 decoding.
    pub received_bytes: usize,
}

/// Width of the thumbnail shown in the inbox.
pub const THUMBNAIL_WIDTH: u32 = 320;

/// Why a screenshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenshotError {
    /// Past a configured limit: bytes, pixels or side (413).
    #[error("screenshot too large: {0}")]
    TooLarge(String),
    /// Not a well-formed PNG, JPEG or WebP data URL (422).
    #[error("invalid screenshot: {0}")]
    Invalid(String),
}

impl ScreenshotError {
    /// Sorts a decoder's error: a decoder limit means the image is too large; anything
    /// else (truncated, corrupt, unsupported) means it is not an image we accept.
    pub(crate) fn from_image(context: &str, error: ImageError) -> Self {
        match error {
            ImageError::Limits(limit) => ScreenshotError::TooLarge(format!("{context}: {limit}")),
            other => ScreenshotError::Invalid(format!("{context}: {other}")),
        }
    }
}

impl From<ScreenshotError> for Rejection {
    fn from(error: ScreenshotError) -> Self {
        match error {
            ScreenshotError::TooLarge(message) => {
                Rejection::new(RejectCode::TooLarge, FIELD, message)
            }
            ScreenshotError::Invalid(message) => {
                Rejection::new(RejectCode::InvalidImage, FIELD, message)
            }
        }
    }
}

/// Decodes, checks and re-encodes a screenshot data URL (`data:image/png;base64,...`, or
/// `image/jpeg`, `image/webp`).
///
/// The limits are enforced before the costly steps: the base64 length before decoding it,
/// and the dimensions in the image header before decoding pixels, so a decompression bomb
/// (a few KB declaring 50,000×50,000) is refused in microseconds without allocating.
pub fn process_screenshot(data_url: &str, limits: &Limits) -> Result<Screenshot, ScreenshotError> {
    let (format, bytes) = decode::data_url(data_url, limits)?;
    let pixels = decode::pixels(&bytes, format, limits)?;
    let (width, height) = pixels.dimensions();

    let (image, media_type) = match format {
        ImageFormat::Jpeg => (
            encode::jpeg(&pixels, encode::IMAGE_JPEG_QUALITY)?,
            "image/jpeg",
        ),
        _ => (encode::png(&pixels)?, "image/png"),
    };
    let thumbnail = encode::thumbnail(&pixels, THUMBNAIL_WIDTH)?;
    let perceptual_hash = phash::dhash(&pixels)?;
    let sha256 = hex(&Sha256::digest(&image));

    Ok(Screenshot {
        image,
        media_type,
        width,
        height,
        thumbnail: thumbnail.bytes,
        thumbnail_media_type: "image/jpeg",
        thumbnail_width: thumbnail.width,
        thumbnail_height: thumbnail.height,
        perceptual_hash,
        sha256,
        received_bytes: bytes.len(),
    })
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn errors_map_to_rejections_naming_the_field() {
        let rejection = Rejection::from(ScreenshotError::TooLarge("too many pixels".into()));
        assert_eq!(rejection.code, RejectCode::TooLarge);
        assert_eq!(rejection.field.as_deref(), Some("screenshot"));
        assert_eq!(rejection.message, "too many pixels");

        let rejection = Rejection::from(ScreenshotError::Invalid("truncated".into()));
        assert_eq!(rejection.code, RejectCode::InvalidImage);
        assert_eq!(rejection.field.as_deref(), Some("screenshot"));
    }
}
