//! Scoring, with a structured generator: bytes → a described rule set and submissions
//! (`arbitrary`) → JSON → every entry point, with invariants (see `kpi_wasm_fuzz::score`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_wasm_fuzz::score(data));
