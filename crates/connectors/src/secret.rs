//! Credentials: never printed, never serialized, given inline or through the environment.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ConfigError;

/// A credential. `Debug`, `Display` and `Serialize` show `[redacted]`; only
/// [`Secret::expose`] gives the value, at the one place a request needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Where connectors look up `*_env` variables: the process environment in the server, a map
/// in tests.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// The secret of a config field given as `field = "value"` or `field_env = "VAR"`.
pub(crate) fn resolve(
    field: &str,
    inline: Option<&Secret>,
    env_name: Option<&str>,
    env: &dyn Env,
) -> Result<Secret, ConfigError> {
    match (inline, env_name) {
        (Some(_), Some(_)) => Err(ConfigError::BothGiven {
            field: field.into(),
        }),
        (Some(secret), None) if !secret.expose().trim().is_empty() => Ok(secret.clone()),
        (None, Some(var)) => match env.var(var) {
            Some(value) if !value.trim().is_empty() => Ok(Secret(value.trim().to_owned())),
            _ => Err(ConfigError::MissingEnv {
                field: field.into(),
                var: var.into(),
            }),
        },
        _ => Err(ConfigError::Missing {
            field: field.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows() {
        let secret = Secret::new("lin_api_supersecret");
        assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"[redacted]\"");
    }

    #[test]
    fn secrets_come_inline_or_from_the_environment() {
        let env = |name: &str| (name == "TOKEN").then(|| "from-env".to_owned());
        let inline = Secret::new("inline");
        assert_eq!(
            resolve("token", Some(&inline), None, &env)
                .unwrap()
                .expose(),
            "inline"
        );
        assert_eq!(
            resolve("token", None, Some("TOKEN"), &env)
                .unwrap()
                .expose(),
            "from-env"
        );
        assert!(matches!(
            resolve("token", None, Some("NOPE"), &env),
            Err(ConfigError::MissingEnv { .. })
        ));
        assert!(matches!(
            resolve("token", Some(&inline), Some("TOKEN"), &env),
            Err(ConfigError::BothGiven { .. })
        ));
        assert!(matches!(
            resolve("token", None, None, &env),
            Err(ConfigError::Missing { .. })
        ));
    }
}
