//! End-to-end tests of the real `snag` binary: one test binary, one module per area.

mod cli;
mod client;
mod concurrency;
mod cors;
mod durability;
mod forwarding;
mod idempotency;
mod ingest;
mod lifecycle;
mod limits;
mod ops;
mod rejections;
mod staff;
mod widget;
