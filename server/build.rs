//! Release builds embed `widget/dist` (see `src/http/widget.rs`). rust-embed makes cargo
//! notice changed files, but not files added to a folder that was empty at the last build
//! (a fresh clone), so the folder itself is watched too.

fn main() {
    println!("cargo:rerun-if-changed=../widget/dist");
}
