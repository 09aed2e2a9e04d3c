//! `cargo xtask bench`: install the load generator, build release binaries, run the
//! ingestion benchmark (tests/e2e/src/bin/bench.rs).

use std::process::Command;

use crate::{cargo, root, run_step};

const OHA_VERSION: &str = "1.16.0";

pub fn run(args: &[String]) -> anyhow::Result<()> {
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
    run_step(
        "ingestion benchmark",
        cargo()
            .args(["run", "--release", "-p", "e2e", "--bin", "bench", "--"])
            .args(args)
            .env("SNAG_BIN", root().join("target/release/snag"))
            .env("OHA", &oha),
    )
}
