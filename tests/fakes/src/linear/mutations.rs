//! The resolvers of the root fields a connector uses: Linear's checks and answers.

use apollo_compiler::resolvers::FieldError;
use serde_json::{Value, json};

use super::FakeLinear;
use super::data::{LinearComment, LinearIssue, LinearUpload, is_uuid_v4};
use super::resolve::Root;

/// Largest file `fileUpload` prepares, in bytes.
const MAX_UPLOAD: usize = 50 * 1024 * 1024;

impl Root<'_> {
    pub(super) fn issue_create(&self, args: &Value) -> Result<Value, FieldError> {
        let input = &args["input"];
        let mut data = self.data.borrow_mut();
        let team_id = input["teamId"].as_str().unwrap_or_default();
        if team_id != FakeLinear::TEAM_ID {
            return Err(
                self.user_error("Entity not found: Team", "Could not find referenced Team.")
            );
        }
        let id = match input["id"].as_str() {
            Some(id) if !is_uuid_v4(id) => {
                return Err(self.user_error(
                    "Argument Validation Error",
                    "id must be a UUID in version 4 format.",
                ));
            }
            Some(id) if data.issue(id).is_some() => {
                return Err(self.user_error(
                    "Entity already exists",
                    "An issue with this id already exists.",
                ));
            }
            Some(id) => id.to_owned(),
            None => self.new_id(&mut data, "issue"),
        };
        let title = input["title"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if title.is_empty() {
            return Err(self.user_error("Argument Validation Error", "title should not be empty."));
        }
        let priority = input["priority"].as_i64().unwrap_or(0);
        if !(0..=4).contains(&priority) {
            return Err(self.user_error(
                "Argument Validation Error",
                "priority must be between 0 and 4.",
            ));
        }
        let label_ids: Vec<String> = input["labelIds"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if label_ids.iter().any(|l| l != FakeLinear::LABEL_ID) {
            return Err(self.user_error(
                "Entity not found: IssueLabel",
                "Could not find referenced label.",
            ));
        }
        let number = data.issues.len() as u64 + 1;
        let identifier = format!("{}-{number}", FakeLinear::TEAM_KEY);
        let issue = LinearIssue {
            url: format!("{}/issue/{identifier}", self.base),
            id,
            identifier,
            number,
            team_id: team_id.to_owned(),
            title,
            description: input["description"].as_str().map(str::to_owned),
            priority,
            label_ids,
        };
        let object = issue_json(&issue);
        data.issues.push(issue);
        let sync = data.next_sync();
        Ok(json!({"success": true, "lastSyncId": sync as f64, "issue": object}))
    }

    pub(super) fn comment_create(&self, args: &Value) -> Result<Value, FieldError> {
        let input = &args["input"];
        let mut data = self.data.borrow_mut();
        let Some(issue_id) = input["issueId"]
            .as_str()
            .and_then(|id| data.issue(id))
            .map(|i| i.id.clone())
        else {
            return Err(self.user_error(
                "Entity not found: Issue",
                "Could not find referenced Issue.",
            ));
        };
        let body = input["body"].as_str().unwrap_or_default().to_owned();
        if body.trim().is_empty() {
            return Err(self.user_error("Argument Validation Error", "body should not be empty."));
        }
        let id = match input["id"].as_str() {
            Some(id) if !is_uuid_v4(id) => {
                return Err(self.user_error(
                    "Argument Validation Error",
                    "id must be a UUID in version 4 format.",
                ));
            }
            Some(id) if data.comments.iter().any(|c| c.id == id) => {
                return Err(self.user_error(
                    "Entity already exists",
                    "A comment with this id already exists.",
                ));
            }
            Some(id) => id.to_owned(),
            None => self.new_id(&mut data, "comment"),
        };
        data.comments.push(LinearComment {
            id: id.clone(),
            issue_id: issue_id.clone(),
            body: body.clone(),
        });
        let sync = data.next_sync();
        Ok(json!({
            "success": true,
            "lastSyncId": sync as f64,
            "comment": {"id": id, "body": body, "issueId": issue_id, "url": format!("{}/comment/{id}", self.base)},
        }))
    }

    pub(super) fn file_upload(&self, args: &Value) -> Result<Value, FieldError> {
        let mut data = self.data.borrow_mut();
        let size = args["size"].as_i64().unwrap_or(0);
        if size <= 0 || size as usize > MAX_UPLOAD {
            return Err(self.user_error(
                "Argument Validation Error",
                "size must be between 1 byte and 50 MB.",
            ));
        }
        let content_type = args["contentType"].as_str().unwrap_or_default().to_owned();
        let filename = args["filename"].as_str().unwrap_or_default().to_owned();
        let token = self.new_id(&mut data, "upload");
        let signature = self.new_id(&mut data, "signature");
        let asset_url = format!(
            "{}/assets/{token}/{}",
            self.base,
            url::form_urlencoded::byte_serialize(filename.as_bytes()).collect::<String>()
        );
        let required_headers = vec![
            ("x-fake-upload-signature".to_owned(), signature),
            (
                "cache-control".to_owned(),
                "public, max-age=31536000".to_owned(),
            ),
        ];
        let headers: Vec<Value> = required_headers
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        data.uploads.push(LinearUpload {
            token: token.clone(),
            filename: filename.clone(),
            content_type: content_type.clone(),
            size: size as usize,
            asset_url: asset_url.clone(),
            required_headers,
            bytes: None,
        });
        let sync = data.next_sync();
        Ok(json!({
            "success": true,
            "lastSyncId": sync as f64,
            "uploadFile": {
                "uploadUrl": format!("{}/uploads/{token}", self.base),
                "assetUrl": asset_url,
                "contentType": content_type,
                "filename": filename,
                "size": size,
                "headers": headers,
                "metaData": null,
            },
        }))
    }

    pub(super) fn attachment_link(
        &self,
        issue_id: Option<&str>,
        url: Option<&str>,
        title: Option<&str>,
    ) -> Result<Value, FieldError> {
        let mut data = self.data.borrow_mut();
        let Some(issue) = issue_id.and_then(|id| data.issue(id)).map(|i| i.id.clone()) else {
            return Err(self.user_error(
                "Entity not found: Issue",
                "Could not find referenced Issue.",
            ));
        };
        let Some(url) = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        else {
            return Err(self.user_error("Argument Validation Error", "url must be a URL address."));
        };
        let id = self.new_id(&mut data, "attachment");
        data.attachments.push((issue, url.to_owned()));
        let sync = data.next_sync();
        Ok(json!({
            "success": true,
            "lastSyncId": sync as f64,
            "attachment": {"id": id, "url": url, "title": title.unwrap_or(url)},
        }))
    }

    pub(super) fn issues(&self, args: &Value) -> Result<Value, FieldError> {
        let data = self.data.borrow();
        let filter = &args["filter"];
        let supported = filter
            .as_object()
            .is_none_or(|f| f.keys().all(|k| k == "id"));
        if !supported {
            return Err(self.unsupported("issues(filter) beyond `id`"));
        }
        let eq = filter["id"]["eq"].as_str();
        let within: Option<Vec<&str>> = filter["id"]["in"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect());
        let first = args["first"].as_u64().unwrap_or(50) as usize;
        let nodes: Vec<Value> = data
            .issues
            .iter()
            .filter(|i| eq.is_none_or(|id| i.id == id))
            .filter(|i| {
                within
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&i.id.as_str()))
            })
            .take(first)
            .map(issue_json)
            .collect();
        Ok(json!({
            "nodes": nodes,
            "edges": [],
            "pageInfo": {"hasNextPage": false, "hasPreviousPage": false, "startCursor": null, "endCursor": null},
        }))
    }

    pub(super) fn issue(&self, args: &Value) -> Result<Value, FieldError> {
        let data = self.data.borrow();
        match args["id"].as_str().and_then(|id| data.issue(id)) {
            Some(issue) => Ok(issue_json(issue)),
            None => Err(self.user_error(
                "Entity not found: Issue",
                "Could not find referenced Issue.",
            )),
        }
    }
}

fn issue_json(issue: &LinearIssue) -> Value {
    json!({
        "id": issue.id,
        "identifier": issue.identifier,
        "number": issue.number as f64,
        "title": issue.title,
        "description": issue.description,
        "priority": issue.priority as f64,
        "url": issue.url,
        "labelIds": issue.label_ids,
        "team": {"id": issue.team_id, "key": FakeLinear::TEAM_KEY, "name": "Engineering"},
    })
}
