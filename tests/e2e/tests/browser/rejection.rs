//! A report the server refuses: the user is told why, in their language, and keeps the draft.

use e2e::Options;
use e2e::browser::{Browser, runtime};

use crate::support::{ROOT, SetupOptions, centre, click_at, setup, wait_dialog_open, wait_status};

#[test]
fn a_refusal_is_explained_in_the_users_language() {
    // A project limit tighter than the widget's defaults: only the server can refuse.
    let setup = setup(SetupOptions {
        snag: Options::default().env("SNAG_LIMITS__MAX_DESCRIPTION_CHARS", 12),
        ..SetupOptions::default()
    });
    let rt = runtime();
    rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        browser.js("Snag.init({ locale: 'fr' })", vec![]).await;
        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser.type_text("Le bouton Payer ne fait rien").await;
        click_at(&browser, centre(&browser, ".send").await).await;
        let status = wait_status(&browser, "trop volumineuse").await;
        assert_eq!(
            status,
            "Une partie du signalement est trop volumineuse (description)."
        );
        let kept = browser
            .js(
                &format!("return {ROOT}.querySelector('#snag-description').value"),
                vec![],
            )
            .await;
        assert_eq!(
            kept, "Le bouton Payer ne fait rien",
            "the draft is kept to fix"
        );
    });
}
