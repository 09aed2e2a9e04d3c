//! `cargo xtask demo`: build the widget and Snag, run Snag with its demo project, serve the
//! example host page beside it, and show how to send a report.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use anyhow::Context;

use crate::{cargo, demo_page, root, run_step, widget};

/// Where the example host page is served: another origin than Snag's, as in production.
const PAGE_BIND: &str = "127.0.0.1:8081";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    widget::build()?.print();
    run_step(
        "building snag (release)",
        cargo().args(["build", "--release", "-p", "snag"]),
    )?;
    let binary = root().join("target/release/snag");
    let bind = std::env::var("SNAG_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let data_dir = std::env::var_os("SNAG_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("snag-data"));
    let mut child = std::process::Command::new(&binary)
        .arg("serve")
        .args(args)
        .env("SNAG_BIND", &bind)
        // The demo project, when it is first created, accepts reports from the page.
        .env(
            "SNAG_DEMO__ORIGINS",
            format!("[\"http://{PAGE_BIND}\", \"http://localhost:8081\"]"),
        )
        .env("SNAG_DATA_DIR", &data_dir)
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let stdout = child.stdout.take().context("the server's stdout")?;
    let mut key = None;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(k) = line.strip_prefix("demo project key: ") {
            key = Some(k.trim().to_owned());
        }
        if let Some(address) = line.strip_prefix("snag listening on ") {
            let key = key.as_deref().unwrap_or("<your project key>");
            demo_page::serve(PAGE_BIND, address.trim(), key)?;
            println!(
                "\nThe example shop with the widget: http://{PAGE_BIND}/\n(a ./snag-data made before the widget existed lacks that origin: remove it to recreate the demo project)"
            );
            println!("\nSend a report:\n");
            println!(
                "  curl -i -H 'X-Snag-Key: {key}' -H 'Content-Type: application/json' \\\n    -d '{{\"description\": \"The Pay button does nothing\", \"page\": {{\"url\": \"https://shop.example/checkout/42\"}}}}' \\\n    {address}/api/v1/reports\n"
            );
            println!("Read it back with a staff token (snag token create --name me):\n");
            println!("  curl -H 'Authorization: Bearer <token>' {address}/api/v1/defects\n");
            println!(
                "Triage in the dashboard at {address}/app, after creating an account (in another terminal):\n"
            );
            println!(
                "  SNAG_DATA_DIR={} target/release/snag user create --email you@example.com --role admin\n",
                data_dir.display()
            );
            println!("Stop with Ctrl-C.");
        }
    }
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "snag exited with {status}");
    Ok(())
}
