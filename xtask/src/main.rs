//! Project commands: `cargo xtask demo`, `cargo xtask test`, `cargo xtask bench`,
//! `cargo xtask update-uap`.

mod bench;
mod demo;
mod demo_page;
mod test;
mod uap;
mod widget;
mod widget_fmt;
mod widget_imports;

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo         build the widget and Snag, run it with the demo project on http://127.0.0.1:8080
               and the example host page on http://127.0.0.1:8081
  build-widget build the wasm widget and its loader into widget/dist and print their sizes
               (--check fails past the size budgets)
  test         run every check and test: fmt, clippy, wasm build of core, unit, property and end-to-end tests
  bench        load-test the real binary (text and screenshot reports) and print the figures;
               --forwarding measures delivery to a local Jira fake instead;
               --dashboard fills 100,000 defects and 1,000,000 reports and times the
               dashboard's inbox, search and metrics pages on the server
  screenshots  take the README's screenshots of the dashboard in headless Chromium
               (docs/dashboard-*.png)
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
        "screenshots" => screenshots(),
        "build-widget" => widget::run(rest),
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
    let started = std::time::Instant::now();
    let status = command
        .status()
        .with_context(|| format!("starting: {description}"))?;
    eprintln!(
        "<== {description}: {:.0} s",
        started.elapsed().as_secs_f64()
    );
    if !status.success() {
        bail!("failed: {description} ({status})");
    }
    Ok(())
}

/// `cargo xtask screenshots`: the dashboard's inbox, a defect page and the metrics page, in
/// headless Chromium against the real binary (tests/e2e/src/bin/screenshots.rs).
fn screenshots() -> anyhow::Result<()> {
    run_step("the snag binary", cargo().args(["build", "-p", "snag"]))?;
    run_step(
        "dashboard screenshots",
        cargo().args(["run", "-p", "e2e", "--bin", "screenshots"]),
    )
}
