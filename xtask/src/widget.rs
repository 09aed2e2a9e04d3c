//! `cargo xtask build-widget`: the wasm widget and its loader, ready for `snag serve`.
//!
//! Steps: build `widget` for wasm32 with the size profile, run wasm-bindgen (the library,
//! at the version Cargo.lock pins, so no separately installed CLI can mismatch), give the
//! imports short names (`widget_imports.rs`), turn the formatting code only panics reference
//! into traps (`widget_fmt.rs`), shrink with `wasm-opt -Oz` when binaryen is installed
//! (Debian's 108 breaks the output; npm's 132 in `tools/` works), name the files by content
//! hash so they can be cached forever, write the loader with those names, pre-compress
//! everything, and print the size budgets.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::{cargo, root, run_step};

/// Gzipped bytes the loader may cost every page view.
pub const LOADER_BUDGET: usize = 5_000;
/// Gzipped bytes of loader, JS glue and wasm together that issue 4 allows: what opening the
/// widget costs a page (Sentry's feedback widget with its base SDK costs about 50 KB).
pub const TOTAL_BUDGET: usize = 60_000;

/// The text of the panic a failed string slice (`&text[a..b]`) raises. Its formatting
/// (a character's debug form and Unicode's printable tables) cost the widget 3.8 KB gzipped;
/// the widget's code and what it uses of `snag-core` take parts of strings with `get`.
const STR_SLICE_PANIC: &[u8] = b"is not a char boundary";

/// Sizes of one build, raw and gzipped.
pub struct Sizes {
    pub files: Vec<(String, usize, usize)>,
    /// Whether a string slice's panic made it into the wasm.
    pub slices_strings: bool,
}

impl Sizes {
    pub fn gz(&self, index: usize) -> usize {
        self.files[index].2
    }

    pub fn total_gz(&self) -> usize {
        self.files.iter().map(|f| f.2).sum()
    }

    pub fn print(&self) {
        println!("\nwidget sizes (bytes)        raw    gzip");
        for (name, raw, gz) in &self.files {
            println!("  {name:<22} {raw:>8} {gz:>7}");
        }
        println!(
            "  {:<22} {:>8} {:>7}",
            "total",
            self.files.iter().map(|f| f.1).sum::<usize>(),
            self.total_gz()
        );
        println!(
            "budgets: loader {} / {LOADER_BUDGET} gz; total {} / {TOTAL_BUDGET} gz",
            self.gz(0),
            self.total_gz(),
        );
    }

    /// Fails when a budget is exceeded.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.gz(0) > LOADER_BUDGET {
            bail!(
                "the loader is {} bytes gzipped, over its {LOADER_BUDGET} budget",
                self.gz(0)
            );
        }
        if self.slices_strings {
            bail!(
                "a string slice (`&text[a..b]`) reached the widget: use `text.get(a..b)`, \
                 its panic's formatting costs ~3.8 KB gzipped (find it with twiggy paths on \
                 core::str::slice_error_fail)"
            );
        }
        if self.total_gz() > TOTAL_BUDGET {
            bail!(
                "the widget is {} bytes gzipped, over its {TOTAL_BUDGET} budget",
                self.total_gz()
            );
        }
        Ok(())
    }
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let sizes = build()?;
    sizes.print();
    if args.iter().any(|a| a == "--check") {
        sizes.check()?;
    }
    Ok(())
}

pub fn dist() -> PathBuf {
    root().join("widget/dist")
}

/// Builds everything into `widget/dist` and returns the sizes (loader first).
pub fn build() -> anyhow::Result<Sizes> {
    run_step(
        "the widget for wasm32 (profile wasm-release, without the standard library)",
        cargo().args([
            "build",
            "--profile",
            "wasm-release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "widget",
            "--features",
            "bundle",
        ]),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wasm = target.join("wasm32-unknown-unknown/wasm-release/snag_widget.wasm");
    let out = target.join("widget-bindgen");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out)?;
    eprintln!("\n==> wasm-bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        // TextEncoder.encodeInto is in every browser that has <dialog> and adopted style
        // sheets, which the widget needs anyway; the glue's fallback path is dead weight.
        .encode_into(wasm_bindgen_cli_support::EncodeInto::Always)
        // The library's default differs from the CLI's; without this, init() needs a URL.
        .omit_default_module_path(false)
        .generate(&out)
        .context("running wasm-bindgen")?;
    let bg = out.join("snag_widget_bg.wasm");
    let mut module = walrus::Module::from_file(&bg).context("reading the widget's wasm")?;
    crate::widget_imports::shorten(&mut module, &out.join("snag_widget.js"))?;
    eprintln!(
        "{}",
        crate::widget_fmt::trap_unreachable_formatting(&mut module)
    );
    module
        .emit_wasm_file(&bg)
        .context("writing the widget's wasm")?;
    optimize(&bg)?;

    let dist = dist();
    fs::create_dir_all(&dist)?;
    for entry in fs::read_dir(&dist)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|n| n != ".gitkeep") {
            fs::remove_file(&path)?;
        }
    }
    minify(&out.join("snag_widget.js"), true)?;
    let glue = fs::read(out.join("snag_widget.js"))?;
    let module = fs::read(&bg)?;
    let glue_name = format!("snag-{}.js", short_hash(&glue));
    let wasm_name = format!("snag-{}.wasm", short_hash(&module));
    let source = fs::read_to_string(root().join("widget/loader/widget.js"))?;
    let loader = loader(&source, &glue_name, &wasm_name)?;
    let loader_path = out.join("widget.js");
    fs::write(&loader_path, &loader)?;
    minify(&loader_path, false)?;
    let loader = fs::read_to_string(&loader_path)?;
    let types = fs::read(root().join("widget/loader/snag.d.ts"))?;

    let mut sizes = Sizes {
        files: Vec::new(),
        slices_strings: module
            .windows(STR_SLICE_PANIC.len())
            .any(|w| w == STR_SLICE_PANIC),
    };
    for (name, bytes) in [
        ("widget.js", loader.as_bytes()),
        (glue_name.as_str(), glue.as_slice()),
        (wasm_name.as_str(), module.as_slice()),
    ] {
        let gz = write_with_gzip(&dist, name, bytes)?;
        sizes.files.push((name.to_owned(), bytes.len(), gz));
    }
    write_with_gzip(&dist, "snag.d.ts", &types)?;
    eprintln!("built the widget into {}", dist.display());
    Ok(sizes)
}

/// The passes `wasm-opt` runs over the widget, in order.
const WASM_OPT_PASSES: &[&str] = &[
    // Flattening and re-building the control flow first, then repeating -Oz until it stops
    // shrinking, gains about 1% gzipped over one plain -Oz (measured with binaryen 132:
    // 70,295 -> 69,592 B at gzip -9) for a few seconds more.
    "--flatten",
    "--rereloop",
    // Functions with one caller are inlined only when small (binaryen's default is any
    // size). Measured, not derived: the wasm gets 1.4% larger and 3.7% smaller gzipped
    // (59,472 -> 57,253 B at gzip -9; 12 to 20 measure alike, 5 and 50 worse), and gzipped
    // bytes are what every host page downloads.
    "-ocimfs",
    "15",
    "-Oz",
    "--converge",
    // Then functions that differ only in constants become one (-0.2% gzipped).
    "--merge-similar-functions",
    "-Oz",
];

/// What else `wasm-opt` is told: the sections to drop, the features to accept.
const WASM_OPT_FLAGS: &[&str] = &[
    // Sections browsers ignore: which tools built it, and which features it uses.
    "--strip-producers",
    "--strip-target-features",
    // What rustc's wasm32 target emits by default; binaryen must accept them.
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// [`WASM_OPT_PASSES`] with `wasm-opt` from `$WASM_OPT` or `tools/node_modules/.bin/wasm-opt`
/// (see TOOLCHAIN.md: `npm install --prefix tools binaryen@132.0.0`). Skipped, with a
/// warning, when neither exists: the widget works, only larger.
fn optimize(wasm: &Path) -> anyhow::Result<()> {
    let local = root().join("tools/node_modules/.bin/wasm-opt");
    let wasm_opt = match std::env::var_os("WASM_OPT") {
        Some(path) => PathBuf::from(path),
        None if local.exists() => local,
        None => {
            eprintln!(
                "warning: no wasm-opt (set WASM_OPT or npm install --prefix tools binaryen@132.0.0); the widget stays larger"
            );
            return Ok(());
        }
    };
    run_step(
        &format!("wasm-opt {}", WASM_OPT_PASSES.join(" ")),
        Command::new(&wasm_opt)
            .arg(wasm)
            .arg("-o")
            .arg(wasm)
            .args(WASM_OPT_PASSES)
            .args(WASM_OPT_FLAGS),
    )
}

/// Minifies JavaScript in place with terser from `tools/` (`npm install --prefix tools
/// terser`), when it is there: about a fifth off the gzipped loader and glue. Without it the
/// files stay readable and work the same.
fn minify(path: &Path, module: bool) -> anyhow::Result<()> {
    let terser = root().join("tools/node_modules/.bin/terser");
    if !terser.exists() {
        eprintln!(
            "warning: no terser in tools/ (npm install --prefix tools terser); JS left unminified"
        );
        return Ok(());
    }
    let mut command = Command::new(&terser);
    command
        .arg(path)
        .args(["--compress", "--mangle", "--output"])
        .arg(path);
    if module {
        command.arg("--module");
    }
    run_step(&format!("terser {}", path.display()), &mut command)
}

/// The loader with the hashed file names filled in and its comment lines and indentation
/// dropped (it ships to every page view; its comments are for us).
pub fn loader(source: &str, glue: &str, wasm: &str) -> anyhow::Result<String> {
    if !source.contains("__SNAG_JS__") || !source.contains("__SNAG_WASM__") {
        bail!("widget/loader/widget.js lost its __SNAG_JS__/__SNAG_WASM__ placeholders");
    }
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out
        .replace("__SNAG_JS__", glue)
        .replace("__SNAG_WASM__", wasm))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `name` and `name.gz` (served to browsers that accept gzip); returns the gzipped
/// size. Zopfli rather than zlib: the same gzip format any browser reads, about 4% smaller
/// for the wasm, paid once at build time (a second or two) instead of on every download.
fn write_with_gzip(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<usize> {
    fs::write(dir.join(name), bytes)?;
    let mut gz = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        bytes,
        &mut gz,
    )?;
    fs::write(dir.join(format!("{name}.gz")), &gz)?;
    Ok(gz.len())
}
