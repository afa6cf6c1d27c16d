//! Rule loading: bytes → `RuleSet::from_json`; a loaded set's form, tests, and rule changes
//! against itself (see `kpi_wasm_fuzz::load`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_wasm_fuzz::load(data));
