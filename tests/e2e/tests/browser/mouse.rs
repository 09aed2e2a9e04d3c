//! The widget used with a mouse: open, describe, send, and find the report stored.

use e2e::browser::{Browser, runtime};

use crate::support::{
    ROOT, SetupOptions, centre, click_at, setup, staff_get, submitted_id, wait_dialog_open,
    wait_status,
};

#[test]
fn a_report_sent_by_mouse_is_stored_with_its_context() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    let id = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        // The host app fails twice before the user reports: a console error and a 500.
        browser
            .js("document.getElementById('pay').click();", vec![])
            .await;
        browser
            .js("document.getElementById('recommend').click();", vec![])
            .await;
        browser
            .wait_for(
                "the failed request",
                "return document.getElementById('result').textContent.includes('500')",
                crate::support::WAIT,
            )
            .await;

        // The team's API: who the user is, and what else to know.
        browser
            .js(
                "Snag.identify({ id: 'u-42', email: 'jane@shop.example', name: 'Jane' });\
                 Snag.setMetadata({ plan: 'pro', seats: 12 });",
                vec![],
            )
            .await;
        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        let email_hidden = browser
            .js(
                &format!("return {ROOT}.querySelector('#snag-email').closest('.field').hidden"),
                vec![],
            )
            .await;
        assert_eq!(
            email_hidden, true,
            "an identified user is not asked for an e-mail"
        );
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser.type_text("The Pay button does nothing").await;
        // "What is sent": the report as it will leave, scrubbed in the browser.
        browser
            .js(
                &format!(
                    "{ROOT}.querySelector('#snag-steps').value = 'Mail me: jane.doe@example.com'"
                ),
                vec![],
            )
            .await;
        click_at(&browser, centre(&browser, ".preview summary").await).await;
        // Filled when the section opens (its `toggle` event comes a moment later).
        let shown = browser
            .wait_for(
                "what is sent",
                &format!("return {ROOT}.querySelector('.json').textContent"),
                crate::support::WAIT,
            )
            .await;
        let shown = shown.as_str().unwrap_or_default();
        assert!(shown.contains("The Pay button does nothing"), "{shown}");
        assert!(shown.contains("Mail me: [email]"), "{shown}");
        assert!(!shown.contains("jane.doe@example.com"), "{shown}");
        assert!(shown.contains("idempotency_key"), "{shown}");
        // This user sends no screenshot.
        browser
            .wait_for(
                "the screenshot",
                &format!("return !{ROOT}.querySelector('.canvas').hidden"),
                crate::support::WAIT,
            )
            .await;
        click_at(&browser, centre(&browser, ".remove").await).await;
        let removed = browser
            .js(
                &format!("return {ROOT}.querySelector('.canvas').hidden"),
                vec![],
            )
            .await;
        assert_eq!(removed, true);
        click_at(&browser, centre(&browser, ".send").await).await;
        wait_status(&browser, "Thank you").await;
        let status = browser
            .js(
                &format!("return {ROOT}.querySelector('#snag-description').value"),
                vec![],
            )
            .await;
        assert_eq!(status, "", "the form is cleared after sending");
        submitted_id(&browser, 0).await
    });

    let report = staff_get(&setup, &format!("/api/v1/reports/{id}"));
    let payload = &report["payload"];
    assert_eq!(payload["description"], "The Pay button does nothing");
    assert_eq!(payload["steps"], "Mail me: [email]");
    assert_eq!(payload["reporter"]["id"], "u-42");
    assert_eq!(payload["reporter"]["name"], "Jane");
    assert_eq!(payload["custom"]["plan"], "pro");
    assert_eq!(payload["custom"]["seats"], "12");
    assert_eq!(payload["source"], "widget");
    assert!(
        report["enriched"]["screenshot"].is_null(),
        "the removed screenshot is not sent: {report}"
    );
    assert_eq!(payload["environment"], "demo");
    assert_eq!(payload["release"], "shop@2.4.1");
    assert_eq!(
        payload["page"]["url"].as_str(),
        Some(setup.page.url("/").as_str())
    );
    assert!(
        payload["client"]["user_agent"]
            .as_str()
            .is_some_and(|ua| ua.contains("Chrome"))
    );
    assert_eq!(payload["client"]["viewport"]["width"], 1280);
    let console = payload["console"].to_string();
    assert!(
        console.contains("reading 'total'"),
        "the console error is in the report: {console}"
    );
    let crumbs = payload["breadcrumbs"].as_array().expect("breadcrumbs");
    let failed = crumbs
        .iter()
        .find(|c| c["kind"] == "request")
        .unwrap_or_else(|| panic!("the failed fetch is in the report: {crumbs:?}"));
    assert_eq!(failed["status"], 500);
    assert_eq!(failed["method"], "GET");
    assert_eq!(
        failed["url"].as_str(),
        Some(setup.page.url("/api/recommendations").as_str()),
        "the query (with its token) never leaves the page"
    );
    assert!(
        crumbs.iter().any(|c| c["kind"] == "click"),
        "clicks are breadcrumbs"
    );
    assert!(!payload.to_string().contains("abc123"));
}
