//! The forwarding benchmark: the real release binary delivering new defects to the local
//! Jira fake (which checks every request against Jira's contract), at a fixed rate of new
//! defects while the ingestion load runs beside it.
//!
//! Prints the time from each report's `202` to its ticket's creation in the fake (p50, p99,
//! max) and the delivery throughput. `cargo xtask bench --forwarding` runs it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use e2e::fixtures::full_report;
use e2e::{Options, Snag, create_project};
use serde_json::json;
use snag_fakes::FakeJira;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(dir: &Path, jira: &FakeJira) -> PathBuf {
    let text = format!(
        r#"
[connectors.jira]
kind = "jira"
base_url = "{}"
email = "{}"
api_token = "{}"
project_key = "{}"

[[forwarding]]
project = "forwarded"
connectors = ["jira"]
"#,
        jira.url(),
        FakeJira::EMAIL,
        FakeJira::API_TOKEN,
        FakeJira::PROJECT
    );
    let path = dir.join("snag.toml");
    std::fs::write(&path, text).expect("writing the config");
    path
}

/// The ingestion benchmark's text load, paced by oha, against a project that forwards nothing.
fn background_load(snag: &Snag, key: &str, rate: u64, seconds: u64, dir: &Path) -> Option<Child> {
    if rate == 0 {
        return None;
    }
    let body = dir.join("load.json");
    std::fs::write(&body, serde_json::to_vec(&full_report()).expect("JSON"))
        .expect("writing the body");
    let oha = std::env::var_os("OHA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("oha"));
    Command::new(oha)
        .args([
            "--no-tui",
            "-m",
            "POST",
            "-c",
            "32",
            "-q",
            &rate.to_string(),
            "-z",
            &format!("{seconds}s"),
        ])
        .args([
            "-H",
            &format!("X-Snag-Key: {key}"),
            "-H",
            "Content-Type: application/json",
            "-D",
        ])
        .arg(&body)
        .arg(snag.url("/api/v1/reports"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let rate = arg("--rate", 100);
    let seconds = arg("--seconds", 20);
    let load_rate = arg("--load-rate", 2_000);
    let jira = FakeJira::start();
    let data = tempfile::tempdir().expect("a data directory");
    let config = config(data.path(), &jira);
    let forwarded = create_project(
        data.path(),
        &["--name", "forwarded", "--allow-no-origin", "--no-dedup"],
    );
    let load_key = create_project(data.path(), &["--name", "load", "--allow-no-origin"]);
    let snag = Arc::new(Snag::start_with(
        Options::default()
            .data_dir(data.path())
            .env("SNAG_CONFIG", config.display())
            .env("SNAG_RATE_LIMIT", "off")
            .env("RUST_LOG", "error"),
    ));
    let mut load = background_load(&snag, &load_key, load_rate, seconds + 2, data.path());
    println!(
        "machine: {} cores; {rate} new defects/s for {seconds} s to the Jira fake, beside {} text reports/s of ingestion load",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if load.is_some() { load_rate } else { 0 }
    );

    // Senders post at the pace set by one clock, each report a new defect.
    let (jobs, queue) = mpsc::channel::<u64>();
    let queue = Arc::new(Mutex::new(queue));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, Instant)>::new()));
    let senders: Vec<_> = (0..16)
        .map(|_| {
            let (queue, acknowledged, snag, key) = (Arc::clone(&queue), Arc::clone(&acknowledged), Arc::clone(&snag), forwarded.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                loop {
                    let next = queue.lock().expect("queue").recv();
                    let Ok(n) = next else { break };
                    let report = json!({"description": format!("Benchmark defect {n}: the export button fails"), "category": "bug"});
                    let response = client
                        .post(snag.url("/api/v1/reports"))
                        .header("X-Snag-Key", &key)
                        .json(&report)
                        .send()
                        .expect("posting a report");
                    let at = Instant::now();
                    assert_eq!(response.status().as_u16(), 202);
                    let body: serde_json::Value = response.json().expect("JSON");
                    let defect = body["defect_id"].as_str().expect("a defect").to_owned();
                    acknowledged.lock().expect("list").push((defect, at));
                }
            })
        })
        .collect();
    let started = Instant::now();
    let total = rate * seconds;
    for n in 0..total {
        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        jobs.send(n).expect("a sender");
    }
    drop(jobs);
    for sender in senders {
        sender.join().expect("sender thread");
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    let acknowledged = acknowledged.lock().expect("list").clone();
    while jira.issues().len() < acknowledged.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Some(child) = load.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
    // When each defect's issue was created: the fake's create request carrying its marker.
    let creates: Vec<(String, Instant)> = jira
        .accepted()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/rest/api/3/issue")
        .filter_map(|r| {
            let labels = r.json()?["fields"]["labels"].as_array()?.clone();
            let marker = labels
                .iter()
                .filter_map(|l| l.as_str())
                .find_map(|l| l.strip_prefix("snag-").map(str::to_owned))?;
            Some((marker, r.at))
        })
        .collect();
    let mut latencies: Vec<Duration> = acknowledged
        .iter()
        .filter_map(|(defect, acked)| {
            let created = creates.iter().find(|(marker, _)| marker == defect)?.1;
            Some(created.saturating_duration_since(*acked))
        })
        .collect();
    latencies.sort();
    let delivered = latencies.len();
    let doubles = jira.issues().len().saturating_sub(delivered);
    let first = creates.iter().map(|c| c.1).min();
    let last = creates.iter().map(|c| c.1).max();
    let span = match (first, last) {
        (Some(a), Some(b)) => b.duration_since(a).as_secs_f64().max(0.001),
        _ => 1.0,
    };
    println!(
        "\n| new defects | tickets | extra tickets | delivered/s | 202 → ticket p50 | p99 | max |"
    );
    println!("|---|---|---|---|---|---|---|");
    if delivered == 0 {
        println!("| {} | 0 | {doubles} | 0 | - | - | - |", acknowledged.len());
        std::process::exit(1);
    }
    println!(
        "| {} | {delivered} | {doubles} | {:.0} | {:.0} ms | {:.0} ms | {:.0} ms |",
        acknowledged.len(),
        delivered as f64 / span,
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
    if delivered != acknowledged.len() || doubles > 0 {
        std::process::exit(1);
    }
}
