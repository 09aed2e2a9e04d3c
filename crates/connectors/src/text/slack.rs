//! Slack `mrkdwn` for untrusted text. Slack gives `<...>` its meaning (links, `<!channel>`,
//! `<@U123>` mentions) and wants `&`, `<`, `>` escaped as entities; plain `@here` is no
//! mention in an incoming webhook's text, but a joiner keeps it so if `link_names` is ever on.
pub(crate) fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => {
                out.push('@');
                out.push('\u{2060}');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_mrkdwn;

    #[test]
    fn no_mention_or_link_survives() {
        let escaped = escape_mrkdwn("<!channel> <@U123> <https://evil|bank> @here a&b");
        assert!(!escaped.contains('<') && !escaped.contains('>'));
        assert!(!escaped.contains("@here"));
        assert!(escaped.contains("&lt;!channel&gt;"));
        assert!(escaped.contains("a&amp;b"));
    }
}
