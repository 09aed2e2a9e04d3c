//! Every string the widget shows, in the bundled locales, with per-key overrides from the
//! team (`Snag.init({strings: {send: "Submit"}})`).
//!
//! A locale's strings are one text, in [`Msg`] order, each ended by [`SEP`]: a missing
//! translation is a compile error (the [`texts!`] macro counts them), and a table of string
//! references per locale would cost the widget 0.4 KB gzipped (measured) for nothing.

mod ar;
mod en;
mod fr;

use alloc::{string::String, vec::Vec};

use crate::dom::escape;
use crate::text::parts;

/// One bundled language.
pub struct Locale {
    /// The BCP 47 primary language subtag.
    pub tag: &'static str,
    pub rtl: bool,
    /// The strings in [`Msg`] order, each followed by [`SEP`].
    texts: &'static str,
}

/// Ends each string of a locale and each override key in [`KEYS`] (U+001F, the unit
/// separator, written `"\u{1f}"` in [`texts!`]); no UI text contains it.
const SEP: u8 = 0x1f;

/// A locale's strings as one text; refuses to compile unless there is one per [`Msg`].
macro_rules! texts {
    ($($text:literal,)*) => {{
        const _: () = assert!([$($text),*].len() == $crate::i18n::COUNT);
        concat!($($text, "\u{1f}",)*)
    }};
}
pub(crate) use texts;

impl Locale {
    fn text(&self, index: usize) -> &'static str {
        parts(self.texts, &[SEP]).nth(index).unwrap_or_default()
    }
}

pub const LOCALES: [&Locale; 3] = [&en::LOCALE, &fr::LOCALE, &ar::LOCALE];

macro_rules! messages {
    ($($variant:ident = $key:literal,)*) => {
        /// A string of the UI; the key in parentheses is what teams override.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $($variant,)*
        }

        /// Override keys, in [`Msg`] order, each followed by [`SEP`].
        const KEYS: &str = concat!($($key, "\u{1f}",)*);

        pub const COUNT: usize = [$($key),*].len();
    };
}

messages! {
    Launcher = "launcher",
    Heading = "heading",
    Close = "close",
    Description = "description",
    DescriptionHint = "description_hint",
    More = "more",
    Title = "title",
    Category = "category",
    CategoryBug = "category_bug",
    CategoryIdea = "category_idea",
    CategoryQuestion = "category_question",
    CategoryOther = "category_other",
    Steps = "steps",
    Expected = "expected",
    Actual = "actual",
    Email = "email",
    Screenshot = "screenshot",
    Capturing = "capturing",
    CaptureFailed = "capture_failed",
    CaptureExact = "capture_exact",
    TabFailed = "tab_failed",
    Upload = "upload",
    PasteHint = "paste_hint",
    RemoveShot = "remove_shot",
    Highlight = "highlight",
    Redact = "redact",
    Undo = "undo",
    EditorHelp = "editor_help",
    ShotLabel = "shot_label",
    Preview = "preview",
    Send = "send",
    Cancel = "cancel",
    Sending = "sending",
    Sent = "sent",
    Queued = "queued",
    Required = "required",
    ErrTooLarge = "error_too_large",
    ErrInvalid = "error_invalid",
    ErrKey = "error_key",
    ErrServer = "error_server",
    Scrubbed = "scrubbed",
    Tools = "tools",
    NoShot = "no_shot",
    AddShot = "add_shot",
}

/// The strings of one dialog: a bundled locale plus the team's overrides.
pub struct Texts {
    pub locale: &'static Locale,
    overrides: Vec<(usize, String)>,
}

impl Texts {
    /// Picks the locale: the team's choice if bundled, else the first of the browser's
    /// languages that is, else English.
    pub fn new(
        requested: Option<&str>,
        browser: &[String],
        overrides: &[(String, String)],
    ) -> Texts {
        let locale = requested
            .into_iter()
            .chain(browser.iter().map(String::as_str))
            .find_map(bundled)
            .unwrap_or(LOCALES[0]);
        let overrides = overrides
            .iter()
            .filter_map(|(key, text)| Some((key_index(key)?, text.clone())))
            .collect();
        Texts { locale, overrides }
    }

    pub fn get(&self, msg: Msg) -> &str {
        self.at(msg as usize)
    }

    /// `markup` with each `{key}` replaced by that string, HTML-escaped. Markup written as one
    /// text reads like the HTML it is, and is less code than building it call by call. A
    /// placeholder that names no key is left out (the templates' tests check there is none).
    pub fn fill(&self, markup: &str) -> String {
        let mut out = String::with_capacity(2 * markup.len());
        // Split on both braces, the parts alternate: markup, key, markup, key, ...
        for (i, part) in parts(markup, b"{}").enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            } else if let Some(index) = key_index(part) {
                escape(self.at(index), &mut out);
            }
        }
        out
    }

    fn at(&self, index: usize) -> &str {
        match self.overrides.iter().find(|(i, _)| *i == index) {
            Some((_, text)) => text,
            None => self.locale.text(index),
        }
    }
}

/// The [`Msg`] index of an override key such as `send`.
pub(crate) fn key_index(key: &str) -> Option<usize> {
    parts(KEYS, &[SEP]).take(COUNT).position(|k| k == key)
}

/// The bundled locale for a language tag such as `fr-CA` or `AR`.
fn bundled(tag: &str) -> Option<&'static Locale> {
    let primary = parts(tag, b"-_").next()?;
    LOCALES
        .into_iter()
        .find(|l| l.tag.eq_ignore_ascii_case(primary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn picks_requested_then_browser_then_english() {
        let browser = vec!["de-DE".to_owned(), "fr-CA".to_owned()];
        assert_eq!(Texts::new(Some("ar-EG"), &browser, &[]).locale.tag, "ar");
        assert_eq!(Texts::new(Some("xx"), &browser, &[]).locale.tag, "fr");
        assert_eq!(Texts::new(None, &[], &[]).locale.tag, "en");
        assert!(Texts::new(Some("AR"), &[], &[]).locale.rtl);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn overrides_replace_by_key() {
        let overrides = vec![
            ("send".to_owned(), "Submit".to_owned()),
            ("nonsense".to_owned(), "x".to_owned()),
        ];
        let texts = Texts::new(Some("en"), &[], &overrides);
        assert_eq!(texts.get(Msg::Send), "Submit");
        assert_eq!(texts.get(Msg::Cancel), "Cancel");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_locale_fills_every_string() {
        for locale in LOCALES {
            assert_eq!(
                parts(locale.texts, &[SEP]).count(),
                COUNT + 1,
                "{}",
                locale.tag
            );
            for (index, key) in parts(KEYS, &[SEP]).take(COUNT).enumerate() {
                let text = locale.text(index);
                assert!(!text.trim().is_empty(), "{} misses {key}", locale.tag);
            }
        }
        assert_eq!(
            Texts::new(Some("fr"), &[], &[]).get(Msg::AddShot),
            "Ajouter une capture"
        );
        assert_eq!(
            Texts::new(Some("en"), &[], &[]).get(Msg::Launcher),
            "Feedback"
        );
    }
}
