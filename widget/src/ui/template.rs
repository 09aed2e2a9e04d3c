//! The dialog's markup, built once per locale. Only our own strings go in (escaped); what
//! the user types never passes through HTML.
//!
//! No `style` attributes: a page whose CSP has no `'unsafe-inline'` in `style-src` would
//! drop them. All styling is in the constructed style sheet of [`super::style`].

use alloc::string::String;

use crate::i18n::Texts;

/// The inside of the `<dialog>`; `{key}` is the string of that key ([`Texts::fill`]).
const DIALOG: &str = concat!(
    r#"<form class="form" novalidate><header class="head">"#,
    r#"<h2 id="snag-heading">{heading}</h2>"#,
    r#"<button type="button" class="icon close" aria-label="{close}">×</button></header>"#,
    r#"<div class="body">"#,
    r#"<div class="field"><label for="snag-description">{description}</label>"#,
    r#"<p class="hint" id="snag-description-hint">{description_hint}</p>"#,
    r#"<textarea id="snag-description" rows="4" maxlength="10000" required aria-required="true" aria-describedby="snag-description-hint snag-error"></textarea>"#,
    r#"<p class="error" id="snag-error" role="alert"></p></div>"#,
    r#"<div class="field email"><label for="snag-email">{email}</label>"#,
    r#"<input id="snag-email" type="email" autocomplete="email" maxlength="320"></div>"#,
    r#"<details class="more"><summary>{more}</summary>"#,
    r#"<div class="field"><label for="snag-title">{title}</label>"#,
    r#"<input id="snag-title" type="text" maxlength="300"></div>"#,
    r#"<div class="field"><label for="snag-category">{category}</label><select id="snag-category">"#,
    r#"<option value="bug">{category_bug}</option><option value="idea">{category_idea}</option>"#,
    r#"<option value="question">{category_question}</option><option value="other">{category_other}</option>"#,
    r#"</select></div>"#,
    r#"<div class="field"><label for="snag-steps">{steps}</label>"#,
    r#"<textarea id="snag-steps" rows="2" maxlength="10000"></textarea></div>"#,
    r#"<div class="field"><label for="snag-expected">{expected}</label>"#,
    r#"<textarea id="snag-expected" rows="2" maxlength="10000"></textarea></div>"#,
    r#"<div class="field"><label for="snag-actual">{actual}</label>"#,
    r#"<textarea id="snag-actual" rows="2" maxlength="10000"></textarea></div>"#,
    r#"</details>"#,
    r#"<section class="shot" aria-labelledby="snag-shot-heading"><h3 id="snag-shot-heading">{screenshot}</h3></section>"#,
    r#"<details class="preview"><summary>{preview}</summary><pre class="json" tabindex="0"></pre></details>"#,
    r#"<p class="status" role="status" aria-live="polite"></p></div>"#,
    r#"<footer class="foot"><button type="button" class="secondary cancel">{cancel}</button>"#,
    r#"<button type="submit" class="primary send">{send}</button></footer></form>"#,
);

/// The inside of the `<dialog>`.
pub fn dialog(texts: &Texts) -> String {
    texts.fill(DIALOG)
}

#[cfg(test)]
mod tests {
    use super::dialog;
    use crate::i18n::{Texts, key_index};
    use crate::test_prelude::*;
    use crate::text::parts;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_control_has_a_label() {
        let html = dialog(&Texts::new(Some("en"), &[], &[]));
        for id in [
            "snag-description",
            "snag-email",
            "snag-title",
            "snag-category",
            "snag-steps",
            "snag-expected",
            "snag-actual",
        ] {
            let label = ["for=\"", id, "\""].concat();
            let control = ["id=\"", id, "\""].concat();
            assert!(html.contains(&label), "no label for {id}");
            assert!(html.contains(&control), "no control {id}");
        }
        assert!(
            !html.contains("style="),
            "inline styles break under a strict CSP"
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_placeholder_names_a_string() {
        for markup in [super::DIALOG, crate::editor::view::SECTION] {
            let placeholders: Vec<&str> = parts(markup, b"{}").skip(1).step_by(2).collect();
            assert!(placeholders.len() > 5);
            for key in placeholders {
                assert!(key_index(key).is_some(), "{{{key}}} is no string's key");
            }
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn team_strings_are_escaped() {
        let overrides = vec![(
            "heading".to_owned(),
            "<img src=x onerror=alert(1)>".to_owned(),
        )];
        let html = dialog(&Texts::new(None, &[], &overrides));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<img"));
    }
}
