//! The host page's CSS does not reach into the widget, and the widget's does not reach out.

use e2e::browser::{Browser, runtime};
use serde_json::Value;

use crate::support::{ROOT, SetupOptions, centre, click_at, setup, wait_dialog_open};

/// Aggressive page-wide rules of the kind real apps ship (resets, `!important` themes).
const HOSTILE: &str = "\
    * { color: rgb(255, 0, 0) !important; font-family: 'Comic Sans MS' !important; \
        font-size: 31px !important; letter-spacing: 3px !important; }\
    button { background: rgb(255, 105, 180) !important; padding: 40px !important; }\
    dialog, label, textarea { display: none !important; }\
    snag-widget { display: none !important; opacity: 0 !important; }";

/// Computed styles of the shop's own elements that a leaking widget style would change.
const PAGE_STYLES: &str = "\
    return ['#pay', 'body', 'h1', 'table', 'input#name'].map(s => {\
      const c = getComputedStyle(document.querySelector(s));\
      return [c.color, c.backgroundColor, c.fontFamily, c.fontSize, c.boxSizing, c.padding, c.outlineStyle].join('|');\
    });";

#[test]
fn page_css_stays_out_of_the_widget_and_the_widget_css_stays_in() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        let before: Value = browser.js(PAGE_STYLES, vec![]).await;
        browser
            .js(
                "const s = document.createElement('style'); s.textContent = arguments[0];\
                 document.head.appendChild(s);",
                vec![HOSTILE.into()],
            )
            .await;
        let hostile_page: Value = browser.js(PAGE_STYLES, vec![]).await;

        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        let widget = browser
            .js(
                &format!(
                    "const r = {ROOT}; const st = s => getComputedStyle(r.querySelector(s));\
                     return {{\
                       launcher: st('.launcher').backgroundColor,\
                       launcherFont: st('.launcher').fontSize,\
                       dialog: st('dialog').display,\
                       label: st('label').color,\
                       labelFont: st('label').fontFamily,\
                       textarea: st('textarea').display,\
                       size: st('dialog').fontSize,\
                       spacing: st('dialog').letterSpacing,\
                       host: getComputedStyle(document.querySelector('snag-widget')).display\
                     }};"
                ),
                vec![],
            )
            .await;
        assert_eq!(widget["launcher"], "rgb(29, 78, 216)", "{widget}");
        assert_eq!(widget["launcherFont"], "14px", "{widget}");
        assert_eq!(widget["dialog"], "block", "{widget}");
        assert_eq!(widget["label"], "rgb(17, 24, 39)", "{widget}");
        assert!(
            !widget["labelFont"].as_str().unwrap_or("").contains("Comic"),
            "{widget}"
        );
        // Laid out by the dialog's flex column, not hidden by the page's `display: none`.
        assert_eq!(widget["textarea"], "block", "{widget}");
        assert_eq!(widget["size"], "15px", "{widget}");
        assert_eq!(widget["spacing"], "normal", "{widget}");
        assert_eq!(
            widget["host"], "inline",
            "the host element resists display:none"
        );

        // With the widget open, the page's elements look exactly as the page alone made them.
        let after: Value = browser.js(PAGE_STYLES, vec![]).await;
        assert_eq!(after, hostile_page);
        browser
            .js("document.head.lastElementChild.remove();", vec![])
            .await;
        let restored: Value = browser.js(PAGE_STYLES, vec![]).await;
        assert_eq!(restored, before, "the widget added no styles to the page");
        let sheets = browser
            .js(
                "return [document.styleSheets.length, document.adoptedStyleSheets.length]",
                vec![],
            )
            .await;
        assert_eq!(
            sheets,
            serde_json::json!([1, 0]),
            "only the shop's own sheet"
        );
    });
}
