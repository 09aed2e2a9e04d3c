//! The GraphQL documents the connector sends; the fake validates each against Linear's schema.

pub(crate) const ISSUE_CREATE: &str = "mutation SnagIssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url } }
}";

pub(crate) const ISSUE_FIND: &str = "query SnagIssueFind($id: ID!) {
  issues(filter: { id: { eq: $id } }, first: 1, includeArchived: true) {
    nodes { id identifier url }
  }
}";

pub(crate) const COMMENT_CREATE: &str = "mutation SnagCommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id } }
}";

pub(crate) const FILE_UPLOAD: &str =
    "mutation SnagFileUpload($contentType: String!, $filename: String!, $size: Int!) {
  fileUpload(contentType: $contentType, filename: $filename, size: $size) {
    success
    uploadFile { uploadUrl assetUrl headers { key value } }
  }
}";
