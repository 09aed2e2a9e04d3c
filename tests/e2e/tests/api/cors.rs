//! CORS preflights are answered for allowed origins only.

use e2e::{Snag, create_project};

use crate::client::http;

#[test]
fn preflight_answers_allowed_origins_only() {
    let snag = Snag::start();
    create_project(
        &snag.data_dir,
        &["--name", "web", "--origin", "https://app.example"],
    );
    // The project cache picks up new projects when an unknown origin or key shows up; give it
    // its one-second reload interval.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let preflight = |origin: &str| {
        http()
            .request(reqwest::Method::OPTIONS, snag.url("/api/v1/reports"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, x-snag-key")
            .send()
            .expect("preflight")
    };
    let allowed = preflight("https://app.example");
    assert_eq!(allowed.status().as_u16(), 204);
    let header = |name: &str| {
        allowed
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(header("access-control-allow-origin"), "https://app.example");
    assert!(header("access-control-allow-headers").contains("x-snag-key"));
    assert!(header("access-control-allow-methods").contains("POST"));

    let refused = preflight("https://evil.example");
    assert_eq!(refused.status().as_u16(), 403);
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
