//! A defect's triage state and the changes that move it, with their rules.
//!
//! Every change is a [`Change`]; the history of a defect is its list of changes, and replaying
//! them from [`DefectState::created`] gives the current state. Illegal moves are refused here,
//! so neither a handler nor the store can make one.

use alloc::{borrow::ToOwned, format, string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::ids::{DefectId, ReportId};
use crate::lifecycle::{Priority, Severity, Status, TransitionError};

/// The most characters of a title, an assignee or a component.
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_ASSIGNEE_CHARS: usize = 200;
pub const MAX_COMPONENT_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefectState {
    pub status: Status,
    pub severity: Option<Severity>,
    pub priority: Option<Priority>,
    pub assignee: Option<String>,
    pub component: Option<String>,
    pub title: String,
    /// Set exactly when the status is `duplicate`: the defect this one was merged into.
    pub merged_into: Option<DefectId>,
}

/// One change in a defect's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Created {
        title: String,
        severity: Option<Severity>,
        component: Option<String>,
    },
    Status {
        from: Status,
        to: Status,
    },
    Severity {
        from: Option<Severity>,
        to: Option<Severity>,
    },
    Priority {
        from: Option<Priority>,
        to: Option<Priority>,
    },
    Assignee {
        from: Option<String>,
        to: Option<String>,
    },
    Component {
        from: Option<String>,
        to: Option<String>,
    },
    Title {
        from: String,
        to: String,
    },
    /// This defect was merged into `into`; its status becomes `duplicate`.
    MergedInto {
        into: DefectId,
        from: Status,
    },
    /// `from` was merged into this defect, bringing its reports.
    MergedFrom {
        from: DefectId,
        reports: u32,
    },
    /// A merge into `survivor` was undone; the status returns to what it was.
    Unmerged {
        survivor: DefectId,
        to: Status,
    },
    /// The merge of `from` into this defect was undone; its reports went back.
    UnmergedFrom {
        from: DefectId,
        reports: u32,
    },
    /// The defect this one was merged into was itself merged into `to`: this one now points
    /// there too, so merges never chain.
    MergeRedirected {
        from: DefectId,
        to: DefectId,
    },
    /// A report was moved out to another defect (a split).
    ReportMovedOut {
        report: ReportId,
        to: DefectId,
    },
    /// A report was moved in from another defect (a split).
    ReportMovedIn {
        report: ReportId,
        from: DefectId,
    },
    /// Staff commented (the text is kept with the comment, not in the history). Changes
    /// nothing in the state; it is in the history so the passport shows who said what when.
    Commented {
        comment: i64,
    },
}

impl Change {
    /// The snake_case name stored and shown in history.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Status { .. } => "status",
            Change::Severity { .. } => "severity",
            Change::Priority { .. } => "priority",
            Change::Assignee { .. } => "assignee",
            Change::Component { .. } => "component",
            Change::Title { .. } => "title",
            Change::MergedInto { .. } => "merged_into",
            Change::MergedFrom { .. } => "merged_from",
            Change::Unmerged { .. } => "unmerged",
            Change::UnmergedFrom { .. } => "unmerged_from",
            Change::MergeRedirected { .. } => "merge_redirected",
            Change::ReportMovedOut { .. } => "report_moved_out",
            Change::ReportMovedIn { .. } => "report_moved_in",
            Change::Commented { .. } => "commented",
        }
    }
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{field} {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    #[error("a defect cannot be merged into itself")]
    MergeIntoSelf,
    #[error("defect {0} is already merged into another defect")]
    AlreadyMerged(DefectId),
    #[error("the target defect is itself merged into {0}; merge into that one")]
    TargetMerged(DefectId),
    #[error("the defect is not merged")]
    NotMerged,
}

/// A partial update from staff: `Some(None)` clears a field, `None` leaves it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefectPatch {
    #[serde(default, deserialize_with = "present")]
    pub severity: Option<Option<Severity>>,
    #[serde(default, deserialize_with = "present")]
    pub priority: Option<Option<Priority>>,
    #[serde(default, deserialize_with = "present")]
    pub assignee: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub component: Option<Option<String>>,
    #[serde(default)]
    pub title: Option<String>,
}

/// Tells a field sent as `null` (clear it) from a field not sent (leave it).
fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn checked_text(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, ChangeError> {
    let Some(text) = value else { return Ok(None) };
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(ChangeError::Invalid {
            field,
            problem: format!("is longer than {max} characters"),
        });
    }
    Ok(Some(text))
}

impl DefectState {
    /// The state a new defect starts in, and its `created` change.
    pub fn created(
        title: String,
        severity: Option<Severity>,
        component: Option<String>,
    ) -> (DefectState, Change) {
        let state = DefectState {
            status: Status::New,
            severity,
            priority: None,
            assignee: None,
            component: component.clone(),
            title: title.clone(),
            merged_into: None,
        };
        (
            state,
            Change::Created {
                title,
                severity,
                component,
            },
        )
    }

    /// A staff move along the lifecycle. `duplicate` is reached only by merging.
    pub fn transition(&self, to: Status) -> Result<Change, ChangeError> {
        if to == Status::Duplicate || self.status == Status::Duplicate {
            return Err(TransitionError {
                from: self.status,
                to,
                allowed: self.allowed_transitions(),
            }
            .into());
        }
        self.status.transition(to)?;
        Ok(Change::Status {
            from: self.status,
            to,
        })
    }

    /// The moves staff may make from here with a transition (merging is separate).
    pub fn allowed_transitions(&self) -> &'static [Status] {
        if self.status == Status::Duplicate {
            &[]
        } else {
            self.status.allowed_transitions()
        }
    }

    /// The changes a patch makes; fields that would not change produce nothing.
    pub fn patch(&self, patch: DefectPatch) -> Result<Vec<Change>, ChangeError> {
        let mut changes = Vec::new();
        if let Some(to) = patch.severity.filter(|to| *to != self.severity) {
            changes.push(Change::Severity {
                from: self.severity,
                to,
            });
        }
        if let Some(to) = patch.priority.filter(|to| *to != self.priority) {
            changes.push(Change::Priority {
                from: self.priority,
                to,
            });
        }
        if let Some(to) = patch.assignee {
            let to = checked_text("assignee", to, MAX_ASSIGNEE_CHARS)?;
            if to != self.assignee {
                changes.push(Change::Assignee {
                    from: self.assignee.clone(),
                    to,
                });
            }
        }
        if let Some(to) = patch.component {
            let to = checked_text("component", to, MAX_COMPONENT_CHARS)?;
            if to != self.component {
                changes.push(Change::Component {
                    from: self.component.clone(),
                    to,
                });
            }
        }
        if let Some(title) = patch.title {
            let to = checked_text("title", Some(title), MAX_TITLE_CHARS)?.ok_or(
                ChangeError::Invalid {
                    field: "title",
                    problem: "must not be empty".into(),
                },
            )?;
            if to != self.title {
                changes.push(Change::Title {
                    from: self.title.clone(),
                    to,
                });
            }
        }
        Ok(changes)
    }

    /// What a new report does to the defect it joins: reopens it when the work was done
    /// (resolved, verified, closed) and the project asks for that. Joining itself is not a
    /// change of the defect's state: the report carries why it joined.
    pub fn on_new_report(&self, reopen: bool) -> Option<Change> {
        let done = matches!(
            self.status,
            Status::Resolved | Status::Verified | Status::Closed
        );
        (reopen && done).then_some(Change::Status {
            from: self.status,
            to: Status::Reopened,
        })
    }

    /// Merging this defect (`id`) into `target`: the change on each side.
    pub fn merge_into(
        &self,
        id: &DefectId,
        target_id: &DefectId,
        target: &DefectState,
        reports: u32,
    ) -> Result<(Change, Change), ChangeError> {
        if id == target_id {
            return Err(ChangeError::MergeIntoSelf);
        }
        if self.merged_into.is_some() {
            return Err(ChangeError::AlreadyMerged(id.clone()));
        }
        if let Some(survivor) = &target.merged_into {
            return Err(ChangeError::TargetMerged(survivor.clone()));
        }
        Ok((
            Change::MergedInto {
                into: target_id.clone(),
                from: self.status,
            },
            Change::MergedFrom {
                from: id.clone(),
                reports,
            },
        ))
    }

    /// Undoing this defect's merge: back to the status it had before.
    pub fn unmerge(
        &self,
        id: &DefectId,
        merged_from_status: Status,
        reports: u32,
    ) -> Result<(Change, Change), ChangeError> {
        let survivor = self.merged_into.clone().ok_or(ChangeError::NotMerged)?;
        Ok((
            Change::Unmerged {
                survivor,
                to: merged_from_status,
            },
            Change::UnmergedFrom {
                from: id.clone(),
                reports,
            },
        ))
    }

    /// Applies one change (from history or just made) to the state.
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::Created {
                title,
                severity,
                component,
            } => {
                *self = DefectState::created(title.clone(), *severity, component.clone()).0;
            }
            Change::Status { to, .. } => self.status = *to,
            Change::Severity { to, .. } => self.severity = *to,
            Change::Priority { to, .. } => self.priority = *to,
            Change::Assignee { to, .. } => self.assignee = to.clone(),
            Change::Component { to, .. } => self.component = to.clone(),
            Change::Title { to, .. } => self.title = to.clone(),
            Change::MergedInto { into, .. } => {
                self.status = Status::Duplicate;
                self.merged_into = Some(into.clone());
            }
            Change::Unmerged { to, .. } => {
                self.status = *to;
                self.merged_into = None;
            }
            Change::MergeRedirected { to, .. } => self.merged_into = Some(to.clone()),
            Change::MergedFrom { .. }
            | Change::UnmergedFrom { .. }
            | Change::ReportMovedOut { .. }
            | Change::ReportMovedIn { .. }
            | Change::Commented { .. } => {}
        }
    }

    /// The state a history leads to; `None` when it does not start with `created`.
    pub fn replay<'a>(history: impl IntoIterator<Item = &'a Change>) -> Option<DefectState> {
        let mut changes = history.into_iter();
        let Some(Change::Created {
            title,
            severity,
            component,
        }) = changes.next()
        else {
            return None;
        };
        let mut state = DefectState::created(title.clone(), *severity, component.clone()).0;
        for change in changes {
            state.apply(change);
        }
        Some(state)
    }

    /// The rule every stored defect keeps: `duplicate` exactly when merged.
    pub fn is_consistent(&self) -> bool {
        (self.status == Status::Duplicate) == self.merged_into.is_some()
    }
}

#[cfg(test)]
mod tests;
