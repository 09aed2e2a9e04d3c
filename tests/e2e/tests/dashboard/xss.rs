//! An XSS corpus submitted as reports, in every field a report carries, then shown on every
//! dashboard page in headless Chromium: nothing runs, nothing is injected into the DOM, and
//! each payload reads back as the text it was.

use std::collections::BTreeMap;

use e2e::Options;
use e2e::browser::{Browser, runtime};
use e2e::dashboard::post_report;
use serde_json::{Value, json};

use crate::browser_flow::{sign_in, wait_page};
use crate::support::{World, world};

/// Each payload tries to set `window.__xss` (or leave an element marked `data-xss`).
const PAYLOADS: &[&str] = &[
    "<script>window.__xss='script'</script>",
    "<img src=x onerror=\"window.__xss='img'\" data-xss>",
    "\"><svg onload=\"window.__xss='svg'\" data-xss>",
    "<svg><script>window.__xss='svg-script'</script></svg>",
    "javascript:window.__xss='js-url'",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9J2RhdGEnPC9zY3JpcHQ+",
    "[click me](javascript:window.__xss='md') **bold** <b data-xss>html</b>",
    "<a href=\"javascript:window.__xss='a'\" data-xss>link</a>",
    "'';!--\"<XSS data-xss>=&{()}",
    "invoice\u{202E}fdp.exe\u{202C} and \u{2067}rtl isolate\u{2069}",
    "<iframe src=\"javascript:window.__xss='iframe'\" data-xss></iframe>",
    "<math><mtext></table><img src=x onerror=\"window.__xss='math'\" data-xss>",
    "{{7*7}} ${7*7} {% raw %}",
    "</textarea></title><script>window.__xss='breakout'</script>",
    "<style>body{display:none}</style><div style=\"background:url(javascript:window.__xss=1)\" data-xss>",
];

fn report(payload: &str) -> Value {
    let mut custom = BTreeMap::new();
    custom.insert(format!("k{payload}"), payload.to_owned());
    json!({
        "title": payload,
        "description": payload,
        "steps": payload,
        "expected": payload,
        "actual": payload,
        "category": "bug",
        "reporter": {"id": payload, "name": payload},
        "page": {"url": format!("https://shop.example/p?q={}", payload.replace(' ', "+")), "title": payload,
                 "referrer": "javascript:window.__xss='referrer'"},
        "console": [{"level": "error", "message": payload}],
        "breadcrumbs": [{"kind": "navigation", "url": payload, "message": payload},
                        {"kind": "click", "message": payload}],
        "custom": custom,
        "release": payload.chars().take(100).collect::<String>(),
        "environment": "production",
    })
}

/// What an injection would leave behind on the current page.
const PROBE: &str = "
    const handlers = Array.from(document.querySelectorAll('*'))
        .filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length;
    return {
        xss: window.__xss === undefined ? null : String(window.__xss),
        injected: document.querySelectorAll('[data-xss], xss, iframe, object, embed, math, svg script, style, \
            a[href^=\"javascript:\" i], a[href^=\"data:\" i], img:not([src^=\"/app/\"])').length,
        handlers: handlers,
        scripts: Array.from(document.scripts).map(s => s.getAttribute('src')),
        visible: document.body.offsetHeight > 0,
    };";

async fn assert_clean(browser: &Browser, what: &str) {
    let probe = browser.js(PROBE, vec![]).await;
    assert_eq!(probe["xss"], Value::Null, "{what}: a payload ran: {probe}");
    assert_eq!(
        probe["injected"],
        json!(0),
        "{what}: markup was injected: {probe}"
    );
    assert_eq!(
        probe["handlers"],
        json!(0),
        "{what}: an event handler was injected: {probe}"
    );
    let scripts = probe["scripts"].as_array().unwrap();
    assert_eq!(scripts.len(), 1, "{what}: only our script: {probe}");
    assert!(
        scripts[0]
            .as_str()
            .unwrap()
            .starts_with("/app/static/app.js")
    );
    assert_eq!(probe["visible"], json!(true), "{what}: a style was applied");
}

#[test]
fn report_content_is_shown_as_text_on_every_page() {
    let world = world(Options::default());
    let mut defects = Vec::new();
    for payload in PAYLOADS {
        let answer = post_report(&world.snag, &world.shop_key, &report(payload));
        defects.push((World::id(&answer, "defect_id"), *payload));
    }
    let base = world.snag.base.clone();
    runtime().block_on(async {
        let browser = Browser::start().await;
        sign_in(&browser, &base, "ann@shop.example").await;
        for path in ["/app?status=all", "/app?q=script", "/app?q=xss&sort=severity", "/app/metrics?window=7d"] {
            browser.goto(&format!("{base}{path}")).await;
            browser
                .wait_for("the page", "return document.readyState === 'complete'", std::time::Duration::from_secs(20))
                .await;
            assert_clean(&browser, path).await;
        }
        for (id, payload) in &defects {
            browser.goto(&format!("{base}/app/defects/{id}")).await;
            wait_page(&browser, "defect").await;
            assert_clean(&browser, payload).await;
            let shown = browser
                .js(
                    "return {
                        description: document.querySelector('.report p.text').textContent,
                        console: document.querySelector('.console code').textContent,
                        title: document.getElementById('defect-title').textContent,
                        custom: Array.from(document.querySelectorAll('.report .facts dd')).map(d => d.textContent),
                     };",
                    vec![],
                )
                .await;
            assert_eq!(shown["description"], json!(payload), "the description reads as sent");
            assert_eq!(shown["console"], json!(payload), "the console message reads as sent");
            assert_eq!(shown["title"], json!(payload.trim()), "the title reads as sent");
            assert!(
                shown["custom"].as_array().unwrap().iter().any(|v| v == &json!(payload)),
                "the metadata reads as sent: {shown}"
            );
        }
        // The inbox lists every title as text.
        browser.goto(&format!("{base}/app?status=all")).await;
        wait_page(&browser, "inbox").await;
        let titles = browser
            .js("return Array.from(document.querySelectorAll('#inbox td.title a')).map(a => a.textContent)", vec![])
            .await;
        for (_, payload) in &defects {
            assert!(titles.as_array().unwrap().contains(&json!(payload.trim())), "{payload} not listed as text");
        }
    });
}
