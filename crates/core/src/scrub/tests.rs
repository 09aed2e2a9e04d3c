//! End-to-end examples of `scrub_text`, `scrub_url` and `scrub_report`, one block per kind,
//! with the look-alikes that must stay.

use super::{ScrubConfig, ScrubKind, ScrubSummary, Scrubber};
use crate::payload::{
    Breadcrumb, BreadcrumbKind, Client, ConsoleEntry, ConsoleLevel, Page, ReportPayload, Reporter,
};
use crate::test_prelude::*;

fn scrubber() -> Scrubber {
    Scrubber::new(&ScrubConfig::default())
}

/// The scrubbed text (the input when nothing was found) and the summary.
fn scrub(text: &str) -> (String, ScrubSummary) {
    let mut summary = ScrubSummary::default();
    let out = scrubber()
        .scrub_text(text, &mut summary)
        .unwrap_or_else(|| text.to_owned());
    (out, summary)
}

fn scrubbed(text: &str) -> String {
    scrub(text).0
}

fn url(text: &str) -> (String, ScrubSummary) {
    let mut summary = ScrubSummary::default();
    let out = scrubber()
        .scrub_url(text, &mut summary)
        .unwrap_or_else(|| text.to_owned());
    (out, summary)
}

fn counts(pairs: &[(ScrubKind, u32)]) -> ScrubSummary {
    ScrubSummary::from_counts(pairs.iter().copied())
}

fn assert_untouched(text: &str) {
    let mut summary = ScrubSummary::default();
    assert_eq!(scrubber().scrub_text(text, &mut summary), None, "{text}");
    assert!(summary.is_empty());
}

#[test]
fn emails() {
    let (out, summary) =
        scrub("Contact jane.doe+bugs@example.co.uk or JOHN_SMITH@Mail.Example.COM.");
    assert_eq!(out, "Contact [email] or [email].");
    assert_eq!(summary, counts(&[(ScrubKind::Email, 2)]));
    assert_eq!(
        scrubbed("<a href=\"mailto:x@y.io\">"),
        "<a href=\"mailto:[email]\">"
    );
    assert_eq!(
        scrubbed("GET /api/users?email=ann%40corp.example 404"),
        "GET /api/users?email=[email] 404"
    );
    // No dot in the domain: an intranet name or a package spec, not worth the false alarms.
    for text in [
        "user@localhost",
        "npm i lodash@4.17.21",
        "import x from '@scope/pkg'",
        "GET /img/logo@2x.png 404",
        "@@@@@@",
        "a@b",
        "a@.com",
    ] {
        assert_untouched(text);
    }
}

#[test]
fn card_numbers() {
    let (out, summary) =
        scrub("paid with 4111 1111 1111 1111, then 5500-0055-5555-5559 and 378282246310005.");
    assert_eq!(out, "paid with [card], then [card] and [card].");
    assert_eq!(summary, counts(&[(ScrubKind::CardNumber, 3)]));
    assert_eq!(
        scrubbed("card=6011111111111117&exp=12/29"),
        "card=[card]&exp=12/29"
    );
    for text in [
        "order 4111111111111112 failed",        // Luhn fails
        "at 1714000000003 ms",                  // a timestamp
        "build 20240105123456789",              // too long
        "id a4111111111111111",                 // glued to a word
        "price 0.4111111111111111",             // a fraction
        "2024-01-05T12:30:00Z",                 // a date
        "550e8400-e29b-41d4-a716-446655440000", // a UUID
        "version 1.2.3",
        "call +1 555 123 4567",
    ] {
        assert_untouched(text);
    }
}

#[test]
fn ibans() {
    let (out, summary) = scrub("IBAN DE89 3704 0044 0532 0130 00, or gb82west12345698765432.");
    assert_eq!(out, "IBAN [iban], or [iban].");
    assert_eq!(summary, counts(&[(ScrubKind::Iban, 2)]));
    assert_untouched("IBAN DE88 3704 0044 0532 0130 00"); // bad check digits
    assert_untouched("see RFC2616 section AB12CD34EF56GH78");
}

#[test]
fn tokens() {
    let jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let (out, summary) = scrub(&format!("Authorization: Bearer {jwt}\nid_token {jwt}"));
    assert_eq!(out, "Authorization: Bearer [token]\nid_token [jwt]");
    assert_eq!(
        summary,
        counts(&[(ScrubKind::BearerToken, 1), (ScrubKind::Jwt, 1)])
    );
    assert_eq!(
        scrubbed("curl -H 'authorization: basic dXNlcjpwYXNz'"),
        "curl -H 'authorization: basic [token]'"
    );
    let (out, summary) = scrub(
        "STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc GH ghp_16C7e42F292c6912E7710c838347Ae178B4a AKIAIOSFODNN7EXAMPLE",
    );
    assert_eq!(out, "STRIPE=[api_key] GH [api_key] [api_key]");
    assert_eq!(summary, counts(&[(ScrubKind::ApiKey, 3)]));
    for text in [
        "Authorization: Bearer undefined",
        "the bearer described it",
        "sk_live_...",
        "Basic information",
        "snag_pk_abcdefghijklmnopqrstuvwx",
    ] {
        assert_untouched(text);
    }
}

#[test]
fn secret_assignments() {
    let cases = [
        (
            "login failed password=hunter2 user=ann",
            "login failed password=[redacted] user=ann",
        ),
        ("Password: hunter2", "Password: [redacted]"),
        (
            r#"{"user":"ann","password":"hun ter\"2","remember":true}"#,
            r#"{"user":"ann","password":"[redacted]","remember":true}"#,
        ),
        (
            r#"body: {\"apiKey\":\"abc\"}"#,
            r#"body: {\"apiKey\":\"[redacted]\"}"#,
        ),
        ("DB_PASSWORD = 'x y z'", "DB_PASSWORD = '[redacted]'"),
        ("--client-secret=s3cr3t.", "--client-secret=[redacted]."),
        (
            "Authorization: Token 9944b09199c62bcf",
            "Authorization: [redacted]",
        ),
        (
            "session=4f9a2c81d3; theme=dark",
            "session=[redacted]; theme=dark",
        ),
        ("pin: 1234 5678 done", "pin: 1234 5678 done"),
        ("token: 1234 5678 done", "token: [redacted] done"),
    ];
    for (text, want) in cases {
        assert_eq!(scrubbed(text), want, "{text}");
    }
    let (_, summary) = scrub("password=a secret=b");
    assert_eq!(summary, counts(&[(ScrubKind::SecretAssignment, 2)]));
    for text in [
        "Error code: 500",
        "key: Enter",
        "session: expired",
        "password: null",
        "token=undefined",
        "pwd=****",
        "if (token == null)",
        "x != token",
        "password is required",
        "passwordless: true",
        "monkey=banana",
        "keyboard: qwerty",
        "Password::hash(x)",
        "password=",
        "password: \"\"",
    ] {
        assert_untouched(text);
    }
}

#[test]
fn urls() {
    let (out, summary) =
        url("https://app.example/cb?code=4/0AX4X&state=abc&access_token=ya29.a0#id_token=xyz&x=1");
    assert_eq!(
        out,
        "https://app.example/cb?code=[redacted]&state=abc&access_token=[redacted]#id_token=[redacted]&x=1"
    );
    assert_eq!(summary, counts(&[(ScrubKind::UrlSecret, 3)]));
    let (out, _) = url("https://ann:pa55w0rd@git.example/repo?API_KEY=k&sig=a%2Fb");
    assert_eq!(
        out,
        "https://ann:[redacted]@git.example/repo?API_KEY=[redacted]&sig=[redacted]"
    );
    // The host stays even when it reads like an address; the path is still scrubbed.
    let (out, _) = url("https://ann@example.com/users/bob@example.org/edit?key=Enter");
    assert_eq!(
        out,
        "https://ann@example.com/users/[email]/edit?key=[redacted]"
    );
    let (out, _) = url("https://app.example/#/reset?token=abc&email=ann%40corp.example");
    assert_eq!(
        out,
        "https://app.example/#/reset?token=[redacted]&email=[email]"
    );
    let (out, _) = url("/relative/path?password=x");
    assert_eq!(out, "/relative/path?password=[redacted]");
    let mut summary = ScrubSummary::default();
    for same in [
        "https://app.example/a/b?page=2&sort=name#top",
        "https://app.example/?token=[redacted]",
        "",
    ] {
        assert_eq!(scrubber().scrub_url(same, &mut summary), None, "{same}");
    }
    assert!(summary.is_empty());
    // In free text a URL's password is found from its `://`.
    assert_eq!(
        scrubbed("connect postgres://app:s3cret@db:5432/app failed"),
        "connect postgres://app:[redacted]@db:5432/app failed"
    );
}

#[test]
fn extra_keys_and_switches() {
    let config = ScrubConfig {
        extra_secret_keys: vec!["tenant-pin".into()],
        ..ScrubConfig::default()
    };
    let mut summary = ScrubSummary::default();
    let out = Scrubber::new(&config).scrub_text("tenantPin: 1234", &mut summary);
    assert_eq!(out.as_deref(), Some("tenantPin: [redacted]"));
    let text = "a@b.example 4111111111111111 DE89370400440532013000 Bearer abc123def456 password=x";
    let only = |config: ScrubConfig| {
        let mut summary = ScrubSummary::default();
        let out = Scrubber::new(&config)
            .scrub_text(text, &mut summary)
            .unwrap_or_else(|| text.into());
        (
            out,
            summary.counts().map(|(kind, _)| kind).collect::<Vec<_>>(),
        )
    };
    let none = ScrubConfig {
        emails: false,
        card_numbers: false,
        ibans: false,
        tokens: false,
        secrets: false,
        ..ScrubConfig::default()
    };
    assert_eq!(only(none.clone()).0, text);
    assert_eq!(
        only(ScrubConfig {
            emails: true,
            ..none.clone()
        })
        .1,
        [ScrubKind::Email]
    );
    assert_eq!(
        only(ScrubConfig {
            card_numbers: true,
            ..none.clone()
        })
        .1,
        [ScrubKind::CardNumber]
    );
    assert_eq!(
        only(ScrubConfig {
            ibans: true,
            ..none.clone()
        })
        .1,
        [ScrubKind::Iban]
    );
    assert_eq!(
        only(ScrubConfig {
            tokens: true,
            ..none.clone()
        })
        .1,
        [ScrubKind::BearerToken]
    );
    assert_eq!(
        only(ScrubConfig {
            secrets: true,
            ..none.clone()
        })
        .1,
        [ScrubKind::SecretAssignment]
    );
    let off = ScrubConfig {
        enabled: false,
        ..ScrubConfig::default()
    };
    assert_eq!(only(off).0, text);
}

#[test]
fn scrubbing_twice_finds_nothing_new() {
    let text = "mail a@b.co-4111111111111111, password=\"x\" Bearer abc123def456 https://u:p@h.example/?sig=1 \
                eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig DE89370400440532013000";
    let (once, first) = scrub(text);
    assert!(first.total() >= 7, "{first:?}");
    assert_eq!(
        scrubber().scrub_text(&once, &mut ScrubSummary::default()),
        None,
        "{once}"
    );
}

#[test]
fn summaries_serialize_as_a_map_of_counts() {
    let summary = counts(&[(ScrubKind::Email, 2), (ScrubKind::CardNumber, 1)]);
    let json = serde_json::to_string(&summary).unwrap();
    assert_eq!(json, r#"{"email":2,"card_number":1}"#);
    assert_eq!(
        serde_json::from_str::<ScrubSummary>(&json).unwrap(),
        summary
    );
    assert_eq!(summary.total(), 3);
    let mut merged = summary.clone();
    merged.merge(&summary);
    assert_eq!(merged.get(ScrubKind::Email), 4);
    assert!(ScrubSummary::default().is_empty());
    for kind in ScrubKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}

#[test]
fn config_defaults_on_and_reads_partial_settings() {
    let config: ScrubConfig =
        serde_json::from_str(r#"{"emails": false, "extra_secret_keys": ["pin"]}"#).unwrap();
    assert!(config.enabled && !config.emails && config.card_numbers && config.secrets);
    assert_eq!(config.extra_secret_keys, ["pin"]);
    assert_eq!(
        serde_json::from_str::<ScrubConfig>("{}").unwrap(),
        ScrubConfig::default()
    );
}

fn report() -> ReportPayload {
    ReportPayload {
        description: Some(
            "Charged twice on 4111 1111 1111 1111, mail me at ann@corp.example".into(),
        ),
        title: Some("Refund for ann@corp.example".into()),
        steps: Some("log in with password=hunter2".into()),
        expected: Some("one charge".into()),
        actual: Some("IBAN DE89370400440532013000 debited".into()),
        reporter: Some(Reporter {
            email: Some("ann@corp.example".into()),
            ..Reporter::default()
        }),
        page: Some(Page {
            url: Some("https://shop.example/checkout?session=abc&step=2".into()),
            title: Some("Checkout – ann@corp.example".into()),
            referrer: Some("https://mail.example/?token=t0k".into()),
        }),
        client: Some(Client {
            user_agent: Some("Mozilla/5.0 (ann@corp.example)".into()),
            ..Client::default()
        }),
        console: vec![ConsoleEntry {
            level: ConsoleLevel::Error,
            message: "POST /pay failed: Authorization: Bearer abc123def456ghi".into(),
            ts: None,
        }],
        breadcrumbs: vec![Breadcrumb {
            kind: BreadcrumbKind::Request,
            message: Some("sent to bob@corp.example".into()),
            url: Some("https://api.example/v1/pay?api_key=k1".into()),
            method: Some("POST".into()),
            status: Some(500),
            ts: None,
        }],
        custom: crate::CustomFields::from([
            ("plan".to_owned(), "pro".to_owned()),
            ("apiToken".to_owned(), "anything at all".to_owned()),
            ("note".to_owned(), "call 4111111111111111".to_owned()),
        ]),
        idempotency_key: Some("k-ann@corp.example".into()),
        ..ReportPayload::default()
    }
}

#[test]
fn reports_are_scrubbed_field_by_field() {
    let mut report = report();
    let summary = scrubber().scrub_report(&mut report);
    assert_eq!(
        report.description.as_deref(),
        Some("Charged twice on [card], mail me at [email]")
    );
    assert_eq!(report.title.as_deref(), Some("Refund for [email]"));
    assert_eq!(
        report.steps.as_deref(),
        Some("log in with password=[redacted]")
    );
    assert_eq!(report.expected.as_deref(), Some("one charge"));
    assert_eq!(report.actual.as_deref(), Some("IBAN [iban] debited"));
    let page = report.page.as_ref().unwrap();
    assert_eq!(
        page.url.as_deref(),
        Some("https://shop.example/checkout?session=[redacted]&step=2")
    );
    assert_eq!(page.title.as_deref(), Some("Checkout – [email]"));
    assert_eq!(
        page.referrer.as_deref(),
        Some("https://mail.example/?token=[redacted]")
    );
    assert_eq!(
        report.console[0].message,
        "POST /pay failed: Authorization: Bearer [token]"
    );
    assert_eq!(
        report.breadcrumbs[0].message.as_deref(),
        Some("sent to [email]")
    );
    assert_eq!(
        report.breadcrumbs[0].url.as_deref(),
        Some("https://api.example/v1/pay?api_key=[redacted]")
    );
    assert_eq!(report.custom["plan"], "pro");
    assert_eq!(report.custom["apiToken"], "[redacted]");
    assert_eq!(report.custom["note"], "call [card]");
    // Left alone on purpose.
    let original = self::report();
    assert_eq!(report.reporter, original.reporter);
    assert_eq!(report.client, original.client);
    assert_eq!(report.idempotency_key, original.idempotency_key);
    assert_eq!(
        summary,
        counts(&[
            (ScrubKind::Email, 4),
            (ScrubKind::CardNumber, 2),
            (ScrubKind::Iban, 1),
            (ScrubKind::BearerToken, 1),
            (ScrubKind::UrlSecret, 3),
            (ScrubKind::SecretAssignment, 2),
        ])
    );
    let again = scrubber().scrub_report(&mut report);
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_disabled_scrubber_changes_nothing() {
    let scrubber = Scrubber::new(&ScrubConfig {
        enabled: false,
        ..ScrubConfig::default()
    });
    let mut report = report();
    assert!(scrubber.scrub_report(&mut report).is_empty());
    assert_eq!(report, self::report());
    assert_eq!(
        scrubber.scrub_url("https://u:p@h/?token=x", &mut ScrubSummary::default()),
        None
    );
}

#[test]
fn nothing_found_means_no_allocation_and_no_change() {
    let text = "The checkout button does nothing after I pick PayPal; version 1.2.3 on 2024-01-05.";
    assert_untouched(text);
    assert_untouched("");
    assert_untouched("ünïcödé ✓ 😀 text: with = separators @ and 12:30");
}

/// Inputs built to make a careless scanner quadratic: every `@`, `%40`, `:`, `=`, `eyJ` or
/// prefix in them starts a look that must not run over the others. Unoptimized, a linear scan
/// of all of them takes under a second, a quadratic one several seconds for each input.
#[test]
fn adversarial_input_takes_linear_time() {
    let n = 100_000;
    let inputs = [
        "@".repeat(n),
        "a%40".repeat(n / 4),
        "a".repeat(n / 2) + &"%40".repeat(n / 6),
        "a.".repeat(n / 2) + "@",
        "code:".repeat(n / 5),
        "code:\"".to_owned() + &"code:a".repeat(n / 6) + "\"",
        "key=".repeat(n / 4),
        "password=\"[redacted]".to_owned() + &"pwd=[redacted]".repeat(n / 14),
        "eyJaaaaaaaaaaa-".repeat(n / 15),
        "eyJaaaaaaaaaaa.".repeat(n / 15),
        "AIza-".repeat(n / 5),
        "4 ".repeat(n / 2),
        "4111-".repeat(n / 5),
        ":".repeat(n) + &"=".repeat(n),
        "x://".repeat(n / 4),
        "x://a".to_owned() + &"@".repeat(n),
        "basic a+".repeat(n / 8),
        "authorization: x ".repeat(n / 17),
        "DE89 ".repeat(n / 5),
        "token:'".repeat(n / 7),
        "password:".to_owned() + &" ".repeat(n),
    ];
    let scrubber = scrubber();
    let started = std::time::Instant::now();
    for input in &inputs {
        scrubber.scrub_text(input, &mut ScrubSummary::default());
        scrubber.scrub_url(input, &mut ScrubSummary::default());
    }
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

#[test]
fn a_summary_serializes_as_a_map_of_the_kinds_counted() {
    for (i, kind) in ScrubKind::ALL.into_iter().enumerate() {
        assert_eq!(kind as usize, i, "ALL is in declaration order");
    }
    let mut summary = counts(&[(ScrubKind::CardNumber, 1), (ScrubKind::Email, 2)]);
    let json = serde_json::to_string(&summary).expect("json");
    assert_eq!(json, r#"{"email":2,"card_number":1}"#);
    let back: ScrubSummary = serde_json::from_str(&json).expect("read");
    assert_eq!(back, summary);
    assert_eq!(
        serde_json::to_string(&ScrubSummary::default()).expect("json"),
        "{}"
    );
    summary.merge(&counts(&[(ScrubKind::Email, u32::MAX)]));
    assert_eq!(summary.get(ScrubKind::Email), u32::MAX, "counts saturate");
    assert_eq!(summary.total(), u32::MAX);
    assert!(serde_json::from_str::<ScrubSummary>(r#"{"nope":1}"#).is_err());
}
