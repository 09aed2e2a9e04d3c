//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use crate::{cargo, run_step, widget};

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
            // The widget builds for wasm32 only: linted in the next two steps.
            cargo().args([
                "clippy",
                "--workspace",
                "--exclude",
                "widget",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )?;
        // The widget as tested (with the standard library), and as served (without).
        for (step, what) in [
            ("clippy for the widget on wasm32", &["--all-targets"][..]),
            (
                "clippy for the widget as served (no standard library)",
                &["--lib", "--features", "bundle"][..],
            ),
        ] {
            run_step(
                step,
                cargo()
                    .args([
                        "clippy",
                        "-p",
                        "widget",
                        "--target",
                        "wasm32-unknown-unknown",
                    ])
                    .args(what)
                    .args(["--", "-D", "warnings"]),
            )?;
        }
    }
    let sizes = widget::build()?;
    sizes.print();
    sizes.check()?;
    run_step(
        "widget unit tests in headless Chromium",
        cargo().args(["test", "--target", "wasm32-unknown-unknown", "-p", "widget"]),
    )?;
    run_step("the snag binary", cargo().args(["build", "-p", "snag"]))?;
    run_step(
        "unit, property, end-to-end and browser tests",
        // The widget's tests run above, in a browser; natively they cannot.
        cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "xtask",
            "--exclude",
            "widget",
        ]),
    )?;
    sizes.print();
    if let Ok(millis) = std::fs::read_to_string(crate::root().join("target/widget-capture-ms")) {
        println!("screenshot of the example page, captured in headless Chromium: {millis} ms");
    }
    eprintln!("\nall checks passed");
    Ok(())
}
