//! Request bodies checked against an operation's schema in an OpenAPI 3.0 document.

use serde_json::{Map, Value, json};

/// The compiled request-body schema of one operation.
pub(crate) struct BodySchema {
    validator: jsonschema::Validator,
}

impl BodySchema {
    /// The `application/json` request body of `method path` in `document`. OpenAPI 3.0
    /// schemas are JSON Schema draft-04 plus `nullable`, which becomes `null` in the types.
    pub(crate) fn of(document: &Value, path: &str, method: &str) -> BodySchema {
        let schema = document["paths"][path][method]["requestBody"]["content"]["application/json"]
            ["schema"]
            .clone();
        assert!(
            schema.is_object(),
            "no JSON request body for {method} {path} in the spec"
        );
        let mut root = match schema {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        // `#/components/...` references resolve against the root we build.
        root.insert("components".into(), document["components"].clone());
        let mut root = Value::Object(root);
        nullable_to_null(&mut root);
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(false)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema of {method} {path} does not compile: {e}"));
        BodySchema { validator }
    }

    pub(crate) fn check(&self, body: &Value) -> Result<(), String> {
        let errors: Vec<String> = self
            .validator
            .iter_errors(body)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }
}

fn nullable_to_null(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for value in map.values_mut() {
                nullable_to_null(value);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.remove("nullable");
                match map.get_mut("type") {
                    Some(Value::String(t)) => {
                        let t = t.clone();
                        map.insert("type".into(), json!([t, "null"]));
                        if let Some(Value::Array(values)) = map.get_mut("enum") {
                            values.push(Value::Null);
                        }
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(map));
                        map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                    }
                }
            }
        }
        Value::Array(values) => values.iter_mut().for_each(nullable_to_null),
        _ => {}
    }
}
