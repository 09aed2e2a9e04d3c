//! One typed configuration, from defaults, an optional TOML file and `SNAG_*` variables
//! (later wins). Nested keys use `__` in variables: `SNAG_LIMITS__MAX_BODY_BYTES=1048576`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use snag_connectors::ConnectorConfig;
use snag_core::{ForwardRule, Limits, SeverityRule, default_severity_rules};
use snag_storage::Durability;

use crate::forward::OutboxSettings;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `SNAG_BIND`: where `snag serve` listens.
    pub bind: SocketAddr,
    /// `SNAG_DATA_DIR`: the SQLite database and anything else Snag keeps.
    pub data_dir: PathBuf,
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    pub log: LogConfig,
    pub storage: StorageConfig,
    pub limits: Limits,
    pub rate_limit: RateLimitConfig,
    pub demo: DemoConfig,
    /// Suggested severity for new defects, first match wins; a project's own rules replace
    /// these.
    pub severity_rules: Vec<SeverityRule>,
    /// The address people and trackers reach this server at, for links in tickets
    /// (`https://snag.example`); `http://<bind>` when unset.
    pub public_url: Option<String>,
    /// Key for signed links (hex); generated into `<data_dir>/secret.key` when unset.
    #[serde(skip_serializing)]
    pub secret_key: Option<String>,
    /// Connectors by name: `[connectors.jira] kind = "jira" ...`. Secrets may be given as
    /// `*_env`, naming an environment variable.
    #[serde(skip_serializing)]
    pub connectors: BTreeMap<String, ConnectorConfig>,
    /// Which connectors receive which defects: `[[forwarding]]` rules, first match wins.
    pub forwarding: Vec<ForwardRule>,
    pub outbox: OutboxSettings,
    /// How long signed screenshot links in tickets work.
    pub link_validity_days: u32,
    pub dashboard: DashboardConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./snag-data"),
            workers: 0,
            log: LogConfig::default(),
            storage: StorageConfig::default(),
            limits: Limits::default(),
            rate_limit: RateLimitConfig::default(),
            demo: DemoConfig::default(),
            severity_rules: default_severity_rules(),
            public_url: None,
            secret_key: None,
            connectors: BTreeMap::new(),
            forwarding: Vec::new(),
            outbox: OutboxSettings::default(),
            link_validity_days: 365,
            dashboard: DashboardConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `snag=debug,actix_web=warn`; `RUST_LOG` wins.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Text,
            filter: "info".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageConfig {
    pub durability: DurabilitySetting,
    /// The most reports one commit carries.
    pub max_batch: usize,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            durability: DurabilitySetting::Full,
            max_batch: 256,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurabilitySetting {
    Full,
    Normal,
}

impl From<DurabilitySetting> for Durability {
    fn from(setting: DurabilitySetting) -> Self {
        match setting {
            DurabilitySetting::Full => Durability::Full,
            DurabilitySetting::Normal => Durability::Normal,
        }
    }
}

/// Token buckets on report submission. `SNAG_RATE_LIMIT=off` turns them off for benchmarks
/// and trusted networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Sustained reports per minute from one client address.
    pub per_ip_per_minute: u32,
    pub per_ip_burst: u32,
    /// Sustained reports per minute for one project key, from all addresses together.
    pub per_key_per_minute: u32,
    pub per_key_burst: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            per_ip_per_minute: 30,
            per_ip_burst: 20,
            per_key_per_minute: 6_000,
            per_key_burst: 500,
            trust_forwarded_for: false,
        }
    }
}

/// The staff dashboard at `/app`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardConfig {
    /// How long a sign-in lasts; the user signs in again after that.
    pub session_hours: u32,
    /// How long an invite link from `snag user create --invite` works.
    pub invite_days: u32,
    /// Sign-in attempts per minute from one address (and, separately, for one account),
    /// with this burst. Not turned off by `SNAG_RATE_LIMIT=off`: it guards passwords.
    pub login_per_minute: u32,
    pub login_burst: u32,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            session_hours: 12,
            invite_days: 7,
            login_per_minute: 10,
            login_burst: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DemoConfig {
    /// On first start with no project, create a `demo` project and print its key.
    pub create_project: bool,
    /// Origins the demo project accepts besides the server's own address.
    pub origins: Vec<String>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            create_project: true,
            origins: Vec::new(),
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (if given), then `SNAG_*` variables.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                bail!("the configuration file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file(file));
        }
        // SNAG_RATE_LIMIT is a switch, not the section: handled below. SNAG_CONFIG and
        // SNAG_LOG_* variables with single underscores are not keys either.
        let env = Env::prefixed("SNAG_")
            .split("__")
            .ignore(&["rate_limit", "config"]);
        let mut config: Config = figment
            .merge(env)
            .extract()
            .context("reading the configuration")?;
        if let Ok(switch) = std::env::var("SNAG_RATE_LIMIT") {
            config.rate_limit.enabled = match switch.to_ascii_lowercase().as_str() {
                "off" | "false" | "0" => false,
                "on" | "true" | "1" => true,
                other => bail!("SNAG_RATE_LIMIT must be on or off, not {other:?}"),
            };
        }
        Ok(config)
    }
}

impl Config {
    /// The public address, for links: `public_url`, or `http://<bind>`.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
    }

    /// The signing key: configured, or read from (and on first start written to)
    /// `<data_dir>/secret.key`, readable by the owner only.
    pub fn signing_key(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(key) = &self.secret_key {
            return Ok(key.as_bytes().to_vec());
        }
        let path = self.data_dir.join("secret.key");
        if let Ok(existing) = std::fs::read(&path) {
            return Ok(existing);
        }
        let key: Vec<u8> = (0..32).map(|_| rand::random::<u8>()).collect();
        write_private(&path, &key).with_context(|| format!("writing {}", path.display()))?;
        Ok(key)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example file documents every setting with its default; it must stay true.
    #[test]
    fn the_example_file_is_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/snag.toml");
        let text = std::fs::read_to_string(&path).expect("examples/snag.toml");
        let from_file: Config = Figment::from(Serialized::defaults(Config {
            severity_rules: Vec::new(),
            ..Config::default()
        }))
        .merge(Toml::string(&text))
        .extract()
        .expect("the example parses");
        // Connectors hold secrets and are not comparable; the example configures none.
        assert_eq!(format!("{from_file:?}"), format!("{:?}", Config::default()));
    }
}
