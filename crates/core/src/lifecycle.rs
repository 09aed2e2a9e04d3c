//! The defect lifecycle, severity and priority.
//!
//! `new → triaged → assigned → in_progress → resolved → verified → closed`; `reopened` from
//! `resolved`, `verified` or `closed` back into the work; `duplicate` and `wont_fix` end it too.
//! An illegal move is refused here, with the moves that are allowed, so no handler can make one.

use core::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Triaged,
    Assigned,
    InProgress,
    Resolved,
    Verified,
    Closed,
    Reopened,
    Duplicate,
    WontFix,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::New,
        Status::Triaged,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
        Status::Verified,
        Status::Closed,
        Status::Reopened,
        Status::Duplicate,
        Status::WontFix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Triaged => "triaged",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Verified => "verified",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
            Status::Duplicate => "duplicate",
            Status::WontFix => "wont_fix",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The statuses this one may move to by a transition. `duplicate` is not among them for
    /// any status: only a merge makes a defect a duplicate.
    pub fn allowed_transitions(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[Triaged, Assigned, WontFix],
            Triaged => &[Assigned, InProgress, WontFix],
            Assigned => &[InProgress, Triaged, Resolved, WontFix],
            InProgress => &[Resolved, Assigned, WontFix],
            Resolved => &[Verified, Closed, Reopened],
            Verified => &[Closed, Reopened],
            Closed => &[Reopened],
            Reopened => &[Triaged, Assigned, InProgress, Resolved, WontFix],
            // Merging makes a duplicate and unmerging undoes it: no transition does either.
            Duplicate => &[],
            WontFix => &[Reopened],
        }
    }

    /// Checks one move; the error lists the moves that are allowed from here.
    pub fn transition(self, to: Status) -> Result<Status, TransitionError> {
        if self.allowed_transitions().contains(&to) {
            Ok(to)
        } else {
            Err(TransitionError {
                from: self,
                to,
                allowed: self.allowed_transitions(),
            })
        }
    }

    /// Open means someone still has work to do on it.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Resolved
                | Status::Verified
                | Status::Closed
                | Status::Duplicate
                | Status::WontFix
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a defect cannot move from {from} to {to}")]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
    pub allowed: &'static [Status],
}

/// Impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Blocker,
    Critical,
    Major,
    Minor,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Blocker,
        Severity::Critical,
        Severity::Major,
        Severity::Minor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    P0,
    P1,
    P2,
    P3,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P0, Priority::P1, Priority::P2, Priority::P3];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "p0",
            Priority::P1 => "p1",
            Priority::P2 => "p2",
            Priority::P3 => "p3",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn the_happy_path_is_legal() {
        let path = [
            Status::Triaged,
            Status::Assigned,
            Status::InProgress,
            Status::Resolved,
            Status::Verified,
            Status::Closed,
            Status::Reopened,
        ];
        let mut at = Status::New;
        for to in path {
            at = at.transition(to).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(at, Status::Reopened);
    }

    #[test]
    fn an_illegal_move_names_the_allowed_ones() {
        let err = Status::New.transition(Status::Closed).unwrap_err();
        assert_eq!(err.allowed, Status::New.allowed_transitions());
        assert!(!err.allowed.contains(&Status::Closed));
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
    }
}
