//! What every issue tracker connector does.

use std::future::Future;

use snag_core::DefectId;

use crate::error::ConnectorError;
use crate::input::{Opened, TicketInput, TicketRef};

/// An issue tracker (Jira, Linear, GitHub). Each finds a defect's ticket by a marker it put
/// there itself (a label, a client-chosen id), so that a retry after a crash, when the
/// tracker had answered but Snag had not recorded the answer, finds the ticket instead of
/// creating a second one.
pub trait Tracker {
    /// The defect's ticket, if one exists.
    fn find(
        &self,
        defect: &DefectId,
    ) -> impl Future<Output = Result<Option<TicketRef>, ConnectorError>> + Send;

    /// Creates a ticket without looking first. Prefer [`Tracker::open`].
    fn create(
        &self,
        input: &TicketInput,
    ) -> impl Future<Output = Result<Opened, ConnectorError>> + Send;

    /// The defect's ticket: the existing one, or a new one. This is what a delivery of a new
    /// defect calls; it is safe to repeat. Trackers that keep more on a ticket (Jira's
    /// attachments) check it here too.
    fn open(
        &self,
        input: &TicketInput,
    ) -> impl Future<Output = Result<Opened, ConnectorError>> + Send
    where
        Self: Sync,
    {
        async move {
            match self.find(&input.defect.id).await? {
                Some(ticket) => Ok(Opened {
                    ticket,
                    created: false,
                    attachment_error: None,
                }),
                None => self.create(input).await,
            }
        }
    }

    /// Adds a later report to the ticket.
    fn comment(
        &self,
        ticket: &TicketRef,
        input: &TicketInput,
    ) -> impl Future<Output = Result<(), ConnectorError>> + Send;

    /// Uploads the report's screenshot to the ticket where the tracker keeps files (Jira);
    /// a no-op for trackers that embed it by URL. For retrying [`Opened::attachment_error`].
    fn attach(
        &self,
        ticket: &TicketRef,
        input: &TicketInput,
    ) -> impl Future<Output = Result<(), ConnectorError>> + Send;
}

/// The label or marker a connector puts on a defect's ticket.
pub fn defect_marker(defect: &DefectId) -> String {
    format!("snag-{defect}")
}
