//! Properties of the parser and the scrubber over generated input: no panics on anything,
//! generated card numbers and e-mail addresses never survive scrubbing, and scrubbing twice
//! changes nothing.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value};
use snag_core::scrub::{ScrubConfig, ScrubSummary, Scrubber};
use snag_core::{Limits, ReportPayload, parse_report};

/// Field names of report payload v1, so generated objects reach validation, not only serde.
const FIELDS: &[&str] = &[
    "description",
    "title",
    "category",
    "steps",
    "expected",
    "actual",
    "reporter",
    "id",
    "email",
    "name",
    "page",
    "url",
    "referrer",
    "client",
    "user_agent",
    "language",
    "timezone",
    "viewport",
    "screen",
    "width",
    "height",
    "pixel_ratio",
    "console",
    "level",
    "message",
    "ts",
    "breadcrumbs",
    "kind",
    "method",
    "status",
    "custom",
    "release",
    "environment",
    "source",
    "screenshot",
    "idempotency_key",
];

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![3 => select(FIELDS).prop_map(str::to_owned), 1 => ".{0,8}"]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            ".{0,24}",
            select(
                &[
                    "bug",
                    "error",
                    "widget",
                    "https://a.example/x",
                    "data:image/png;base64,AAAA"
                ][..]
            )
            .prop_map(str::to_owned),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A report-shaped object: usually a description, then any fields with any values.
fn json_report() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::option::weighted(0.8, ".{0,30}"),
        prop::collection::vec((json_key(), json_value()), 0..8),
    )
        .prop_map(|(description, fields)| {
            let mut object: Map<String, Value> = fields.into_iter().collect();
            if let Some(description) = description {
                object.insert("description".to_owned(), Value::String(description));
            }
            serde_json::to_vec(&Value::Object(object)).expect("a Value serializes")
        })
}

/// Byte edits: delete, insert a JSON-significant byte, overwrite, truncate.
fn mutate(mut bytes: Vec<u8>, edits: &[(Index, u8, u8)]) -> Vec<u8> {
    const SIGNIFICANT: &[u8] = b"{}[]\":,\\ 0-.eE\x00\xff\xc3tfn";
    for (at, op, byte) in edits {
        let len = bytes.len();
        let pos = if len == 0 { 0 } else { at.index(len) };
        match op % 4 {
            0 if len > 0 => {
                bytes.remove(pos);
            }
            1 => bytes.insert(pos, SIGNIFICANT[usize::from(*byte) % SIGNIFICANT.len()]),
            2 if len > 0 => bytes[pos] = *byte,
            _ => bytes.truncate(pos),
        }
    }
    bytes
}

/// Text made of the pieces the detectors react to, so random input reaches their edges.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9]{1,10}",
        2 => select(&[" ", " ", " ", "\n", "=", ": ", "?", "&"][..]).prop_map(str::to_owned),
        3 => select(&[
            " ", " ", "@", ".", "-", "_", ":", "=", "\"", "'", "\\", "/", "?", "&", "#", "%40",
            "://", "\n", "[", "]", ",", ";", "(", ")", "*", "+", "\t",
        ][..]).prop_map(str::to_owned),
        3 => select(&[
            "password", "Token", "api_key", "Bearer ", "basic ", "authorization", "code", "key",
            "eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjM0In0", "sk_live_", "ghp_", "AKIA", "DE89",
            "GB82", "4111", "4111111111111111", "378282246310005", "@example.com", "https://",
            "u:p@", "[redacted]", "[email]", "[card]", "[token]", "[api_key]", "null", "1.2.3",
            "2024-01-05", "dXNlcjpwYXNz", "ABCDEFGHIJKLMNOP", "WEST12345698765432",
        ][..]).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
}

fn scrubber() -> Scrubber {
    Scrubber::new(&ScrubConfig::default())
}

fn scrub(text: &str, summary: &mut ScrubSummary) -> String {
    scrubber()
        .scrub_text(text, summary)
        .unwrap_or_else(|| text.to_owned())
}

/// A Luhn-valid card number with a real issuer prefix, and how it is written.
fn card() -> impl Strategy<Value = (String, String)> {
    let prefixes = &[
        "4", "51", "52", "53", "54", "55", "2221", "2720", "34", "37", "6011", "65", "35", "36",
        "62",
    ][..];
    (
        select(prefixes),
        13usize..=19,
        prop::collection::vec(0u8..10, 19),
        prop::collection::vec(3usize..=6, 6),
        prop::collection::vec(select(&[' ', '-'][..]), 6),
        any::<bool>(),
    )
        .prop_map(|(prefix, len, random, sizes, separators, grouped)| {
            let mut digits: Vec<u8> = prefix.bytes().map(|b| b - b'0').collect();
            digits.extend(random.iter().take(len - 1 - digits.len()));
            digits.push(luhn_check_digit(&digits));
            let plain: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            if !grouped {
                return (plain.clone(), plain);
            }
            let mut written = String::new();
            let mut rest = plain.as_str();
            for (size, separator) in sizes.iter().zip(&separators) {
                if rest.len() <= *size {
                    break;
                }
                written.push_str(&rest[..*size]);
                written.push(*separator);
                rest = &rest[*size..];
            }
            written.push_str(rest);
            (plain, written)
        })
}

fn luhn_check_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = u32::from(d);
            if k % 2 == 0 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).expect("a digit")
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z0-9][a-z0-9._%+-]{0,15}",
        prop::collection::vec("[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,4})?", 1..3),
        "[a-z]{2,6}",
        any::<bool>(),
    )
        .prop_map(|(local, labels, tld, upper)| {
            let address = format!("{local}@{}.{tld}", labels.join("."));
            if upper {
                address.to_uppercase()
            } else {
                address
            }
        })
}

/// What may sit right before and after an embedded value: never a letter, digit, `@` or a
/// joining `-`, which would make the value part of something longer.
fn before() -> impl Strategy<Value = &'static str> {
    select(&[" ", "\n", " (", ": ", "\"", " card ", "<", "mailto:", "\t"][..])
}

fn after() -> impl Strategy<Value = &'static str> {
    select(&[" ", ") ", ". ", ", ", "\n", "\"", "!", ">", "?"][..])
}

// The default 256 cases run in well under a second; `PROPTEST_CASES=100000` for a long hunt.
proptest! {
    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_report(&bytes, &Limits::default());
    }

    #[test]
    fn parsing_mutated_json_never_panics(
        json in json_report(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 0..4),
    ) {
        let bytes = mutate(json, &edits);
        if let Ok(report) = parse_report(&bytes, &Limits::default()) {
            // What is accepted serializes and reads back the same.
            let again: ReportPayload = serde_json::from_slice(&serde_json::to_vec(&report).unwrap()).unwrap();
            prop_assert_eq!(again.description, report.description);
        }
    }

    #[test]
    fn scrubbing_never_panics(text in any::<String>(), tricky in tricky_text()) {
        for text in [&text, &tricky] {
            let mut summary = ScrubSummary::default();
            let out = scrubber().scrub_text(text, &mut summary);
            prop_assert_eq!(out.is_some(), !summary.is_empty());
            let _ = scrubber().scrub_url(text, &mut summary);
        }
    }

    #[test]
    fn card_numbers_never_survive(
        (plain, written) in card(),
        head in tricky_text(),
        tail in tricky_text(),
        open in before(),
        close in after(),
    ) {
        let text = format!("{head}{open}{written}{close}{tail}");
        let out = scrub(&text, &mut ScrubSummary::default());
        prop_assert!(!out.contains(&plain), "{out}");
        prop_assert!(!out.contains(&written), "{out}");
    }

    #[test]
    fn email_addresses_never_survive(
        address in email(),
        head in tricky_text(),
        tail in tricky_text(),
        open in before(),
        close in after(),
    ) {
        let text = format!("{head}{open}{address}{close}{tail}");
        let out = scrub(&text, &mut ScrubSummary::default());
        prop_assert!(!out.contains(&address), "{out}");
    }

    #[test]
    fn scrubbing_is_idempotent(text in any::<String>(), tricky in tricky_text()) {
        for text in [&text, &tricky] {
            let once = scrub(text, &mut ScrubSummary::default());
            let mut second = ScrubSummary::default();
            let twice = scrubber().scrub_text(&once, &mut second);
            prop_assert_eq!(twice, None, "{:?} -> {:?}", text, once);
            prop_assert!(second.is_empty());

            let once = scrubber().scrub_url(text, &mut ScrubSummary::default()).unwrap_or_else(|| text.clone());
            let mut second = ScrubSummary::default();
            prop_assert_eq!(scrubber().scrub_url(&once, &mut second), None, "{:?} -> {:?}", text, once);
            prop_assert!(second.is_empty());
        }
    }

    #[test]
    fn scrubbing_a_report_is_idempotent(texts in prop::collection::vec(tricky_text(), 6)) {
        let mut report = ReportPayload {
            description: Some(texts[0].clone()),
            title: Some(texts[1].clone()),
            steps: Some(texts[2].clone()),
            custom: [("password".to_owned(), texts[3].clone()), ("note".to_owned(), texts[4].clone())].into(),
            page: Some(snag_core::Page { url: Some(texts[5].clone()), ..Default::default() }),
            ..ReportPayload::default()
        };
        scrubber().scrub_report(&mut report);
        let scrubbed = report.clone();
        prop_assert!(scrubber().scrub_report(&mut report).is_empty());
        prop_assert_eq!(report, scrubbed);
    }
}
