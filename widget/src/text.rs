//! Text helpers written for the widget's size: splitting on ASCII separators and writing
//! numbers, without `str`'s pattern types or the formatting machinery.

use alloc::string::String;

/// The parts of `text` between any of the ASCII bytes `separators`, like `str::split` with
/// those characters (an empty part where two meet or at either end). Written for the
/// widget's few splits: each `str::split` pattern type is code of its own.
pub fn parts<'a>(text: &'a str, separators: &'a [u8]) -> Parts<'a> {
    Parts {
        rest: Some(text),
        separators,
    }
}

pub struct Parts<'a> {
    rest: Option<&'a str>,
    separators: &'a [u8],
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        // `any` rather than `contains`: a byte slice's `contains` is memchr, whose
        // word-at-a-time search is code the widget's few short separators do not need.
        #[allow(clippy::manual_contains)]
        let at = rest
            .bytes()
            .position(|b| self.separators.iter().any(|&s| s == b));
        // The separators are ASCII, so both sides of one are on character boundaries.
        self.rest = at.and_then(|at| rest.get(at + 1..));
        match at {
            Some(at) => rest.get(..at),
            None => Some(rest),
        }
    }
}

/// Appends `n` in decimal, sign included (see [`snag_core::decimal`] for why not
/// `to_string`).
pub fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    snag_core::decimal::push_decimal(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::{parts, push_decimal};
    use crate::test_prelude::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn parts_match_str_split() {
        for text in ["", ",", "a", "a,b", ",a,,b,", "é,ü-x_y", "-_-"] {
            let ours: Vec<&str> = parts(text, b",-_").collect();
            let std: Vec<&str> = text.split([',', '-', '_']).collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn decimals_match_to_string() {
        for n in [0, 7, -7, 10, 1_024, -4_096, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
