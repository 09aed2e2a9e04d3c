//! Project commands: `cargo xtask demo`, `cargo xtask test`, `cargo xtask bench`,
//! `cargo xtask update-uap`.

mod bench;
mod demo;
mod test;
mod uap;

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo         build and run Snag with the demo project on http://127.0.0.1:8080
  test         run every check and test: fmt, clippy, wasm build of core, unit, property and end-to-end tests
  bench        load-test the real binary (text and screenshot reports) and print the figures
  update-uap   refresh crates/enrich/data/uap-core/regexes.yaml from the uap-core npm package";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    match command.as_str() {
        "demo" => demo::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "update-uap" => uap::run(),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command, echoing it first, and fails if it fails.
pub fn run_step(description: &str, command: &mut Command) -> anyhow::Result<()> {
    eprintln!("\n==> {description}");
    let status = command
        .status()
        .with_context(|| format!("starting: {description}"))?;
    if !status.success() {
        bail!("failed: {description} ({status})");
    }
    Ok(())
}
