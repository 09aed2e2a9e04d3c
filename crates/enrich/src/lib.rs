//! Snag's enrichment: what the server adds to a report before it is stored.
//!
//! - [`UserAgentParser`] turns the reporter's user agent into browser, OS and device
//!   ([`ClientInfo`]), with the uap-core rules and a cache.
//! - [`process_screenshot`] turns the screenshot data URL into a re-encoded image, a
//!   thumbnail, a perceptual hash (compared with [`hamming`]) and a content hash, refusing
//!   anything past the configured [`snag_core::Limits`] before doing the costly work.
//!
//! Everything here is synchronous and CPU-bound (a 1280×800 PNG screenshot takes ~6.5 ms on
//! one core, a JPEG one ~32 ms): the server runs it on its blocking pool, not on the async
//! workers.

mod decode;
mod encode;
mod phash;
mod screenshot;
mod user_agent;

pub use phash::hamming;
pub use screenshot::{Screenshot, ScreenshotError, THUMBNAIL_WIDTH, process_screenshot};
pub use user_agent::{ClientInfo, UserAgentError, UserAgentParser};
