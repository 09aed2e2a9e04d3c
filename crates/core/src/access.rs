//! Who may do what in the dashboard: staff roles, the actions they allow, and which projects a
//! user sees. The server asks these rules before every read and write; no handler decides.

use alloc::{format, string::String, vec::Vec};
use core::fmt;

use serde::{Deserialize, Serialize};

/// A staff account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, in every project: settings, keys, users.
    Admin,
    /// Reads and triages the defects of their projects: lifecycle, fields, merges, comments.
    Triager,
    /// Reads the defects and metrics of their projects, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Triager, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Triager => "triager",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn allows(self, action: Action) -> bool {
        match action {
            Action::View => true,
            Action::Triage => matches!(self, Role::Admin | Role::Triager),
            Action::Configure => self == Role::Admin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read defects, reports, screenshots, metrics.
    View,
    /// Change a defect: status, severity, priority, owner, component, merge, split, comment.
    Triage,
    /// Change a project's settings or rotate its key.
    Configure,
}

/// Why a request was refused. Both answers look the same to a user who cannot see the
/// project: a project they may not see does not exist for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("no such project")]
    Hidden,
    #[error("your role does not allow this")]
    Forbidden,
}

/// A signed-in user's reach: their role and the projects (by id) they were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    projects: Option<Vec<i64>>,
}

impl Access {
    /// Admins see every project whatever they were given; others only theirs.
    pub fn new(role: Role, mut projects: Vec<i64>) -> Access {
        projects.sort_unstable();
        projects.dedup();
        Access {
            role,
            projects: (role != Role::Admin).then_some(projects),
        }
    }

    /// `None` for every project, else the ids this user may see.
    pub fn projects(&self) -> Option<&[i64]> {
        self.projects.as_deref()
    }

    pub fn can_see(&self, project: i64) -> bool {
        self.projects
            .as_ref()
            .is_none_or(|ids| ids.binary_search(&project).is_ok())
    }

    /// Whether the user may do `action` (anywhere they can see).
    pub fn may(&self, action: Action) -> bool {
        self.role.allows(action)
    }

    /// Whether the user may do `action` on `project`; a hidden project is reported as such
    /// first, so the answer never tells a user what exists beyond their reach.
    pub fn check(&self, action: Action, project: i64) -> Result<(), Denied> {
        if !self.can_see(project) {
            return Err(Denied::Hidden);
        }
        if !self.role.allows(action) {
            return Err(Denied::Forbidden);
        }
        Ok(())
    }
}

/// The shortest password accepted. Length is what makes a password hard to guess (NIST SP
/// 800-63B asks for at least 8; staff accounts guard every report, so 10).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Argon2 accepts longer, but hashing a megabyte-long "password" is a cheap denial of service.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password; the error says what to fix.
pub fn check_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

/// Checks and normalises a staff e-mail address (trimmed, lower-case): a login name, not a
/// mailbox we write to, so the check is only its shape.
pub fn normalize_email(text: &str) -> Option<String> {
    let email = text.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let valid = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    valid.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn roles_allow_what_they_should() {
        for role in Role::ALL {
            assert!(role.allows(Action::View));
        }
        assert!(Role::Admin.allows(Action::Triage));
        assert!(Role::Triager.allows(Action::Triage));
        assert!(!Role::Viewer.allows(Action::Triage));
        assert!(Role::Admin.allows(Action::Configure));
        assert!(!Role::Triager.allows(Action::Configure));
        assert!(!Role::Viewer.allows(Action::Configure));
    }

    #[test]
    fn users_see_their_projects_and_admins_all() {
        let triager = Access::new(Role::Triager, vec![3, 1, 3]);
        assert_eq!(triager.projects(), Some(&[1, 3][..]));
        assert!(triager.can_see(1));
        assert!(!triager.can_see(2));
        assert_eq!(triager.check(Action::Triage, 1), Ok(()));
        assert_eq!(triager.check(Action::Triage, 2), Err(Denied::Hidden));
        assert_eq!(triager.check(Action::Configure, 1), Err(Denied::Forbidden));
        let admin = Access::new(Role::Admin, vec![]);
        assert_eq!(admin.projects(), None);
        assert_eq!(admin.check(Action::Configure, 42), Ok(()));
        let viewer = Access::new(Role::Viewer, vec![1]);
        assert_eq!(viewer.check(Action::View, 1), Ok(()));
        assert_eq!(viewer.check(Action::Triage, 1), Err(Denied::Forbidden));
        assert_eq!(viewer.check(Action::View, 7), Err(Denied::Hidden));
    }

    #[test]
    fn nobody_else_is_given_no_projects_by_default() {
        let lonely = Access::new(Role::Triager, vec![]);
        assert!(!lonely.can_see(1));
        assert_eq!(lonely.projects(), Some(&[][..]));
    }

    #[test]
    fn passwords_and_emails() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
        assert_eq!(
            normalize_email(" Ann@Example.COM "),
            Some("ann@example.com".into())
        );
        assert_eq!(normalize_email("nobody"), None);
        assert_eq!(normalize_email("a@b@c"), None);
        assert_eq!(normalize_email("a b@c"), None);
        assert_eq!(normalize_email("@c"), None);
    }
}
