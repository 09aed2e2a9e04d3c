//! Staff accounts of the dashboard, their projects, one-time invites and sessions. Tokens are
//! stored as SHA-256 hashes only, so a copy of the database signs nobody in.

use rusqlite::{Connection, OptionalExtension, params};
use snag_core::Role;

use crate::StoreError;
use crate::model::{Millis, NewUser, ProjectId, Session, User};

fn projects_of(conn: &Connection, user: i64) -> Result<Vec<ProjectId>, StoreError> {
    let ids = conn
        .prepare_cached(
            "SELECT project_id FROM user_projects WHERE user_id = ?1 ORDER BY project_id",
        )?
        .query_map([user], |row| Ok(ProjectId(row.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn parse_role(text: String) -> Result<Role, StoreError> {
    Role::parse(&text).ok_or(StoreError::Corrupt {
        column: "users.role",
        value: text,
    })
}

pub(crate) fn insert(conn: &Connection, new: &NewUser, now: Millis) -> Result<User, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE email = ?1)",
        [&new.email],
        |row| row.get(0),
    )?;
    if exists {
        return Err(StoreError::Conflict(format!(
            "a user with the e-mail {:?} already exists",
            new.email
        )));
    }
    conn.execute(
        "INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![new.email, new.role.as_str(), new.password_hash, now],
    )?;
    let id = conn.last_insert_rowid();
    for project in &new.projects {
        conn.execute(
            "INSERT OR IGNORE INTO user_projects (user_id, project_id) VALUES (?1, ?2)",
            params![id, project.0],
        )?;
    }
    Ok(User {
        id,
        email: new.email.clone(),
        role: new.role,
        projects: projects_of(conn, id)?,
    })
}

/// A user and their password hash, for signing in.
pub(crate) fn by_email(
    conn: &Connection,
    email: &str,
) -> Result<Option<(User, Option<String>)>, StoreError> {
    let row = conn
        .prepare_cached("SELECT id, role, password_hash FROM users WHERE email = ?1")?
        .query_row([email], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })
        .optional()?;
    let Some((id, role, hash)) = row else {
        return Ok(None);
    };
    let user = User {
        id,
        email: email.to_owned(),
        role: parse_role(role)?,
        projects: projects_of(conn, id)?,
    };
    Ok(Some((user, hash)))
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<User>, StoreError> {
    let rows: Vec<(i64, String, String)> = conn
        .prepare_cached("SELECT id, email, role FROM users ORDER BY email")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, email, role)| {
            Ok(User {
                id,
                email,
                role: parse_role(role)?,
                projects: projects_of(conn, id)?,
            })
        })
        .collect()
}

pub(crate) fn set_password(conn: &Connection, user: i64, hash: &str) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user, hash],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("user"));
    }
    // A new password ends every session signed in with the old one.
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
    Ok(())
}

pub(crate) fn insert_invite(
    conn: &Connection,
    user: i64,
    token_hash: &str,
    expires_at: Millis,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO invites (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user, expires_at],
    )?;
    Ok(())
}

/// The user an unused, unexpired invite is for.
pub(crate) fn invite(
    conn: &Connection,
    token_hash: &str,
    now: Millis,
) -> Result<Option<User>, StoreError> {
    let user: Option<i64> = conn
        .prepare_cached(
            "SELECT user_id FROM invites WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
        )?
        .query_row(params![token_hash, now], |row| row.get(0))
        .optional()?;
    user.map(|id| by_id(conn, id))
        .transpose()
        .map(Option::flatten)
}

/// Uses an invite once: sets the password and returns the user, or `None` when the invite
/// is unknown, used or expired.
pub(crate) fn accept_invite(
    conn: &Connection,
    token_hash: &str,
    password_hash: &str,
    now: Millis,
) -> Result<Option<User>, StoreError> {
    let Some(user) = invite(conn, token_hash, now)? else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE invites SET used_at = ?2 WHERE token_hash = ?1",
        params![token_hash, now],
    )?;
    set_password(conn, user.id, password_hash)?;
    Ok(Some(user))
}

fn by_id(conn: &Connection, id: i64) -> Result<Option<User>, StoreError> {
    let row = conn
        .prepare_cached("SELECT email, role FROM users WHERE id = ?1")?
        .query_row([id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .optional()?;
    let Some((email, role)) = row else {
        return Ok(None);
    };
    Ok(Some(User {
        id,
        email,
        role: parse_role(role)?,
        projects: projects_of(conn, id)?,
    }))
}

pub(crate) fn insert_session(
    conn: &Connection,
    token_hash: &str,
    user: i64,
    csrf: &str,
    now: Millis,
    expires_at: Millis,
) -> Result<(), StoreError> {
    // Expired sessions are swept whenever someone signs in: no timer, and the table stays
    // as small as the number of people signed in.
    conn.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
        .execute([now])?;
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![token_hash, user, csrf, now, expires_at])?;
    Ok(())
}

pub(crate) fn session(
    conn: &Connection,
    token_hash: &str,
    now: Millis,
) -> Result<Option<Session>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT s.user_id, s.csrf, s.expires_at FROM sessions s WHERE s.token_hash = ?1 AND s.expires_at > ?2",
        )?
        .query_row(params![token_hash, now], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let Some((user, csrf, expires_at)) = row else {
        return Ok(None);
    };
    Ok(by_id(conn, user)?.map(|user| Session {
        user,
        csrf,
        expires_at,
    }))
}

pub(crate) fn delete_session(conn: &Connection, token_hash: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}
