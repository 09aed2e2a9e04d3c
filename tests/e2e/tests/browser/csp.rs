//! A host page with a strict Content-Security-Policy: scripts only from itself or with its
//! nonce, no `unsafe-eval`, no inline styles; `wasm-unsafe-eval` allowed. The README's CSP
//! section says what the widget needs; this is that policy.

use e2e::browser::{Browser, runtime};

use crate::support::{
    ROOT, SetupOptions, WAIT, centre, click_at, setup, staff_get, submitted_id, wait_dialog_open,
    wait_status,
};

#[test]
fn the_widget_works_under_a_strict_csp() {
    let setup = setup(SetupOptions {
        strict_csp: true,
        ..SetupOptions::default()
    });
    let rt = runtime();
    let id = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        // The policy is in force: an inline script without the nonce does not run.
        let inline = browser
            .js(
                "const s = document.createElement('script'); s.textContent = 'window.__inline = 1';\
                 document.head.appendChild(s); return window.__inline === 1 ? 'ran' : 'blocked';",
                vec![],
            )
            .await;
        assert_eq!(inline, "blocked");
        // The button is styled: constructed style sheets are not inline styles.
        let background = browser
            .js(
                &format!(
                    "return getComputedStyle({ROOT}.querySelector('.launcher')).backgroundColor"
                ),
                vec![],
            )
            .await;
        assert_eq!(background, "rgb(29, 78, 216)");
        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        browser
            .wait_for(
                "the screenshot under the CSP",
                &format!("return !{ROOT}.querySelector('.canvas').hidden"),
                WAIT,
            )
            .await;
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser
            .type_text("Sent from a page with a strict CSP")
            .await;
        click_at(&browser, centre(&browser, ".send").await).await;
        wait_status(&browser, "Thank you").await;
        submitted_id(&browser, 0).await
    });
    let report = staff_get(&setup, &format!("/api/v1/reports/{id}"));
    assert_eq!(
        report["payload"]["description"],
        "Sent from a page with a strict CSP"
    );
    assert_eq!(report["enriched"]["screenshot"]["media_type"], "image/png");
}
