//! Loading and scoring never panic: the input is split at the first NUL byte into a rule set and
//! a submission. A valid built-in rule set is also scored against the whole input as a
//! submission, so submissions are fuzzed against real rules (see `kpi_wasm_fuzz::load_and_score`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_wasm_fuzz::load_and_score(data));
