//! What the fake Linear holds.

#[derive(Debug, Clone, Default)]
pub(crate) struct LinearData {
    pub issues: Vec<LinearIssue>,
    pub comments: Vec<LinearComment>,
    pub uploads: Vec<LinearUpload>,
    pub attachments: Vec<(String, String)>,
    pub sync_id: u64,
}

#[derive(Debug, Clone)]
pub struct LinearIssue {
    pub id: String,
    pub identifier: String,
    pub number: u64,
    pub team_id: String,
    pub title: String,
    pub description: Option<String>,
    pub priority: i64,
    pub label_ids: Vec<String>,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct LinearComment {
    pub id: String,
    pub issue_id: String,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct LinearUpload {
    pub token: String,
    pub filename: String,
    pub content_type: String,
    pub size: usize,
    pub asset_url: String,
    pub required_headers: Vec<(String, String)>,
    /// Set once the client `PUT` the bytes.
    pub bytes: Option<Vec<u8>>,
}

impl LinearData {
    pub(crate) fn next_sync(&mut self) -> u64 {
        self.sync_id += 1;
        self.sync_id
    }

    pub(crate) fn issue(&self, id_or_identifier: &str) -> Option<&LinearIssue> {
        self.issues
            .iter()
            .find(|i| i.id == id_or_identifier || i.identifier == id_or_identifier)
    }
}

/// Linear asks for ids "in UUID v4 format".
pub(crate) fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
        && bytes[14] == b'4'
        && matches!(bytes[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
}
