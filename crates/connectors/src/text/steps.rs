//! Steps to reproduce, typed as a numbered list, become a real ordered list.

/// The items when every non-empty line is `1. ...` or `1) ...` (at least two of them);
/// `None` for any other text, which is then shown as paragraphs.
pub(crate) fn numbered_steps(text: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let rest = &line[digits..];
        let item = rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix(')'))
            .filter(|_| digits > 0 && digits <= 3)?;
        let item = item.trim();
        if item.is_empty() {
            return None;
        }
        items.push(item.to_owned());
    }
    (items.len() >= 2).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::numbered_steps;

    #[test]
    fn numbered_lines_are_steps() {
        assert_eq!(
            numbered_steps("1. Open cart\n2) Click pay\n\n3. Wait"),
            Some(vec!["Open cart".into(), "Click pay".into(), "Wait".into()])
        );
    }

    #[test]
    fn anything_else_is_prose() {
        assert_eq!(numbered_steps("Open the cart and pay"), None);
        assert_eq!(numbered_steps("1. Open cart\nthen pay"), None);
        assert_eq!(numbered_steps("1. Only one"), None);
        assert_eq!(numbered_steps("2024. was a year\n2025. too"), None);
    }
}
