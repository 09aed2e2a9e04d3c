//! The staff dashboard (`/app`) against the real binary: access rules, CSRF and sign-in
//! limits over HTTP; triage with the keyboard and an XSS corpus in headless Chromium
//! (chromium + chromedriver, as for the widget's browser tests).

mod access;
mod browser_flow;
mod support;
mod xss;
