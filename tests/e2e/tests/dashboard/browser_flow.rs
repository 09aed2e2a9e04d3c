//! A triager's day in headless Chromium: sign in, find a defect by searching its console
//! error, take it through its whole lifecycle with the keyboard, comment, merge two defects,
//! and see the metrics change. A viewer sees no controls.

use std::time::Duration;

use e2e::Options;
use e2e::browser::{Browser, runtime};
use e2e::dashboard::{PASSWORD, post_report};
use serde_json::{Value, json};

use crate::support::{World, cli, world};

const WAIT: Duration = Duration::from_secs(20);

pub async fn sign_in(browser: &Browser, base: &str, email: &str) {
    browser.goto(&format!("{base}/app/login")).await;
    browser
        .js(
            "document.querySelector('input[name=email]').value = arguments[0];\
             document.querySelector('input[name=password]').value = arguments[1];\
             document.querySelector('form').requestSubmit();",
            vec![json!(email), json!(PASSWORD)],
        )
        .await;
    wait_page(browser, "inbox").await;
}

pub async fn wait_page(browser: &Browser, page: &str) {
    browser
        .wait_for(
            &format!("the {page} page"),
            &format!("return document.readyState === 'complete' && document.body.dataset.page === '{page}'"),
            WAIT,
        )
        .await;
}

async fn text(browser: &Browser, selector: &str) -> String {
    let value = browser
        .js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;",
            vec![json!(selector)],
        )
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

/// Presses `s`, then the number the page shows for `to`, and waits for the new status.
async fn move_to(browser: &Browser, to: &str) {
    let key = browser
        .js(
            "const b = document.querySelector(`#status-controls button[data-status=\"${arguments[0]}\"]`);\
             return b ? b.dataset.key : null;",
            vec![json!(to)],
        )
        .await;
    let key = key
        .as_str()
        .unwrap_or_else(|| panic!("{to} is not offered"))
        .chars()
        .next()
        .unwrap();
    browser.press(&['s']).await;
    browser.press(&[key]).await;
    browser
        .wait_for(
            &format!("status {to}"),
            &format!(
                "const s = document.getElementById('defect-status'); return document.readyState === 'complete' && s && s.textContent === '{to}';"
            ),
            WAIT,
        )
        .await;
}

fn resolved_count(body: &str) -> usize {
    body.matches("<tr><td>all</td>").count()
}

#[test]
fn triage_with_the_keyboard_merge_comment_and_metrics() {
    let world = world(Options::default());
    let out = cli(
        &world,
        &[
            "project",
            "set",
            "--name",
            "shop",
            "--component-size",
            "checkout=10",
        ],
    );
    assert!(out.status.success());
    let pay: Value = post_report(
        &world.snag,
        &world.shop_key,
        &json!({"title": "Order button is dead", "description": "Nothing happens on submit",
                "console": [{"level": "error", "message": "TypeError: cart.total is undefined"}],
                "page": {"url": "https://shop.example/checkout/7/pay"}, "environment": "production",
                "source": "widget"}),
    );
    let a = post_report(
        &world.snag,
        &world.shop_key,
        &json!({"description": "Cart total is wrong after coupon"}),
    );
    let b = post_report(
        &world.snag,
        &world.shop_key,
        &json!({"description": "Coupon makes the basket sum incorrect"}),
    );
    let pay_defect = World::id(&pay, "defect_id");
    let (a_defect, b_defect) = (World::id(&a, "defect_id"), World::id(&b, "defect_id"));
    let base = world.snag.base.clone();

    runtime().block_on(async {
        let browser = Browser::start().await;
        sign_in(&browser, &base, "ann@shop.example").await;
        let rows = browser.js("return document.querySelectorAll('#inbox tbody tr').length", vec![]).await;
        assert_eq!(rows, json!(4));

        // The metrics before: nothing resolved yet.
        browser.goto(&format!("{base}/app/metrics")).await;
        wait_page(&browser, "metrics").await;
        let before = browser.client.source().await.unwrap();
        assert_eq!(resolved_count(&before), 0);
        assert!(before.contains("No defect was resolved in this window."));

        // Find it by its console error, open it with the keyboard.
        browser.goto(&format!("{base}/app")).await;
        wait_page(&browser, "inbox").await;
        browser.press(&['/']).await;
        browser.type_text("TypeError").await;
        browser.press(&['\u{E007}']).await; // Enter submits the search
        browser
            .wait_for(
                "the search result",
                "return document.readyState === 'complete' && location.search.includes('q=TypeError') && document.querySelectorAll('#inbox tbody tr').length === 1",
                WAIT,
            )
            .await;
        assert_eq!(text(&browser, "#inbox td.title").await, "Order button is dead");
        browser.press(&['?']).await;
        assert_eq!(browser.js("return document.getElementById('help').open", vec![]).await, json!(true));
        browser.press(&['\u{E00C}']).await; // Escape closes the list
        browser.press(&['j']).await;
        browser.press(&['o']).await;
        wait_page(&browser, "defect").await;
        assert!(browser.client.current_url().await.unwrap().as_str().ends_with(&pay_defect));

        // Assign to me, then the whole lifecycle, all from the keyboard.
        browser.press(&['a']).await;
        browser
            .wait_for(
                "the owner",
                "return document.getElementById('defect-owner').textContent.includes('ann@shop.example')",
                WAIT,
            )
            .await;
        for to in ["triaged", "assigned", "in_progress", "resolved", "verified", "closed"] {
            move_to(&browser, to).await;
        }
        let offered = browser
            .js("return Array.from(document.querySelectorAll('#status-controls button')).map(b => b.dataset.status)", vec![])
            .await;
        assert_eq!(offered, json!(["reopened"]), "only the legal moves are offered");

        // Comment (c focuses the box).
        browser.press(&['c']).await;
        browser.type_text("Fixed by the cart refactor <b>ok</b>").await;
        browser.js("document.getElementById('comment-form').requestSubmit()", vec![]).await;
        browser
            .wait_for(
                "the comment",
                "return document.readyState === 'complete' && document.querySelector('.comment .text')?.textContent === 'Fixed by the cart refactor <b>ok</b>'",
                WAIT,
            )
            .await;
        let history = text(&browser, "#history").await;
        assert!(history.contains("commented") && history.contains("closed"));

        // Merge a into b from a's page.
        browser.goto(&format!("{base}/app/defects/{a_defect}")).await;
        wait_page(&browser, "defect").await;
        browser
            .js(
                "document.querySelector('#merge input[name=into]').value = arguments[0];\
                 document.getElementById('merge').requestSubmit();",
                vec![json!(b_defect)],
            )
            .await;
        browser
            .wait_for(
                "the merge",
                "return document.readyState === 'complete' && document.getElementById('defect-status')?.textContent === 'duplicate'",
                WAIT,
            )
            .await;
        assert_eq!(text(&browser, "#merged-into").await, b_defect);
        browser.goto(&format!("{base}/app/defects/{b_defect}")).await;
        wait_page(&browser, "defect").await;
        assert!(text(&browser, "#reports-h").await.contains("(2)"));

        // The metrics now count the resolved defect, its component's density and its page.
        browser.goto(&format!("{base}/app/metrics")).await;
        wait_page(&browser, "metrics").await;
        let after = browser.client.source().await.unwrap();
        assert_eq!(resolved_count(&after), 1, "one resolved defect in MTTR");
        assert!(text(&browser, "#density").await.contains("checkout"));
        assert!(text(&browser, "#leakage-rate").await.contains("100.0 %"));
        assert!(text(&browser, "#top-pages").await.contains("/checkout/"));

        // A viewer gets the same pages without any control.
        browser.goto(&format!("{base}/app/login")).await;
        browser.client.delete_all_cookies().await.unwrap();
        sign_in(&browser, &base, "vic@shop.example").await;
        assert_eq!(browser.js("return document.getElementById('bulk')", vec![]).await, Value::Null);
        browser.goto(&format!("{base}/app/defects/{pay_defect}")).await;
        wait_page(&browser, "defect").await;
        let controls = browser
            .js("return document.querySelectorAll('#status-controls, #assign-me, #fields, #merge, #comment-form').length", vec![])
            .await;
        assert_eq!(controls, json!(0));
        browser.press(&['a']).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(text(&browser, "#defect-owner").await, "owner: ann@shop.example");
    });
}
