//! Expressions: bytes → `Expr::compile` against a fixed scope, then evaluation in several
//! environments (see `kpi_wasm_fuzz::expr`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_wasm_fuzz::expr(data));
