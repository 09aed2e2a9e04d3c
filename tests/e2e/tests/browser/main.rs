//! The widget in a real browser: headless Chromium, the real `snag` binary, and the example
//! host page on its own origin. Needs the built widget (`cargo xtask build-widget`; `cargo
//! xtask test` builds it) and chromium + chromedriver (`.ci/run` installs them).

mod a11y;
mod csp;
mod fallbacks;
mod isolation;
mod keyboard;
mod mouse;
mod offline;
mod rejection;
mod screenshot;
mod support;
