//! Execution: apollo-compiler's executor with resolvers over the fake's data. Objects are
//! JSON maps typed by the schema's field definitions; field errors carry Linear's
//! `extensions` (added after execution, since the executor's errors have none).

use std::cell::RefCell;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::Schema;
use apollo_compiler::resolvers::{Execution, FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use apollo_compiler::response::JsonValue;
use apollo_compiler::validation::Valid;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::data::LinearData;
use super::graphql_error;
use crate::server::Reply;

pub(crate) fn execute(
    schema: &Valid<Schema>,
    document: &Valid<ExecutableDocument>,
    operation_name: Option<&str>,
    variables: Value,
    data: &mut LinearData,
    base: &str,
) -> Reply {
    let variables: JsonValue = variables.into();
    let Some(variables) = variables.as_object() else {
        return graphql_error(
            400,
            "Variables must be an object.",
            "graphql error",
            "BAD_REQUEST",
        );
    };
    let execution = match Execution::new(schema, document).operation_name(operation_name) {
        Ok(execution) => execution.raw_variable_values(variables),
        Err(e) => {
            return graphql_error(
                400,
                &e.message().to_string(),
                "graphql error",
                "BAD_REQUEST",
            );
        }
    };
    let root = Root {
        data: RefCell::new(data),
        base,
        extensions: RefCell::new(Vec::new()),
    };
    let response = match execution.execute_sync(&root) {
        Ok(response) => response,
        // Variables that do not coerce to the operation's types: a request error.
        Err(e) => {
            return graphql_error(
                400,
                &format!("Variable validation failed: {}", e.message()),
                "invalid input",
                "INPUT_ERROR",
            );
        }
    };
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    let extensions = root.extensions.into_inner();
    let mut has_errors = false;
    if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
        has_errors = !errors.is_empty();
        for error in errors.iter_mut() {
            // The executor prefixes resolver errors; Linear's messages are bare.
            let message = error["message"].as_str().unwrap_or_default();
            let message = message
                .strip_prefix("resolver error: ")
                .unwrap_or(message)
                .to_owned();
            error["message"] = json!(message);
            let found = extensions.iter().find(|(m, _)| *m == message);
            error["extensions"] = found.map_or_else(
                || json!({"type": "graphql error", "code": "GRAPHQL_ERROR", "userError": false}),
                |(_, ext)| ext.clone(),
            );
        }
    }
    // Linear answers user errors with a 400, keeping partial data.
    Reply::json(if has_errors { 400 } else { 200 }, &body)
}

pub(super) struct Root<'a> {
    pub(super) data: RefCell<&'a mut LinearData>,
    pub(super) base: &'a str,
    /// Extensions for the errors this execution raised, by message.
    extensions: RefCell<Vec<(String, Value)>>,
}

impl Root<'_> {
    pub(super) fn user_error(&self, message: &str, presentable: &str) -> FieldError {
        self.extensions.borrow_mut().push((
            message.to_owned(),
            json!({
                "type": "invalid input",
                "code": "INPUT_ERROR",
                "userError": true,
                "userPresentableMessage": presentable,
            }),
        ));
        FieldError {
            message: message.to_owned(),
        }
    }

    pub(super) fn unsupported(&self, field: &str) -> FieldError {
        self.extensions.borrow_mut().push((
            format!("{field} is not implemented by the fake"),
            json!({"type": "other", "code": "NOT_IMPLEMENTED", "userError": false}),
        ));
        FieldError {
            message: format!("{field} is not implemented by the fake"),
        }
    }

    pub(super) fn new_id(&self, data: &mut LinearData, kind: &str) -> String {
        let seed = format!("{kind}/{}", data.next_sync());
        let digest = Sha256::digest(seed.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        // Version 4 and RFC 4122 variant nibbles, as Linear's own ids have.
        format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }
}

impl ObjectValue for Root<'_> {
    fn type_name(&self) -> &str {
        // The executor asks the root for its type only to report errors; both roots share
        // one resolver since field names do not overlap.
        "Mutation"
    }

    fn resolve_field<'b>(
        &'b self,
        info: &'b ResolveInfo<'b>,
    ) -> Result<ResolvedValue<'b>, FieldError> {
        let args: Value = serde_json::to_value(info.arguments()).unwrap_or(Value::Null);
        let result = match info.field_name() {
            "issueCreate" => self.issue_create(&args),
            "commentCreate" => self.comment_create(&args),
            "fileUpload" => self.file_upload(&args),
            "attachmentLinkURL" => self.attachment_link(
                args["issueId"].as_str(),
                args["url"].as_str(),
                args["title"].as_str(),
            ),
            "attachmentCreate" => self.attachment_link(
                args["input"]["issueId"].as_str(),
                args["input"]["url"].as_str(),
                args["input"]["title"].as_str(),
            ),
            "issues" => self.issues(&args),
            "issue" => self.issue(&args),
            other => Err(self.unsupported(other)),
        }?;
        Ok(resolved(info, result))
    }
}

/// A JSON object standing for a value of a schema object type.
struct Object {
    type_name: String,
    fields: Map<String, Value>,
}

impl ObjectValue for Object {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'b>(
        &'b self,
        info: &'b ResolveInfo<'b>,
    ) -> Result<ResolvedValue<'b>, FieldError> {
        let value = self
            .fields
            .get(info.field_name())
            .cloned()
            .unwrap_or(Value::Null);
        Ok(resolved(info, value))
    }
}

/// A JSON value as the executor wants it, objects typed by the field's declared type.
fn resolved<'b>(info: &ResolveInfo<'b>, value: Value) -> ResolvedValue<'b> {
    let type_name = info
        .field_definition()
        .ty
        .inner_named_type()
        .as_str()
        .to_owned();
    to_resolved(&type_name, value)
}

fn to_resolved<'b>(type_name: &str, value: Value) -> ResolvedValue<'b> {
    match value {
        Value::Null => ResolvedValue::null(),
        Value::Object(fields) if !is_scalar_json(type_name) => ResolvedValue::object(Object {
            type_name: type_name.to_owned(),
            fields,
        }),
        Value::Array(items) if !is_scalar_json(type_name) => {
            let type_name = type_name.to_owned();
            ResolvedValue::list(
                items
                    .into_iter()
                    .map(move |item| to_resolved(&type_name, item)),
            )
        }
        leaf => ResolvedValue::leaf(JsonValue::from(leaf)),
    }
}

/// Linear's JSON scalars carry objects and arrays as leaves.
fn is_scalar_json(type_name: &str) -> bool {
    matches!(type_name, "JSON" | "JSONObject")
}
