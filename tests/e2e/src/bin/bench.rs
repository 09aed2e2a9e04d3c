//! The ingestion benchmark: the real release binary under a real HTTP load generator (`oha`).
//!
//! For text-only reports and for reports with a ~200 KB PNG screenshot it measures the
//! sustained rate at full load (64 connections), then latency at the target rate, and checks
//! that every 202 is a stored report. Run it with `cargo xtask bench` (which installs oha and
//! builds the release binary); figures depend on the machine, so the output names it.

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::fixtures::{data_url, full_report, png_bytes, screenshot};
use e2e::{Options, Snag};
use serde_json::Value;

struct Workload {
    name: &'static str,
    body: Vec<u8>,
    target_rate: u32,
    /// Duplicate folding on (the default) or off, to measure what folding costs.
    folding: bool,
}

struct Phase {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    accepted: u64,
    other: u64,
}

fn arg(name: &str, default: u32) -> u32 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn oha() -> PathBuf {
    std::env::var_os("OHA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("oha"))
}

/// Sends exactly `requests` reports: a fixed count, not a duration, because a duration cuts
/// off requests in flight, which the server may store while oha never counts their answers.
fn run_oha(
    snag: &Snag,
    key: &str,
    body: &Path,
    requests: u64,
    connections: u32,
    rate: Option<u32>,
) -> Phase {
    let mut command = Command::new(oha());
    command
        .args(["--no-tui", "--output-format", "json", "-m", "POST"])
        .args(["-n", &requests.to_string(), "-c", &connections.to_string()])
        .args([
            "-H",
            &format!("X-Snag-Key: {key}"),
            "-H",
            "Content-Type: application/json",
        ])
        .arg("-D")
        .arg(body);
    if let Some(rate) = rate {
        // Open loop at a fixed rate; latency counted from when each request was due.
        command.args(["-q", &rate.to_string(), "--latency-correction"]);
    }
    command.arg(snag.url("/api/v1/reports"));
    let output = command
        .output()
        .expect("running oha (cargo xtask bench installs it)");
    assert!(
        output.status.success(),
        "oha failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("oha prints JSON");
    let codes = &report["statusCodeDistribution"];
    let accepted = codes["202"].as_u64().unwrap_or(0);
    let all: u64 = codes
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    let percentile =
        |p: &str| report["latencyPercentiles"][p].as_f64().unwrap_or(f64::NAN) * 1000.0;
    Phase {
        rate: report["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: percentile("p50"),
        p99_ms: percentile("p99"),
        accepted,
        other: all - accepted,
    }
}

fn stored_reports(snag: &Snag) -> u64 {
    snag.database()
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get::<_, i64>(0))
        .expect("count") as u64
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}")
}

fn main() {
    let seconds = arg("--seconds", 15);
    let text_rate = arg("--text-rate", 5000);
    let shot_rate = arg("--shot-rate", 120);
    let work = tempfile::tempdir().expect("a temporary directory");

    let text = serde_json::to_vec(&full_report()).expect("JSON");
    let mut with_shot = full_report();
    let png = png_bytes(&screenshot(1280, 800, 11));
    with_shot["screenshot"] = data_url("image/png", &png).into();
    let shot = serde_json::to_vec(&with_shot).expect("JSON");
    println!("machine: {}", machine());
    println!(
        "payloads: text {} B; screenshot report {} B (PNG {} B, 1280x800)",
        text.len(),
        shot.len(),
        png.len()
    );

    let workloads = [
        Workload {
            name: "text reports, folding off",
            body: text.clone(),
            target_rate: text_rate,
            folding: false,
        },
        Workload {
            name: "text reports",
            body: text,
            target_rate: text_rate,
            folding: true,
        },
        Workload {
            name: "screenshot reports",
            body: shot,
            target_rate: shot_rate,
            folding: true,
        },
    ];
    println!(
        "\n| workload | full load (64 conns) | p50 / p99 at full load | target rate | p50 / p99 at target | 202s | other | stored |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut failed = false;
    let mut full_rates = Vec::new();
    for workload in &workloads {
        let body_path = work
            .path()
            .join(format!("{}.json", workload.name.replace(' ', "-")));
        std::fs::write(&body_path, &workload.body).expect("writing the body");
        let data = tempfile::tempdir().expect("a data directory");
        let mut project = vec!["--name", "bench", "--allow-no-origin"];
        if !workload.folding {
            project.push("--no-dedup");
        }
        let key = e2e::create_project(data.path(), &project);
        let snag = Snag::start_with(
            Options::default()
                .data_dir(data.path())
                .env("SNAG_RATE_LIMIT", "off")
                .env("RUST_LOG", "error"),
        );
        let warmup = run_oha(
            &snag,
            &key,
            &body_path,
            u64::from(workload.target_rate),
            16,
            None,
        );
        // The full-load phase is sized from the warm-up's rate to last about `seconds`.
        let full_count = (warmup.rate * f64::from(seconds)).max(f64::from(workload.target_rate));
        let full = run_oha(&snag, &key, &body_path, full_count as u64, 64, None);
        let paced_count = u64::from(workload.target_rate) * u64::from(seconds);
        let rate = Some(workload.target_rate);
        let paced = run_oha(&snag, &key, &body_path, paced_count, 64, rate);
        full_rates.push(full.rate);
        let accepted = warmup.accepted + full.accepted + paced.accepted;
        let other = warmup.other + full.other + paced.other;
        let stored = stored_reports(&snag);
        println!(
            "| {} | {:.0}/s | {:.1} / {:.1} ms | {}/s (got {:.0}/s) | {:.1} / {:.1} ms | {} | {} | {} |",
            workload.name,
            full.rate,
            full.p50_ms,
            full.p99_ms,
            workload.target_rate,
            paced.rate,
            paced.p50_ms,
            paced.p99_ms,
            accepted,
            other,
            stored
        );
        if stored != accepted || other > 0 {
            eprintln!(
                "{}: {accepted} accepted but {stored} stored, {other} other answers",
                workload.name
            );
            failed = true;
        }
    }
    if let [off, on, ..] = full_rates[..] {
        println!(
            "\nfolding on / off at full load: {:.2} (the issue allows at least 0.80)",
            on / off
        );
    }
    if failed {
        std::process::exit(1);
    }
}
