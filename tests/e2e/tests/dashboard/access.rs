//! Who may see and do what, over HTTP against the real binary: roles, project isolation (also
//! by guessing URLs and ids), CSRF, sign-in limits, sessions, invites, security headers.

use e2e::Options;
use e2e::dashboard::{PASSWORD, Session};
use serde_json::Value;

use crate::support::{World, cli, world};

fn project_id(world: &World, name: &str) -> i64 {
    world
        .snag
        .database()
        .query_row("SELECT id FROM projects WHERE name = ?1", [name], |row| {
            row.get(0)
        })
        .expect("the project")
}

fn status_of(world: &World, defect: &str) -> String {
    world
        .snag
        .database()
        .query_row(
            "SELECT status FROM defects WHERE id = ?1",
            [defect],
            |row| row.get(0),
        )
        .expect("the defect")
}

#[test]
fn viewers_read_but_change_nothing() {
    let world = world(Options::default());
    let defect = World::id(&world.shop, "defect_id");
    let report = World::id(&world.shop, "id");
    let mut vic = Session::login(&world.snag, "vic@shop.example");
    let inbox = vic.get("/app");
    assert!(inbox.body.contains("Pay button does nothing"));
    assert!(
        !inbox.body.contains("id=\"bulk\""),
        "no bulk actions for a viewer"
    );
    let page = vic.get(&format!("/app/defects/{defect}"));
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("status-controls"),
        "no lifecycle controls for a viewer"
    );
    assert_eq!(
        vic.get(&format!("/app/reports/{report}/thumbnail")).status,
        404,
        "no screenshot sent"
    );
    for (path, fields) in [
        (
            format!("/app/defects/{defect}/status"),
            vec![("to", "triaged")],
        ),
        (format!("/app/defects/{defect}/assign-me"), vec![]),
        (
            format!("/app/defects/{defect}/fields"),
            vec![("severity", "blocker"), ("title", "x")],
        ),
        (
            format!("/app/defects/{defect}/comment"),
            vec![("body", "hello")],
        ),
        (
            "/app/bulk".to_owned(),
            vec![("ids", defect.as_str()), ("action", "assign_me")],
        ),
    ] {
        let answer = vic.post(&path, &fields);
        assert_eq!(answer.status, 403, "{path}: a viewer was let through");
    }
    let shop = project_id(&world, "shop");
    assert_eq!(vic.get(&format!("/app/projects/{shop}")).status, 403);
    assert_eq!(
        vic.post(&format!("/app/projects/{shop}/rotate-key"), &[])
            .status,
        403
    );
    assert_eq!(status_of(&world, &defect), "new");
    let comments: i64 = world
        .snag
        .database()
        .query_row("SELECT COUNT(*) FROM comments", [], |row| row.get(0))
        .unwrap();
    assert_eq!(comments, 0);
}

#[test]
fn a_user_of_one_project_never_sees_another() {
    let world = world(Options::default());
    let theirs = World::id(&world.other, "defect_id");
    let their_report = World::id(&world.other, "id");
    let mine = World::id(&world.shop, "defect_id");
    let other = project_id(&world, "other");
    let mut ann = Session::login(&world.snag, "ann@shop.example");

    let inbox = ann.get("/app?status=all");
    assert!(inbox.body.contains("Pay button does nothing"));
    assert!(
        !inbox.body.contains("Secret roadmap"),
        "another project's defect listed"
    );
    let search = ann.get("/app?status=all&q=roadmap");
    assert!(
        !search.body.contains("Secret roadmap"),
        "found through search"
    );
    // Guessed URLs and ids answer as if nothing were there.
    for path in [
        format!("/app/defects/{theirs}"),
        format!("/app/reports/{their_report}/thumbnail"),
        format!("/app/reports/{their_report}/screenshot"),
        format!("/app?project={other}"),
        format!("/app/metrics?project={other}"),
        format!("/app/projects/{other}"),
    ] {
        let page = ann.get(&path);
        assert_eq!(page.status, 404, "{path} answered {}", page.status);
        assert!(!page.body.contains("Secret roadmap"));
    }
    for (path, fields) in [
        (
            format!("/app/defects/{theirs}/status"),
            vec![("to", "triaged")],
        ),
        (
            format!("/app/defects/{theirs}/comment"),
            vec![("body", "peek")],
        ),
        (
            format!("/app/defects/{mine}/merge"),
            vec![("into", theirs.as_str())],
        ),
        (
            "/app/bulk".to_owned(),
            vec![("ids", theirs.as_str()), ("action", "assign_me")],
        ),
    ] {
        assert_eq!(ann.post(&path, &fields).status, 404, "{path}");
    }
    assert_eq!(status_of(&world, &theirs), "new");
    assert_eq!(status_of(&world, &mine), "new");
    // Metrics count only what ann sees.
    let metrics = ann.get("/app/metrics");
    assert!(metrics.body.contains("/checkout/:id/pay") || metrics.body.contains("/checkout"));
    assert!(
        !metrics.body.contains("/roadmap"),
        "another project's page in the metrics"
    );
    // The admin sees both.
    let mut adm = Session::login(&world.snag, "adm@snag.example");
    assert!(adm.get("/app?status=all").body.contains("Secret roadmap"));
    assert_eq!(adm.get(&format!("/app/defects/{theirs}")).status, 200);
}

#[test]
fn forms_without_the_csrf_token_are_refused() {
    let world = world(Options::default());
    let defect = World::id(&world.shop, "defect_id");
    let mut ann = Session::login(&world.snag, "ann@shop.example");
    let path = format!("/app/defects/{defect}/status");
    let missing = ann.post_form(&path, &[("to", "triaged")]);
    assert_eq!(missing.status, 403);
    assert!(
        missing.body.contains("form has expired"),
        "{}",
        missing.body
    );
    let wrong = ann.post_form(
        &path,
        &[
            ("csrf", "forged-token-of-the-right-shape-0123456789ab"),
            ("to", "triaged"),
        ],
    );
    assert_eq!(wrong.status, 403);
    assert_eq!(ann.post_form("/app/logout", &[]).status, 403);
    assert_eq!(status_of(&world, &defect), "new");
    // With the token the same form works.
    assert_eq!(ann.post(&path, &[("to", "triaged")]).status, 303);
    assert_eq!(status_of(&world, &defect), "triaged");
    // The login form has its own token (a cookie and a field that must match).
    let mut stranger = Session::new(&world.snag);
    let forged = stranger.post_form(
        "/app/login",
        &[("email", "ann@shop.example"), ("password", PASSWORD)],
    );
    assert_eq!(forged.status, 403);
}

#[test]
fn sign_in_is_rate_limited_with_a_clear_message() {
    let world = world(Options::default().env("SNAG_DASHBOARD__LOGIN_BURST", 3));
    let mut session = Session::new(&world.snag);
    for _ in 0..3 {
        let answer = session.try_login("ann@shop.example", "wrong password!");
        assert_eq!(answer.status, 401);
        assert!(answer.body.contains("password is wrong"));
    }
    let limited = session.try_login("ann@shop.example", PASSWORD);
    assert_eq!(
        limited.status, 429,
        "the right password is refused too while limited"
    );
    assert!(
        limited.body.contains("Too many sign-in attempts"),
        "{}",
        limited.body
    );
    let wait: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
}

#[test]
fn sessions_cookies_and_headers() {
    let world = world(Options::default());
    let mut anonymous = Session::new(&world.snag);
    let redirect = anonymous.get("/app/metrics");
    assert_eq!(redirect.status, 303);
    assert_eq!(
        redirect.location(),
        Some("/app/login?next=%2Fapp%2Fmetrics")
    );

    let mut ann = Session::new(&world.snag);
    let answer = ann.try_login("ann@shop.example", PASSWORD);
    let cookie = answer.header("set-cookie").expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http here");
    let page = ann.get("/app");
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.header("referrer-policy").is_some());
    assert!(
        page.header("server-timing")
            .is_some_and(|t| t.starts_with("app;dur="))
    );
    assert!(!page.body.contains("style=\""), "no inline style");
    assert!(!page.body.contains("<script>"), "no inline script");
    ann.csrf = page.csrf().unwrap();
    assert_eq!(ann.post("/app/logout", &[]).status, 303);
    assert_eq!(ann.get("/app").status, 303, "signed out");

    // Behind TLS (public_url https) cookies are Secure.
    let tls =
        crate::support::world(Options::default().env("SNAG_PUBLIC_URL", "https://snag.example"));
    let mut user = Session::new(&tls.snag);
    let answer = user.try_login("ann@shop.example", PASSWORD);
    assert!(answer.header("set-cookie").unwrap().contains("Secure"));
}

#[test]
fn an_invite_link_sets_a_password_once() {
    let world = world(Options::default());
    let output = cli(
        &world,
        &[
            "user",
            "create",
            "--email",
            "new@shop.example",
            "--role",
            "viewer",
            "--project",
            "shop",
            "--invite",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = String::from_utf8(output.stdout).unwrap();
    let path = &link[link.find("/app/invite/").expect("an invite link")..]
        .trim()
        .to_owned();
    let mut new = Session::new(&world.snag);
    assert_eq!(new.get(path).status, 200);
    let short = new.post_form(path, &[("password", "short"), ("again", "short")]);
    assert_eq!(short.status, 422);
    let set = new.post_form(
        path,
        &[
            ("password", "a long new password"),
            ("again", "a long new password"),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    assert_eq!(new.get("/app").status, 200, "signed in by the invite");
    assert_eq!(
        Session::new(&world.snag).get(path).status,
        404,
        "the link works once"
    );
    let listed = cli(&world, &["user", "list", "--json"]);
    let users: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 5);
}

#[test]
fn admins_edit_settings_and_rotate_keys() {
    let world = world(Options::default());
    let shop = project_id(&world, "shop");
    let mut adm = Session::login(&world.snag, "adm@snag.example");
    let page = adm.get(&format!("/app/projects/{shop}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&world.shop_key));
    let saved = adm.post(
        &format!("/app/projects/{shop}"),
        &[
            ("origins", "https://shop.example"),
            ("routes", "/checkout/**=checkout\n/cart/**=cart"),
            ("fold_enabled", "on"),
            ("threshold", "0.7"),
            ("scrub", "on"),
            ("scrub_emails", "on"),
            ("sizes", "checkout=12.5\ncart=3"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = adm.get(&format!("/app/projects/{shop}"));
    assert!(page.body.contains("checkout=12.5") && page.body.contains("/cart/**=cart"));
    let bad = adm.post(
        &format!("/app/projects/{shop}"),
        &[("sizes", "checkout=-1")],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(
        adm.post(&format!("/app/projects/{shop}/rotate-key"), &[])
            .status,
        303
    );
    let page = adm.get(&format!("/app/projects/{shop}"));
    assert!(!page.body.contains(&world.shop_key), "the key changed");
    let old = e2e::dashboard::http()
        .post(world.snag.url("/api/v1/reports"))
        .header("X-Snag-Key", &world.shop_key)
        .json(&serde_json::json!({"description": "after rotation"}))
        .send()
        .unwrap();
    assert_eq!(old.status().as_u16(), 401, "the old key no longer works");

    // Component sizes from the command line too.
    let output = cli(
        &world,
        &[
            "project",
            "set",
            "--name",
            "other",
            "--component-size",
            "roadmap=2.5",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("roadmap: 2.5 KLOC"));
}

#[test]
fn metrics_as_json_for_staff_tokens() {
    let world = world(Options::default());
    let token = e2e::create_token(&world.snag.data_dir);
    let response = e2e::dashboard::http()
        .get(world.snag.url("/api/v1/metrics?window=7d&project=shop"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let metrics: Value = response.json().unwrap();
    assert_eq!(metrics["window"], "7d");
    assert_eq!(metrics["volume"].as_array().unwrap().len(), 7);
    let reports: u64 = metrics["volume"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reports"].as_u64().unwrap())
        .sum();
    assert_eq!(reports, 1, "only shop's report");
    assert_eq!(metrics["leakage"]["unknown"], 1);
    assert!(metrics["mttr"].is_null());
    let refused = e2e::dashboard::http()
        .get(world.snag.url("/api/v1/metrics"))
        .send()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let bad = e2e::dashboard::http()
        .get(world.snag.url("/api/v1/metrics?window=2d"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
}
