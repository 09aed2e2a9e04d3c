//! User agent → browser, OS and device, from the uap-core rules.
//!
//! The rules (`data/uap-core/regexes.yaml`, Apache-2.0, see the LICENSE beside it) are
//! embedded at compile time, so a server binary never depends on a file at run time.
//!
//! Cost, measured in release on the 2-core VM (`cargo bench -p snag-enrich --bench screenshot`):
//! building the extractor (reading the YAML and compiling its ~1,200 regexes with their
//! prefilters) takes 100–150 ms, so it is done once at start-up and shared; an uncached parse
//! takes 6–15 µs (desktop Chrome 6, Googlebot 8, iPhone Safari 10), a cached one 0.16 µs. A
//! project's reports repeat a few hundred distinct user agents, so nearly every parse is a
//! cache hit.

use std::convert::Infallible;

use quick_cache::sync::Cache;
use serde::{Deserialize, Serialize};
use ua_parser::{Extractor, Regexes};

/// The uap-core rules, read once when the parser is built.
const RULES: &str = include_str!("../data/uap-core/regexes.yaml");

/// Distinct user agents kept parsed. Validation caps a user agent at `max_short_chars`
/// (1,000 by default), so the cache holds at most ~10 MB even when every entry is a
/// maximal, unique string sent to churn it.
const CACHE_ENTRIES: usize = 10_000;

/// The family uap-core answers when no rule matched: it means "unknown".
const UNKNOWN: &str = "Other";

/// What a user agent string says about the reporter's browser, OS and device.
/// Every field is `None` when the rules do not recognise it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device: Option<String>,
    pub device_brand: Option<String>,
    pub device_model: Option<String>,
}

/// The embedded rules could not be loaded. This is a build defect, not bad input: the
/// server should refuse to start rather than serve reports without enrichment.
#[derive(Debug, thiserror::Error)]
pub enum UserAgentError {
    #[error("the embedded uap-core rules (data/uap-core/regexes.yaml) are not valid YAML")]
    Rules(#[source] serde_yaml::Error),
    #[error("the embedded uap-core rules (data/uap-core/regexes.yaml) do not compile")]
    Compile(#[source] ua_parser::Error),
}

/// Parses user agents with the uap-core rules and a bounded cache in front of them.
///
/// Build it once at start-up ([`UserAgentParser::embedded`]) and share it (`Arc` or
/// `web::Data`) between workers: it is `Send + Sync`, and the cache is sharded so
/// concurrent parses rarely contend.
pub struct UserAgentParser {
    extractor: Extractor<'static>,
    cache: Cache<String, ClientInfo>,
}

impl UserAgentParser {
    /// Loads the rules embedded at compile time and compiles them (100–150 ms in release).
    pub fn embedded() -> Result<Self, UserAgentError> {
        let regexes: Regexes<'static> =
            serde_yaml::from_str(RULES).map_err(UserAgentError::Rules)?;
        let extractor = Extractor::try_from(regexes).map_err(UserAgentError::Compile)?;
        Ok(UserAgentParser {
            extractor,
            cache: Cache::new(CACHE_ENTRIES),
        })
    }

    /// The browser, OS and device named by `user_agent`. Never fails: an empty or
    /// unrecognised string gives a `ClientInfo` whose fields are all `None`.
    pub fn parse(&self, user_agent: &str) -> ClientInfo {
        let parsed = self.cache.get_or_insert_with(user_agent, || {
            Ok::<_, Infallible>(self.parse_uncached(user_agent))
        });
        match parsed {
            Ok(info) => info,
            Err(never) => match never {},
        }
    }

    /// Runs the rules without the cache; the benchmark measures this path.
    #[doc(hidden)]
    pub fn parse_uncached(&self, user_agent: &str) -> ClientInfo {
        let (browser, os, device) = self.extractor.extract(user_agent);
        let mut info = ClientInfo::default();
        if let Some(browser) = browser {
            info.browser = known(&browser.family);
            if info.browser.is_some() {
                info.browser_version = version([
                    browser.major,
                    browser.minor,
                    browser.patch,
                    browser.patch_minor,
                ]);
            }
        }
        if let Some(os) = os {
            info.os = known(&os.os);
            if info.os.is_some() {
                info.os_version = version([
                    os.major.as_deref(),
                    os.minor.as_deref(),
                    os.patch.as_deref(),
                    os.patch_minor.as_deref(),
                ]);
            }
        }
        if let Some(device) = device {
            info.device = known(&device.device);
            if info.device.is_some() {
                info.device_brand = device.brand.as_deref().and_then(non_empty);
                info.device_model = device.model.as_deref().and_then(non_empty);
            }
        }
        info
    }
}

impl std::fmt::Debug for UserAgentParser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAgentParser")
            .field("cached", &self.cache.len())
            .finish_non_exhaustive()
    }
}

/// `None` for uap's "Other" (no rule matched) and for empty captures.
fn known(family: &str) -> Option<String> {
    if family == UNKNOWN {
        None
    } else {
        non_empty(family)
    }
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        None
    } else {
        Some(value.to_owned())
    }
}

/// Joins the version parts with dots, up to the first one absent: `[17, 4, None, 1]` is
/// "17.4", since a patch-minor without a patch would misstate the version.
fn version(parts: [Option<&str>; 4]) -> Option<String> {
    let present: Vec<&str> = parts
        .into_iter()
        .map_while(|part| part.filter(|p| !p.is_empty()))
        .collect();
    if present.is_empty() {
        None
    } else {
        Some(present.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_is_shareable_between_workers() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<UserAgentParser>();
    }

    #[test]
    fn version_stops_at_the_first_missing_part() {
        assert_eq!(
            version([Some("17"), Some("4"), None, Some("1")]).as_deref(),
            Some("17.4")
        );
        assert_eq!(
            version([Some("10"), None, None, None]).as_deref(),
            Some("10")
        );
        assert_eq!(version([None, Some("1"), None, None]), None);
        assert_eq!(version([Some(""), None, None, None]), None);
    }

    #[test]
    fn other_means_unknown() {
        assert_eq!(known("Other"), None);
        assert_eq!(known(""), None);
        assert_eq!(known("Chrome").as_deref(), Some("Chrome"));
    }
}
