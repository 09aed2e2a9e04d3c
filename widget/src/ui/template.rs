//! The dialog's markup, built once per locale. Only our own strings go in (escaped); what
//! the user types never passes through HTML.
//!
//! No `style` attributes: a page whose CSP has no `'unsafe-inline'` in `style-src` would
//! drop them. All styling is in the constructed style sheet of [`super::style`].

use crate::dom::escape;
use crate::i18n::{Msg, Texts};
use alloc::string::String;

struct Html<'a> {
    out: String,
    texts: &'a Texts,
}

impl Html<'_> {
    fn raw(&mut self, markup: &str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    fn text(&mut self, msg: Msg) -> &mut Self {
        escape(self.texts.get(msg), &mut self.out);
        self
    }

    /// A labelled field: `<label for=id>text</label>` then the control.
    fn field(&mut self, id: &str, msg: Msg, control: &str) -> &mut Self {
        self.raw("<div class=\"field\"><label for=\"")
            .raw(id)
            .raw("\">")
            .text(msg)
            .raw("</label>")
            .raw(control)
            .raw("</div>")
    }

    fn option(&mut self, value: &str, msg: Msg) -> &mut Self {
        self.raw("<option value=\"")
            .raw(value)
            .raw("\">")
            .text(msg)
            .raw("</option>")
    }
}

/// The inside of the `<dialog>`.
pub fn dialog(texts: &Texts) -> String {
    let mut h = Html {
        out: String::with_capacity(4096),
        texts,
    };
    h.raw("<form class=\"form\" novalidate><header class=\"head\"><h2 id=\"snag-heading\">")
        .text(Msg::Heading)
        .raw("</h2><button type=\"button\" class=\"icon close\" aria-label=\"")
        .text(Msg::Close)
        .raw("\">×</button></header><div class=\"body\">");
    h.raw("<div class=\"field\"><label for=\"snag-description\">")
        .text(Msg::Description)
        .raw("</label><p class=\"hint\" id=\"snag-description-hint\">")
        .text(Msg::DescriptionHint)
        .raw("</p><textarea id=\"snag-description\" rows=\"4\" maxlength=\"10000\" required aria-required=\"true\" aria-describedby=\"snag-description-hint snag-error\"></textarea><p class=\"error\" id=\"snag-error\" role=\"alert\"></p></div>");
    h.raw("<div class=\"field email\">");
    h.raw("<label for=\"snag-email\">")
        .text(Msg::Email)
        .raw("</label><input id=\"snag-email\" type=\"email\" autocomplete=\"email\" maxlength=\"320\"></div>");
    h.raw("<details class=\"more\"><summary>")
        .text(Msg::More)
        .raw("</summary>");
    h.field(
        "snag-title",
        Msg::Title,
        "<input id=\"snag-title\" type=\"text\" maxlength=\"300\">",
    );
    h.raw("<div class=\"field\"><label for=\"snag-category\">")
        .text(Msg::Category)
        .raw("</label><select id=\"snag-category\">");
    h.option("bug", Msg::CategoryBug)
        .option("idea", Msg::CategoryIdea)
        .option("question", Msg::CategoryQuestion)
        .option("other", Msg::CategoryOther)
        .raw("</select></div>");
    for (id, msg) in [
        ("snag-steps", Msg::Steps),
        ("snag-expected", Msg::Expected),
        ("snag-actual", Msg::Actual),
    ] {
        h.raw("<div class=\"field\"><label for=\"")
            .raw(id)
            .raw("\">")
            .text(msg)
            .raw("</label><textarea id=\"")
            .raw(id)
            .raw("\" rows=\"2\" maxlength=\"10000\"></textarea></div>");
    }
    h.raw("</details><section class=\"shot\" aria-labelledby=\"snag-shot-heading\"><h3 id=\"snag-shot-heading\">")
        .text(Msg::Screenshot)
        .raw("</h3></section>");
    h.raw("<details class=\"preview\"><summary>")
        .text(Msg::Preview)
        .raw("</summary><pre class=\"json\" tabindex=\"0\"></pre></details>");
    h.raw("<p class=\"status\" role=\"status\" aria-live=\"polite\"></p></div><footer class=\"foot\"><button type=\"button\" class=\"secondary cancel\">")
        .text(Msg::Cancel)
        .raw("</button><button type=\"submit\" class=\"primary send\">")
        .text(Msg::Send)
        .raw("</button></footer></form>");
    h.out
}

#[cfg(test)]
mod tests {
    use super::dialog;
    use crate::i18n::Texts;
    use crate::test_prelude::*;

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
