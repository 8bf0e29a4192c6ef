//! A readable page of the API description, rendered on the server from the OpenAPI document:
//! works offline, needs no script and no third-party viewer.

use crate::ctx::Ctx;
use askama::Template;
use axum::response::Response;
use serde_json::Value;

/// One operation.
pub struct Op {
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Summary.
    pub summary: String,
    /// Parameters: (name, where, required, description).
    pub params: Vec<(String, String, bool, String)>,
    /// Request body schema name.
    pub body: String,
    /// Responses: (status, schema or description).
    pub responses: Vec<(String, String)>,
}

/// One schema: name and (field, type, required).
pub struct SchemaDoc {
    /// Name.
    pub name: String,
    /// Fields.
    pub fields: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage<'a> {
    c: &'a Ctx,
    description: String,
    ops: Vec<Op>,
    schemas: Vec<SchemaDoc>,
}

fn ref_name(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(items) = v.get("items") {
        return format!("[{}]", ref_name(items));
    }
    if let Some(one) = v.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(ref_name).collect::<Vec<_>>().join(" | ");
    }
    match v.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "object".into(),
    }
}

fn content_schema(v: &Value) -> Option<String> {
    v.get("content")?
        .as_object()?
        .values()
        .next()?
        .get("schema")
        .map(ref_name)
}

/// Builds the page model from the OpenAPI document.
pub fn model() -> (String, Vec<Op>, Vec<SchemaDoc>) {
    let doc = serde_json::to_value(super::openapi()).unwrap_or(Value::Null);
    let description = doc["info"]["description"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut ops = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "patch", "put", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let params = op["parameters"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                (
                                    p["name"].as_str().unwrap_or("").to_string(),
                                    p["in"].as_str().unwrap_or("").to_string(),
                                    p["required"].as_bool().unwrap_or(false),
                                    p["description"].as_str().unwrap_or("").to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let body = op
                    .get("requestBody")
                    .and_then(content_schema)
                    .unwrap_or_default();
                let responses = op["responses"]
                    .as_object()
                    .map(|rs| {
                        rs.iter()
                            .map(|(code, r)| {
                                let what = content_schema(r).unwrap_or_else(|| {
                                    r["description"].as_str().unwrap_or("").to_string()
                                });
                                (code.clone(), what)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let summary = op["summary"]
                    .as_str()
                    .or_else(|| op["description"].as_str())
                    .unwrap_or("")
                    .to_string();
                ops.push(Op {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary,
                    params,
                    body,
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(s) = doc["components"]["schemas"].as_object() {
        for (name, sch) in s {
            let required: Vec<&str> = sch["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = sch["properties"]
                .as_object()
                .map(|props| {
                    props
                        .iter()
                        .map(|(f, v)| (f.clone(), ref_name(v), required.contains(&f.as_str())))
                        .collect()
                })
                .unwrap_or_default();
            schemas.push(SchemaDoc {
                name: name.clone(),
                fields,
            });
        }
    }
    (description, ops, schemas)
}

/// `GET /api/docs`.
pub async fn page(ctx: Ctx) -> Response {
    let (description, ops, schemas) = model();
    crate::pages::render(
        &ctx,
        DocsPage {
            c: &ctx,
            description,
            ops,
            schemas,
        },
    )
}
