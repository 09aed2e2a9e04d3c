//! Card numbers (Luhn) and IBANs (ISO 13616 mod 97).
//!
//! A card number is 13 to 19 digits, whole or in groups joined by single spaces or hyphens.
//! Only numbers whose first digit is 2 to 6 (the ranges of Mastercard, Amex, Diners, JCB, Visa,
//! Discover, Maestro and UnionPay) are taken: a tenth of all digit strings pass Luhn, and
//! millisecond timestamps (13 digits starting with 1) and zero-padded ids would otherwise be
//! scrubbed one time in ten.

const MIN_CARD_DIGITS: usize = 13;
const MAX_CARD_DIGITS: usize = 19;

/// Whether the digit at `i` may start a card number: not after a decimal point (`0.4111...`).
/// The caller has checked that no letter or digit precedes it. A digit after `1234 ` does
/// start one: the pass skips every run it has scanned, so this is the rest of a run whose
/// head was glued to a word, or the rest after a card found inside the run.
pub(super) fn card_may_start(bytes: &[u8], i: usize) -> bool {
    let decimal = i >= 2 && matches!(bytes[i - 1], b'.' | b',') && bytes[i - 2].is_ascii_digit();
    !decimal
}

/// Looks for a card number in the run of digit groups starting at `start`: the first group
/// that begins a valid number, with as many following groups as keep it valid. Gives the
/// number's byte range, or the end of the run when it holds none (nothing else can start
/// inside a run, so the scan skips it).
pub(super) fn find_card(bytes: &[u8], start: usize) -> Result<(usize, usize), usize> {
    let mut group = start;
    loop {
        if let Some(end) = longest_card_from(bytes, group) {
            return Ok((group, end));
        }
        let end = digits_end(bytes, group);
        if !joined(bytes, end) {
            return Err(end);
        }
        group = end + 1;
    }
}

fn digits_end(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len() - from)
}

/// Whether the group ending at `end` is followed by a single separator and another group.
fn joined(bytes: &[u8], end: usize) -> bool {
    matches!(bytes.get(end), Some(b' ' | b'-'))
        && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
}

/// Whether what follows `end` makes the digits part of something longer: a word, a decimal
/// fraction, or an e-mail local part (left whole for the e-mail rule).
fn glued_after(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        Some(&b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'@' => true,
        Some(b'.' | b',') => bytes.get(end + 1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

fn longest_card_from(bytes: &[u8], from: usize) -> Option<usize> {
    if !(b'2'..=b'6').contains(&bytes[from]) {
        return None;
    }
    let mut digits = [0u8; MAX_CARD_DIGITS];
    let mut count = 0;
    let mut best = None;
    let mut pos = from;
    loop {
        let end = digits_end(bytes, pos);
        let len = end - pos;
        if count + len > MAX_CARD_DIGITS {
            break;
        }
        for (slot, b) in digits[count..count + len].iter_mut().zip(&bytes[pos..end]) {
            *slot = b - b'0';
        }
        count += len;
        if count >= MIN_CARD_DIGITS && !glued_after(bytes, end) && luhn_valid(&digits[..count]) {
            best = Some(end);
        }
        // Printed card numbers come in groups of 3 to 6 digits (4-4-4-4, 4-6-5, 4-4-4-4-3);
        // shorter groups are lists of small numbers, not a card.
        if len < 3 || !joined(bytes, end) {
            break;
        }
        pos = end + 1;
    }
    best
}

fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = u32::from(d);
            if k % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An IBAN starting at `start` (the beginning of a word): a known country code, two check
/// digits and the country's length of letters and digits, written whole or in groups of four
/// separated by single spaces, any case, with a valid mod-97 check. Gives its end.
pub(super) fn find_iban(bytes: &[u8], start: usize) -> Option<usize> {
    let text = &bytes[start..];
    let [a, b, c, d, ..] = *text else { return None };
    let shaped = c.is_ascii_digit()
        && d.is_ascii_digit()
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
        && text.len() >= 15;
    if !shaped {
        return None;
    }
    let length = iban_length([a.to_ascii_uppercase(), b.to_ascii_uppercase()])?;
    let mut chars = [0u8; 34];
    let mut grouped = None;
    let mut pos = 0;
    for (n, slot) in chars[..length].iter_mut().enumerate() {
        if n > 0 && n % 4 == 0 {
            let space = text.get(pos) == Some(&b' ');
            if *grouped.get_or_insert(space) != space {
                return None;
            }
            pos += usize::from(space);
        }
        let c = *text.get(pos).filter(|c| c.is_ascii_alphanumeric())?;
        *slot = c.to_ascii_uppercase();
        pos += 1;
    }
    if text
        .get(pos)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'@')
    {
        return None;
    }
    (mod97(&chars[..length]) == 1).then_some(start + pos)
}

/// ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to the end and
/// letters read as 10..35, computed digit by digit so no big number is needed.
fn mod97(iban: &[u8]) -> u32 {
    iban[4..].iter().chain(&iban[..4]).fold(0, |rest, &c| {
        if c.is_ascii_digit() {
            (rest * 10 + u32::from(c - b'0')) % 97
        } else {
            (rest * 100 + u32::from(c - b'A') + 10) % 97
        }
    })
}

fn iban_length(country: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .binary_search_by(|(code, _)| code.cmp(&country))
        .ok()
        .map(|at| usize::from(IBAN_LENGTHS[at].1))
}

/// IBAN length per country, from the SWIFT IBAN registry (sorted by code for binary search).
/// Knowing the length is what lets lowercase and grouped IBANs be accepted without taking
/// every long word that happens to pass mod 97 (one in 97 does).
/// The codes are inline arrays, not references: no pointer per entry in the widget's data.
#[rustfmt::skip]
const IBAN_LENGTHS: [([u8; 2], u8); 89] = [
    (*b"AD", 24), (*b"AE", 23), (*b"AL", 28), (*b"AT", 20), (*b"AZ", 28), (*b"BA", 20), (*b"BE", 16),
    (*b"BG", 22), (*b"BH", 22), (*b"BI", 27), (*b"BR", 29), (*b"BY", 28), (*b"CH", 21), (*b"CR", 22),
    (*b"CY", 28), (*b"CZ", 24), (*b"DE", 22), (*b"DJ", 27), (*b"DK", 18), (*b"DO", 28), (*b"EE", 20),
    (*b"EG", 29), (*b"ES", 24), (*b"FI", 18), (*b"FK", 18), (*b"FO", 18), (*b"FR", 27), (*b"GB", 22),
    (*b"GE", 22), (*b"GI", 23), (*b"GL", 18), (*b"GR", 27), (*b"GT", 28), (*b"HN", 28), (*b"HR", 21),
    (*b"HU", 28), (*b"IE", 22), (*b"IL", 23), (*b"IQ", 23), (*b"IS", 26), (*b"IT", 27), (*b"JO", 30),
    (*b"KW", 30), (*b"KZ", 20), (*b"LB", 28), (*b"LC", 32), (*b"LI", 21), (*b"LT", 20), (*b"LU", 20),
    (*b"LV", 21), (*b"LY", 25), (*b"MC", 27), (*b"MD", 24), (*b"ME", 22), (*b"MK", 19), (*b"MN", 20),
    (*b"MR", 27), (*b"MT", 31), (*b"MU", 30), (*b"NI", 28), (*b"NL", 18), (*b"NO", 15), (*b"OM", 23),
    (*b"PK", 24), (*b"PL", 28), (*b"PS", 29), (*b"PT", 25), (*b"QA", 29), (*b"RO", 24), (*b"RS", 22),
    (*b"RU", 33), (*b"SA", 24), (*b"SC", 31), (*b"SD", 18), (*b"SE", 24), (*b"SI", 19), (*b"SK", 24),
    (*b"SM", 27), (*b"SO", 23), (*b"ST", 25), (*b"SV", 28), (*b"TL", 23), (*b"TN", 24), (*b"TR", 26),
    (*b"UA", 29), (*b"VA", 22), (*b"VG", 24), (*b"XK", 20), (*b"YE", 30),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    fn card(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        let start = bytes.iter().position(u8::is_ascii_digit)?;
        find_card(bytes, start).ok().map(|(s, e)| &text[s..e])
    }

    #[test]
    fn the_iban_table_is_sorted_and_in_range() {
        assert!(IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(IBAN_LENGTHS.iter().all(|(_, len)| (15..=34).contains(len)));
    }

    #[test]
    fn luhn_matches_known_numbers() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<_>>();
        assert!(luhn_valid(&digits("4111111111111111")));
        assert!(luhn_valid(&digits("378282246310005")));
        assert!(luhn_valid(&digits("6011111111111117")));
        assert!(!luhn_valid(&digits("4111111111111112")));
    }

    #[test]
    fn cards_are_found_whole_grouped_and_inside_longer_runs_of_groups() {
        assert_eq!(card("4111111111111111"), Some("4111111111111111"));
        assert_eq!(card("4111 1111 1111 1111"), Some("4111 1111 1111 1111"));
        assert_eq!(card("3782-822463-10005"), Some("3782-822463-10005"));
        assert_eq!(card("4111 1111-1111 1111"), Some("4111 1111-1111 1111"));
        assert_eq!(card("4111111111111111 2025"), Some("4111111111111111"));
        assert_eq!(
            card("1234 4111 1111 1111 1111"),
            Some("4111 1111 1111 1111")
        );
        assert_eq!(card("4111111111111111."), Some("4111111111111111"));
    }

    #[test]
    fn numbers_that_are_not_cards_stay() {
        assert_eq!(card("4111111111111112"), None, "Luhn fails");
        assert_eq!(card("41111111111111110"), None, "17 digits, Luhn fails");
        assert_eq!(card("41111111111111111111"), None, "20 digits");
        assert_eq!(card("1714000000003"), None, "a millisecond timestamp");
        assert_eq!(card("4111111111111111x"), None, "glued to a word");
        assert_eq!(card("4111111111111111.5"), None, "a decimal");
        assert_eq!(
            card("4111111111111111@x.example"),
            None,
            "an e-mail local part"
        );
        assert_eq!(
            card("41 11 11 11 11 11 11 11"),
            None,
            "pairs are not card groups"
        );
    }

    #[test]
    fn a_card_run_is_skipped_whole() {
        assert_eq!(find_card(b"1234 5678 90 x", 0), Err(12));
    }

    #[test]
    fn ibans_are_checked_by_country_length_and_mod97() {
        let end = |s: &str| find_iban(s.as_bytes(), 0);
        assert_eq!(end("DE89370400440532013000"), Some(22));
        assert_eq!(end("DE89 3704 0044 0532 0130 00 is mine"), Some(27));
        assert_eq!(end("gb82west12345698765432"), Some(22));
        assert_eq!(end("GB82 WEST 1234 5698 7654 32"), Some(27));
        assert_eq!(end("NO9386011117947"), Some(15));
        assert_eq!(end("DE88370400440532013000"), None, "bad check digits");
        assert_eq!(end("DE8937040044053201300"), None, "too short for DE");
        assert_eq!(end("DE893704004405320130001"), None, "too long for DE");
        assert_eq!(end("DE89 3704 0044 053201300 0"), None, "broken grouping");
        assert_eq!(end("QQ89370400440532013000"), None, "no such country");
    }
}
