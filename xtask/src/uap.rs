//! `cargo xtask update-uap`: refresh the user-agent rules from the uap-core npm package.

use std::process::Command;

use anyhow::{Context, bail};

use crate::root;

pub fn run() -> anyhow::Result<()> {
    let work = std::env::temp_dir().join(format!("snag-uap-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let status = Command::new("npm")
        .args(["pack", "uap-core"])
        .current_dir(&work)
        .status()
        .context("running npm pack")?;
    if !status.success() {
        bail!("npm pack uap-core failed");
    }
    let tarball = std::fs::read_dir(&work)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        .context("npm pack produced no tarball")?;
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .current_dir(&work)
        .status()?;
    if !status.success() {
        bail!("unpacking {} failed", tarball.display());
    }
    let target = root().join("crates/enrich/data/uap-core");
    for file in ["regexes.yaml", "LICENSE"] {
        std::fs::copy(work.join("package").join(file), target.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    std::fs::remove_dir_all(&work)?;
    println!(
        "updated {} from {}",
        target.display(),
        tarball.file_name().unwrap_or_default().to_string_lossy()
    );
    Ok(())
}
