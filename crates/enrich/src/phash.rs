//! A 64-bit difference hash (dHash) so that near-identical screenshots can be found.
//!
//! The image is shrunk to 9×8 grey cells; each of the 8×8 bits says whether a cell is
//! brighter than its right-hand neighbour. Re-encoding, small edits and brightness changes
//! move few cells past their neighbour, so similar screenshots differ in a few bits while
//! unrelated pages differ in about half of them. Measured on the test fixtures (1280×800
//! pages): a JPEG copy at quality 50–90 differs in 1–2 bits, a brightness shift of 8 levels
//! in 2, a 40×10 red patch in 1, the same layout with other text in 7, a light page with
//! another layout in 25 and a dark page in 46.
//!
//! A blank page hashes to 0 and mostly blank pages hash close to it, so two sparse pages
//! can be near without being the same: a caller deduplicating on the hash should also
//! compare something else (route, message) when the hash has few bits set.

use fast_image_resize::FilterType;
use image::RgbImage;

use crate::encode;
use crate::screenshot::ScreenshotError;

const CELLS_X: u32 = 9;
const CELLS_Y: u32 = 8;

/// The number of bits in which two perceptual hashes differ: 0 for the same picture,
/// about 32 for unrelated ones.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// The dHash of `pixels`. Bit `8·row + column` (from the least significant) is set when the
/// cell at (`column`, `row`) is brighter than the cell to its right.
pub(crate) fn dhash(pixels: &RgbImage) -> Result<u64, ScreenshotError> {
    // Box is an area average: every source pixel counts once, which is what a 9×8 summary
    // of a 1280×800 page should be, and it is also the cheapest filter for the reduction.
    let cells = encode::resize(pixels, CELLS_X, CELLS_Y, FilterType::Box)?;
    Ok(hash_cells(&cells))
}

fn hash_cells(cells: &RgbImage) -> u64 {
    let mut hash = 0u64;
    for row in 0..CELLS_Y {
        for column in 0..CELLS_X - 1 {
            let left = luma(cells.get_pixel(column, row).0);
            let right = luma(cells.get_pixel(column + 1, row).0);
            if left > right {
                hash |= 1 << (row * (CELLS_X - 1) + column);
            }
        }
    }
    hash
}

/// BT.601 luma scaled by 1,000 and kept unrounded, so that two cells whose grey levels
/// round to the same byte but differ in colour still compare as different.
fn luma([r, g, b]: [u8; 3]) -> u32 {
    299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)
}

#[cfg(test)]
mod tests {
    use image::Rgb;

    use super::*;

    #[test]
    fn hamming_counts_differing_bits() {
        assert_eq!(hamming(0, 0), 0);
        assert_eq!(hamming(0b1011, 0b0010), 2);
        assert_eq!(hamming(0, u64::MAX), 64);
    }

    #[test]
    fn a_flat_image_hashes_to_zero() {
        let flat = RgbImage::from_pixel(64, 48, Rgb([200, 100, 50]));
        assert_eq!(dhash(&flat).expect("hash"), 0);
    }

    #[test]
    fn brightness_falling_to_the_right_sets_every_bit() {
        let ramp = RgbImage::from_fn(90, 80, |x, _| {
            let level = 255 - (x * 255 / 89) as u8;
            Rgb([level, level, level])
        });
        assert_eq!(dhash(&ramp).expect("hash"), u64::MAX);
    }

    #[test]
    fn brightness_rising_to_the_right_sets_none() {
        let ramp = RgbImage::from_fn(90, 80, |x, _| {
            let level = (x * 255 / 89) as u8;
            Rgb([level, level, level])
        });
        assert_eq!(dhash(&ramp).expect("hash"), 0);
    }
}
