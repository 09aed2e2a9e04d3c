//! Ticket inputs: a realistic one, and a hostile one.

use snag_connectors::{
    BreadcrumbLine, ConsoleLine, DefectInfo, ReportInfo, Screenshot, TicketInput,
};
use snag_core::{
    Category, ConsoleLevel, CustomFields, DefectId, Priority, ReportId, Severity, Status, Timestamp,
};

pub const DEFECT: &str = "0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11";
pub const REPORT: &str = "0192f0c4-7b1f-7d00-8e2a-5c6d7e8f9a0b";
pub const LATER_REPORT: &str = "0192f0c5-0000-7000-8000-000000000001";

/// A tiny valid PNG (1×1, transparent).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

pub fn defect_id() -> DefectId {
    DefectId::parse(DEFECT).expect("defect id")
}

pub fn checkout() -> TicketInput {
    TicketInput {
        defect: DefectInfo {
            id: defect_id(),
            title: "Pay button does nothing on checkout".into(),
            status: Status::New,
            severity: Some(Severity::Critical),
            priority: None,
            component: Some("checkout".into()),
            route: Some("/checkout/:id/pay".into()),
            category: Some(Category::Bug),
            environment: Some("production".into()),
            report_count: 1,
            first_seen: Timestamp(1_795_684_660_123),
            last_seen: Timestamp(1_795_684_660_123),
        },
        report: ReportInfo {
            id: ReportId::parse(REPORT).expect("report id"),
            title: Some("Pay button does nothing on checkout".into()),
            description: "I filled in my card and clicked Pay. Nothing happened, no error.\nTried twice.".into(),
            steps: Some("1. Add a pair of shoes to the cart\n2. Go to checkout\n3. Click Pay".into()),
            expected: Some("The order is placed and I see a confirmation.".into()),
            actual: Some("The button spins for a second and nothing happens.".into()),
            page_url: Some("https://shop.example.com/checkout/8812/pay".into()),
            page_title: Some("Checkout – Example Shop".into()),
            reporter_name: Some("Dana Reporter".into()),
            reporter_email: None,
            browser: Some("Firefox 128".into()),
            os: Some("Windows 11".into()),
            device: Some("Desktop".into()),
            console: vec![
                ConsoleLine {
                    level: ConsoleLevel::Error,
                    message: "TypeError: Cannot read properties of undefined (reading 'token')\n    at pay (checkout.js:120:18)".into(),
                },
                ConsoleLine {
                    level: ConsoleLevel::Log,
                    message: "analytics loaded".into(),
                },
            ],
            breadcrumbs: vec![
                BreadcrumbLine::Navigation {
                    url: "https://shop.example.com/cart".into(),
                },
                BreadcrumbLine::Click {
                    target: "button#pay".into(),
                },
                BreadcrumbLine::FailedRequest {
                    method: "POST".into(),
                    url: "/api/payments".into(),
                    status: 502,
                },
            ],
            custom: CustomFields::from([("plan".to_owned(), "pro".to_owned())]),
            release: Some("web@2026.11.3".into()),
            environment: Some("production".into()),
            screenshot: Some(Screenshot {
                bytes: PNG.to_vec(),
                media_type: "image/png".into(),
                filename: format!("snag-{REPORT}.png"),
                url: Some(format!(
                    "https://snag.example.com/api/v1/reports/{REPORT}/screenshot?sig=abc123"
                )),
            }),
            fold: None,
        },
        snag_url: format!("https://snag.example.com/defects/{DEFECT}"),
    }
}

/// A later report that joined the defect.
pub fn later_report() -> TicketInput {
    let mut input = checkout();
    input.defect.report_count = 2;
    input.defect.priority = Some(Priority::P1);
    input.report.id = ReportId::parse(LATER_REPORT).expect("report id");
    input.report.title = Some("Checkout broken".into());
    input.report.description = "Same here, Pay does nothing on Safari.".into();
    input.report.steps = None;
    input.report.browser = Some("Safari 18".into());
    input.report.os = Some("macOS 15".into());
    input.report.reporter_name = None;
    input.report.screenshot = None;
    input.report.fold = Some(snag_core::FoldMatch {
        defect: defect_id(),
        score: 0.82,
        threshold: 0.5,
        signals: vec![
            snag_core::Signal {
                kind: snag_core::SignalKind::Text,
                weight: 0.4,
                similarity: Some(0.71),
            },
            snag_core::Signal {
                kind: snag_core::SignalKind::Route,
                weight: 0.3,
                similarity: None,
            },
        ],
    });
    input
}

/// Everything a hostile or careless reporter can send, at a size the snapshot can hold.
pub fn hostile() -> TicketInput {
    let mut input = checkout();
    input.defect.title =
        "<script>alert(1)</script> @channel [click](javascript:alert(1)) #1\nsecond line".into();
    input.report.description = [
        "<script>alert('xss')</script>",
        "<!-- hidden comment --> <img src=x onerror=alert(1)>",
        "[Reset your password](https://evil.example/phish) ![pixel](https://evil.example/t.png)",
        "@channel @here <!channel> <@U024BE7LH> cc @acme/security see #12 and GH-7",
        "# Not a heading",
        "- not a list",
        "```",
        "| a | b |",
        "**bold** _em_ ~~strike~~ `code` \\ backslash",
        "\u{0000}NUL and \u{001b}[31mANSI\u{001b}[0m",
    ]
    .join("\n");
    input.report.steps =
        Some("1. <b>Open</b> [the page](javascript:void(0))\n2. Type `@everyone`".into());
    input.report.page_url = Some("javascript:alert(document.cookie)".into());
    input.report.reporter_name = Some("<@U024BE7LH> ]]> @here".into());
    input.report.console = vec![ConsoleLine {
        level: ConsoleLevel::Error,
        message: "``` closing the fence\n<script>alert(1)</script>".into(),
    }];
    input.report.custom =
        CustomFields::from([("<b>key</b>".to_owned(), "| pipe | value |".to_owned())]);
    input
}

/// A report far over every tracker's limits.
pub fn huge() -> TicketInput {
    let mut input = checkout();
    input.defect.title = "Huge ".repeat(200);
    input.report.description = "All work and no play makes Jack a dull boy. ".repeat(2_400);
    input.report.steps = Some("step ".repeat(5_000));
    input.report.console = (0..100)
        .map(|i| ConsoleLine {
            level: ConsoleLevel::Error,
            message: format!("error {i}: {}", "x".repeat(8_000)),
        })
        .collect();
    input.report.custom = (0..50)
        .map(|i| (format!("key{i}"), "v".repeat(2_000)))
        .collect();
    input
}
