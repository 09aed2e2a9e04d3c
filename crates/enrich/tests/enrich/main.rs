//! One test binary for the crate, one module per part (see CONVENTIONS.md, Tests).

mod fixtures;
mod perceptual_hash;
mod screenshot;
mod screenshot_errors;
mod user_agent;
