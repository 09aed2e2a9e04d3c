//! Projects and staff tokens.

use rusqlite::{Connection, OptionalExtension, Row, params};
use snag_core::ProjectKey;

use crate::StoreError;
use crate::model::{
    Millis, NewProject, Project, ProjectId, ProjectSettings, ProjectUpdate, StaffToken,
};

const PROJECT_COLUMNS: &str =
    "id, name, public_key, allowed_origins, allow_no_origin, settings, created_at";

fn project_from_row(row: &Row<'_>) -> Result<Project, StoreError> {
    let key: String = row.get(2)?;
    let public_key = ProjectKey::parse(&key).ok_or(StoreError::Corrupt {
        column: "projects.public_key",
        value: key,
    })?;
    let origins: String = row.get(3)?;
    let settings: String = row.get(5)?;
    Ok(Project {
        id: ProjectId(row.get(0)?),
        name: row.get(1)?,
        public_key,
        allowed_origins: serde_json::from_str(&origins)?,
        allow_no_origin: row.get(4)?,
        settings: serde_json::from_str::<ProjectSettings>(&settings)?,
        created_at: row.get(6)?,
    })
}

pub(crate) fn insert(
    conn: &Connection,
    new: &NewProject,
    now: Millis,
) -> Result<Project, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM projects WHERE name = ?1)",
        [&new.name],
        |row| row.get(0),
    )?;
    if exists {
        return Err(StoreError::ProjectExists(new.name.clone()));
    }
    conn.execute(
        "INSERT INTO projects (name, public_key, allowed_origins, allow_no_origin, settings, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new.name,
            new.public_key.as_str(),
            serde_json::to_string(&new.allowed_origins)?,
            new.allow_no_origin,
            serde_json::to_string(&new.settings)?,
            now,
        ],
    )?;
    Ok(Project {
        id: ProjectId(conn.last_insert_rowid()),
        name: new.name.clone(),
        public_key: new.public_key.clone(),
        allowed_origins: new.allowed_origins.clone(),
        allow_no_origin: new.allow_no_origin,
        settings: new.settings.clone(),
        created_at: now,
    })
}

pub(crate) fn by_key(conn: &Connection, key: &ProjectKey) -> Result<Option<Project>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROJECT_COLUMNS} FROM projects WHERE public_key = ?1"
    ))?;
    let mut rows = stmt.query([key.as_str()])?;
    match rows.next()? {
        Some(row) => Ok(Some(project_from_row(row)?)),
        None => Ok(None),
    }
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Project>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROJECT_COLUMNS} FROM projects ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut projects = Vec::new();
    while let Some(row) = rows.next()? {
        projects.push(project_from_row(row)?);
    }
    Ok(projects)
}

pub(crate) fn insert_token(
    conn: &Connection,
    name: &str,
    token_hash: &str,
    now: Millis,
) -> Result<StaffToken, StoreError> {
    conn.execute(
        "INSERT INTO staff_tokens (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
        params![name, token_hash, now],
    )?;
    Ok(StaffToken {
        id: conn.last_insert_rowid(),
        name: name.to_owned(),
    })
}

pub(crate) fn token_by_hash(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<StaffToken>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM staff_tokens WHERE token_hash = ?1")?;
    let token = stmt
        .query_row([token_hash], |row| {
            Ok(StaffToken {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        })
        .optional()?;
    Ok(token)
}

pub(crate) fn by_id(conn: &Connection, id: ProjectId) -> Result<Option<Project>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROJECT_COLUMNS} FROM projects WHERE id = ?1"
    ))?;
    let mut rows = stmt.query([id.0])?;
    match rows.next()? {
        Some(row) => Ok(Some(project_from_row(row)?)),
        None => Ok(None),
    }
}

/// Replaces what a project's settings page edits: origins and settings.
pub(crate) fn update(
    conn: &Connection,
    id: ProjectId,
    update: &ProjectUpdate,
) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE projects SET allowed_origins = ?2, allow_no_origin = ?3, settings = ?4 WHERE id = ?1",
        params![
            id.0,
            serde_json::to_string(&update.allowed_origins)?,
            update.allow_no_origin,
            serde_json::to_string(&update.settings)?,
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("project"));
    }
    Ok(())
}

/// Gives a project a new public key; the old one stops working.
pub(crate) fn rotate_key(
    conn: &Connection,
    id: ProjectId,
    key: &ProjectKey,
) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE projects SET public_key = ?2 WHERE id = ?1",
        params![id.0, key.as_str()],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("project"));
    }
    Ok(())
}
