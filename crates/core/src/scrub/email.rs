//! E-mail addresses, found from their `@` (or a URL's `%40`) outwards.
//!
//! Both scans stop at bytes they do not accept, neither accepts `@`, and the look back is
//! bounded, so runs of `@`, `%40` or dots cost a few looks per byte however long they are.

/// How far back a local part is looked for. A valid one has at most 64 bytes; the bound
/// matters because `%` is a local-part byte, so from every `%40` in `a%40a%40a%40...` an
/// unbounded look would run back over all the others.
const MAX_LOCAL: usize = 128;

/// The address around the `@` at `at` whose domain starts at `domain_start`, as a byte range.
/// The local part is looked for back to `floor` at most. `None` when there is no address: the
/// domain needs a dot and a last label of two or more letters, so `user@localhost`,
/// `pkg@1.2.3` and `@scope/pkg` stay.
pub(super) fn find(
    bytes: &[u8],
    at: usize,
    domain_start: usize,
    floor: usize,
) -> Option<(usize, usize)> {
    let lowest = floor.max(at.saturating_sub(MAX_LOCAL));
    let mut start = at;
    while start > lowest && is_local(bytes[start - 1]) {
        start -= 1;
    }
    // A dot cannot begin a local part; "see...john@x.io" means "john@x.io".
    while start < at && bytes[start] == b'.' {
        start += 1;
    }
    if start == at {
        return None;
    }
    let end = domain_end(bytes, domain_start)?;
    Some((start, end))
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// The end of the longest run of dot-separated labels that ends in a letters-only label of two
/// or more, with at least two labels.
fn domain_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut pos = start;
    let mut labels = 0;
    let mut best = None;
    loop {
        let label_start = pos;
        pos = label_end(bytes, pos);
        if pos == label_start {
            break;
        }
        let label = &bytes[label_start..pos];
        labels += 1;
        if labels == 1 && is_scale_suffix(label) {
            return None;
        }
        if labels >= 2 && label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic) {
            best = Some(pos);
        }
        if bytes.get(pos) == Some(&b'.')
            && bytes.get(pos + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            pos += 1;
        } else {
            break;
        }
    }
    best
}

/// A label is letters and digits with hyphens only between them, so a trailing `--` is
/// punctuation, not part of the domain.
fn label_end(bytes: &[u8], start: usize) -> usize {
    let mut pos = start;
    loop {
        while bytes.get(pos).is_some_and(u8::is_ascii_alphanumeric) {
            pos += 1;
        }
        let hyphens = bytes[pos..].iter().take_while(|&&b| b == b'-').count();
        if pos > start
            && hyphens > 0
            && bytes
                .get(pos + hyphens)
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            pos += hyphens;
        } else {
            return pos;
        }
    }
}

/// `logo@2x.png`: image names for high-density screens, which fill console logs with 404s.
fn is_scale_suffix(label: &[u8]) -> bool {
    match label.split_last() {
        Some((b'x', digits)) => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    fn email(text: &str) -> Option<&str> {
        let at = text.find('@')?;
        find(text.as_bytes(), at, at + 1, 0).map(|(s, e)| &text[s..e])
    }

    #[test]
    fn addresses_are_found_whole() {
        assert_eq!(
            email("mail jane.doe+bugs@example.co.uk, thanks"),
            Some("jane.doe+bugs@example.co.uk")
        );
        assert_eq!(
            email("<a_b-c%d@sub-domain.example.org>"),
            Some("a_b-c%d@sub-domain.example.org")
        );
        assert_eq!(email("to: ...john@x.io."), Some("john@x.io"));
        assert_eq!(email("john@example.com- he said"), Some("john@example.com"));
        assert_eq!(email("john@example.com.5"), Some("john@example.com"));
        assert_eq!(email("x%40jo@example.com"), Some("x%40jo@example.com"));
        assert_eq!(email("a%40.@example.com"), Some("a%40.@example.com"));
    }

    #[test]
    fn things_that_are_not_addresses_stay() {
        assert_eq!(email("user@localhost"), None);
        assert_eq!(email("lodash@4.17.21"), None);
        assert_eq!(email("@scope/package"), None);
        assert_eq!(email("icon@2x.png"), None);
        assert_eq!(email("a@b.c"), None);
        assert_eq!(email("a@b.c0m"), None);
        assert_eq!(email("@@@@"), None);
        assert_eq!(email("a@"), None);
    }

    #[test]
    fn the_local_part_stops_at_the_floor() {
        let text = b"abc@x.example";
        assert_eq!(find(text, 3, 4, 2), Some((2, 13)));
        assert_eq!(find(text, 3, 4, 3), None);
    }
}
