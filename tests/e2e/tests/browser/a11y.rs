//! Accessibility: axe-core run in the page with the dialog open, in both themes and in a
//! right-to-left locale: no serious or critical violations.

use std::path::PathBuf;

use e2e::browser::{Browser, runtime};
use serde_json::Value;

use crate::support::{ROOT, SetupOptions, WAIT, centre, click_at, setup, wait_dialog_open};

fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: npm install --prefix tools axe-core@4.14.1 (.ci/run does)",
            path.display()
        )
    })
}

/// Serious and critical violations inside the widget: `id: target` lines.
async fn violations(browser: &Browser) -> Vec<String> {
    let found = browser
        .js_async(
            "const done = arguments[arguments.length - 1];\
             axe.run({ include: [['snag-widget']] }, { resultTypes: ['violations'] })\
               .then(r => done(r.violations\
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                 .map(v => v.id + ': ' + JSON.stringify(v.nodes.map(n => [n.target, n.failureSummary])))))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await;
    match found {
        Value::Array(items) => items
            .into_iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect(),
        other => panic!("axe answered {other}"),
    }
}

async fn open_with_screenshot(browser: &Browser) {
    click_at(browser, centre(browser, ".launcher").await).await;
    wait_dialog_open(browser).await;
    // axe measures contrast on what is painted: let the opening fade end first.
    browser
        .js_async(
            &format!(
                "const done = arguments[arguments.length - 1];\
                 Promise.all({ROOT}.querySelector('dialog').getAnimations({{subtree: true}})\
                   .map(a => a.finished)).then(() => done(true), () => done(true));"
            ),
            vec![],
        )
        .await;
    browser
        .wait_for(
            "the screenshot",
            &format!("return !{ROOT}.querySelector('.canvas').hidden"),
            WAIT,
        )
        .await;
}

#[test]
fn the_dialog_has_no_serious_accessibility_violations() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        browser.js(&axe_source(), vec![]).await;

        for (theme, locale) in [("light", "en"), ("dark", "en"), ("light", "ar")] {
            browser
                .js(
                    "Snag.close(); Snag.init({ theme: arguments[0], locale: arguments[1] });",
                    vec![theme.into(), locale.into()],
                )
                .await;
            open_with_screenshot(&browser).await;
            // Expand the optional parts so their fields are checked too.
            browser
                .js(
                    &format!("{ROOT}.querySelectorAll('details').forEach(d => d.open = true)"),
                    vec![],
                )
                .await;
            let found = violations(&browser).await;
            assert!(found.is_empty(), "{theme}/{locale}: {found:#?}");
            let dialog = browser
                .js(
                    &format!(
                        "const d = {ROOT}.querySelector('dialog');\
                         return [d.getAttribute('dir'), d.getAttribute('lang'), d.dataset.theme]"
                    ),
                    vec![],
                )
                .await;
            let dir = if locale == "ar" { "rtl" } else { "ltr" };
            assert_eq!(dialog, serde_json::json!([dir, locale, theme]));
        }
    });
}
