//! `cargo xtask bench`: install the load generator, build release binaries, run the
//! ingestion benchmark (tests/e2e/src/bin/bench.rs).

use std::process::Command;

use crate::{cargo, root, run_step};

const OHA_VERSION: &str = "1.16.0";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    if args.iter().any(|a| a == "--dashboard") {
        return dashboard(args);
    }
    let tools = root().join("tools");
    let oha = tools.join("bin/oha");
    let installed = Command::new(&oha)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(OHA_VERSION))
        .unwrap_or(false);
    if !installed {
        run_step(
            "installing the load generator (oha)",
            cargo()
                .args([
                    "install",
                    "oha",
                    "--locked",
                    "--version",
                    OHA_VERSION,
                    "--root",
                ])
                .arg(&tools),
        )?;
    }
    run_step(
        "building snag (release)",
        cargo().args(["build", "--release", "-p", "snag"]),
    )?;
    // `--forwarding` runs the delivery benchmark instead; other arguments pass through.
    let (bin, what) = if args.iter().any(|a| a == "--forwarding") {
        ("forward_bench", "forwarding benchmark")
    } else {
        ("bench", "ingestion benchmark")
    };
    let passed: Vec<&String> = args.iter().filter(|a| *a != "--forwarding").collect();
    run_step(
        what,
        cargo()
            .args(["run", "--release", "-p", "e2e", "--bin", bin, "--"])
            .args(passed)
            .env("SNAG_BIN", root().join("target/release/snag"))
            .env("OHA", &oha),
    )
}

/// `--dashboard`: 100,000 defects and 1,000,000 reports, then the dashboard's pages timed on
/// the server (tests/e2e/src/bin/dashboard_bench.rs). Needs no load generator.
fn dashboard(args: &[String]) -> anyhow::Result<()> {
    run_step(
        "building snag (release)",
        cargo().args(["build", "--release", "-p", "snag"]),
    )?;
    let passed: Vec<&String> = args.iter().filter(|a| *a != "--dashboard").collect();
    run_step(
        "dashboard benchmark",
        cargo()
            .args([
                "run",
                "--release",
                "-p",
                "e2e",
                "--bin",
                "dashboard_bench",
                "--",
            ])
            .args(passed)
            .env("SNAG_BIN", root().join("target/release/snag")),
    )
}
