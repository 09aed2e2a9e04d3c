//! `multipart/form-data` bodies, parsed as a real server would (with `multer`).

use bytes::Bytes;
use futures_util::FutureExt as _;

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The parts of a body, or why it is not valid multipart.
pub(crate) fn parse(content_type: Option<&str>, body: &Bytes) -> Result<Vec<Part>, String> {
    let content_type = content_type.ok_or("no Content-Type")?;
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let body = body.clone();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    // The whole body is in memory, so no step ever waits.
    async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_owned();
            let filename = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let data = field.bytes().await.map_err(|e| e.to_string())?;
            parts.push(Part {
                name,
                filename,
                content_type,
                data,
            });
        }
        Ok(parts)
    }
    .now_or_never()
    .unwrap_or_else(|| Err("multipart parsing stalled".into()))
}
