//! Whole numbers as decimal text without the formatting machinery: the widget writes a few
//! (field names such as `console[3].message`, sizes, pixel offsets), and `format!` or
//! `to_string` would bring `core::fmt`'s integer code and its generic instances into it.

use alloc::string::String;

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

#[cfg(test)]
mod tests {
    use super::push_decimal;
    use crate::test_prelude::*;

    #[test]
    fn matches_to_string() {
        for n in [0, 7, 10, 99, 100, 1_207, u64::from(u32::MAX), u64::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
