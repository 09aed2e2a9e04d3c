//! Real user agents, as sent by the browsers in the last year, through the uap-core rules.

use std::sync::LazyLock;

use snag_enrich::{ClientInfo, UserAgentParser};

/// Compiling the rules is the costly part; the tests share one parser as the server does.
static PARSER: LazyLock<UserAgentParser> =
    LazyLock::new(|| UserAgentParser::embedded().expect("embedded rules load"));

fn parse(user_agent: &str) -> ClientInfo {
    PARSER.parse(user_agent)
}

fn owned(value: &str) -> Option<String> {
    Some(value.to_owned())
}

#[test]
fn chrome_on_windows_10() {
    let info = parse(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/124.0.0.0 Safari/537.36",
    );
    assert_eq!(info.browser, owned("Chrome"));
    assert_eq!(info.browser_version, owned("124.0.0.0"));
    assert_eq!(info.os, owned("Windows"));
    assert_eq!(info.os_version, owned("10"));
    // A desktop has no device in uap's terms ("Other").
    assert_eq!(info.device, None);
    assert_eq!(info.device_brand, None);
    assert_eq!(info.device_model, None);
}

#[test]
fn firefox_on_ubuntu() {
    let info =
        parse("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
    assert_eq!(info.browser, owned("Firefox"));
    assert_eq!(info.browser_version, owned("125.0"));
    assert_eq!(info.os, owned("Ubuntu"));
    assert_eq!(info.device, None);
}

#[test]
fn safari_on_iphone_ios_17() {
    let info = parse(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 \
         (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    );
    assert_eq!(info.browser, owned("Mobile Safari"));
    assert_eq!(info.browser_version, owned("17.4.1"));
    assert_eq!(info.os, owned("iOS"));
    assert_eq!(info.os_version, owned("17.4.1"));
    assert_eq!(info.device, owned("iPhone"));
    assert_eq!(info.device_brand, owned("Apple"));
    assert_eq!(info.device_model, owned("iPhone"));
}

#[test]
fn samsung_internet_on_android_names_the_model() {
    let info = parse(
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) \
         SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    );
    assert_eq!(info.browser, owned("Samsung Internet"));
    assert_eq!(info.browser_version, owned("24.0"));
    assert_eq!(info.os, owned("Android"));
    assert_eq!(info.os_version, owned("13"));
    assert_eq!(info.device_brand, owned("Samsung"));
    assert_eq!(info.device_model, owned("SM-S911B"));
    assert_eq!(info.device, owned("Samsung SM-S911B"));
}

#[test]
fn edge_is_not_mistaken_for_chrome() {
    let info = parse(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    );
    assert_eq!(info.browser, owned("Edge"));
    assert_eq!(info.browser_version, owned("124.0.2478.80"));
    assert_eq!(info.os, owned("Windows"));
}

#[test]
fn a_crawler_is_a_spider() {
    let info = parse("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    assert_eq!(info.browser, owned("Googlebot"));
    assert_eq!(info.browser_version, owned("2.1"));
    assert_eq!(info.device, owned("Spider"));
}

#[test]
fn garbage_and_empty_strings_are_unknown_not_a_panic() {
    for user_agent in [
        "",
        " ",
        "asdf qwerty 12345",
        "\u{0}\u{fffd}\u{1F600}",
        &"(".repeat(1_000),
    ] {
        assert_eq!(parse(user_agent), ClientInfo::default(), "{user_agent:?}");
    }
}

#[test]
fn cached_and_uncached_parses_agree() {
    let user_agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
    let first = parse(user_agent);
    let second = parse(user_agent);
    assert_eq!(first, second);
    assert_eq!(first, PARSER.parse_uncached(user_agent));
    assert_eq!(first.browser, owned("Safari"));
    assert_eq!(first.os, owned("Mac OS X"));
}

#[test]
fn client_info_round_trips_through_json() {
    let info = parse("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
    let json = serde_json::to_string(&info).expect("serialize");
    let back: ClientInfo = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, info);
}
