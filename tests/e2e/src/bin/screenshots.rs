//! Screenshots of the dashboard for the README: the inbox, a defect page and the metrics
//! page, taken in headless Chromium against the real binary with a small, realistic data set.
//! Run with `cargo xtask screenshots`; writes `docs/dashboard-*.png`.

use std::path::PathBuf;
use std::time::Duration;

use e2e::browser::{Browser, runtime};
use e2e::dashboard::{PASSWORD, create_user, http, post_report};
use e2e::fixtures::{data_url, png_bytes, screenshot};
use e2e::{Options, Snag, create_project, create_token, snag_command};
use serde_json::{Value, json};

fn report(
    title: &str,
    description: &str,
    path: &str,
    env: &str,
    source: &str,
    error: Option<&str>,
) -> Value {
    let mut report = json!({
        "title": title,
        "description": description,
        "category": "bug",
        "reporter": {"name": "Jane Doe", "id": "u-42"},
        "page": {"url": format!("https://shop.example{path}"), "title": "Shop"},
        "client": {"user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                   "language": "en-GB", "timezone": "Europe/London",
                   "viewport": {"width": 1280, "height": 800}},
        "breadcrumbs": [{"kind": "navigation", "url": format!("https://shop.example{path}")}],
        "custom": {"plan": "pro", "tenant": "acme"},
        "release": "2026.11.2",
        "environment": env,
        "source": source,
    });
    if let Some(error) = error {
        report["console"] = json!([{"level": "error", "message": error}]);
    }
    // Only the payment reports saw the failing request: a trail shared by every report
    // would (rightly) fold them together.
    if path.ends_with("/pay") && source == "widget" {
        let trail = report["breadcrumbs"].as_array_mut().expect("a trail");
        trail.push(json!({"kind": "click", "message": "button.pay"}));
        trail.push(json!({"kind": "request", "method": "POST", "url": "https://shop.example/api/pay", "status": 500}));
    }
    report
}

fn staff(snag: &Snag, token: &str, method: reqwest::Method, path: &str, body: Value) {
    let response = http()
        .request(method, snag.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .expect("a staff request");
    let status = response.status();
    assert!(
        status.is_success(),
        "{path}: {status} {}",
        response.text().unwrap_or_default()
    );
}

fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    std::fs::create_dir_all(&out).expect("docs/");
    let snag = Snag::start_with(Options::default().env("SNAG_DEMO__CREATE_PROJECT", "false"));
    let dir = snag.data_dir.clone();
    let key = create_project(
        &dir,
        &[
            "--name",
            "shop",
            "--allow-no-origin",
            "--route",
            "/checkout/**=checkout",
            "--route",
            "/cart/**=cart",
            "--route",
            "/search/**=search",
            "--route",
            "/account/**=account",
        ],
    );
    let set = snag_command(
        &dir,
        &[
            "project",
            "set",
            "--name",
            "shop",
            "--component-size",
            "checkout=12.5",
            "--component-size",
            "cart=4",
            "--component-size",
            "search=8",
            "--component-size",
            "account=6",
        ],
    );
    assert!(set.status.success());
    create_user(&dir, "ann@shop.example", "triager", &["shop"]);
    let token = create_token(&dir);

    let shot = data_url("image/png", &png_bytes(&screenshot(1280, 800, 7)));
    let mut with_shot = report(
        "Pay button does nothing",
        "I click Pay and nothing happens. The spinner shows for a second, then the button is enabled again.",
        "/checkout/8123/pay",
        "production",
        "widget",
        Some("TypeError: Cannot read properties of undefined (reading 'total') at pay.js:42:13"),
    );
    with_shot["screenshot"] = json!(shot);
    with_shot["steps"] =
        json!("1. Add any item to the cart\n2. Go to checkout and enter a test card\n3. Click Pay");
    with_shot["expected"] = json!("The order is placed and the receipt is shown");
    with_shot["actual"] = json!("Nothing happens; the Pay button is enabled again");
    let pay = post_report(&snag, &key, &with_shot);
    post_report(
        &snag,
        &key,
        &report(
            "Pay does nothing on checkout",
            "Pay button does nothing after entering my card",
            "/checkout/9001/pay",
            "production",
            "widget",
            Some(
                "TypeError: Cannot read properties of undefined (reading 'total') at pay.js:42:13",
            ),
        ),
    );
    let samples = [
        (
            "Cart total ignores the coupon",
            "The total stays the same after applying SAVE10",
            "/cart",
            "production",
            "widget",
            None,
        ),
        (
            "Search shows no results for shoes",
            "Typing shoes gives an empty page",
            "/search/shoes",
            "production",
            "widget",
            Some("NetworkError when attempting to fetch resource"),
        ),
        (
            "Account page is blank on Safari",
            "Blank white page after login",
            "/account/settings",
            "staging",
            "qa",
            Some("ReferenceError: structuredClone is not defined"),
        ),
        (
            "Address form loses the postcode",
            "The postcode is cleared when I go back",
            "/checkout/1/address",
            "production",
            "widget",
            None,
        ),
        (
            "Checkout e2e: card form times out",
            "CI: waiting for iframe #card timed out after 30s",
            "/checkout/1/pay",
            "ci",
            "ci",
            None,
        ),
        (
            "Wishlist heart does not toggle",
            "Clicking the heart does nothing",
            "/account/wishlist",
            "production",
            "widget",
            None,
        ),
        (
            "Search filters reset on back",
            "Going back clears all filters",
            "/search/boots",
            "staging",
            "qa",
            None,
        ),
    ];
    let mut defects = vec![pay["defect_id"].as_str().unwrap().to_owned()];
    for (title, description, path, env, source, error) in samples {
        let answer = post_report(
            &snag,
            &key,
            &report(title, description, path, env, source, error),
        );
        defects.push(answer["defect_id"].as_str().unwrap().to_owned());
    }
    let triage = [
        (
            1,
            json!({"severity": "major", "priority": "p1", "assignee": "ann@shop.example"}),
            &["triaged", "assigned", "in_progress", "resolved"][..],
        ),
        (
            2,
            json!({"severity": "critical", "priority": "p0"}),
            &["assigned", "resolved", "verified"][..],
        ),
        (
            3,
            json!({"severity": "minor", "priority": "p2", "assignee": "bob@shop.example"}),
            &["triaged"][..],
        ),
        (
            4,
            json!({"severity": "major", "priority": "p2"}),
            &["assigned", "resolved"][..],
        ),
        (
            0,
            json!({"severity": "blocker", "priority": "p0", "assignee": "ann@shop.example"}),
            &["triaged", "assigned", "in_progress"][..],
        ),
    ];
    for (i, patch, moves) in triage {
        let id = &defects[i];
        staff(
            &snag,
            &token,
            reqwest::Method::PATCH,
            &format!("/api/v1/defects/{id}"),
            patch,
        );
        for to in moves {
            staff(
                &snag,
                &token,
                reqwest::Method::POST,
                &format!("/api/v1/defects/{id}/transitions"),
                json!({"to": to}),
            );
        }
    }
    let base = snag.base.clone();
    let pay_defect = defects[0].clone();
    runtime().block_on(async {
        let browser = Browser::start().await;
        browser.goto(&format!("{base}/app/login")).await;
        browser
            .js(
                "document.querySelector('input[name=email]').value = arguments[0];\
                 document.querySelector('input[name=password]').value = arguments[1];\
                 document.querySelector('form').requestSubmit();",
                vec![json!("ann@shop.example"), json!(PASSWORD)],
            )
            .await;
        settle(&browser).await;
        let pages = [
            (
                "dashboard-inbox.png",
                format!("{base}/app?status=all"),
                1280,
                860,
            ),
            (
                "dashboard-defect.png",
                format!("{base}/app/defects/{pay_defect}"),
                1280,
                1100,
            ),
            (
                "dashboard-metrics.png",
                format!("{base}/app/metrics"),
                1280,
                1400,
            ),
        ];
        for (file, url, width, height) in pages {
            browser
                .client
                .set_window_size(width, height)
                .await
                .expect("a window size");
            browser.goto(&url).await;
            settle(&browser).await;
            if file == "dashboard-inbox.png" {
                browser.press(&['j']).await;
                browser.press(&['j']).await;
            }
            let png = browser.client.screenshot().await.expect("a screenshot");
            std::fs::write(out.join(file), png).expect("writing the screenshot");
            println!("wrote docs/{file}");
        }
    });
}

/// Waits until the dashboard page has loaded and painted.
async fn settle(browser: &Browser) {
    browser
        .wait_for(
            "the page",
            "return document.readyState === 'complete' && !!document.body.dataset.page",
            Duration::from_secs(20),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}
