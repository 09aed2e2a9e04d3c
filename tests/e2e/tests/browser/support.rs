//! Starting the three parts (server, host page, browser) and talking to the widget.

use std::path::Path;
use std::time::Duration;

use e2e::browser::Browser;
use e2e::host_page::{HostPage, PageConfig};
use e2e::{Options, Snag, create_token};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::{Value, json};

pub const WAIT: Duration = Duration::from_secs(20);

/// The widget's shadow root, for scripts.
pub const ROOT: &str = "document.querySelector('snag-widget').shadowRoot";

pub struct Setup {
    pub snag: Snag,
    pub page: HostPage,
    pub token: String,
}

#[derive(Default)]
pub struct SetupOptions {
    pub strict_csp: bool,
    /// Extra server options (a fixed port and data directory for restarts).
    pub snag: Options,
}

/// Starts snag with a demo project that allows the host page's origin, and the host page.
pub fn setup(options: SetupOptions) -> Setup {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../widget/dist/widget.js")
            .exists(),
        "the widget is not built: run `cargo xtask build-widget` first (cargo xtask test does)"
    );
    let (listener, port) = HostPage::bind();
    let origins = format!("[\"http://127.0.0.1:{port}\"]");
    let snag = Snag::start_with(options.snag.env("SNAG_DEMO__ORIGINS", origins));
    let key = snag.demo_key.clone().expect("the demo project's key");
    let token = create_token(&snag.data_dir);
    let page = HostPage::serve(
        listener,
        PageConfig {
            snag: format!("{}/", snag.base),
            key,
            strict_csp: options.strict_csp,
        },
    );
    Setup { snag, page, token }
}

/// Opens the page and waits until the loader has drawn the button.
pub async fn open_page(browser: &Browser, url: &str) {
    browser.goto(url).await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let shown = browser
            .js(
                "const h = document.querySelector('snag-widget');\
                 return !!(h && h.shadowRoot && h.shadowRoot.querySelector('.launcher'));",
                vec![],
            )
            .await;
        if shown == json!(true) {
            break;
        }
        if std::time::Instant::now() > deadline {
            // What the page had loaded, to tell a slow server from a broken loader.
            let state = browser
                .js(
                    "return [document.readyState, typeof window.Snag,\
                     performance.getEntriesByType('resource')\
                       .map(e => e.name + ' ' + Math.round(e.duration) + 'ms').join(', ')]",
                    vec![],
                )
                .await;
            panic!("no feedback button on {url}: {state}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Reports the widget sends, as the page's own code would see them.
    browser
        .js(
            "window.__snag = []; Snag.on('submitted', d => window.__snag.push(d));",
            vec![],
        )
        .await;
}

/// The centre of an element in the widget's shadow root, in CSS pixels, scrolled into view
/// first (the dialog's body scrolls).
pub async fn centre(browser: &Browser, selector: &str) -> (f64, f64) {
    let rect = browser
        .js(
            &format!(
                "const e = {ROOT}.querySelector(arguments[0]); e.scrollIntoView({{block: 'nearest'}});\
                 const r = e.getBoundingClientRect();\
                 return [r.left + r.width / 2, r.top + r.height / 2];"
            ),
            vec![json!(selector)],
        )
        .await;
    (num(&rect[0]), num(&rect[1]))
}

/// A real mouse click at a point of the viewport.
pub async fn click_at(browser: &Browser, (x, y): (f64, f64)) {
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x.round(),
            y: y.round(),
        })
        .then(PointerAction::Down {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        });
    browser
        .client
        .perform_actions(mouse)
        .await
        .expect("clicking");
}

/// A mouse drag from one viewport point to another.
pub async fn drag(browser: &Browser, from: (f64, f64), to: (f64, f64)) {
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: from.0.round(),
            y: from.1.round(),
        })
        .then(PointerAction::Down {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(150)),
            x: to.0.round(),
            y: to.1.round(),
        })
        .then(PointerAction::Up {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        });
    browser
        .client
        .perform_actions(mouse)
        .await
        .expect("dragging");
}

pub async fn dialog_open(browser: &Browser) -> bool {
    browser
        .js(
            &format!("const d = {ROOT} && {ROOT}.querySelector('dialog'); return !!(d && d.open);"),
            vec![],
        )
        .await
        == json!(true)
}

pub async fn wait_dialog_open(browser: &Browser) {
    browser
        .wait_for(
            "the dialog to open",
            &format!("const d = {ROOT}.querySelector('dialog'); return !!(d && d.open);"),
            WAIT,
        )
        .await;
}

/// What `shadowRoot.activeElement` is: `tag#id.class`.
pub async fn focused(browser: &Browser) -> String {
    let value = browser
        .js(
            &format!(
                "const a = {ROOT}.activeElement; if (!a) return 'outside:' + document.activeElement.tagName;\
                 return a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + (a.className ? '.' + a.className.split(' ').join('.') : '');"
            ),
            vec![],
        )
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

/// Waits for the status line to contain `text` and returns it.
pub async fn wait_status(browser: &Browser, text: &str) -> String {
    let value = browser
        .wait_for(
            &format!("the status {text:?}"),
            &format!(
                "const s = {ROOT}.querySelector('.status').textContent; return s.includes({text:?}) ? s : '';"
            ),
            WAIT,
        )
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

/// The id of the `n`th report the page's `submitted` handler saw.
pub async fn submitted_id(browser: &Browser, n: usize) -> String {
    let value = browser
        .wait_for(
            "the submitted event",
            &format!("return window.__snag.length > {n} ? window.__snag[{n}].id : ''"),
            WAIT,
        )
        .await;
    value.as_str().expect("an id").to_owned()
}

pub fn staff_get(setup: &Setup, path: &str) -> Value {
    let response = reqwest::blocking::Client::new()
        .get(setup.snag.url(path))
        .bearer_auth(&setup.token)
        .send()
        .expect("staff request");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().expect("JSON")
}

pub fn staff_bytes(setup: &Setup, path: &str) -> Vec<u8> {
    let response = reqwest::blocking::Client::new()
        .get(setup.snag.url(path))
        .bearer_auth(&setup.token)
        .send()
        .expect("staff request");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.bytes().expect("bytes").to_vec()
}

pub fn num(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}
