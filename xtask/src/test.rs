//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use crate::{cargo, run_step};

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    run_step(
        "formatting",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run_step(
        "wasm32 target",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )?;
    run_step(
        "crates/core builds for wasm32 (no I/O in the domain)",
        cargo().args([
            "build",
            "-p",
            "snag-core",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    )?;
    if !quick {
        run_step(
            "clippy",
            cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    run_step("the snag binary", cargo().args(["build", "-p", "snag"]))?;
    run_step(
        "unit, property and end-to-end tests",
        cargo().args(["test", "--workspace", "--exclude", "xtask"]),
    )?;
    eprintln!("\nall checks passed");
    Ok(())
}
