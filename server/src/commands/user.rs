//! `snag user create` and `snag user list`: staff accounts of the dashboard.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use serde::Serialize;
use snag_core::Role;
use snag_core::access::{check_password, normalize_email};
use snag_storage::{NewUser, Store, now_millis};

use super::open_store;
use crate::cli::UserCreate;
use crate::config::Config;
use crate::dashboard::password;
use crate::keys::{new_secret, token_hash};

/// The password: prompted twice without echo on a terminal; otherwise the first line of
/// standard input (so scripts and tests can pipe it).
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn create(config: &Config, args: &UserCreate) -> anyhow::Result<()> {
    let email = normalize_email(&args.email)
        .with_context(|| format!("{:?} is not an e-mail address", args.email))?;
    let role = Role::parse(args.role.trim()).with_context(|| {
        format!(
            "--role must be admin, triager or viewer, not {:?}",
            args.role
        )
    })?;
    let password_hash = if args.invite {
        None
    } else {
        let password = read_password()?;
        check_password(&password).map_err(anyhow::Error::msg)?;
        Some(password::hash(&password)?)
    };
    let store = open_store(config)?;
    let result = (|| {
        let known = store.list_projects()?;
        let projects = args
            .projects
            .iter()
            .map(|name| {
                known
                    .iter()
                    .find(|p| p.name == name.trim())
                    .map(|p| p.id)
                    .with_context(|| format!("no project is named {name:?}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let user = store.insert_user(NewUser {
            email,
            role,
            password_hash,
            projects,
        })?;
        let invite = if args.invite {
            let token = new_secret();
            let days = i64::from(config.dashboard.invite_days.max(1));
            store.insert_invite(
                user.id,
                &token_hash(&token),
                now_millis() + days * 86_400_000,
            )?;
            Some(token)
        } else {
            None
        };
        Ok::<_, anyhow::Error>((user, invite))
    })();
    store.close();
    let (user, invite) = result?;
    eprintln!("created {} ({})", user.email, user.role);
    if let Some(token) = invite {
        let base = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.bind));
        eprintln!(
            "send them this link; it works once, for {} days:",
            config.dashboard.invite_days.max(1)
        );
        println!("{}/app/invite/{token}", base.trim_end_matches('/'));
    }
    Ok(())
}

#[derive(Serialize)]
struct UserView<'a> {
    email: &'a str,
    role: Role,
    projects: Vec<String>,
}

pub fn list(config: &Config, json: bool) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let found = store
        .list_users()
        .and_then(|u| Ok((u, store.list_projects()?)));
    store.close();
    let (users, projects) = found?;
    let name = |id: &snag_storage::ProjectId| {
        projects
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let views: Vec<UserView<'_>> = users
        .iter()
        .map(|u| UserView {
            email: &u.email,
            role: u.role,
            projects: u.projects.iter().map(name).collect(),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&views)?);
    } else {
        for v in &views {
            println!("{}\t{}\t{}", v.email, v.role, v.projects.join(","));
        }
    }
    Ok(())
}
