//! End-to-end tests of the real `snag` binary: one test binary, one module per area.

mod cli;
mod client;
mod concurrency;
mod cors;
mod durability;
mod idempotency;
mod ingest;
mod limits;
mod ops;
mod rejections;
mod staff;
