//! The wasm test runner that `.cargo/config.toml` names for `wasm32-unknown-unknown`: built
//! from the wasm-bindgen version Cargo.lock pins, so it always matches the tests' glue.

fn main() -> anyhow::Result<()> {
    wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os())
}
