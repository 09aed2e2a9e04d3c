//! A report sent while the server is down is saved in the browser and delivered, exactly
//! once, when the server is back: on a later visit, after the page was closed.

use std::time::Duration;

use e2e::browser::{Browser, free_port, runtime};
use e2e::{Options, Snag};
use serde_json::json;

use crate::support::{
    ROOT, SetupOptions, WAIT, centre, click_at, setup, wait_dialog_open, wait_status,
};

/// How many reports the page's IndexedDB outbox holds.
async fn outbox_len(browser: &Browser) -> i64 {
    let value = browser
        .js_async(
            "const done = arguments[arguments.length - 1];\
             const open = indexedDB.open('snag', 1);\
             open.onupgradeneeded = () => open.result.createObjectStore('outbox');\
             open.onsuccess = () => {\
               const count = open.result.transaction('outbox').objectStore('outbox').count();\
               count.onsuccess = () => { open.result.close(); done(count.result); };\
             };\
             open.onerror = () => done(-1);",
            vec![],
        )
        .await;
    value.as_i64().expect("a count")
}

fn count_reports(snag: &Snag) -> i64 {
    snag.database()
        .query_row("SELECT count(*) FROM reports", [], |row| row.get(0))
        .expect("counting reports")
}

#[test]
fn a_report_made_offline_is_delivered_once_on_a_later_visit() {
    let data = tempfile::tempdir().expect("a data directory");
    let bind = format!("127.0.0.1:{}", free_port());
    let options = Options::default()
        .data_dir(data.path())
        .env("SNAG_BIND", &bind);
    let setup = setup(SetupOptions {
        snag: options.clone(),
        ..SetupOptions::default()
    });
    let crate::support::Setup { snag, page, .. } = setup;
    let rt = runtime();
    let browser = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &page.url("/")).await;
        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        browser
            .wait_for(
                "the screenshot",
                &format!("return !{ROOT}.querySelector('.canvas').hidden"),
                WAIT,
            )
            .await;
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser
            .type_text("Checkout broke while the server was down")
            .await;
        browser
    });

    snag.stop();
    rt.block_on(async {
        click_at(&browser, centre(&browser, ".send").await).await;
        let status = wait_status(&browser, "saved").await;
        assert!(status.contains("sent automatically"), "{status}");
        assert_eq!(outbox_len(&browser).await, 1, "kept in IndexedDB");
        // The tab is closed before the server returns.
        browser.goto("about:blank").await;
    });

    // Same address and data: the page's next visit finds the server again.
    let snag = Snag::start_with(options);
    rt.block_on(async {
        crate::support::open_page(&browser, &page.url("/")).await;
        browser
            .wait_for(
                "the saved report to be delivered",
                "return window.__snag.length > 0",
                Duration::from_secs(30),
            )
            .await;
        let delivered = browser.js("return window.__snag[0].queued", vec![]).await;
        assert_eq!(delivered, json!(true));
        assert_eq!(
            outbox_len(&browser).await,
            0,
            "the outbox is empty once delivered"
        );
    });
    assert_eq!(count_reports(&snag), 1);

    // Another visit sends nothing again.
    rt.block_on(async {
        crate::support::open_page(&browser, &page.url("/")).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    });
    assert_eq!(count_reports(&snag), 1, "delivered exactly once");
    let stored: String = snag
        .database()
        .query_row("SELECT payload FROM reports", [], |row| row.get(0))
        .unwrap_or_default();
    assert!(stored.contains("while the server was down"), "{stored}");
}
